"""Every dataset under a folder → one SQLite database, ready for Datasette.

Tables (each with an integer ``id``): ``articles`` (one per dataset folder: its title, subject,
revision, permalink and licence), ``relations``, ``references``, ``citations``, ``events`` and
``missions`` (each row with its ``article``; ``events.csv``/``missions.csv`` where a dataset has
them), ``pairs`` (``all/pairs.csv``, when the folder has one) and ``entities``
(``all/entities.csv``, when the folder has one; primary key ``key``). Columns are typed
from :data:`~extractor.export.fields.FIELDS` (integers, booleans as 0/1, text), unknown values
are NULL; a citation links its relation (``relation_id``) and its reference (``reference_id``),
an event and a mission their relation (``relation_id``), by single-column foreign keys, the kind
Datasette follows. sqlite-utils writes the schema, the
indexes and the FTS5 index on the notes, rather than hand-written DDL.

Every relation carries its partner's entity key (``country_key``) and every article its
subject's (``subject_key``), the keys of ``all/entities.csv`` (a foreign key to ``entities`` when
the folder has that file), so that one country is one value across articles whatever the
spelling. A key is the one ``all/relations.csv`` publishes for the same link target (the keys of
one family are a function of the page a row names), else, for a dataset newer than ``all/`` or a
folder without it, the key the combined export would give without the wiki's answers
(:func:`~extractor.export.combined.family_table` of the loaded articles). The per-dataset
``relations.csv`` does not carry the key: it depends on the other articles of the family.

The database is built in a temporary file beside the target and renamed over it, so a failed
run leaves the previous database as it was.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlite_utils

from extractor.atomic import DEFAULT_LOCK_TIMEOUT, TEMP_PREFIX, atomic_write_bytes, output_lock
from extractor.countries import iso3_for, subject_of_title
from extractor.entities import mentions_of, page_title
from extractor.errors import DatasetError
from extractor.export.combined import COMBINED_FOLDER, article_sides, family_table
from extractor.export.dataset import formula_safe
from extractor.export.fields import FIELDS, column
from extractor.models import Article

__all__ = ["TABLES", "dataset_folders", "datasette_metadata", "metadata_path", "write_sqlite"]

#: The tables, and the CSV file (a name of FIELDS) each is loaded from.
TABLES = {
    "relations": "relations.csv",
    "references": "references.csv",
    "citations": "citations.csv",
    "events": "events.csv",
    "missions": "missions.csv",
}
#: Tables whose file a dataset may lack (written by later versions of the exporter).
_OPTIONAL = {"events", "missions"}
#: Tables whose rows link their relation by the row's ``country``.
_LINKED = {"citations", "events", "missions"}
_PYTHON_TYPES: dict[str, type] = {"integer": int, "boolean": int, "string": str}
_ARTICLE_COLUMNS: dict[str, type] = {
    "id": int,
    "slug": str,
    "title": str,
    "subject": str,
    "subject_iso3": str,
    "revision_id": int,
    "revision_timestamp": str,
    "permalink": str,
    "history_url": str,
    "licence": str,
    "licence_url": str,
    "attribution": str,
    "note": str,
    "subject_key": str,
}


def dataset_folders(root: Path) -> list[Path]:
    """The dataset folders under ``root`` (each holds an ``article.json``), sorted by name."""
    if not root.is_dir():
        raise DatasetError("no such folder", path=str(root))
    return sorted(p for p in root.iterdir() if p.name != COMBINED_FOLDER and (p / "article.json").is_file())


def _load_article(folder: Path) -> Article:
    path = folder / "article.json"
    try:
        return Article.model_validate_json(path.read_bytes())
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise DatasetError("not a dataset (article.json does not validate)", path=str(path)) from error


def _typed(table: str, row: dict[str, str]) -> dict[str, Any]:
    """One CSV row with its cells typed: '' is NULL, booleans 0/1, integers int."""
    typed: dict[str, Any] = {}
    for name, cell in row.items():
        kind = column(table, name).type
        if cell == "":
            typed[name] = None
        elif kind == "boolean":
            typed[name] = 1 if cell == "true" else 0
        elif kind == "integer":
            typed[name] = int(cell)
        else:
            typed[name] = cell
    return typed


def _csv_rows(path: Path, table: str) -> tuple[list[str], list[dict[str, Any]]]:
    text = path.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        rows = [_typed(table, row) for row in reader]
    except ValueError as error:
        raise DatasetError(f"line {reader.line_num}: {error}", path=str(path)) from error
    return list(reader.fieldnames or []), rows


def _columns(table: str, names: list[str], first: dict[str, type]) -> dict[str, type]:
    return {**first, **{name: _PYTHON_TYPES[column(table, name).type] for name in names}}


def _not_null(table: str, names: list[str]) -> set[str]:
    return {name for name in names if column(table, name).required}


def _create(db: sqlite_utils.Database, name: str, columns: dict[str, type], table: str, **kwargs: Any) -> None:
    db[name].create(columns, pk="id", not_null=_not_null(table, list(columns)), **kwargs)  # type: ignore[union-attr]


def _cell_title(country_article: str | None, country: str | None) -> str:
    """The page a relations.csv row names, as :func:`~extractor.entities.mentions_of` reads it."""
    return page_title(country_article or country or "") or (country or "")


class _EntityKeys:
    """The entity key of each subject and partner: as ``all/relations.csv`` publishes it, else the
    key the family of the loaded articles gives (see the module's docstring)."""

    def __init__(self, articles: list[Article], published: Path | None) -> None:
        self.family = family_table(article_sides(article) for article in articles)
        self.partners: dict[str, str] = {}
        self.subjects: dict[str, str] = {}
        if published is None:
            return
        _, rows = _csv_rows(published, "all/relations.csv")
        for row in rows:
            # The same page is the same entity throughout one family table: the first row says it.
            if row.get("country_key"):
                self.partners.setdefault(
                    _cell_title(row.get("country_article"), row.get("country")), row["country_key"]
                )
            if row.get("subject") and row.get("subject_key"):
                self.subjects.setdefault(row["subject"], row["subject_key"])

    def subject(self, article: Article) -> str:
        """The entity key of the article's subject."""
        mention = mentions_of(article)[0]
        return self.subjects.get(formula_safe(mention.name)) or self.family.entity(mention).key

    def countries(self, article: Article, rows: list[dict[str, Any]], path: Path) -> list[str]:
        """The entity key of each row of the article's ``relations.csv`` (its rows are the article's relations)."""
        mentions = mentions_of(article)[1:]
        if len(mentions) != len(rows):
            raise DatasetError(f"{len(rows)} rows, but article.json has {len(mentions)} relations", path=str(path))
        return [
            self.partners.get(_cell_title(row.get("country_article"), row.get("country")))
            or self.family.entity(mention).key
            for row, mention in zip(rows, mentions, strict=True)
        ]


class _Loader:
    """Loads dataset folders one after the other, numbering rows and linking citations."""

    def __init__(self, db: sqlite_utils.Database, keys: _EntityKeys, entities: bool) -> None:
        self.db = db
        self.keys = keys
        self.entities = entities
        self.created: set[str] = set()
        self.next_id = {name: 1 for name in ("articles", *TABLES)}

    def _insert(self, name: str, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            row["id"] = self.next_id[name]
            self.next_id[name] += 1
        self.db[name].insert_all(rows)  # type: ignore[union-attr]

    def _ensure(self, name: str, columns: list[str]) -> None:
        if name in self.created:
            return
        self.created.add(name)
        first: dict[str, type] = {"id": int, "article": int}
        keys = [("article", "articles", "id")]
        if name in _LINKED:
            first["relation_id"] = int
            keys.append(("relation_id", "relations", "id"))
        if name == "citations":
            first["reference_id"] = int
            keys.append(("reference_id", "references", "id"))
        types = _columns(TABLES[name], columns, first)
        if name == "relations":
            types["country_key"] = str  # after the CSV's columns, as all/relations.csv has it
            if self.entities:
                keys.append(("country_key", "entities", "key"))
        _create(self.db, name, types, TABLES[name], foreign_keys=keys)

    def load(self, folder: Path) -> None:
        article = _load_article(folder)
        source = article.source
        subject = subject_of_title(source.title)
        article_id = self.next_id["articles"]
        self._insert(
            "articles",
            [
                {
                    "slug": folder.name,
                    "title": source.title,
                    "subject": subject,
                    "subject_iso3": iso3_for(subject),
                    "revision_id": source.revision_id,
                    "revision_timestamp": source.revision_timestamp,
                    "permalink": source.permalink,
                    "history_url": source.history_url,
                    "licence": source.licence,
                    "licence_url": source.licence_url,
                    "attribution": source.attribution,
                    "note": source.note,
                    "subject_key": self.keys.subject(article),
                }
            ],
        )
        ids: dict[str, dict[Any, int]] = {}
        for name, file_name in TABLES.items():
            if name in _OPTIONAL and not (folder / file_name).is_file():
                continue
            columns, rows = _csv_rows(folder / file_name, file_name)
            self._ensure(name, columns)
            if name == "relations":
                for row, entity in zip(rows, self.keys.countries(article, rows, folder / file_name), strict=True):
                    row["country_key"] = entity
            start = self.next_id[name]
            for row in rows:
                row["article"] = article_id
            if name in _LINKED:
                for row in rows:
                    row["relation_id"] = ids["relations"].get(row.get("country"))
            if name == "citations":
                for row in rows:
                    row["reference_id"] = ids["references"].get(row.get("reference_number"))
            key = {"relations": "country", "references": "number"}.get(name)
            if key:
                ids[name] = {}
                for offset, row in enumerate(rows):
                    ids[name].setdefault(row.get(key), start + offset)  # the first row of a name
            self._insert(name, rows)


def _load_pairs(db: sqlite_utils.Database, path: Path, entities: bool) -> None:
    columns, rows = _csv_rows(path, "all/pairs.csv")
    keys = [(key, "entities", "key") for key in ("key_a", "key_b") if entities and key in columns]
    _create(db, "pairs", _columns("all/pairs.csv", columns, {"id": int}), "all/pairs.csv", foreign_keys=keys)
    for number, row in enumerate(rows, start=1):
        row["id"] = number
    db["pairs"].insert_all(rows)  # type: ignore[union-attr]
    db["pairs"].create_index(["country_a"])  # type: ignore[union-attr]
    db["pairs"].create_index(["country_b"])  # type: ignore[union-attr]
    for key in ("key_a", "key_b"):
        if key in columns:
            db["pairs"].create_index([key])  # type: ignore[union-attr]


def _load_entities(db: sqlite_utils.Database, path: Path) -> None:
    columns, rows = _csv_rows(path, "all/entities.csv")
    types = _columns("all/entities.csv", columns, {})
    db["entities"].create(types, pk="key", not_null=_not_null("all/entities.csv", columns))  # type: ignore[union-attr]
    db["entities"].insert_all(rows)  # type: ignore[union-attr]
    for index in (["iso3"], ["qid"], ["name"]):
        if index[0] in columns:
            db["entities"].create_index(index)  # type: ignore[union-attr]


def _build(db: sqlite_utils.Database, folders: list[Path], root: Path, articles: list[Article]) -> None:
    combined = root / COMBINED_FOLDER
    pairs, entities, published = (combined / name for name in ("pairs.csv", "entities.csv", "relations.csv"))
    has_entities = entities.is_file()
    if has_entities:  # first: the articles' and relations' keys refer to it
        _load_entities(db, entities)
    keys = [("subject_key", "entities", "key")] if has_entities else []
    db["articles"].create(_ARTICLE_COLUMNS, pk="id", not_null={"slug", "title"}, foreign_keys=keys)  # type: ignore[union-attr]
    loader = _Loader(db, _EntityKeys(articles, published if published.is_file() else None), has_entities)
    for folder in folders:
        loader.load(folder)
    db["articles"].create_index(["slug"], unique=True)  # type: ignore[union-attr]
    db["articles"].create_index(["subject"])  # type: ignore[union-attr]
    db["articles"].create_index(["subject_key"])  # type: ignore[union-attr]
    if "relations" in loader.created:
        for index in (["article"], ["country"], ["iso3"], ["country_key"]):
            db["relations"].create_index(index)  # type: ignore[union-attr]
        db["relations"].enable_fts(["notes"], fts_version="FTS5")  # type: ignore[union-attr]
    if "citations" in loader.created:
        for index in (["relation_id"], ["reference_id"]):
            db["citations"].create_index(index)  # type: ignore[union-attr]
    for name in ("events", "missions"):
        if name in loader.created:
            for index in (["relation_id"], ["article"], ["country"]):
                db[name].create_index(index)  # type: ignore[union-attr]
    if "missions" in loader.created:
        db["missions"].create_index(["subject"])  # type: ignore[union-attr]
    if pairs.is_file():
        _load_pairs(db, pairs, has_entities)


@contextlib.contextmanager
def _temporary_database(path: Path) -> Iterator[Path]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        yield Path(temp)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def metadata_path(database: Path) -> Path:
    """Where the Datasette metadata of ``database`` goes: ``frx.db`` → ``frx.metadata.json``."""
    return database.with_name(database.stem + ".metadata.json")


def _table_metadata(table: str, description: str, extra: str | None = None) -> dict[str, Any]:
    columns = {name: definition.description for name, definition in FIELDS[table].items()}
    if extra is not None:  # a key column the loader adds, described as all/relations.csv does
        columns[extra] = FIELDS["all/relations.csv"][extra].description
    return {"description": description, "columns": columns}


def datasette_metadata(database: Path, articles: list[Article]) -> bytes:
    """Datasette's metadata.json: titles, the licence and the sources, column descriptions."""
    licences = sorted(
        {(a.source.licence, a.source.licence_url) for a in articles}, key=lambda pair: (pair[0], pair[1] or "")
    )
    permalinks = [a.source.permalink for a in articles]
    metadata: dict[str, Any] = {
        "title": 'Diplomatic relations from Wikipedia\'s "Foreign relations of …" articles',
        "license": " and ".join(name for name, _ in licences) or "CC BY-SA 4.0",
        "source": "Wikipedia contributors; each article's revision and permalink are in the articles table",
    }
    if len(licences) == 1 and licences[0][1]:  # an unknown licence has no link, none is made up
        metadata["license_url"] = licences[0][1]
    if len(permalinks) == 1 and permalinks[0]:  # one article: its revision is the source
        metadata["source_url"] = permalinks[0]
    metadata["databases"] = {
        database.stem: {
            "tables": {
                "articles": {
                    "description": "One row per article revision: the source, its licence and attribution.",
                    "columns": {"subject_key": FIELDS["all/relations.csv"]["subject_key"].description},
                    "label_column": "title",
                },
                "relations": _table_metadata(
                    "relations.csv", "One row per partner country of an article.", "country_key"
                ),
                "references": _table_metadata("references.csv", "The reference list of each article."),
                "citations": _table_metadata("citations.csv", "Each citation of a reference inside a relation row."),
                "pairs": _table_metadata("all/pairs.csv", "Pairs of countries and whether their articles agree."),
                "events": _table_metadata(
                    "events.csv", "Dated events of each relation (established, severed, restored, …)."
                ),
                "missions": _table_metadata("missions.csv", "Diplomatic missions the notes of each relation state."),
                "entities": {
                    **_table_metadata(
                        "all/entities.csv", "Each country or organisation once, across articles (key: `key`)."
                    ),
                    "label_column": "name",  # what a relation's country_key link shows in Datasette
                },
            }
        }
    }
    return (json.dumps(metadata, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_sqlite(root: Path, database: Path, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> tuple[int, Path]:
    """Load every dataset under ``root`` into ``database``; return the article count and the metadata file.

    Reads under ``root``'s lock (:func:`~extractor.atomic.output_lock`, waiting up to
    ``lock_timeout`` seconds), so that the folders and ``all/`` are read as one batch left them
    (an interrupted batch's swaps are completed first), never half swapped.
    """
    if not root.is_dir():  # nothing to lock (and no lock file to leave beside a missing folder)
        return _write_sqlite(root, database)
    with output_lock(root, lock_timeout):
        return _write_sqlite(root, database)


def _write_sqlite(root: Path, database: Path) -> tuple[int, Path]:
    folders = dataset_folders(root)
    if not folders:
        raise DatasetError("no dataset folders (no */article.json)", path=str(root))
    articles = [_load_article(folder) for folder in folders]
    with _temporary_database(database) as temp:
        db = sqlite_utils.Database(temp, recreate=True)
        try:
            _build(db, folders, root, articles)
        finally:
            db.close()
        os.replace(temp, database)
    metadata = metadata_path(database)
    atomic_write_bytes(metadata, datasette_metadata(database, articles))
    return len(folders), metadata
