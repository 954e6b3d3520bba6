"""Whether a table is a relation table, where its columns are, and how spans place its cells.

These rules are pure functions of header texts and spans, shared by both parsers (each parser
renders its header cells to text; the rules here decide).

A table is a relation table by the meaning of its header row, never by its position: it needs a
column naming the partner (``Country``, ``State``, ``Sovereign state``, ``Country/Region``,
``Region``) and a column giving when relations began (``Formal relations began``, ``Since``,
``Date``, ``Date of recognition``, ``Beginning of formal relations`` …) or notes about them
(``Notes``). A table of *former* relations — under a heading or caption saying the relations (or
the states) are former, historical, ended, severed or suspended, or with a column saying when
relations ended or were suspended — is read as such: its layout's kind is ``former-table``, its
``ended`` column is read as the relation's end (or suspension). A table whose caption says its
states have *no* relations is none.
A partner column may hold organisations (``Organization``): a table under a heading about
organisations is read when its header has a partner column and a column of when relations began
or of notes; a list of memberships (``Organisation | Joined | Status``) has neither.
Header and caption rules are pure functions of the header texts (:func:`classify_header`,
:func:`table_layout`), so that the HTML parser can apply the very same rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, TypeVar

from extractor.models import EventKind, TableKind
from extractor.text import clean_spaces

__all__ = [
    "Column",
    "Layout",
    "Spanning",
    "classify_header",
    "dates_something_else",
    "ended_header",
    "expand",
    "span_value",
    "table_layout",
]

Column = Literal["number", "country", "date", "notes", "recognized", "ended"]

_NUMBER = re.compile(r"^(#|no\.?|n[o°º]\.?|number|nr\.?|s\.? ?no\.?)$")
_COUNTRY = re.compile(
    r"^(country|countries|state|states|nation|partner|sovereign state|country\s*/\s*region|region|"
    r"state or sovereign entity|country or territory|name|entity|entities|partners?|"
    r"(partner |sovereign )?(country|state|nation)s?( or (territory|entity|organi[sz]ation))?|"
    # Organisations are partners too (the EU, the African Union): a table of them with a column of
    # when relations began is a relation table; one of memberships has no such column.
    r"(international |regional )?organi[sz]ations?)$"
)
# Partner headers that also name a grouping of partners: beside a stronger partner header
# ("Country"), a "Region" or "Continent" column says where the partner is, not who it is.
_WEAK_COUNTRY = re.compile(r"^(region|continent|area)$")
_NOTES = re.compile(r"^(notes?|remarks?|comments?|details|description|relations)$")
# Dates that say when relations began, most telling first: a "Relations established" column wins
# over a "Date of recognition" column in the same table.
_DATE_RULES = (
    re.compile(r"\brelations?\b.*\b(began|begun|beginning|established|establishment|since|start(ed)?|resumed)\b"),
    re.compile(
        r"^(formal relations|diplomatic relations|date|dates|since|established|date established|"
        r"date of establishment|beginning of (formal |diplomatic )?relations|relations began on)$"
    ),
    # Cut or abbreviated headers: "Formal rel.", "Dipl. rel.", "Est.", "Began", "Start".
    re.compile(r"^((formal|diplomatic|dipl|official) rel(ations|s)?|est|estd|began|begun|start(ed)?)$"),
    re.compile(r"^(date of |year of )?(diplomatic |mutual )?recognition$|^(date |year )?recogni[sz]ed$"),
)
# A recognition column ("Date of recognition", "Recognized by Testland"): beside a column of when
# relations began it is read as well, as the relation's ``recognized`` event.
_RECOGNIZED = re.compile(
    r"^(date of |year of )?(diplomatic |mutual )?recognition( by .+)?$|^(date |year )?recogni[sz]ed( by .+)?$"
)
# A header that says when something other than the relation happened.
_NOT_A_DATE = re.compile(
    r"\b(ended|end|until|severed|broken|suspended|signed|signature|treaty|agreement|issue|"
    r"ratification|admission|application|effective|concluded|withdrawn|"
    # When a member joined an organisation: a list of memberships, not of relations.
    r"joined|join|accession|acceded|membership|member since)\b"
)
_ENDED = re.compile(r"\b(ended|end|until|to|severed|suspended|terminated)\b")
# A column of when relations ended, said with the relations ("Formal relations ended") or, beside
# a column of when they began, alone ("Ended", "Until", "To", "Date severed", "Suspended").
_ENDED_ALONE = re.compile(
    r"^(date |year )?(ended|end|until|to|severed|suspended|terminated|broken( off)?)( on| in| since)?$"
)
# A caption saying its states have no relations at all: no relation table.
_NO_RELATIONS_CAPTION = re.compile(
    r"\b(without (diplomatic )?relations|no (diplomatic )?relations|never|only ever)\b", re.IGNORECASE
)
# A heading or caption saying its relations, or its states, are no more: "Former diplomatic
# relations", "Historical relations", "Relations with former states", "Severed relations",
# "Relations ended", "States formerly recognizing …", "Suspended relations". Written for the word
# qualifying relations or states, so that "Former Soviet republics" (states that are) is no such
# heading, nor "Countries with visa services suspended".
_FORMER_WORD = (
    r"(former|formerly|historical|historic|past|defunct|ended|severed|broken|terminated|extinct|suspended|frozen)"
)
_FORMER = re.compile(
    rf"\b{_FORMER_WORD}\s+((bilateral|diplomatic|official|formal|foreign)\s+)?"
    r"(relations?|ties|states|countries|nations|partners|recogni[sz]ing|recognitions?)\b|"
    r"\b(relations?|ties)\s+(\w+\s+){0,3}(ended|severed|broken|terminated|cut|suspended|frozen)\b",
    re.IGNORECASE,
)
# "States formerly recognizing …", "Formerly accredited": whatever follows, they were.
_FORMERLY = re.compile(r"\bformerly\b", re.IGNORECASE)
# What ended the relations of a former table: severed (broken off, cut), suspended (frozen) or, else,
# ended. A suspension is no end: the relations are there, on hold (see extractor.merge).
_SEVERED = re.compile(r"\b(sever|broke|broken|cut)", re.IGNORECASE)
_SUSPENDED = re.compile(r"\b(suspen|froz)", re.IGNORECASE)
_WORDS = re.compile(r"\w")
_SPAN_DIGITS = re.compile(r"\s*[\"']?(\d+)")
#: Browsers cap spans (HTML's limit for rowspan is 65534; colspan 1000): a huge span is an editing slip.
_SPAN_CAP = 1000


def _header_key(text: str) -> str:
    return clean_spaces(text).lower().strip(" :*.")


def classify_header(text: str) -> Column | None:
    """What a header cell's text says its column holds, or ``None``.

    >>> classify_header("Formal Relations Began"), classify_header("#"), classify_header("Notes")
    ('date', 'number', 'notes')
    >>> classify_header("Year of Agreement signed"), classify_header("Date of issue")
    (None, None)
    """
    key = _header_key(text)
    column = _classify_key(key)
    if column is None and "\n" in text.strip():
        # A stray line inside the header cell (a link, a footnote, "(as of 2023)") does not hide
        # what the header's own line says.
        for line in text.strip().splitlines():
            column = _classify_key(_header_key(line))
            if column is not None:
                break
    return column


def _classify_key(key: str) -> Column | None:
    if _NUMBER.match(key):
        return "number"
    if _COUNTRY.match(key):
        return "country"
    if _NOTES.match(key):
        return "notes"
    if _date_rank(key) is not None:
        return "date"
    if _WEAK_COUNTRY.match(key):
        return "country"
    return None


def dates_something_else(text: str) -> bool:
    """Whether a header says its column dates something other than the relation ("Signed",
    "Date of issue", "Ended"): such a column is never the date column, whatever its cells hold.

    >>> dates_something_else("Signed"), dates_something_else("Est.")
    (True, False)
    """
    return bool(_NOT_A_DATE.search(_header_key(text)))


def _classified_key(text: str) -> str:
    """The header key the classification was made on: the whole text, else its telling line."""
    key = _header_key(text)
    if _classify_key(key) is None and "\n" in text.strip():
        for line in text.strip().splitlines():
            if _classify_key(_header_key(line)) is not None:
                return _header_key(line)
    return key


def _date_rank(key: str) -> int | None:
    if _NOT_A_DATE.search(key):
        return None
    for rank, rule in enumerate(_DATE_RULES):
        if rule.search(key):
            return rank
    if _RECOGNIZED.match(key):
        return len(_DATE_RULES) - 1
    return None


@dataclass(frozen=True)
class Layout:
    """Where a relation table keeps what: column positions (after colspans) and the table's kind."""

    kind: TableKind
    columns: dict[Column, int]
    #: For a ``former-table``: how its relations ended, and the text saying they are former (the
    #: heading, caption or ended column), the raw text of an end event no cell dates.
    ends: EventKind = field(default="ended", repr=False)
    reason: str = field(default="", repr=False)


