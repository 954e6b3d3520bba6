"""Field by field: what differs in one relation, or one reference, present on both sides.

The tables below say which fields are data and the words the summary uses for each (why the
others are not: :mod:`extractor.changes.diff`). Each difference becomes one
:class:`~extractor.changes.results.FieldChange` worded here, once, because its ``summary`` is part
of the JSON. A change another one already says is left out: a row leaving a table takes its
cells along, the ``established`` line is the establishment event's change, the ``status`` line
names the one new event, and a reference's text renders its other fields.
"""

from __future__ import annotations

from collections import Counter

from extractor.changes.results import FieldChange
from extractor.changes.wording import date_summary, show, text_change
from extractor.models import EstablishedDate, Event, Reference, Relation

__all__ = ["event_label", "reference_changes", "relation_changes"]

#: Relation fields that are data, in report order, with the words the summary uses for them.
_RELATION_FIELDS: dict[str, str] = {
    "country": "name",
    "country_article": "article",
    "iso3": "ISO code",
    "established": "established",
    "established_source": "date taken from",
    "date_conflict": "date conflict",
    "in_list": "in list",
    "list_number": "list number",
    "list_date": "list date",
    "in_bilateral_table": "in bilateral table",
    "table_date": "bilateral table date",
    "main_article": "main article",
    "notes": "notes",
    "section": "section",
    "status": "status",
    "remark": "remark",
    "events": "events",
    "in_former_table": "in former-relations table",
}
#: Reference fields that are data (``number`` is not: renumbering is not a change).
_REFERENCE_FIELDS: dict[str, str] = {
    "name": "name",
    "group": "group",
    "template": "template",
    "title": "title",
    "url": "URL",
    "work": "work",
    "publisher": "publisher",
    "date": "date",
    "access_date": "access date",
    "archive_url": "archive URL",
    "archive_date": "archive date",
    "citation_count": "citations",
    "text": "text",
}


def _date_value(date: EstablishedDate | None) -> tuple[str, str | None] | None:
    return None if date is None else (date.raw, date.iso)


def event_label(event: Event) -> str:
    """An event in words: ``severed 2023-05-09``, ``established before 1998-12-31``, ``severed``."""
    if event.date:
        return f"{event.kind} {'c. ' if event.approximate else ''}{event.date}"
    bounds = [f"after {event.not_before}"] if event.not_before else []
    bounds += [f"before {event.not_after}"] if event.not_after else []
    return " ".join([event.kind, *bounds])


def _event_labels(events: list[Event]) -> list[str]:
    # The raw text, table and cell follow from the cells compared elsewhere: an event is its words.
    return [event_label(event) for event in events]


def _events_summary(before: list[str], after: list[str]) -> str:
    added = Counter(after) - Counter(before)
    removed = Counter(before) - Counter(after)
    parts = [f"+ {label}" for label in added.elements()] + [f"− {label}" for label in removed.elements()]
    return "events: " + ", ".join(parts) if parts else "events reordered"


def _implied(old: Relation, new: Relation) -> set[str]:
    """Fields whose loss a change of another field already says (a row left a table)."""
    implied: set[str] = set()
    if old.in_bilateral_table and not new.in_bilateral_table:
        implied |= {"table_date", "main_article", "notes"}
    if old.in_list and not new.in_list:
        implied |= {"list_date", "list_number"}
    return implied


def relation_changes(old: Relation, new: Relation) -> list[FieldChange]:
    """The data fields of one partner's relation that differ, in report order, each worded once."""
    changes: list[FieldChange] = []
    implied = _implied(old, new)
    for field, label in _RELATION_FIELDS.items():
        before, after = getattr(old, field), getattr(new, field)
        if field in implied and after is None:
            continue
        if field in ("list_date", "table_date"):
            if _date_value(before) == _date_value(after):
                continue
            # The established date already says it when it was read from this very cell.
            table = "list" if field == "list_date" else "bilateral-table"
            if (
                old.established != new.established
                and old.established_source == new.established_source == table
                and before is not None
                and after is not None
            ):
                continue
            summary = date_summary(label, before, after)
            before = before.model_dump() if before is not None else None
            after = after.model_dump() if after is not None else None
        elif field == "events":
            if old.established != new.established:
                # The establishment's change is the ``established`` line: only the other events.
                before = [event for event in before if event.kind != "established"]
                after = [event for event in after if event.kind != "established"]
            before, after = _event_labels(before), _event_labels(after)
            if before == after:
                continue
            added, removed = Counter(after) - Counter(before), Counter(before) - Counter(after)
            if old.status != new.status and new.events and added == Counter(after[-1:]) and not removed:
                continue  # the status line names the one new event
            summary = _events_summary(before, after)
        elif before == after:
            continue
        elif field == "status":
            latest = f" ({event_label(new.events[-1])})" if new.events else ""
            summary = f"{label} {show(before)} → {show(after)}{latest}"
        elif field == "notes":
            if before is None:
                summary = f"notes added ({len(after)} characters)"
            elif after is None:
                summary = "notes removed"
            else:
                summary = f"notes: {text_change(before, after)}"
        else:
            summary = f"{label} {show(before)} → {show(after)}"
        changes.append(FieldChange(field=field, old=before, new=after, summary=summary))
    return changes


def reference_changes(old: Reference, new: Reference) -> list[FieldChange]:
    """The data fields of one reference that differ (never its footnote number), each worded once."""
    changes: list[FieldChange] = []
    for field, label in _REFERENCE_FIELDS.items():
        before, after = getattr(old, field), getattr(new, field)
        if before == after:
            continue
        if field == "text":
            if changes:  # the text renders the other fields: their change already says it
                continue
            summary = "text " + text_change(before or "", after or "")
        elif field == "citation_count":
            summary = f"cited {before} → {after} times"
        else:
            summary = f"{label} {show(before)} → {show(after)}"
        changes.append(FieldChange(field=field, old=before, new=after, summary=summary))
    return changes
