"""What a parser reads from one source format, before relations are merged.

Both parsers (wikitext and HTML) produce a :class:`ParsedDocument`; :mod:`extractor.merge`
turns it into an :class:`~extractor.models.Article`. Keeping this intermediate form shared is
what lets the two parsers check each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

from extractor.models import CellKind, DatePrecision, Diagnostic, EventKind, Reference, TableKind
from extractor.parse.marks import Marked

__all__ = ["CellDate", "CitationUse", "ParsedDocument", "RowEvent", "RowRecord"]


# A row's date and events are the fields of an EstablishedDate and an Event, not the models: the
# merge puts them into a Relation, whose one validation (nested dicts, in pydantic's Rust core)
# makes the models. Built here as models, each would be validated field by field in Python once
# more per row, and most rows' dates and events end in exactly one relation.
class CellDate(TypedDict):
    """The fields of an :class:`~extractor.models.EstablishedDate`: a date cell as read."""

    raw: str
    iso: str | None
    precision: DatePrecision | None
    year: int | None
    month: int | None
    day: int | None
    not_before: str | None
    not_after: str | None
    approximate: bool


class RowEvent(TypedDict):
    """The fields of an :class:`~extractor.models.Event`: one event a row's cell gives."""

    kind: EventKind
    date: str | None
    precision: DatePrecision | None
    not_before: str | None
    not_after: str | None
    approximate: bool
    raw: str
    table: TableKind
    cell: CellKind


@dataclass
class CitationUse:
    """A reference cited inside a relation row's cell."""

    reference_number: int
    cell: CellKind


@dataclass
class RowRecord:
    """One data row of one relation table."""

    table: TableKind
    country: str
    country_article: str | None = None
    date: CellDate | None = None
    list_number: int | None = None
    notes_items: list[str] = field(default_factory=list)
    notes: str | None = None
    main_article: str | None = None
    section: str | None = None
    line: int | None = None
    citations: list[CitationUse] = field(default_factory=list)
    events: list[RowEvent] = field(default_factory=list)
    remark: str | None = None
    #: The notes cell as rendered, with its links and citation offsets (for the mission reader).
    notes_marked: Marked | None = None
    #: The reference number of each citation mark of the notes cell, in order (``None`` for a
    #: footnote group's, which cites none of the dataset's references).
    notes_cites: list[int | None] = field(default_factory=list)


@dataclass
class ParsedDocument:
    """Everything one parser read from one article."""

    rows: list[RowRecord]
    references: list[Reference]
    diagnostics: list[Diagnostic] = field(default_factory=list)