def ended_header(text: str) -> bool:
    """Whether a header cell says its column holds when relations ended ("Formal relations ended",
    "Until"): in a table of former relations, the date of each relation's end.

    >>> ended_header("Formal Relations Ended"), ended_header("To"), ended_header("Signed")
    (True, True, False)
    """
    key = _classified_key(text)
    return bool(_ENDED_ALONE.match(key) or (_ENDED.search(key) and "relation" in key))


def table_layout(headers: Sequence[tuple[str, int]], caption: str = "", section: str | None = None) -> Layout | None:
    """The layout a header row gives a table, or ``None`` when it is no relation table.

    ``headers`` are the header cells' texts with their colspans. The kind is ``bilateral-table``
    when there is a notes column, else ``list`` (the numbered "Diplomatic relations" list).
    A table of former relations (by its heading, its caption or an ended column) is a
    ``former-table``, whatever its notes; a caption saying its states have no relations makes none.

    >>> table_layout([("#", 1), ("Country", 1), ("Date", 1)])
    Layout(kind='list', columns={'number': 0, 'country': 1, 'date': 2})
    >>> table_layout([("Country", 1), ("Formal relations began", 1), ("Formal relations ended", 1)])
    Layout(kind='former-table', columns={'country': 0, 'date': 1, 'ended': 2})
    >>> table_layout([("Country", 1), ("Notes", 1)], section="Former diplomatic relations").kind
    'former-table'
    >>> table_layout([("Organisation", 1), ("Joined", 1), ("Status", 1)], section="Organisations") is None
    True
    """
    if _NO_RELATIONS_CAPTION.search(caption):
        return None
    columns: dict[Column, int] = {}
    ended: tuple[int, str] | None = None  # the ended column and its header
    date_rank = len(_DATE_RULES)
    weak_country = False  # the partner column so far is a "Region": a "Country" column replaces it
    recognition: int | None = None
    other_dates = False  # a column dates something else (an agreement signed): no bare list
    position = 0
    for text, span in headers:
        column = classify_header(text)
        key = _classified_key(text)
        other_dates = other_dates or bool(_NOT_A_DATE.search(key))
        if column == "date" and _RECOGNIZED.match(key) and recognition is None:
            recognition = position
        if column is None and not _WORDS.search(key):
            # An unlabelled column: the number column when first, the notes after the date (editors
            # break the Notes header: "!Notes|-" shows "-", "Notes" being read as attributes).
            column = "number" if position == 0 else "notes" if "date" in columns else None
        if column is None and position > 0 and ended is None and ended_header(text):
            ended = position, key  # a "Formal relations ended" column: the table lists former relations
        if column == "date":
            rank = _date_rank(key)
            if rank is not None and rank < date_rank:
                columns["date"], date_rank = position, rank
        elif column == "country" and (weak_country or "country" not in columns):
            if "country" not in columns or not _WEAK_COUNTRY.match(key):
                columns["country"] = position
                weak_country = bool(_WEAK_COUNTRY.match(key))
        elif column is not None and column not in columns:
            columns[column] = position
        position += max(span, 1)
    if recognition is not None and columns.get("date") not in (None, recognition):
        columns["recognized"] = recognition
    # "# | Country" with no date column is still the numbered list of partners (dates unknown).
    bare_list = "number" in columns and not other_dates
    if "country" not in columns or not ("date" in columns or "notes" in columns or bare_list):
        return None
    # "Until" alone is an end only beside a column of beginnings; "Relations ended" always is.
    if ended is not None and ("date" in columns or not _ENDED_ALONE.match(ended[1])):
        columns["ended"] = ended[0]
    said_ended = ended[1] if ended is not None and "ended" in columns else None
    former = _former(columns, caption, section, said_ended)
    return former or Layout("bilateral-table" if "notes" in columns else "list", columns)


