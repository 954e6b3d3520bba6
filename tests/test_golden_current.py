"""The current layout of the article (../shared/corpus) extracts to the numbers the article shows."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest

from extractor import Article, extract_wikitext, make_source
from extractor.export.dataset import dataset_files


@pytest.fixture(scope="module")
def article(current_kyrgyzstan_text: str) -> Article:
    return extract_wikitext(current_kyrgyzstan_text, make_source("Foreign relations of Kyrgyzstan", obtained="file"))


def test_the_numbered_list_gives_185_partners_with_numbers_and_dates(article: Article) -> None:
    """183 numbered rows plus Holy See and State of Palestine (marked '—'), every one dated."""
    listed = [r for r in article.relations if r.in_list]
    assert len(listed) == 185
    assert sorted(r.list_number for r in listed if r.list_number is not None) == list(range(1, 184))
    assert {r.country for r in listed if r.list_number is None} == {"Holy See", "State of Palestine"}
    assert all(r.list_date is not None and r.list_date.precision == "day" for r in listed)


def test_the_bilateral_table_has_23_rows_all_in_the_list(article: Article) -> None:
    """The 23 bilateral rows merge into the list's relations (one relation per partner)."""
    bilateral = [r for r in article.relations if r.in_bilateral_table]
    assert len(bilateral) == 23
    assert len(article.relations) == 185
    assert all(r.in_list for r in bilateral)


def test_the_list_date_wins_and_conflicts_are_exactly_mexico_and_pakistan(article: Article) -> None:
    """Incompatible dates are flagged; 'January 1993' vs '9 January 1993' is compatible."""
    assert sorted(r.country for r in article.relations if r.date_conflict) == ["Mexico", "Pakistan"]
    by_country = {r.country: r for r in article.relations}
    mexico = by_country["Mexico"]
    assert (mexico.established, mexico.established_source) == ("1992-03-27", "list")
    assert mexico.table_date is not None and mexico.table_date.iso == "1992-01-14"
    armenia = by_country["Armenia"]
    assert armenia.established == "1993-01-09" and not armenia.date_conflict
    assert armenia.table_date is not None and armenia.table_date.raw == "January 1993"
    turkey = by_country["Turkey"]
    assert turkey.table_date is not None and turkey.table_date.iso == "1992-01-29"  # "Jan. 29, 1992"


def test_38_references_and_22_reuses(article: Article) -> None:
    """Named references reused before their definition take their number at first use."""
    assert len(article.references) == 38
    assert sum(r.citation_count - 1 for r in article.references) == 22
    cs = next(r for r in article.references if r.name == "cs")
    first_china = next(c for c in article.citations if c.country == "China")
    assert first_china.reference_number == cs.number == 10
    assert cs.citation_count == 11


def test_dataset_files_match_golden(article: Article, golden: Callable[[str, Mapping[str, bytes]], None]) -> None:
    """The tables of the current article's dataset are byte-identical to their reviewed golden copies."""
    golden("current", {name: data for name, data in dataset_files(article).items() if name.endswith(".csv")})
