"""Build the recording that ``python -m extractor --offline`` replays, from the reviewed seed files.

No live run of the seed revision exists (its ids are unknown), so its recording is made here from
``fixtures/seed/foreign-relations-of-kyrgyzstan.wikitext`` and ``fixtures/seed/source.json``, which
stay the source of truth. The answer has the shape of the real ``action=query&prop=revisions``
answer the fetcher would get, with every unknown (page id, revision id, timestamp, SHA-1) ``null``,
and ``recording.json`` says ``"obtained": "reconstruction"``.

    python scripts/make_seed_recording.py           # (re)write fixtures/recordings/<slug>/
    python scripts/make_seed_recording.py --check   # exit 1 when the committed recording is stale
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from extractor.export.dataset import slugify
from extractor.fetch.params import RIGHTS_PARAMS, api_params, revisions_params
from extractor.fetch.recording import Exchange, Recording

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed"
RECORDINGS = ROOT / "fixtures" / "recordings"


def seed_recording(seed: Path = SEED) -> tuple[str, Recording]:
    """The seed's title and its recording, built from ``seed/source.json`` and its wikitext."""
    meta: dict[str, Any] = json.loads((seed / "source.json").read_text(encoding="utf-8"))
    title = meta["title"]
    text = (seed / f"{slugify(title)}.wikitext").read_text(encoding="utf-8")
    answer = {
        "batchcomplete": True,
        "query": {
            "pages": [
                {
                    "pageid": meta.get("page_id"),
                    "ns": 0,
                    "title": title,
                    "revisions": [
                        {
                            "revid": meta.get("revision_id"),
                            "parentid": None,
                            "timestamp": meta.get("revision_timestamp"),
                            "slots": {
                                "main": {
                                    "contentmodel": "wikitext",
                                    "contentformat": "text/x-wiki",
                                    "sha1": None,
                                    "content": text,
                                }
                            },
                        }
                    ],
                }
            ]
        },
    }
    body = (json.dumps(answer, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    source = {"obtained": meta.get("obtained", "reconstruction")}
    source.update({key: meta[key] for key in ("licence", "note") if meta.get(key)})
    recording = Recording(
        api_url=None,  # not fetched from any wiki: no api.php to name
        language=meta.get("language", "en"),
        user_agent=None,
        source=source,
    )
    # Filed as the answer to the content request without meta=siteinfo: a reconstruction comes
    # from no wiki, so no wiki stated a licence (its licence is the documented one in `source`),
    # and the committed recording stays as it was made before the licence was asked for.
    params = api_params(revisions_params(title, content=True))
    for key in RIGHTS_PARAMS:
        params.pop(key)
    recording.add(Exchange("api.php", params, 200, "application/json; charset=utf-8", body))
    return title, recording


def _files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the committed recording")
    args = parser.parse_args()
    title, recording = seed_recording()
    target = RECORDINGS / slugify(title)
    if not args.check:
        recording.save(target)
        print(f"wrote {target.relative_to(ROOT)}", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as temp:
        fresh = Path(temp) / "recording"
        recording.save(fresh)
        if not target.is_dir() or _files(fresh) != _files(target):
            print(f"{target.relative_to(ROOT)} is stale: run python scripts/make_seed_recording.py", file=sys.stderr)
            return 1
    print(f"{target.relative_to(ROOT)} matches fixtures/seed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
