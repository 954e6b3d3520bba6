"""Datasets → files: ``article.json``, three CSV tables, the attribution, ``datapackage.json``
and the JSON Schema.

Output is deterministic (same input, same bytes): no run timestamps, stable column order,
``\\n`` line ends, UTF-8. Booleans are ``true``/``false`` and unknown values empty cells.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from extractor.atomic import atomic_write_bytes, replace_directory, staging_directory
from extractor.export.package import PACKAGE_FILE, PackageSource, package_json, resource
from extractor.models import Article

__all__ = [
    "CITATION_COLUMNS",
    "REFERENCE_COLUMNS",
    "RELATION_COLUMNS",
    "SCHEMA_FILE",
    "article_json",
    "csv_bytes",
    "csv_cell",
    "datapackage_json",
    "dataset_files",
    "package_source",
    "schema_json",
    "slugify",
    "write_dataset",
]

RELATION_COLUMNS = (
    "country",
    "country_article",
    "iso3",
    "established",
    "established_precision",
    "established_raw",
    "established_source",
    "date_conflict",
    "list_number",
    "in_bilateral_table",
    "main_article",
    "notes",
    # after the contract's columns: what else a relation carries, flattened
    "in_list",
    "list_date_raw",
    "bilateral_table_date_raw",
    "year",
    "month",
    "day",
    "section",
)
REFERENCE_COLUMNS = (
    "number",
    "name",
    "template",
    "title",
    "url",
    "work",
    "publisher",
    "date",
    "access_date",
    "archive_url",
    "archive_date",
    "text",
    "citation_count",
)
CITATION_COLUMNS = ("country", "reference_number", "cell", "table")
SCHEMA_FILE = "article.schema.json"


def slugify(title: str) -> str:
    """The folder name of an article: lower case, each run of other characters one ``-``.

    >>> slugify("Foreign relations of Kyrgyzstan")
    'foreign-relations-of-kyrgyzstan'
    """
    return re.sub(r"[^0-9a-z]+", "-", title.lower()).strip("-") or "article"


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def article_json(article: Article) -> bytes:
    """The dataset as pretty-printed JSON (the models' field order)."""
    return _json_bytes(article.model_dump(mode="json"))


def schema_json() -> bytes:
    """The JSON Schema of ``article.json``."""
    return _json_bytes(Article.model_json_schema())


def csv_cell(value: object) -> str:
    """One CSV cell: unknown values empty, booleans ``true``/``false``, anything else its ``str``.

    >>> [csv_cell(v) for v in (None, True, False, 0, "x")]
    ['', 'true', 'false', '0', 'x']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_bytes(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> bytes:
    """A CSV file: the header, then each row's values in column order (missing keys empty), UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue().encode("utf-8")


def _relation_rows(article: Article) -> Iterable[dict[str, Any]]:
    for relation in article.relations:
        row = relation.model_dump()
        row["list_date_raw"] = relation.list_date.raw if relation.list_date else None
        row["bilateral_table_date_raw"] = relation.table_date.raw if relation.table_date else None
        yield row


def _attribution_text(article: Article) -> bytes:
    source = article.source
    lines = [source.attribution, "", f"Licence: {source.licence} <{source.licence_url}>"]
    if source.note:
        lines += ["", f"Note: {source.note}"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def package_source(article: Article) -> PackageSource:
    """The article's revision and licence, as the data package names its source."""
    source = article.source
    return PackageSource(source.title, source.permalink, source.licence, source.licence_url)


def _header(data: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(data.decode("utf-8"), newline="")), [])


def datapackage_json(article: Article, files: Mapping[str, bytes] | None = None) -> bytes:
    """``datapackage.json`` of one article's folder: every CSV file of ``files`` (default: the
    folder's), described from its header and :data:`~extractor.export.fields.FIELDS`, with the
    keys, the licence and the source. A CSV file added to :func:`dataset_files` follows by itself."""
    if files is None:
        return dataset_files(article)[PACKAGE_FILE]
    resources = [resource(name, name, _header(data)) for name, data in files.items() if name.endswith(".csv")]
    title = f'Diplomatic relations from the Wikipedia article "{article.source.title}"'
    return package_json(slugify(article.source.title), title, resources, [package_source(article)])


def dataset_files(article: Article) -> dict[str, bytes]:
    """The files of one article's dataset folder, by name."""
    files = {
        "article.json": article_json(article),
        "relations.csv": csv_bytes(RELATION_COLUMNS, _relation_rows(article)),
        "references.csv": csv_bytes(REFERENCE_COLUMNS, (r.model_dump() for r in article.references)),
        "citations.csv": csv_bytes(CITATION_COLUMNS, (c.model_dump() for c in article.citations)),
        "ATTRIBUTION.txt": _attribution_text(article),
    }
    files[PACKAGE_FILE] = datapackage_json(article, files)  # last: it describes the CSV files above
    return files


def write_dataset(article: Article, out_dir: Path) -> Path:
    """Write ``out_dir/<slug>/`` and ``out_dir/article.schema.json``; return the dataset folder.

    The folder is replaced in one step: a failure leaves the previous dataset as it was.
    """
    target = out_dir / slugify(article.source.title)
    with staging_directory(target) as staging:
        for name, data in dataset_files(article).items():
            (staging / name).write_bytes(data)
        replace_directory(staging, target)
    atomic_write_bytes(out_dir / SCHEMA_FILE, schema_json())
    return target