def _former(columns: dict[Column, int], caption: str, section: str | None, ended: str | None) -> Layout | None:
    """The layout of a table of former relations, when its ended column, caption or heading says so."""
    said = next(
        (text for text in (caption, section or "") if _FORMER.search(text) or _FORMERLY.search(text)),
        ended,
    )
    if said is None:
        return None
    ends: EventKind = "severed" if _SEVERED.search(said) else "suspended" if _SUSPENDED.search(said) else "ended"
    return Layout("former-table", columns, ends=ends, reason=clean_spaces(said))


def span_value(value: str | None) -> int:
    """A ``colspan``/``rowspan`` attribute's value as a span: 1 when absent or unreadable, capped.

    >>> span_value("2"), span_value(' "3'), span_value("x"), span_value(None), span_value("99999")
    (2, 3, 1, 1, 1000)
    """
    digits = _SPAN_DIGITS.match(value) if value is not None else None
    return max(1, min(int(digits.group(1)), _SPAN_CAP)) if digits else 1


class Spanning(Protocol):
    """A cell of either parser: all :func:`expand` needs is its spans."""

    def span(self, name: str) -> int:
        """Its ``colspan`` or ``rowspan``."""
        ...


CellT = TypeVar("CellT", bound=Spanning)


def expand(rows: list[list[CellT]]) -> list[dict[int, CellT]]:
    """Place each cell at its column, honouring colspan and rowspan (wikitext and HTML cells alike)."""
    grid: list[dict[int, CellT]] = []
    carried: dict[int, tuple[CellT, int]] = {}
    for row in rows:
        placed: dict[int, CellT] = {}
        if carried:  # most rows: nothing spans down into them
            for column, (cell, remaining) in list(carried.items()):
                placed[column] = cell
                if remaining <= 1:
                    del carried[column]
                else:
                    carried[column] = (cell, remaining - 1)
        column = 0
        for cell in row:
            while column in placed:
                column += 1
            width = cell.span("colspan")
            height = cell.span("rowspan")
            if width == 1 and height == 1:  # most cells: one place, nothing carried
                placed[column] = cell
                column += 1
                continue
            for offset in range(width):
                placed[column + offset] = cell
                if height > 1:
                    carried[column + offset] = (cell, height - 1)
            column += width
        grid.append(placed)
    return grid
