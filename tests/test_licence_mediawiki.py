"""The licence a dataset names is the one the real wiki states, asked in the same request as the content.

The Debian test wiki states none (install.php leaves ``$wgRightsText`` and ``$wgRightsUrl``
empty): its datasets say "unknown", with no licence URL. With rights set in its settings
(:meth:`~tests.mediawiki.server.MediaWikiServer.set_rights`) they name that licence.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.export.dataset import slugify
from tests.test_check_family_mediawiki import family
from tests.test_check_mediawiki import cli

pytestmark = pytest.mark.integration

CC_TEXT = "Creative Commons Attribution-Share Alike 4.0"
CC_URL = "https://creativecommons.org/licenses/by-sa/4.0/"


@pytest.fixture
def licensed_wiki(mediawiki: Any) -> Iterator[Any]:
    """The test wiki stating CC BY-SA 4.0 for the test, and none again after it (the wiki is shared)."""
    mediawiki.set_rights(CC_TEXT, CC_URL)
    try:
        yield mediawiki
    finally:
        mediawiki.set_rights(None)


def extract(wiki: Any, title: str, out: Path) -> subprocess.CompletedProcess[str]:
    """``python -m extractor --api-url WIKI --title T --out DIR``."""
    result = cli("--api-url", wiki.api_url, "--title", title, "--out", str(out))
    assert result.returncode == 0, result.stderr
    return result


def source_of(out: Path, title: str) -> dict[str, Any]:
    source: dict[str, Any] = json.loads((out / slugify(title) / "article.json").read_text("utf-8"))["source"]
    return source


def test_a_wiki_stating_no_licence_gets_unknown(mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str) -> None:
    """The default test wiki states no licence: 'unknown' everywhere, no licence URL, in one request."""
    title = "Foreign relations of Kyrgyzstan (licence none)"
    mediawiki.edit(title, current_kyrgyzstan_text, "current")
    mediawiki.clear_requests()
    extract(mediawiki, title, tmp_path)

    # The licence came with the content, not in a request of its own (the others resolve partners).
    asked = [request["params"] for request in mediawiki.requests() if "meta" in request["params"]]
    assert [(p["meta"], p["siprop"], "content" in p["rvprop"][0].split("|")) for p in asked] == [
        (["siteinfo"], ["rightsinfo"], True)
    ]
    source = source_of(tmp_path, title)
    assert (source["licence"], source["licence_url"]) == ("unknown", None)
    assert source["attribution"].endswith("; the wiki states no licence.")
    attribution = (tmp_path / slugify(title) / "ATTRIBUTION.txt").read_text("utf-8")
    assert (
        "Licence: unknown\n" in attribution and "creativecommons" not in attribution and "CC BY-SA" not in attribution
    )
    package = json.loads((tmp_path / slugify(title) / "datapackage.json").read_text("utf-8"))
    assert package["licenses"] == [{"name": "notspecified", "title": "unknown: the wiki states no licence"}]


def test_a_wiki_stating_a_licence_is_named(licensed_wiki: Any, tmp_path: Path, current_kyrgyzstan_text: str) -> None:
    """With $wgRightsText/$wgRightsUrl set, ATTRIBUTION.txt, article.json and datapackage.json name that licence."""
    title = "Foreign relations of Kyrgyzstan (licence stated)"
    licensed_wiki.edit(title, current_kyrgyzstan_text, "current")
    extract(licensed_wiki, title, tmp_path)

    source = source_of(tmp_path, title)
    assert (source["licence"], source["licence_url"]) == (CC_TEXT, CC_URL)
    attribution = (tmp_path / slugify(title) / "ATTRIBUTION.txt").read_text("utf-8")
    assert f"licensed under {CC_TEXT}." in attribution and f"Licence: {CC_TEXT} <{CC_URL}>\n" in attribution
    package = json.loads((tmp_path / slugify(title) / "datapackage.json").read_text("utf-8"))
    assert package["licenses"] == [{"name": "CC-BY-SA-4.0", "path": CC_URL, "title": CC_TEXT}]


def test_batched_check_takes_the_licence_from_its_content_request_and_replays_it(
    licensed_wiki: Any, tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """check --titles-file --update: the revids batch asks for the licence; the recording replays it offline."""
    titles = [f"Foreign relations of Kyrgyzstan (licence batch {n})" for n in (1, 2)]
    for title in titles:
        licensed_wiki.edit(title, current_kyrgyzstan_text, "current")
    (tmp_path / "tracked.txt").write_text("\n".join(titles) + "\n", encoding="utf-8")
    licensed_wiki.clear_requests()
    result = family(licensed_wiki, tmp_path / "tracked.txt", tmp_path / "out", "--update")
    assert result.returncode == 0, result.stderr

    metadata, content = licensed_wiki.requests()
    assert "meta" not in metadata["params"]  # the metadata request needs no licence: nothing is written from it
    assert (content["params"]["meta"], content["params"]["siprop"]) == (["siteinfo"], ["rightsinfo"])
    for title in titles:
        assert source_of(tmp_path / "out", title)["licence"] == CC_TEXT
        recorded = tmp_path / "recordings" / slugify(title)
        answer = json.loads((recorded / "001-api.json").read_text("utf-8"))
        assert answer["query"]["rightsinfo"] == {"url": CC_URL, "text": CC_TEXT}
        [exchange] = json.loads((recorded / "recording.json").read_text("utf-8"))["exchanges"]
        assert exchange["cut_from"] == {key: values[0] for key, values in content["params"].items()}

    # The wiki's statement changing later does not change what the committed recording replays.
    licensed_wiki.set_rights(None)
    written = (tmp_path / "out" / slugify(titles[0]) / "ATTRIBUTION.txt").read_bytes()
    # --offline replays recordings/<slug>/ beside --out's folder, as on a clone of the repository.
    replay = subprocess.run(
        [
            sys.executable,
            "-m",
            "extractor",
            "--offline",
            "--title",
            titles[0],
            "--out",
            str(tmp_path / "again"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert replay.returncode == 0, replay.stderr
    assert replay.stderr.startswith(f"replaying {tmp_path / 'recordings' / slugify(titles[0])} ")
    assert (tmp_path / "again" / slugify(titles[0]) / "ATTRIBUTION.txt").read_bytes() == written
