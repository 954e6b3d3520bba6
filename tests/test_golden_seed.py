"""The stored snapshot (the seed revision) extracts to exactly the seed's table and references.

The expectations come from the seed itself: ``../shared/seed/v1-rows.csv`` for rows, dates and
notes, and the hand-derived ``fixtures/seed/expected-*.tsv`` for reference numbers and links.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from extractor import Article, extract_wikitext
from extractor.cli.options import load_snapshot
from extractor.export.dataset import dataset_files

SEED_TITLE = "Foreign relations of Kyrgyzstan"
EXPECTED = Path(__file__).resolve().parent.parent / "fixtures" / "seed"


@pytest.fixture(scope="module")
def article() -> Article:
    text, source = load_snapshot(SEED_TITLE)
    return extract_wikitext(text, source)


@pytest.fixture(scope="module")
def v1_rows(seed_dir: Path) -> list[dict[str, str]]:
    with (seed_dir / "v1-rows.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _tsv(name: str) -> list[dict[str, str]]:
    with (EXPECTED / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_every_seed_row_is_extracted_in_order(article: Article, v1_rows: list[dict[str, str]]) -> None:
    """All 39 rows of the seed's bilateral table become relations, in the table's order."""
    assert [r.country for r in article.relations] == [row["country"] for row in v1_rows]
    assert all(r.in_bilateral_table and not r.in_list for r in article.relations)


def test_dates_match_the_seed(article: Article, v1_rows: list[dict[str, str]]) -> None:
    """Each 'Formal Relations Began' cell is kept raw and read at its own precision."""
    for relation, row in zip(article.relations, v1_rows, strict=True):
        assert (relation.established_raw or "") == row["formal_relations_began"], relation.country
    by_country = {r.country: r for r in article.relations}
    assert (by_country["Argentina"].established, by_country["Argentina"].established_precision) == (
        "1992-10-06",
        "day",
    )
    assert (by_country["Armenia"].established, by_country["Armenia"].established_precision) == ("1993-01", "month")
    assert (by_country["Canada"].established, by_country["Canada"].established_precision) == ("1992", "year")
    assert by_country["Solomon Islands"].established == "2014-12"
    assert by_country["China"].established is None and by_country["China"].established_source is None


def test_notes_read_as_the_dump_renders_them(article: Article, v1_rows: list[dict[str, str]]) -> None:
    """Notes equal the 2019 rendering without footnote markers, the 'See' line and image captions."""
    notes_column = next(key for key in v1_rows[0] if key.startswith("notes"))
    for relation, row in zip(article.relations, v1_rows, strict=True):
        if relation.country == "Russia":  # the dump garbled the image caption; we drop captions
            continue
        expected = re.sub(r"\[\d+\]", "", row[notes_column])
        if relation.main_article:
            expected = re.sub(rf"^See {re.escape(relation.main_article)} ?", "", expected)
        # The dump writes bullets "- ", the dataset "• " (a CSV cell starting "-" is a formula).
        got = " ".join((relation.notes or "").replace("\u2022 ", "- ").split())
        assert got == " ".join(expected.split()), relation.country


def test_lost_cells_are_restored(article: Article, v1_rows: list[dict[str, str]]) -> None:
    """The five country cells and nine notes cells the seed's rendering lost are present."""
    lost_country = [row["country"] for row in v1_rows if row["seed_lost_country_cell"] == "True"]
    lost_notes = [row["country"] for row in v1_rows if row["seed_lost_notes"] == "True"]
    assert len(lost_country) == 5 and len(lost_notes) == 9
    by_country = {r.country: r for r in article.relations}
    assert all(by_country[name].country_article == name for name in lost_country)
    assert all(by_country[name].notes for name in lost_notes)


def test_main_articles(article: Article, v1_rows: list[dict[str, str]]) -> None:
    """'See X–Y relations' lines become main_article, spelled as the article spells them."""
    mains = {r.country: r.main_article for r in article.relations if r.main_article}
    notes_column = next(key for key in v1_rows[0] if key.startswith("notes"))
    assert sorted(mains) == sorted(row["country"] for row in v1_rows if row[notes_column].startswith("See "))
    assert mains["China"] == "China–Kyrgyzstan relations"
    assert mains["Greece"] == "Greece-Kyrgyzstan relations"
    assert mains["India"] == "Kyrgyzstan–India relations"


def test_references_are_numbered_as_the_seed(article: Article) -> None:
    """43 references with the seed's numbers, names, titles and citation counts."""
    expected = _tsv("expected-references.tsv")
    got = [(str(r.number), r.name or "", r.title or "", str(r.citation_count)) for r in article.references]
    assert got == [(e["number"], e["name"], e["title"], e["citation_count"]) for e in expected]
    russia = next(r for r in article.references if r.name == "cs")
    assert (russia.number, russia.citation_count) == (8, 11)


def test_every_citation_is_linked_to_its_row_and_cell(article: Article) -> None:
    """56 citation occurrences, each linked to its country, cell and reference number."""
    expected = _tsv("expected-citations.tsv")
    got = [(c.country, str(c.reference_number), c.cell) for c in article.citations]
    assert got == [(e["country"], e["reference_number"], e["cell"]) for e in expected]
    assert sum(r.citation_count for r in article.references) == len(article.citations) == 56


def test_source_is_honest_about_the_reconstruction(article: Article) -> None:
    """The snapshot's revision id is unknown (null): no permalink is made up for it."""
    source = article.source
    assert source.revision_id is None and source.permalink is None
    assert source.obtained == "reconstruction"
    assert source.licence.startswith("CC BY-SA")
    assert "revision id unknown" in source.attribution


def test_dataset_files_match_golden(article: Article, golden: Callable[[str, Mapping[str, bytes]], None]) -> None:
    """The whole dataset of the snapshot is byte-identical to its reviewed golden copy."""
    golden("seed", dataset_files(article))
