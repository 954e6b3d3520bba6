"""Whether a table is a relation table, where its columns are, and how spans place its cells.

These rules are pure functions of header texts and spans, shared by both parsers (each parser
renders its header cells to text; the rules here decide).

A table is a relation table by the meaning of its header row, never by its position: it needs a
column naming the partner (``Country``, ``State``, ``Sovereign state``, ``Country/Region``,
``Region``) and a column giving when relations began (``Formal relations began``, ``Since``,
``Date``, ``Date of recognition``, ``Beginning of formal relations`` …) or notes about them
(``Notes``). Tables that list what is not a current relation are not relation tables, however
their header reads: a table with a column saying when relations *ended*, or whose caption says its
states are *former* partners or have *no* relations (``States formerly recognizing …``).
Header and caption rules are pure functions of the header texts (:func:`classify_header`,
:func:`table_layout`), so that the HTML parser can apply the very same rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from extractor.models import TableKind
from extractor.text import clean_spaces

__all__ = [
    "Column",
    "Layout",
    "Spanning",
    "classify_header",
    "dates_something_else",
    "expand",
    "span_value",
    "table_layout",
]

Column = Literal["number", "country", "date", "notes", "recognized"]

_NUMBER = re.compile(r"^(#|no\.?|n[o°º]\.?|number|nr\.?|s\.? ?no\.?)$")
_COUNTRY = re.compile(
    r"^(country|countries|state|states|nation|partner|sovereign state|country\s*/\s*region|region|"
    r"state or sovereign entity|country or territory|name|entity|entities|partners?|"
    r"(partner |sovereign )?(country|state|nation)s?( or (territory|entity|organi[sz]ation))?)$"
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
    r"ratification|admission|application|effective|concluded|withdrawn)\b"
)
_ENDED = re.compile(r"\b(ended|end|until|to|severed|terminated)\b")
_NOT_RELATIONS_CAPTION = re.compile(
    r"\b(former(ly)?|without (diplomatic )?relations|no (diplomatic )?relations|never|only ever)\b",
    re.IGNORECASE,
)
# Sections whose tables list organisations, not countries ("=== International organizations ===").
# Sections whose tables list organisations, not countries ("=== International organizations ==="),
# or relations that no longer are ("== Former diplomatic relations =="): never current relations.
_NOT_RELATIONS_SECTION = re.compile(
    r"\borgani[sz]ations?\b|\bmultilateral\b|\bformer\b|\bsevered\b|\bdefunct\b", re.IGNORECASE
)
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


def table_layout(headers: Sequence[tuple[str, int]], caption: str = "", section: str | None = None) -> Layout | None:
    """The layout a header row gives a table, or ``None`` when it is no relation table.

    ``headers`` are the header cells' texts with their colspans. The kind is ``bilateral-table``
    when there is a notes column, else ``list`` (the numbered "Diplomatic relations" list).
    A table under a heading about organisations is none, whatever its header says.

    >>> table_layout([("#", 1), ("Country", 1), ("Date", 1)])
    Layout(kind='list', columns={'number': 0, 'country': 1, 'date': 2})
    >>> table_layout([("Country", 1), ("Formal relations began", 1), ("Formal relations ended", 1)]) is None
    True
    >>> table_layout([("Country", 1), ("Notes", 1)], section="International organizations") is None
    True
    """
    if _NOT_RELATIONS_CAPTION.search(caption) or (section and _NOT_RELATIONS_SECTION.search(section)):
        return None
    columns: dict[Column, int] = {}
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
        if column is None and position > 0 and _ENDED.search(key) and "relation" in key:
            return None  # a "Formal relations ended" column: the table lists former relations
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
    return Layout("bilateral-table" if "notes" in columns else "list", columns)


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
            for offset in range(width):
                placed[column + offset] = cell
                if height > 1:
                    carried[column + offset] = (cell, height - 1)
            column += width
        grid.append(placed)
    return grid
