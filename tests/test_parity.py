"""Parity: the HTML of a revision gives the same dataset as its wikitext, in both HTML flavours.

The two parsers check each other. Compared: every relation's country, date (ISO and precision),
list number, conflict flag, main article and notes; the references' count, numbers, titles and
URLs; and the multiset of whole citations (country, reference number, cell and table). The
differences that cannot be removed (README, "HTML input") are outside these fields, so nothing
is tolerated here.

The seed revision's HTML is stored in ``fixtures/html/`` (rendered by the real MediaWiki of the
tests through ``scripts/render_html_fixtures.py``); the current article is rendered at test time
on that MediaWiki from ``../shared/corpus``.
"""

from __future__ import annotations

import hashlib
import json
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from extractor.cli import main
from extractor.extract import extract_content, extract_wikitext
from extractor.models import Article
from extractor.parse.html.walk import detect_flavour
from extractor.source import make_source
from tests.support import ROOT

SEED = ROOT / "fixtures" / "seed" / "foreign-relations-of-kyrgyzstan.wikitext"
HTML = ROOT / "fixtures" / "html"
FLAVOURS = {"legacy": "html", "parsoid": "parsoid"}
# A page of its own on the session's shared test wiki, so that other tests' pages stay as they set them.
RENDER_TITLE = "Foreign relations of Kyrgyzstan (HTML parity)"


def comparable(article: Article) -> dict[str, Any]:
    """The fields parity is judged on."""
    return {
        "relations": [
            (
                r.country,
                r.established,
                r.established_precision,
                r.list_number,
                r.date_conflict,
                r.main_article,
                r.notes,
            )
            for r in article.relations
        ],
        "references": [(r.number, r.title, r.url) for r in article.references],
        "citations": Counter((c.country, c.reference_number, c.cell, c.table) for c in article.citations),
    }


def assert_parity(wikitext: str, html: str, flavour: str) -> None:
    """The HTML dataset equals the wikitext dataset on every compared field, with a readable diff."""
    expected = comparable(extract_wikitext(wikitext, make_source("Foreign relations of Kyrgyzstan", obtained="file")))
    source = make_source("Foreign relations of Kyrgyzstan", obtained="file", content_format=flavour)
    actual = comparable(extract_content(html, source))
    assert len(actual["relations"]) == len(expected["relations"])
    for wanted, got in zip(expected["relations"], actual["relations"], strict=True):
        assert got == wanted
    assert actual["references"] == expected["references"]
    assert actual["citations"] == expected["citations"]


@pytest.mark.parametrize("kind", sorted(FLAVOURS))
def test_seed_html_fixture_matches_the_seed_wikitext(kind: str) -> None:
    """The seed's stored legacy and Parsoid HTML give the seed wikitext's dataset."""
    html = (HTML / f"foreign-relations-of-kyrgyzstan.seed.{kind}.html").read_text(encoding="utf-8")
    assert detect_flavour(html) == FLAVOURS[kind]
    assert_parity(SEED.read_text(encoding="utf-8"), html, FLAVOURS[kind])


def test_seed_html_fixtures_were_rendered_from_the_current_seed() -> None:
    """The stored HTML was rendered from the seed as it is now (else run scripts/render_html_fixtures.py)."""
    provenance = json.loads((HTML / "foreign-relations-of-kyrgyzstan.seed.json").read_text(encoding="utf-8"))
    assert provenance["seed_sha1"] == hashlib.sha1(SEED.read_bytes()).hexdigest()


@pytest.mark.parametrize("kind", sorted(FLAVOURS))
def test_cli_reads_an_html_file_of_either_flavour(kind: str, tmp_path: Path) -> None:
    """``--input FILE.html`` extracts the file and records which HTML flavour it was."""
    path = HTML / f"foreign-relations-of-kyrgyzstan.seed.{kind}.html"
    assert main(["--input", str(path), "--title", "Foreign relations of Kyrgyzstan", "--out", str(tmp_path)]) == 0
    [written] = tmp_path.glob("*/article.json")
    article = json.loads(written.read_text(encoding="utf-8"))
    assert article["source"]["content_format"] == FLAVOURS[kind]
    assert len(article["relations"]) == 39


def _render(wiki: Any, text: str) -> dict[str, Any]:
    """Save ``text`` on the test wiki; its revision id, and its legacy and Parsoid HTML by flavour."""
    revision = wiki.edit(RENDER_TITLE, text, summary="parity test")
    legacy = wiki.api({"action": "parse", "oldid": str(revision), "prop": "text"})["parse"]["text"]
    request = urllib.request.Request(
        f"{wiki.rest_url}/v1/revision/{revision}/html", headers={"User-Agent": "tests", "X-Test-Helper": "1"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        parsoid = response.read().decode("utf-8")
    return {"revision": revision, "html": legacy, "parsoid": parsoid}


@pytest.fixture(scope="module")
def current_html(mediawiki: Any, current_kyrgyzstan_text: str) -> dict[str, Any]:
    """The current article rendered by the test wiki, in both flavours, with its revision id."""
    return _render(mediawiki, current_kyrgyzstan_text)


@pytest.mark.integration
@pytest.mark.parametrize("flavour", ["html", "parsoid"])
def test_current_article_html_matches_its_wikitext(
    flavour: str, current_html: dict[str, Any], current_kyrgyzstan_text: str
) -> None:
    """The current article's HTML, rendered now by MediaWiki, gives its wikitext's dataset."""
    assert detect_flavour(current_html[flavour]) == flavour
    assert_parity(current_kyrgyzstan_text, current_html[flavour], flavour)


@pytest.mark.integration
@pytest.mark.parametrize("flavour", ["html", "parsoid"])
def test_cli_source_html_and_parsoid_give_the_wikitext_dataset(
    flavour: str, mediawiki: Any, current_html: dict[str, Any], tmp_path: Path
) -> None:
    """``--source html`` and ``--source parsoid`` fetch a pinned revision and give the wikitext's dataset."""
    written = {}
    for source in ("wikitext", flavour):
        out = tmp_path / source
        arguments = ["--api-url", mediawiki.api_url, "--revision", str(current_html["revision"])]
        assert main([*arguments, "--source", source, "--out", str(out)]) == 0
        [path] = out.glob("*/article.json")
        written[source] = Article.model_validate_json(path.read_text(encoding="utf-8"))
    assert written[flavour].source.content_format == flavour
    assert written[flavour].source.revision_id == current_html["revision"]
    assert comparable(written[flavour]) == comparable(written["wikitext"])
