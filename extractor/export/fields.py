"""What each CSV column holds: its type and description, in one place.

The data package descriptor (:mod:`extractor.export.package`), the SQLite export
(:mod:`extractor.export.sqlite`) and the Datasette metadata are all built from :data:`FIELDS`,
so a new column is one line here and every one of them follows. A column missing from the table
is typed ``string`` without a description (tests/test_package.py fails on that, to remind).

Types are Frictionless Data table schema types. ``established`` and the other ISO 8601 dates
are ``string`` with a pattern, not ``date``: their precision varies by row (``1992-10-06``,
``1993-01``, ``1992``), which no single Frictionless date type (``date``, ``yearmonth``,
``year``) accepts; ``established_precision`` says which it is, and ``year``/``month``/``day``
are integers for sorting and filtering. The reference dates (``date``, ``access_date``,
``archive_date``) are strings as the article writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["FIELDS", "Column", "ColumnType", "column"]

ColumnType = Literal["string", "integer", "boolean"]

#: An ISO 8601 date at day, month or year precision.
_ISO_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


@dataclass(frozen=True)
class Column:
    """One CSV column: its Frictionless type, what it holds, and what values it may take."""

    type: ColumnType
    description: str
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    required: bool = False


_PRECISION = ("day", "month", "year")
_TABLE = ("list", "bilateral-table", "former-table")
_QID = r"^Q[1-9][0-9]*$"
_KIND = ("un-member", "un-observer", "partially-recognised", "organisation", "historical", "territory", "other")
_STATUS = ("current", "severed", "suspended", "ended", "unknown")
_EVENT_KIND = ("established", "recognized", "severed", "suspended", "restored", "ended")
_MISSION_KIND = (
    "embassy",
    "high-commission",
    "consulate-general",
    "consulate",
    "honorary-consulate",
    "office",
    "mission",
)

_RELATION = {
    "country": Column("string", "The partner country as the article shows it.", required=True),
    "country_article": Column("string", "Link target of the country cell."),
    "iso3": Column("string", "ISO 3166-1 alpha-3 code where one resolves (Kosovo: XKX).", pattern=r"^[A-Z]{3}$"),
    "established": Column("string", "When relations began, ISO 8601 at its precision.", pattern=_ISO_DATE),
    "established_precision": Column("string", "Precision of `established`.", enum=_PRECISION),
    "established_raw": Column("string", "The date cell as a reader sees it."),
    "established_source": Column("string", "Which table gave `established`.", enum=_TABLE),
    "date_conflict": Column("boolean", "The list and the bilateral table disagree on the date.", required=True),
    "list_number": Column("integer", "The '#' of the numbered list."),
    "in_bilateral_table": Column("boolean", "The partner has a row in the bilateral table.", required=True),
    "main_article": Column("string", "The 'See X–Y relations' or {{Main}} target."),
    "notes": Column("string", "Notes as plain text; bullet items as '- item' lines."),
    "in_list": Column("boolean", "The partner has a row in the numbered list.", required=True),
    "list_date_raw": Column("string", "The numbered list's date cell."),
    "bilateral_table_date_raw": Column("string", "The bilateral table's date cell."),
    "year": Column("integer", "Year of `established`."),
    "month": Column("integer", "Month of `established`, when known."),
    "day": Column("integer", "Day of `established`, when known."),
    "section": Column("string", "Heading of the section holding the row."),
    "country_qid": Column("string", "Wikidata item of the partner's page, as the wiki answered.", pattern=_QID),
    "country_kind": Column("string", "What the partner is (entities.csv `kind`).", enum=_KIND),
    "status": Column("string", "Where the relation stands: latest event and remark.", enum=_STATUS),
    "remark": Column("string", "The text in parentheses after the partner ('severed')."),
    "recognized": Column("string", "Date of the first `recognized` event.", pattern=_ISO_DATE),
    "not_before": Column(
        "string", "Earliest day `established` can be, when the cell only bounds it.", pattern=_ISO_DATE
    ),
    "not_after": Column("string", "Latest day `established` can be, when the cell only bounds it.", pattern=_ISO_DATE),
    "in_former_table": Column(
        "boolean", "The partner has a row in a table of former relations (events.csv says when).", required=True
    ),
}

_EVENT = {
    "country": Column("string", "The relation (relations.csv `country`).", required=True),
    "kind": Column("string", "What happened.", enum=_EVENT_KIND, required=True),
    "date": Column("string", "When, ISO 8601 at its precision (empty when only bounded).", pattern=_ISO_DATE),
    "precision": Column("string", "Precision of `date`.", enum=_PRECISION),
    "not_before": Column("string", "Earliest day it can be, when bounded.", pattern=_ISO_DATE),
    "not_after": Column("string", "Latest day it can be, when bounded.", pattern=_ISO_DATE),
    "raw": Column("string", "The text the event was read from.", required=True),
    "table": Column("string", "Which relation table it was read from.", enum=_TABLE, required=True),
    "cell": Column("string", "Which cell of the row.", enum=("country", "date", "notes"), required=True),
}

_MISSION = {
    "subject": Column("string", "The country the article is about.", required=True),
    "country": Column("string", "The relation (relations.csv `country`) whose notes state it.", required=True),
    "sender": Column("string", "Whose mission it is.", required=True),
    "receiver": Column("string", "The side it serves.", required=True),
    "kind": Column("string", "What the mission is.", enum=_MISSION_KIND, required=True),
    "city": Column("string", "Where it is: the city's link target, else as written."),
    "resident": Column("boolean", "It sits in the receiver (false: accredited from a third country)."),
    "accredited_from_city": Column("string", "Where a non-resident mission sits."),
    "accredited_from_country": Column("string", "The third country a non-resident mission sits in."),
    "negated": Column("boolean", "The sentence says there is no such mission.", required=True),
    "sentence": Column("string", "The notes sentence it was read from.", required=True),
    "citations": Column("string", "Reference numbers cited for it, '; '-separated."),
}

_SUBJECT = {
    "subject": Column("string", "The country the article is about.", required=True),
    "subject_iso3": Column("string", "ISO 3166-1 alpha-3 code of the subject.", pattern=r"^[A-Z]{3}$"),
    "subject_qid": Column("string", "Wikidata item of the subject's page, as the wiki answered.", pattern=_QID),
}

_KEYS = {
    "subject_key": Column("string", "The subject's entity (entities.csv `key`).", required=True),
    "country_key": Column("string", "The partner's entity (entities.csv `key`).", required=True),
}

#: Every CSV file's columns, by file name (``all/relations.csv`` under ``all/relations.csv``).
FIELDS: dict[str, dict[str, Column]] = {
    "relations.csv": _RELATION,
    "references.csv": {
        "number": Column("integer", "Footnote number, in MediaWiki's numbering.", required=True),
        "name": Column("string", "The ref's name= attribute."),
        "template": Column("string", "Citation template used, lower case ('cite web')."),
        "title": Column("string", "Title of the cited work."),
        "url": Column("string", "Link of the cited work (not an archive)."),
        "work": Column("string", "work=, website=, newspaper=, journal=, …"),
        "publisher": Column("string", "Publisher of the cited work."),
        "date": Column("string", "Date of the cited work, as written."),
        "access_date": Column("string", "When the editor accessed it, as written."),
        "archive_url": Column("string", "Link of an archived copy."),
        "archive_date": Column("string", "When the archived copy was made, as written."),
        "text": Column("string", "The reference as a reader sees it."),
        "citation_count": Column("integer", "How often the article cites it.", required=True),
    },
    "citations.csv": {
        "country": Column("string", "The relation row (its `country`) holding the citation.", required=True),
        "reference_number": Column("integer", "The reference cited (references.csv `number`).", required=True),
        "cell": Column("string", "Which cell of the row cites it.", enum=("country", "date", "notes"), required=True),
        "table": Column("string", "Which relation table the row is in.", enum=_TABLE, required=True),
    },
    "events.csv": _EVENT,
    "missions.csv": _MISSION,
    "all/relations.csv": {**_SUBJECT, **_RELATION, **_KEYS},
    "all/missions.csv": _MISSION,
    "all/entities.csv": {
        "key": Column("string", "The entity: its page title after redirects, else its name.", required=True),
        "name": Column("string", "The name most articles use for it.", required=True),
        "qid": Column("string", "Its Wikidata item, as the wiki answered.", pattern=_QID),
        "iso3": Column("string", "ISO 3166-1 alpha-3 code.", pattern=r"^[A-Z]{3}$"),
        "gw_code": Column("integer", "Gleditsch–Ward code (country_converter, the codes extra); else empty."),
        "un_member_since": Column("integer", "Year it was admitted to the UN, where a member."),
        "kind": Column("string", "What it is.", enum=_KIND, required=True),
        "names": Column("string", "Every spelling the family uses for it, '; '-separated.", required=True),
        "articles": Column("integer", "How many articles name it.", required=True),
    },
    "all/pairs.csv": {
        "country_a": Column("string", "One country of the pair (alphabetically first).", required=True),
        "country_b": Column("string", "The other country of the pair.", required=True),
        "iso3_a": Column("string", "ISO 3166-1 alpha-3 code of country_a.", pattern=r"^[A-Z]{3}$"),
        "iso3_b": Column("string", "ISO 3166-1 alpha-3 code of country_b.", pattern=r"^[A-Z]{3}$"),
        "listed_in_a": Column("boolean", "country_a's article lists country_b (empty: not in the batch)."),
        "listed_in_b": Column("boolean", "country_b's article lists country_a (empty: not in the batch)."),
        "date_in_a": Column("string", "When relations began according to country_a's article.", pattern=_ISO_DATE),
        "precision_in_a": Column("string", "Precision of date_in_a.", enum=_PRECISION),
        "date_in_b": Column("string", "When relations began according to country_b's article.", pattern=_ISO_DATE),
        "precision_in_b": Column("string", "Precision of date_in_b.", enum=_PRECISION),
        "agree": Column("boolean", "Both dates are equal at the coarser precision (empty: not both given)."),
        "key_a": Column("string", "country_a's entity (entities.csv `key`).", required=True),
        "key_b": Column("string", "country_b's entity (entities.csv `key`).", required=True),
        "qid_a": Column("string", "Wikidata item of country_a.", pattern=_QID),
        "qid_b": Column("string", "Wikidata item of country_b.", pattern=_QID),
        "status_in_a": Column("string", "Where the relation stands according to country_a's article.", enum=_STATUS),
        "status_in_b": Column("string", "Where the relation stands according to country_b's article.", enum=_STATUS),
    },
}


def column(table: str, name: str) -> Column:
    """The definition of ``name`` in ``table`` (a file name of :data:`FIELDS`); ``string`` if unknown."""
    return FIELDS.get(table, {}).get(name, Column("string", ""))
