"""The library's conveniences: extract_html, an article's citations and references per relation, to_frames."""

from __future__ import annotations

import json

import pandas
import pytest

from extractor import Article, extract_html, extract_wikitext, make_source
from extractor.cli.options import load_snapshot
from tests.support import FIXTURES


@pytest.fixture(scope="module")
def snapshot() -> Article:
    """The stored snapshot's dataset."""
    return extract_wikitext(*load_snapshot("Foreign relations of Kyrgyzstan"))


def test_extract_html_reads_both_flavours_and_records_which() -> None:
    """extract_html gives the wikitext's relations from the stored legacy and Parsoid HTML, naming the flavour."""
    meta = json.loads((FIXTURES / "html" / "foreign-relations-of-kyrgyzstan.seed.json").read_text(encoding="utf-8"))
    wikitext = (FIXTURES / "seed" / "foreign-relations-of-kyrgyzstan.wikitext").read_text(encoding="utf-8")
    expected = extract_wikitext(wikitext, make_source(meta["title"], obtained="file"))
    for flavour, content_format in (("legacy", "html"), ("parsoid", "parsoid")):
        html = (FIXTURES / "html" / f"foreign-relations-of-kyrgyzstan.seed.{flavour}.html").read_text(encoding="utf-8")
        article = extract_html(html, make_source(meta["title"], obtained="file"))
        assert article.source.content_format == content_format
        assert [(r.country, r.established) for r in article.relations] == [
            (r.country, r.established) for r in expected.relations
        ]


def test_citations_and_references_of_a_relation(snapshot: Article) -> None:
    """A relation's citations are those of its row; its references are the ones they cite, once each, in order."""
    for relation in snapshot.relations:
        citations = snapshot.citations_of(relation)
        assert all(c.country == relation.country for c in citations)
        numbers = [r.number for r in snapshot.references_of(relation)]
        assert numbers == sorted({c.reference_number for c in citations})
    assert sum(len(snapshot.citations_of(r)) for r in snapshot.relations) == len(snapshot.citations)


def test_to_frames_has_nullable_dtypes(snapshot: Article) -> None:
    """Integers are Int64 and booleans boolean, with <NA> for unknown, never 0, False or ''."""
    frames = snapshot.to_frames()
    assert set(frames) == {"relations", "references", "citations", "diagnostics"}
    relations = frames["relations"]
    assert len(relations) == len(snapshot.relations)
    assert str(relations["list_number"].dtype) == "Int64"
    assert str(relations["date_conflict"].dtype) == "boolean"
    assert str(relations["country"].dtype) == "string"
    unknown = [r.list_number is None for r in snapshot.relations]
    assert relations["list_number"].isna().tolist() == unknown
    assert any(unknown)
    assert isinstance(frames["references"], pandas.DataFrame)
    assert str(frames["references"]["citation_count"].dtype) == "Int64"
