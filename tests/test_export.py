"""The output contract other tools rely on: file names, column order, cell encoding, schema."""

from __future__ import annotations

import csv
import io
import json

from extractor import extract_wikitext, make_source
from extractor.export.dataset import dataset_files, schema_json, slugify
from extractor.models import Article

WIKITEXT = """{| class="wikitable"
! Country !! Formal relations began !! Notes
|-
| {{flag|Chile}} || 1992 || See [[Chile–X relations]]
* One.<ref name="a">{{cite news |title=T |url=https://example.org/t |work=W |date=1 May 2000}}</ref>
* Two.<ref name="a" />
|-
| {{flag|Atlantis}} || <!--Date started--> ||
|}
"""


def _files() -> dict[str, bytes]:
    return dataset_files(extract_wikitext(WIKITEXT, make_source("Foreign relations of X", obtained="file")))


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_slug_is_lower_case_with_runs_of_other_characters_as_one_dash() -> None:
    """Titles become folder names the way the contract says."""
    assert slugify("Foreign relations of Kyrgyzstan") == "foreign-relations-of-kyrgyzstan"
    assert slugify("Foreign relations of São Tomé and Príncipe") == "foreign-relations-of-s-o-tom-and-pr-ncipe"
    assert slugify("Foreign relations of the Democratic Republic of the Congo (DRC)").endswith("-drc")


def test_relations_csv_columns_come_first_in_contract_order() -> None:
    """relations.csv starts with the twelve contract columns, in order."""
    header = _rows(_files()["relations.csv"])[0]
    assert header[:12] == [
        "country", "country_article", "iso3", "established", "established_precision", "established_raw",
        "established_source", "date_conflict", "list_number", "in_bilateral_table", "main_article", "notes",
    ]  # fmt: skip


def test_cells_are_true_false_and_empty_for_unknown() -> None:
    """Booleans are true/false; unknown values are empty cells, never 'None'."""
    rows = _rows(_files()["relations.csv"])
    chile, atlantis = (dict(zip(rows[0], row, strict=True)) for row in rows[1:])
    assert chile["date_conflict"] == "false" and chile["in_bilateral_table"] == "true"
    assert chile["main_article"] == "Chile–X relations"
    assert chile["notes"] == "- One.\n- Two."
    assert atlantis["iso3"] == "" and atlantis["established"] == "" and atlantis["established_raw"] == ""
    assert "None" not in _files()["relations.csv"].decode()


def test_references_and_citations_csv() -> None:
    """A reused named reference is one row, cited twice, each citation its own row."""
    references = _rows(_files()["references.csv"])
    assert references[0] == [
        "number", "name", "template", "title", "url", "work", "publisher", "date", "access_date",
        "archive_url", "archive_date", "text", "citation_count",
    ]  # fmt: skip
    assert references[1][:8] == ["1", "a", "cite news", "T", "https://example.org/t", "W", "", "1 May 2000"]
    assert references[1][-1] == "2"
    citations = _rows(_files()["citations.csv"])
    assert citations[0][:3] == ["country", "reference_number", "cell"]
    assert [row[:3] for row in citations[1:]] == [["Chile", "1", "notes"], ["Chile", "1", "notes"]]


def test_article_json_round_trips_through_the_models() -> None:
    """article.json validates against the pydantic models it was written from."""
    data = json.loads(_files()["article.json"])
    article = Article.model_validate(data)
    assert article.relations[0].country == "Chile"
    assert data["source"]["licence"] == "CC BY-SA 4.0"
    assert "Wikipedia contributors" in data["source"]["attribution"]


def test_schema_describes_the_dataset() -> None:
    """The JSON Schema names the dataset's parts and documents its fields."""
    schema = json.loads(schema_json())
    assert set(schema["properties"]) >= {"source", "relations", "references", "citations", "diagnostics"}
    assert "description" in schema["$defs"]["Relation"]["properties"]["established"]
