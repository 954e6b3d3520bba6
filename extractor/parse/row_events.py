"""A relation row's timeline: the events its cells' texts give, placed in their table and cell.

The row assembler (:mod:`extractor.parse.rows`) has read the row's cells; here the remark after
the partner, the date cell, a recognition column and an ended column are read for events
(:func:`~extractor.parse.cells.events_from_text`), in that order, and a row of a former-relations
table that dates no end still gets one. The events are the fields of an
:class:`~extractor.models.Event` (:class:`~extractor.parse.document.RowEvent`): the merge's one
validation of each relation makes them models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from extractor.models import CellKind, EventKind, TableKind
from extractor.parse.cells import CellEvent, events_from_text
from extractor.parse.document import RowEvent
from extractor.parse.layout import Column, Layout
from extractor.text import clean_spaces

__all__ = ["row_events"]

#: The events that end a relation: a former-relations row without one still ended (undated).
_ENDINGS = frozenset({"ended", "severed", "suspended"})


def row_events(layout: Layout, texts: Mapping[Column, str], remark: str | None, began: EventKind) -> list[RowEvent]:
    """The events of a row whose read cells show ``texts`` (by column) and whose partner has ``remark``.

    A date cell's first undescribed date is ``began`` (``established``, or ``restored`` for the
    next period of a partner in a former-relations table). A row of a former-relations table
    ended: its ended cell dates the end (``ended``, or ``severed`` when the table says so); without
    a date the end is an undated event whose raw text is the cell's, else the heading, caption or
    header saying the relations are former.
    """
    table = layout.kind
    events: list[RowEvent] = []
    if remark is not None:
        _place(events, events_from_text(remark, None), table, "country")
    if "date" in texts:
        _place(events, events_from_text(texts["date"], began), table, "date")
    if "recognized" in texts:
        _place(events, events_from_text(texts["recognized"], "recognized"), table, "date")
    if "ended" in texts:
        _place(events, events_from_text(texts["ended"], layout.ends), table, "date")
    if table == "former-table" and not any(event["kind"] in _ENDINGS for event in events):
        ended = clean_spaces(texts["ended"]) if "ended" in texts else ""
        cell: CellKind = "date" if ended else "country"
        _place(events, [CellEvent(layout.ends, ended or layout.reason)], table, cell)
    return events


def _place(events: list[RowEvent], found: Iterable[CellEvent], table: TableKind, cell: CellKind) -> None:
    """A cell's events, placed in their table and cell, onto ``events``."""
    for event in found:
        date = event.date
        events.append(
            {
                "kind": event.kind,
                "date": date.iso if date else None,
                "precision": date.precision if date else None,  # type: ignore[typeddict-item]
                "not_before": event.not_before,
                "not_after": event.not_after,
                "approximate": event.approximate,
                "raw": event.raw,
                "table": table,
                "cell": cell,
            }
        )
