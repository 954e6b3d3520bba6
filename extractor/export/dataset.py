"""Datasets → files: ``article.json``, five CSV tables, the attribution, ``datapackage.json``
and the JSON Schema.

Output is deterministic (same input, same bytes): no run timestamps, stable column order,
``\\n`` line ends, UTF-8. Booleans are ``true``/``false`` and unknown values empty cells.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from extractor.atomic import DEFAULT_LOCK_TIMEOUT, atomic_write_bytes, output_lock, replace_directory, staging_directory
from extractor.countries import subject_of_title
from extractor.errors import InputError, ShrinkError
from extractor.export.package import PACKAGE_FILE, PackageSource, package_json, resource
from extractor.models import Article

__all__ = [
    "CITATION_COLUMNS",
    "EVENT_COLUMNS",
    "FORMULA_TRIGGERS",
    "KEPT_FOLDERS",
    "MISSION_COLUMNS",
    "REFERENCE_COLUMNS",
    "RELATION_COLUMNS",
    "SCHEMA_FILE",
    "article_json",
    "csv_bytes",
    "csv_cell",
    "datapackage_json",
    "dataset_files",
    "formula_safe",
    "guard_folder",
    "guard_shrink",
    "package_source",
    "schema_json",
    "slugify",
    "stage_dataset",
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
    "country_qid",
    "country_kind",
    # a relation's status and timeline (events.csv has every event)
    "status",
    "remark",
    "recognized",
    "not_before",
    "not_after",
    # a row of a table of former relations (issue #11)
    "in_former_table",
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
EVENT_COLUMNS = ("country", "kind", "date", "precision", "not_before", "not_after", "raw", "table", "cell")
MISSION_COLUMNS = (
    "subject",
    "country",
    "sender",
    "receiver",
    "kind",
    "city",
    "resident",
    "accredited_from_city",
    "accredited_from_country",
    "negated",
    "sentence",
    "citations",
)
SCHEMA_FILE = "article.schema.json"
#: Subfolders of a dataset folder that a new dataset keeps: ``history/`` (``python -m extractor history``).
KEPT_FOLDERS = ("history",)


def _latin_only(title: str) -> bool:
    """Whether every letter and digit of ``title`` is Latin script (accented or not) or ASCII."""
    return all(ch.isascii() or not ch.isalnum() or unicodedata.name(ch, "").startswith("LATIN") for ch in title)


def slugify(title: str) -> str:
    """The folder name of an article: lower case, each run of other characters one ``-``.

    A title in Latin script keeps the ASCII slug it always had (accented letters are runs of other
    characters: folders already written stay where they are). A title with letters or digits of
    another script keeps them (NFKC, lower-cased), so that non-Latin titles do not all fall back
    to one folder. When nothing is left (``..``, ``!!!``), a short hash of the title is the slug.

    >>> slugify("Foreign relations of Kyrgyzstan")
    'foreign-relations-of-kyrgyzstan'
    >>> slugify("Внешняя политика России")
    'внешняя-политика-россии'
    >>> slugify("!!!")
    'article-e84c538e'
    """
    title = unicodedata.normalize("NFKC", title)
    if _latin_only(title):
        slug = re.sub(r"[^0-9a-z]+", "-", title.lower()).strip("-")
    else:
        slug = re.sub(r"[\W_]+", "-", title.lower()).strip("-")
    return slug or "article-" + hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def article_json(article: Article) -> bytes:
    """The dataset as pretty-printed JSON (the models' field order)."""
    return _json_bytes(article.model_dump(mode="json"))


def schema_json() -> bytes:
    """The JSON Schema of ``article.json``."""
    return _json_bytes(Article.model_json_schema())


#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """``text`` with a leading ``'`` when it begins with a formula trigger, so that a spreadsheet
    shows it as text (OWASP's advice); the JSON keeps the exact value.

    >>> [formula_safe(v) for v in ("=HYPERLINK(1)", "-5", "x-y", "")]
    ["'=HYPERLINK(1)", "'-5", 'x-y', '']
    """
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(value: object) -> str:
    """One CSV cell: unknown values empty, booleans ``true``/``false``, anything else its ``str``,
    made formula-safe (:func:`formula_safe`).

    >>> [csv_cell(v) for v in (None, True, False, 0, "x", "@x")]
    ['', 'true', 'false', '0', 'x', "'@x"]
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return formula_safe(str(value))


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


def _event_rows(article: Article) -> Iterable[dict[str, Any]]:
    for relation in article.relations:
        for event in relation.events:
            yield {"country": relation.country, **event.model_dump()}


def _mission_rows(article: Article) -> Iterable[dict[str, Any]]:
    subject = subject_of_title(article.source.title)
    for relation in article.relations:
        for mission in relation.missions:
            row = mission.model_dump()
            row["subject"], row["country"] = subject, relation.country
            row["citations"] = "; ".join(str(number) for number in mission.citations)
            yield row


def _attribution_text(article: Article) -> bytes:
    source = article.source
    link = f" <{source.licence_url}>" if source.licence_url else ""  # no link invented for an unknown one
    lines = [source.attribution, "", f"Licence: {source.licence}{link}"]
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
        "events.csv": csv_bytes(EVENT_COLUMNS, _event_rows(article)),
        "missions.csv": csv_bytes(MISSION_COLUMNS, _mission_rows(article)),
        "ATTRIBUTION.txt": _attribution_text(article),
    }
    files[PACKAGE_FILE] = datapackage_json(article, files)  # last: it describes the CSV files above
    return files


def _stored_relations(folder: Path) -> tuple[str, int] | None:
    """The title and relation count of the dataset stored in ``folder``; ``None`` when there is
    none or it cannot be read (then there is nothing to protect that a comparison could trust)."""
    try:
        data = json.loads((folder / "article.json").read_bytes())
        title, relations = data["source"]["title"], data["relations"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(title, str) or not isinstance(relations, list):
        return None
    return title, len(relations)


def guard_folder(article: Article, folder: Path) -> None:
    """Refuse to write ``article`` into a folder that holds another title's dataset: two titles
    with one slug (``A–B`` and ``A B``) must not overwrite each other (:class:`InputError`)."""
    stored = _stored_relations(folder)
    if stored is not None and stored[0] != article.source.title:
        raise InputError(
            f"holds the dataset of {stored[0]!r}, not of {article.source.title!r}; nothing written",
            path=str(folder),
            setting="out",
        )


def guard_shrink(article: Article, folder: Path, *, allow_shrink: bool = False) -> None:
    """Refuse to replace the dataset in ``folder`` with a new extraction of the same article that
    has no relation table or lost more than half of its relations (:class:`ShrinkError`).

    A scheduled job commits whatever is written: a table that lost its closing line, a truncated
    download or an empty file would otherwise silently replace good data with none.
    """
    if allow_shrink:
        return
    stored = _stored_relations(folder)
    if stored is None:
        return
    title, old = stored
    new = len(article.relations)
    if title != article.source.title or old == 0:
        return
    no_table = new == 0 or any(d.code == "no-relation-table" for d in article.diagnostics)
    if no_table or 2 * new < old:
        raise ShrinkError(article.source.title, old, new)


def stage_dataset(files: Mapping[str, bytes], target: Path) -> Path:
    """The complete new dataset folder of ``target`` (``files``, and the ``history/`` of the one in
    place), staged beside it and not yet in place: the caller swaps it in (or removes it)."""
    with staging_directory(target) as staging:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        for kept in KEPT_FOLDERS:
            if (target / kept).is_dir():
                # Hard links: instant, and safe because these files are only ever replaced, never edited.
                shutil.copytree(target / kept, staging / kept, copy_function=os.link)
    return staging


def write_dataset(
    article: Article, out_dir: Path, *, allow_shrink: bool = False, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
) -> Path:
    """Write ``out_dir/<slug>/`` and ``out_dir/article.schema.json``; return the dataset folder.

    The folder is replaced in one step: a failure leaves the previous dataset as it was. Its
    ``history/`` subfolder, if any, is kept as it is. A new extraction that shrank
    (:func:`guard_shrink`) raises :class:`~extractor.errors.ShrinkError` and writes nothing,
    unless ``allow_shrink``.
    """
    target = out_dir / slugify(article.source.title)
    files = dataset_files(article)
    # One run at a time per output folder (output_lock), from the comparison to the swap: another
    # run's staging folder is never taken for a leftover, nor its dataset compared half-written.
    with output_lock(out_dir, lock_timeout):
        guard_folder(article, target)
        guard_shrink(article, target, allow_shrink=allow_shrink)
        staging = stage_dataset(files, target)
        try:
            replace_directory(staging, target)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        atomic_write_bytes(out_dir / SCHEMA_FILE, schema_json())
    return target
