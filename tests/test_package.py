"""datapackage.json: every dataset folder is a valid Frictionless data package, built from FIELDS."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import frictionless
import pytest

from extractor.batch import BatchReport
from extractor.cli.options import load_snapshot
from extractor.export.dataset import dataset_files, write_dataset
from extractor.export.fields import FIELDS
from extractor.extract import extract_wikitext
from extractor.models import Article


@pytest.fixture(scope="module")
def snapshot() -> Article:
    """The stored snapshot's dataset."""
    return extract_wikitext(*load_snapshot("Foreign relations of Kyrgyzstan"))


def _errors(descriptor: Path) -> list[str]:
    report = frictionless.validate(str(descriptor))
    return [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors] + [
        error.message for error in report.errors
    ]


def _header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_every_csv_column_has_a_definition(snapshot: Article) -> None:
    """Each column of every CSV file is typed and described in FIELDS (a new column is one line there)."""
    files = dataset_files(snapshot)
    tables = [name for name in files if name.endswith(".csv")]
    assert tables == ["relations.csv", "references.csv", "citations.csv", "events.csv", "missions.csv"]
    for name in tables:
        assert set(_header(files[name])) <= set(FIELDS[name]), name
    assert all(column.description for table in FIELDS.values() for column in table.values())


def test_snapshot_package_validates_with_frictionless(snapshot: Article, tmp_path: Path) -> None:
    """The stored snapshot's folder passes `frictionless validate`, keys and types included."""
    folder = write_dataset(snapshot, tmp_path)
    assert _errors(folder / "datapackage.json") == []


def test_package_types_keys_licence_and_source(snapshot: Article) -> None:
    """Booleans are true/false, unknown is '', citations point at references and relations, the licence is named."""
    package: dict[str, Any] = json.loads(dataset_files(snapshot)["datapackage.json"])
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == ["relations", "references", "citations", "events", "missions"]
    for timeline in ("events", "missions"):  # both belong to a relation
        keys = resources[timeline]["schema"]["foreignKeys"]
        assert keys == [{"fields": ["country"], "reference": {"resource": "relations", "fields": ["country"]}}]
    fields = {f["name"]: f for f in resources["relations"]["schema"]["fields"]}
    assert fields["date_conflict"]["type"] == "boolean"
    assert fields["date_conflict"]["trueValues"] == ["true"]
    assert fields["list_number"]["type"] == "integer"
    assert fields["established"]["type"] == "string"  # the precision varies by row
    assert resources["relations"]["schema"]["missingValues"] == [""]
    keys = resources["citations"]["schema"]["foreignKeys"]
    assert {k["reference"]["resource"] for k in keys} == {"references", "relations"}
    assert resources["references"]["schema"]["primaryKey"] == ["number"]
    assert package["licenses"] == [
        {"name": "CC-BY-SA-3.0", "path": "https://creativecommons.org/licenses/by-sa/3.0/", "title": "CC BY-SA 3.0"}
    ]
    # the snapshot's revision id is unknown: no permalink is invented
    assert package["sources"] == [{"title": "Wikipedia: Foreign relations of Kyrgyzstan"}]


def test_package_with_a_permalink_names_it_as_the_source(snapshot: Article) -> None:
    """A known revision's permalink is the package's source path."""
    link = "https://en.wikipedia.org/w/index.php?title=Foreign_relations_of_Kyrgyzstan&oldid=1"
    article = snapshot.model_copy(update={"source": snapshot.source.model_copy(update={"permalink": link})})
    package = json.loads(dataset_files(article)["datapackage.json"])
    assert package["sources"][0]["path"] == link


def test_package_is_deterministic(snapshot: Article) -> None:
    """The same dataset gives the same descriptor bytes."""
    assert dataset_files(snapshot)["datapackage.json"] == dataset_files(snapshot.model_copy())["datapackage.json"]


def test_every_corpus_package_validates(corpus_batch: tuple[BatchReport, Path]) -> None:
    """All 100 real articles' folders and all/ pass frictionless validation (types, enums, keys)."""
    report, folder = corpus_batch
    failures = {}
    for outcome in report.outcomes:
        assert outcome.folder is not None
        errors = _errors(outcome.folder / "datapackage.json")
        if errors:
            failures[outcome.slug] = errors[:3]
    assert failures == {}
    combined = folder / "all" / "datapackage.json"
    assert _errors(combined) == []
    package = json.loads(combined.read_bytes())
    assert [r["name"] for r in package["resources"]] == ["relations", "pairs", "entities", "missions"]
    assert len(package["sources"]) == len(report.outcomes)
