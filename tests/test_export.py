"""The output contract other tools rely on: file names, column order, cell encoding, schema."""

from __future__ import annotations

import csv
import io
import json
import types
import typing
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel

from extractor import extract_wikitext, make_source, write_dataset
from extractor.cli.options import load_snapshot
from extractor.errors import InputError
from extractor.export.dataset import dataset_files, schema_json, slugify
from extractor.models import (
    Article,
    Citation,
    Diagnostic,
    Entity,
    EstablishedDate,
    Event,
    Mission,
    Reference,
    Relation,
    Source,
)

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


def _article() -> Article:
    return extract_wikitext(WIKITEXT, make_source("Foreign relations of X", obtained="file"))


def _files() -> dict[str, bytes]:
    return dataset_files(_article())


@pytest.fixture(scope="module")
def snapshot() -> Article:
    """The stored snapshot's dataset: references with every field, dates of each precision, diagnostics."""
    return extract_wikitext(*load_snapshot("Foreign relations of Kyrgyzstan"))


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
    assert chile["notes"] == "• One.\n• Two."
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


TIMELINE = """{| class="wikitable"
! # !! Country !! Date
|-
| 1 || {{flag|Chile}} (severed) || 27 May 1919, severed 9 May 2023
|-
| 2 || {{flag|Peru}} || Before 1999
|}
{| class="wikitable"
! Country !! Date of recognition !! Diplomatic relations established !! Notes
|-
| {{flag|Chile}} || 1 January 1919 || 27 May 1919 || a
|}
"""


def test_timeline_columns_follow_the_others_and_events_csv_lists_each_event_once() -> None:
    """relations.csv ends with status, remark, recognized, the bounds and in_former_table;
    events.csv has one row per event, by date, an event two tables give alike once (the first)."""
    files = dataset_files(extract_wikitext(TIMELINE, make_source("Foreign relations of X", obtained="file")))
    rows = _rows(files["relations.csv"])
    assert rows[0][-6:] == ["status", "remark", "recognized", "not_before", "not_after", "in_former_table"]
    chile, peru = (dict(zip(rows[0], row, strict=True)) for row in rows[1:])
    assert [chile[c] for c in ("established", "status", "remark", "recognized")] == [
        "1919-05-27", "severed", "severed", "1919-01-01",
    ]  # fmt: skip
    assert [peru[c] for c in ("established", "status", "not_before", "not_after")] == ["", "current", "", "1998-12-31"]
    events = _rows(files["events.csv"])
    assert events == [
        ["country", "kind", "date", "precision", "not_before", "not_after", "raw", "table", "cell"],
        ["Chile", "recognized", "1919-01-01", "day", "", "", "1 January 1919", "bilateral-table", "date"],
        ["Chile", "established", "1919-05-27", "day", "", "", "27 May 1919", "list", "date"],
        ["Chile", "severed", "2023-05-09", "day", "", "", "severed 9 May 2023", "list", "date"],
        ["Chile", "severed", "", "", "", "", "severed", "list", "country"],
        ["Peru", "established", "", "", "", "1998-12-31", "Before 1999", "list", "date"],
    ]


def test_article_json_round_trips_through_the_models(snapshot: Article) -> None:
    """article.json read back through the pydantic models is the very Article it was written from."""
    article = _article()
    data = dataset_files(article)["article.json"]
    assert Article.model_validate_json(data) == article
    assert Article.model_validate_json(dataset_files(snapshot)["article.json"]) == snapshot
    source = json.loads(data)["source"]
    assert source["licence"] == "CC BY-SA 4.0" and "Wikipedia contributors" in source["attribution"]


MODELS: list[type[BaseModel]] = [
    Article,
    Source,
    Relation,
    Reference,
    Citation,
    Diagnostic,
    EstablishedDate,
    Entity,
    Event,
    Mission,
]
JSON_TYPES = {str: "string", int: "integer", bool: "boolean"}


