"""``export --sqlite``: typed columns, NULLs, 0/1 booleans, foreign keys, indexes, FTS5, Datasette metadata."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from extractor.batch import BatchReport
from extractor.cli.options import load_snapshot
from extractor.entities import PageIdentity
from extractor.errors import DatasetError
from extractor.export.combined import article_sides, write_combined
from extractor.export.dataset import dataset_files, write_dataset
from extractor.extract import extract_wikitext
from tests.support import CliResult


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stored snapshot's dataset, with a combined all/ folder, in a fresh out/."""
    folder = tmp_path_factory.mktemp("out")
    article = extract_wikitext(*load_snapshot("Foreign relations of Kyrgyzstan"))
    write_dataset(article, folder)
    write_combined(folder, [(article_sides(article), dataset_files(article)["relations.csv"])])
    return folder


@pytest.fixture(scope="module")
def database(out: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The database written from ``out`` by the library call the CLI makes."""
    from extractor.export.sqlite import write_sqlite

    path = tmp_path_factory.mktemp("db") / "frx.db"
    assert write_sqlite(out, path)[0] == 1
    return path


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchall()


def test_columns_are_typed_with_real_nulls_and_booleans_as_integers(database: Path) -> None:
    """Booleans are 0/1 integers, unknown values NULL, numbers integers."""
    rows = _query(database, "select typeof(date_conflict), typeof(list_number), typeof(year) from relations")
    assert {row[0] for row in rows} == {"integer"}
    assert {row[1] for row in rows} <= {"integer", "null"}
    assert _query(database, "select count(*) from relations where in_list not in (0, 1)") == [(0,)]
    assert _query(database, "select count(*) from relations where main_article = ''") == [(0,)]
    assert _query(database, "select count(*) > 0 from relations where main_article is null") == [(1,)]
    assert _query(database, "select count(*) from relations") == [(39,)]


def test_citations_link_their_relation_and_reference_by_foreign_keys(database: Path) -> None:
    """Every citation points at an existing relation and reference; SQLite's own check finds nothing wrong."""
    assert _query(database, "select count(*) from citations where relation_id is null or reference_id is null") == [
        (0,)
    ]
    assert _query(database, "pragma foreign_key_check") == []
    keys = {row[2] for row in _query(database, "pragma foreign_key_list(citations)")}
    assert keys == {"articles", "relations", "references"}
    joined = _query(
        database,
        'select count(*) from citations c join relations r on r.id = c.relation_id join "references" f '
        "on f.id = c.reference_id where r.country = c.country and f.number = c.reference_number",
    )
    assert joined == _query(database, "select count(*) from citations")


def test_indexes_and_full_text_search_on_notes(database: Path) -> None:
    """Country, ISO code and subject are indexed; the notes are searchable with FTS5."""
    indexes = {row[0] for row in _query(database, "select name from sqlite_master where type = 'index'")}
    assert {"idx_relations_country", "idx_relations_iso3", "idx_articles_subject"} <= indexes
    assert {"idx_pairs_country_a", "idx_pairs_country_b"} <= indexes
    found = _query(
        database,
        "select r.country from relations_fts join relations r on r.rowid = relations_fts.rowid "
        "where relations_fts match 'protocol'",
    )
    assert ("Armenia",) in found
    sql = _query(database, "select sql from sqlite_master where name = 'relations_fts'")[0][0]
    assert "fts5" in str(sql).lower()


def test_articles_table_carries_the_source_and_licence(database: Path) -> None:
    """The article row names its title, subject and licence; the unknown revision stays NULL."""
    rows = _query(database, "select title, subject, subject_iso3, revision_id, permalink, licence from articles")
    assert rows == [("Foreign relations of Kyrgyzstan", "Kyrgyzstan", "KGZ", None, None, "CC BY-SA 3.0")]


def test_cli_writes_the_database_and_datasette_metadata(
    out: Path, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """`export --sqlite FILE DIR` writes FILE and FILE's metadata.json with the licence and table descriptions."""
    result = run_cli("export", "--sqlite", str(tmp_path / "frx.db"), str(out))
    assert result.returncode == 0, result.stderr
    metadata = json.loads((tmp_path / "frx.metadata.json").read_text(encoding="utf-8"))
    assert metadata["license"] == "CC BY-SA 3.0"
    assert "source_url" not in metadata  # the snapshot's revision is unknown: no invented link
    tables = metadata["databases"]["frx"]["tables"]
    assert tables["relations"]["columns"]["established"]


def test_cli_on_a_folder_without_datasets_is_one_line_and_exit_2(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """An empty folder is an error naming it; no database is written."""
    result = run_cli("export", "--sqlite", str(tmp_path / "frx.db"), str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(tmp_path) in result.stderr
    assert not (tmp_path / "frx.db").exists()


def test_corpus_loads_whole(corpus_batch: tuple[BatchReport, Path], tmp_path: Path) -> None:
    """All 100 corpus articles load, every citation resolved, with the pairs of all/."""
    from extractor.export.sqlite import write_sqlite

    report, folder = corpus_batch
    path = tmp_path / "corpus.db"
    assert write_sqlite(folder, path)[0] == len(report.outcomes)
    assert _query(path, "select count(*) from relations") == [(sum(o.relations for o in report.outcomes),)]
    assert _query(path, "select count(*) from citations where relation_id is null or reference_id is null") == [(0,)]
    assert _query(path, "select count(*) > 0 from pairs") == [(1,)]
    # Every partner and subject is an entity of all/entities.csv, with the key all/relations.csv gives it.
    assert _query(path, "pragma foreign_key_check") == []
    assert _query(
        path, "select count(*) from relations r left join entities e on e.key = r.country_key where e.key is null"
    ) == [(0,)]
    published = [row["country_key"] for row in _csv(folder / "all" / "relations.csv")]
    assert [row[0] for row in _query(path, "select country_key from relations order by id")] == published
    # The key is what makes one country one value across articles that spell it differently.
    spelled = _query(
        path,
        "select count(*) > 0 from (select 1 from relations group by country_key having count(distinct country) > 1)",
    )
    assert spelled == [(1,)]


def test_events_and_missions_link_their_relation_and_article(database: Path) -> None:
    """Every event and mission row of the dataset is loaded with its article and its relation's id."""
    for table in ("events", "missions"):
        assert _query(database, f"select count(*) > 0 from {table}") == [(1,)]
        assert _query(database, f"select count(*) from {table} where relation_id is null or article is null") == [(0,)]
        keys = {row[2] for row in _query(database, f"pragma foreign_key_list({table})")}
        assert keys == {"articles", "relations"}
        joined = _query(
            database,
            f"select count(*) from {table} t join relations r on r.id = t.relation_id where r.country = t.country",
        )
        assert joined == _query(database, f"select count(*) from {table}")
    assert {row[0] for row in _query(database, "select typeof(negated) from missions")} == {"integer"}


def test_entities_table_is_keyed_by_key_and_indexed(database: Path) -> None:
    """all/entities.csv is the entities table, its primary key `key`; events, missions and entities are indexed."""
    info = _query(database, "pragma table_info(entities)")
    assert [row[1] for row in info if row[5]] == ["key"]
    assert _query(database, "select count(*) > 0 from entities where key = 'Armenia'") == [(1,)]
    assert {row[0] for row in _query(database, "select typeof(articles) from entities")} == {"integer"}
    indexes = {row[0] for row in _query(database, "select name from sqlite_master where type = 'index'")}
    wanted = {"idx_events_relation_id", "idx_missions_relation_id", "idx_missions_subject", "idx_entities_iso3"}
    assert wanted <= indexes
    assert _query(database, "select count(*) from sqlite_master where name = 'relations_fts'") == [(1,)]


def test_datasette_metadata_describes_events_missions_and_entities(database: Path) -> None:
    """The metadata's descriptions of the new tables come from FIELDS, column by column."""
    from extractor.export.fields import FIELDS
    from extractor.export.sqlite import datasette_metadata

    metadata = json.loads(datasette_metadata(database, []))
    tables = metadata["databases"][database.stem]["tables"]
    for table, fields in (("events", "events.csv"), ("missions", "missions.csv"), ("entities", "all/entities.csv")):
        assert tables[table]["description"]
        assert tables[table]["columns"] == {name: column.description for name, column in FIELDS[fields].items()}


def _indexes(database: Path) -> set[object]:
    return {row[0] for row in _query(database, "select name from sqlite_master where type = 'index'")}


def test_relations_and_articles_carry_their_entity_keys_indexed_and_joined(database: Path) -> None:
    """Each relation has its partner's `country_key` and each article its `subject_key`, indexed and
    foreign keys of `entities`, so that a relation joins its entity."""
    assert {"idx_relations_country_key", "idx_articles_subject_key", "idx_relations_country"} <= _indexes(database)
    assert {"idx_articles_subject", "idx_missions_subject"} <= _indexes(database)
    assert ("entities", "country_key", "key") in {
        row[2:5] for row in _query(database, "pragma foreign_key_list(relations)")
    }
    assert ("entities", "subject_key", "key") in {
        row[2:5] for row in _query(database, "pragma foreign_key_list(articles)")
    }
    assert ("entities", "key_a", "key") in {row[2:5] for row in _query(database, "pragma foreign_key_list(pairs)")}
    assert _query(database, "pragma foreign_key_check") == []
    joined = _query(
        database,
        "select r.country, e.kind, e.iso3 from relations r join entities e on e.key = r.country_key "
        "where r.country = 'Armenia'",
    )
    assert joined == [("Armenia", "un-member", "ARM")]
    assert _query(database, "select count(*) from relations r join entities e on e.key = r.country_key") == _query(
        database, "select count(*) from relations"
    )
    subject = _query(database, "select e.name from articles a join entities e on e.key = a.subject_key")
    assert subject == [("Kyrgyzstan",)]


def test_entity_keys_are_the_ones_all_relations_csv_publishes(tmp_path: Path) -> None:
    """Where the wiki's answers made the combined keys differ from the link targets, the database uses
    the combined dataset's keys (the entities table's), not keys of its own."""
    from extractor.export.sqlite import write_sqlite

    article = extract_wikitext(*load_snapshot("Foreign relations of Kyrgyzstan"))
    write_dataset(article, tmp_path / "out")
    resolved = {"Armenia": PageIdentity("Republic of Armenia", "Q399")}
    parts = [(article_sides(article), dataset_files(article)["relations.csv"])]
    write_combined(tmp_path / "out", parts, resolved=resolved)
    path = tmp_path / "frx.db"
    write_sqlite(tmp_path / "out", path)
    keys = _query(
        path,
        "select r.country_key, e.qid from relations r join entities e on e.key = r.country_key "
        "where r.country = 'Armenia'",
    )
    assert keys == [("Republic of Armenia", "Q399")]
    assert _query(path, "pragma foreign_key_check") == []
    published = [row["country_key"] for row in _csv(tmp_path / "out" / "all" / "relations.csv")]
    assert [row[0] for row in _query(path, "select country_key from relations order by id")] == published


def test_without_a_combined_folder_the_keys_come_from_the_loaded_articles(out: Path, tmp_path: Path) -> None:
    """A folder without all/ still gets every relation's key (indexed), with no entities table to refer to."""
    from extractor.export.sqlite import write_sqlite

    folder = tmp_path / "out"
    shutil.copytree(out, folder, ignore=shutil.ignore_patterns("all"))
    path = tmp_path / "frx.db"
    write_sqlite(folder, path)
    assert _query(path, "select count(*) from relations where country_key is null") == [(0,)]
    assert _query(path, "select country_key from relations where country = 'Armenia'") == [("Armenia",)]
    assert "idx_relations_country_key" in _indexes(path)
    assert "entities" not in {row[2] for row in _query(path, "pragma foreign_key_list(relations)")}


def test_a_relations_csv_that_does_not_match_its_article_is_an_error_naming_it(out: Path, tmp_path: Path) -> None:
    """relations.csv with a row less than article.json's relations: an error naming the file, no database."""
    from extractor.export.sqlite import write_sqlite

    folder = tmp_path / "out"
    shutil.copytree(out, folder)
    relations = next(folder.glob("*/relations.csv"))
    relations.write_bytes(relations.read_bytes().rsplit(b"\n", 2)[0] + b"\n")
    with pytest.raises(DatasetError, match=r"relations\.csv") as error:
        write_sqlite(folder, tmp_path / "frx.db")
    assert "38 rows" in str(error.value)
    assert not (tmp_path / "frx.db").exists()
