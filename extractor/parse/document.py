"""What a parser reads from one source format, before relations are merged.

Both parsers (wikitext and HTML) produce a :class:`ParsedDocument`; :mod:`extractor.merge`
turns it into an :class:`~extractor.models.Article`. Keeping this intermediate form shared is
what lets the two parsers check each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.models import CellKind, Diagnostic, EstablishedDate, Event, Reference, TableKind

__all__ = ["CitationUse", "ParsedDocument", "RowRecord"]


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
    date: EstablishedDate | None = None
    list_number: int | None = None
    notes_items: list[str] = field(default_factory=list)
    notes: str | None = None
    main_article: str | None = None
    section: str | None = None
    line: int | None = None
    citations: list[CitationUse] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    remark: str | None = None


@dataclass
class ParsedDocument:
    """Everything one parser read from one article."""

    rows: list[RowRecord]
    references: list[Reference]
    diagnostics: list[Diagnostic] = field(default_factory=list)