def _expected_types(annotation: Any) -> set[str]:
    """The JSON Schema types an annotation allows, from the annotation itself (not from pydantic)."""
    if annotation in JSON_TYPES:
        return {JSON_TYPES[annotation]}
    if annotation is type(None):
        return {"null"}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {f"#/$defs/{annotation.__name__}"}
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return set().union(*(_expected_types(arg) for arg in typing.get_args(annotation)))
    if origin is typing.Literal:
        return {"enum " + "|".join(typing.get_args(annotation))}
    if origin is list:
        [item] = typing.get_args(annotation)
        return {"array of " + "/".join(sorted(_expected_types(item)))}
    raise AssertionError(f"no JSON type known for {annotation!r}")


def _schema_types(node: dict[str, Any]) -> set[str]:
    """The types a schema node allows, in the same notation as _expected_types."""
    if "anyOf" in node:
        return set().union(*(_schema_types(option) for option in node["anyOf"]))
    if "$ref" in node:
        return {node["$ref"]}
    if "enum" in node:
        assert node["type"] == "string", node
        return {"enum " + "|".join(node["enum"])}
    if node["type"] == "array":
        return {"array of " + "/".join(sorted(_schema_types(node["items"])))}
    return {node["type"]}


def test_schema_describes_the_dataset() -> None:
    """Every field of every model is in the schema, with its type, its description and whether it is
    required; nothing else is allowed."""
    schema = json.loads(schema_json())
    assert set(schema["$defs"]) == {model.__name__ for model in MODELS if model is not Article}
    for model in MODELS:
        node = schema if model is Article else schema["$defs"][model.__name__]
        assert node["type"] == "object" and node["additionalProperties"] is False, model.__name__
        assert set(node["properties"]) == set(model.model_fields), model.__name__
        required = {name for name, field in model.model_fields.items() if field.is_required()}
        assert set(node.get("required", [])) == required, model.__name__
        for name, field in model.model_fields.items():
            where = f"{model.__name__}.{name}"
            assert _schema_types(node["properties"][name]) == _expected_types(field.annotation), where
            assert node["properties"][name].get("description") == field.description, where


def test_written_article_json_validates_against_the_written_schema(snapshot: Article, tmp_path: Path) -> None:
    """The files a run writes agree: article.json is valid under article.schema.json, and the
    schema is strict enough to refuse a wrong type, an unknown value or a missing field."""
    for article in (_article(), snapshot):
        folder = write_dataset(article, tmp_path)
        schema = json.loads((tmp_path / "article.schema.json").read_text(encoding="utf-8"))
        validator = jsonschema.Draft202012Validator(schema)
        data = json.loads((folder / "article.json").read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == []
    broken = [
        {**data, "extra": 1},
        {**data, "relations": [{**data["relations"][0], "established_precision": "century"}]},
        {**data, "references": [{**data["references"][0], "number": "1"}]},
        {key: value for key, value in data.items() if key != "source"},
    ]
    for document in broken:
        assert list(validator.iter_errors(document)) != [], document.keys()


def test_titles_in_other_scripts_keep_their_letters() -> None:
    """A non-Latin title keeps its letters and digits (NFKC, lower case); nothing left gives a short hash."""
    assert slugify("Внешняя политика России") == "внешняя-политика-россии"
    assert slugify("Foreign relations of Ｔａｉｗａｎ") == "foreign-relations-of-taiwan"  # NFKC
    assert slugify("العلاقات الخارجية ٣") == "العلاقات-الخارجية-٣"
    assert slugify("..").startswith("article-") and len(slugify("..")) == len("article-") + 8


def test_two_different_titles_never_share_a_folder(tmp_path: Path) -> None:
    """Titles that differ give different slugs, or the second is refused: no dataset overwrites another's."""
    titles = ["Внешняя политика России", "Внешняя политика Украины", "..", "!!!", "Foreign relations of Chile"]
    assert len({slugify(t) for t in titles}) == len(titles)
    write_dataset(extract_wikitext("", make_source("A-B", obtained="file")), tmp_path)
    before = (tmp_path / "a-b" / "article.json").read_bytes()
    with pytest.raises(InputError, match="holds the dataset of 'A-B', not of 'A B'"):
        write_dataset(extract_wikitext("", make_source("A B", obtained="file")), tmp_path)
    assert (tmp_path / "a-b" / "article.json").read_bytes() == before
