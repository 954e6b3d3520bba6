#!/usr/bin/env python3
"""Render the seed revision as HTML on the test MediaWiki: the HTML parser's stored fixtures.

    python scripts/render_html_fixtures.py [--port N]

Starts a fresh test wiki (``tests/mediawiki/server.py``, MediaWiki 1.39 with the project's
stand-in templates), saves ``fixtures/seed/foreign-relations-of-kyrgyzstan.wikitext`` as
"Foreign relations of Kyrgyzstan", and writes what the wiki serves for that revision:

- ``fixtures/html/foreign-relations-of-kyrgyzstan.seed.legacy.html``: the legacy parser's HTML,
  ``action=parse&oldid=N`` (``parse.text``, edit-section links kept as in Wikipedia's default);
- ``fixtures/html/foreign-relations-of-kyrgyzstan.seed.parsoid.html``: Parsoid's HTML,
  ``rest.php/v1/revision/N/html``, byte for byte;
- ``fixtures/html/foreign-relations-of-kyrgyzstan.seed.json``: how they were made (the seed's
  SHA-1, the revision id, the MediaWiki version, the two requests).

The tests never run this: regenerate only on purpose (after changing the seed or the stand-in
templates) and review the diff. The default port is fixed so that the URLs inside the HTML
(Parsoid writes absolute ones) do not change from one run to the next.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.mediawiki.server import MediaWikiServer, ensure_installed  # noqa: E402

SEED = ROOT / "fixtures" / "seed" / "foreign-relations-of-kyrgyzstan.wikitext"
OUT = ROOT / "fixtures" / "html"
STEM = "foreign-relations-of-kyrgyzstan.seed"
TITLE = "Foreign relations of Kyrgyzstan"
DEFAULT_PORT = 8791


def render(wiki: MediaWikiServer, text: str) -> tuple[int, str, str]:
    """Save ``text`` as the article; return its revision id, legacy HTML and Parsoid HTML."""
    revision = wiki.edit(TITLE, text, summary="seed revision, for the HTML fixtures")
    parsed = wiki.api({"action": "parse", "oldid": str(revision), "prop": "text", "formatversion": "2"})
    legacy = parsed["parse"]["text"]
    request = urllib.request.Request(
        f"{wiki.rest_url}/v1/revision/{revision}/html",
        headers={"User-Agent": "render_html_fixtures.py", "X-Test-Helper": "1"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        parsoid = response.read().decode("utf-8")
    return revision, legacy, parsoid


def main(argv: list[str] | None = None) -> int:
    """Render both flavours and write them, with their provenance, under fixtures/html/."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"test wiki port ({DEFAULT_PORT})")
    args = parser.parse_args(argv)
    text = SEED.read_text(encoding="utf-8")
    ensure_installed()
    with tempfile.TemporaryDirectory(prefix="render-html-") as workdir:
        wiki = MediaWikiServer.start(workdir, port=args.port)
        try:
            revision, legacy, parsoid = render(wiki, text)
            general = wiki.api({"action": "query", "meta": "siteinfo", "siprop": "general"})
        finally:
            wiki.stop()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{STEM}.legacy.html").write_text(legacy, encoding="utf-8")
    (OUT / f"{STEM}.parsoid.html").write_text(parsoid, encoding="utf-8")
    provenance = {
        "seed": str(SEED.relative_to(ROOT)),
        "seed_sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
        "title": TITLE,
        "revision_id": revision,
        "mediawiki": general["query"]["general"]["generator"],
        "legacy": f"api.php?action=parse&oldid={revision}&prop=text&formatversion=2 (parse.text)",
        "parsoid": f"rest.php/v1/revision/{revision}/html",
        "made_by": "scripts/render_html_fixtures.py",
    }
    (OUT / f"{STEM}.json").write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")
    print(f"revision {revision}: wrote {STEM}.legacy.html, {STEM}.parsoid.html, {STEM}.json in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
