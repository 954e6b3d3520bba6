"""Rows of every relation table → one :class:`~extractor.models.Relation` per partner country.

An article may give a partner twice: in the numbered "Diplomatic relations" list and in the
"Bilateral relations" table with notes. The list is the more systematic source, so its date
wins; both raw values are kept, and ``date_conflict`` says when they disagree. Rows are one
partner when they resolve to one ISO code, however they spell it. A relation's events are every
row's, ordered by date, an event two rows state alike (same kind, date, precision and bounds) once,
as the first row states it; its status is the latest event's.

A row of a table of *former* relations joins the partner's relation like any other row: its
events (when relations began, when they ended) join the timeline. A partner only a former table
names is never ``current``: its status is its latest ending (``ended``, ``severed``). A partner a
current table names too stands where its latest event says, except that a former row's end no
cell dates does not count: the current table says the relation is there now, the former row only
that an earlier one ended. A suspension does count (a table of suspended relations): relations on
hold are still there, and on hold now. The former row's date of beginning is ``established`` only when no
current row gives a date; its notes only when no bilateral row gives them, and then they are
read like a bilateral row's: their "See …" line, their citations and the missions they state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from extractor.countries import iso3_for, partner_key
from extractor.dates import ParsedDate
from extractor.models import (
    Citation,
    Diagnostic,
    EntityKind,
    EventKind,
    Mission,
    Relation,
    RelationStatus,
    TableKind,
)
from extractor.parse.document import CellDate, RowEvent, RowRecord
from extractor.parse.marks import Marked
from extractor.parse.missions import NotesMissions, read_missions
from extractor.parse.sentences import mentions
from extractor.parse.sides import Party

__all__ = ["Merged", "PartnerKind", "merge_rows", "merged_rows"]

#: What a partner is, from its name, link target and ISO code (``country``, ``country_article``,
#: ``iso3``): :func:`extractor.entities.partner_kind`.
PartnerKind = Callable[[str, str | None, str | None], EntityKind]


@dataclass(slots=True)
class _Partner:
    """A relation while its rows are merged. The :class:`Relation` is built once from it at the
    end, validated with all its fields: assigning them one by one to a model built early goes
    through pydantic's ``__setattr__``, Python code, some twenty times per relation."""

    country: str
    country_article: str | None
    iso3: str | None
    list_number: int | None = None
    list_date: CellDate | None = None
    table_date: CellDate | None = None
    #: The date of beginning the first former-relations row with a date cell gives.
    former_date: CellDate | None = None
    in_list: bool = False
    in_bilateral_table: bool = False
    in_former_table: bool = False
    main_article: str | None = None
    notes: str | None = None
    notes_items: list[str] = field(default_factory=list)
    section: str | None = None
    remark: str | None = None
    events: list[RowEvent] = field(default_factory=list)
    missions: list[Mission] = field(default_factory=list)
    #: The former-relations row whose notes are the relation's notes, while no bilateral row has come.
    noted: RowRecord | None = None


def _parsed(date: CellDate | None) -> ParsedDate | None:
    if date is None or date["year"] is None:
        return None
    return ParsedDate(date["year"], date["month"], date["day"])


def _date_conflict(partner: _Partner) -> bool:
    """Whether the list and the bilateral table give dates that disagree."""
    if partner.list_date is None or partner.table_date is None:  # most partners: one table only
        return False
    listed, tabled = _parsed(partner.list_date), _parsed(partner.table_date)
    return bool(listed and tabled and not listed.agrees_with(tabled))


def _chosen_date(partner: _Partner) -> tuple[TableKind, CellDate] | None:
    """The date of beginning ``established`` reports, and the table it is from."""
    date = partner.list_date
    if date is not None and date["iso"] is not None:  # most partners: the list's date, parsed
        return "list", date
    candidates: tuple[tuple[TableKind, CellDate | None], ...] = (
        ("list", partner.list_date),
        ("bilateral-table", partner.table_date),
        ("former-table", partner.former_date),
    )
    for source, date in candidates:
        if date is not None and date["iso"] is not None:
            return source, date
    for source, date in candidates:  # nothing parsed: still report the first non-empty cell, unparsed
        if date is not None and date["raw"]:
            return source, date
    return None


#: What the latest event says of a relation's status.
_STATUS: dict[EventKind, RelationStatus] = {
    "established": "current",
    "recognized": "current",
    "restored": "current",
    "severed": "severed",
    "suspended": "suspended",
    "ended": "ended",
}


def _event_order(event: RowEvent) -> tuple[int, str]:
    """Events by date (a bound stands for its date); an undated event (a remark) comes last."""
    when = event["date"] or event["not_after"] or event["not_before"]
    return (0, when) if when else (1, "")


def _undated_former_end(event: RowEvent) -> bool:
    # A suspension is not the end of an earlier relation: a table of suspended relations says the
    # relations named elsewhere are on hold now, so its undated suspension counts.
    # The table first: most events are no former row's.
    if event["table"] != "former-table" or event["kind"] == "suspended":
        return False
    return not (event["date"] or event["not_before"] or event["not_after"])


def _once(events: list[RowEvent]) -> list[RowEvent]:
    """The events with each stated once: two tables giving the same event (the numbered list and
    the bilateral table both say "27 May 1919") are one event of the timeline, the first in
    document order (its raw text, table and cell). Events of another date, precision or bound stay.
    """
    seen: set[tuple[str, str | None, str | None, str | None, str | None]] = set()
    kept: list[RowEvent] = []
    for event in events:
        key = (event["kind"], event["date"], event["precision"], event["not_before"], event["not_after"])
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return kept


def _status(partner: _Partner, events: list[RowEvent]) -> RelationStatus:
    """The latest event's status (``unknown`` without one), a former-relations row's counting as
    the module says; ``events`` are ordered by date."""
    if partner.in_list or partner.in_bilateral_table:
        # The latest event that counts, looked for from the end: no list of them is built.
        for event in reversed(events):
            if not _undated_former_end(event):
                return _STATUS[event["kind"]]
        return "unknown"
    status: RelationStatus = _STATUS[events[-1]["kind"]] if events else "unknown"
    if status in ("current", "unknown"):
        # Only a former table names it: it ended, whatever a later word in a cell says.
        endings = [e for e in events if e["table"] == "former-table" and _STATUS[e["kind"]] != "current"]
        status = _STATUS[endings[-1]["kind"]] if endings else "ended"
    return status


_DateKey = Literal["iso", "precision", "year", "month", "day", "not_before", "not_after"]
#: A relation's fields from its chosen date, and the CellDate key each is read from.
_DATE_FIELDS: tuple[tuple[str, _DateKey], ...] = (
    ("established", "iso"),
    ("established_precision", "precision"),
    ("year", "year"),
    ("month", "month"),
    ("day", "day"),
    ("not_before", "not_before"),
    ("not_after", "not_after"),
)


def _relation(partner: _Partner, kind: EntityKind | None) -> dict[str, object]:
    """The merged relation's fields (a :class:`Relation` once validated): its date chosen, its
    timeline ordered (each event once), its status decided."""
    events = partner.events  # most partners: one event or none, ordered and once as they are
    if len(events) > 1:
        ordered = sorted(events, key=_event_order)  # stable: same-day events keep the order written
        # The status is what every row says; then of equal events the first kept is the first in
        # document order (the sort is stable and rows are absorbed in order).
        status = _status(partner, ordered)
        events = _once(ordered)
    else:
        status = _status(partner, events)
    recognized = None
    for event in events:  # a loop, not next() of a generator: most relations have one event
        if event["kind"] == "recognized" and event["date"]:
            recognized = event["date"]
            break
    # A field at its default is left out, not given: pydantic fills a default in for less than it
    # validates a given value (a relation has some fifteen such fields: a tenth of the article's
    # validation, and fewer items put in this dict). The relation is the same; only its
    # model_fields_set, which nothing here reads, no longer names them.
    fields: dict[str, object] = {
        "country": partner.country,
        "country_article": partner.country_article,
        "iso3": partner.iso3,
        "section": partner.section,
        "country_kind": kind,
        "events": events,
        "status": status,
    }
    if partner.in_list:  # else no list row gave a number or a date
        fields["in_list"] = True
        fields["list_number"] = partner.list_number
        fields["list_date"] = partner.list_date
    if partner.in_bilateral_table:  # else no bilateral row gave a date
        fields["in_bilateral_table"] = True
        fields["table_date"] = partner.table_date
        if _date_conflict(partner):
            fields["date_conflict"] = True
    if partner.in_former_table:
        fields["in_former_table"] = True
    if partner.main_article is not None:
        fields["main_article"] = partner.main_article
    if partner.notes is not None:
        fields["notes"] = partner.notes
    if partner.notes_items:
        fields["notes_items"] = partner.notes_items
    if partner.remark is not None:
        fields["remark"] = partner.remark
    if recognized is not None:
        fields["recognized"] = recognized
    if partner.missions:
        fields["missions"] = partner.missions
    chosen = _chosen_date(partner)
    if chosen is not None:
        source, date = chosen
        # Item by item, not update() with keywords: that builds a dict of them first.
        fields["established_raw"] = date["raw"]
        fields["established_source"] = source
        for name, key in _DATE_FIELDS:  # each only when set (see above)
            value = date[key]
            if value is not None:
                fields[name] = value
    # Its dates and events are still fields (RowRecord's): the validation of the relation (or of
    # the whole article, see merged_rows) makes them models.
    return fields


def _absorb(
    partner: _Partner,
    row: RowRecord,
    diagnostics: list[Diagnostic],
    subject: Party | None,
    found: NotesMissions,
) -> None:
    if row.table == "former-table":
        # A partner's relations may have ended more than once (two former tables): every row counts.
        partner.in_former_table = True
        if partner.former_date is None and row.date is not None and (row.date["iso"] or row.date["raw"]):
            partner.former_date = row.date
        if not partner.in_bilateral_table:
            partner.main_article = partner.main_article or row.main_article
            if partner.notes is None:
                partner.notes, partner.notes_items = row.notes, row.notes_items
                if row.notes:
                    partner.noted = row  # its missions are read once no bilateral row can replace them
    elif row.table == "list":
        if partner.in_list:
            diagnostics.append(_duplicate(row))
            return
        partner.in_list = True
        partner.list_number = row.list_number
        partner.list_date = row.date
    else:
        if partner.in_bilateral_table:
            diagnostics.append(_duplicate(row))
            return
        partner.in_bilateral_table = True
        partner.table_date = row.date
        partner.main_article = row.main_article
        partner.notes = row.notes
        partner.notes_items = row.notes_items  # the Relation validates a copy of it
        _read_missions(partner, row, subject, found)
    if partner.section is None:
        partner.section = row.section
    if partner.remark is None:
        partner.remark = row.remark
    partner.events.extend(row.events)


def _read_missions(partner: _Partner, row: RowRecord, subject: Party | None, found: NotesMissions) -> None:
    """The missions the notes of ``row`` (the relation's notes) state, counted into ``found``."""
    # A notes cell that never names a mission states none: its sentences are not split. mentions()
    # is MENTION's search, answered in C for the notes that plainly name none (half of them).
    if subject is not None and row.notes and mentions(row.notes):
        party = Party(partner.country, partner.country_article, partner.iso3)
        read = read_missions(row.notes_marked or Marked(row.notes), subject, party, row.notes_cites)
        partner.missions = read.missions
        found.read += read.read
        found.unread.extend(read.unread)


def _duplicate(row: RowRecord) -> Diagnostic:
    return Diagnostic(
        severity="warning",
        code="duplicate-row",
        message=f"{row.country} appears again in the same table; the first row is kept",
        table=row.table,
        country=row.country,
        line=row.line,
    )


@dataclass(frozen=True, slots=True)
class Merged:
    """What :func:`merged_rows` gives: the relations and citations as the plain fields of their
    models (validated when the article is), and the merge's diagnostics."""

    relations: list[dict[str, object]]
    citations: list[dict[str, object]]
    diagnostics: list[Diagnostic]
    #: Each relation's partner as ``country``, ``country_article``, ``iso3`` (its mention, typed).
    partners: list[tuple[str, str | None, str | None]]


def merge_rows(
    rows: list[RowRecord], subject: str | None = None, *, kind_of: PartnerKind | None = None
) -> tuple[list[Relation], list[Citation], list[Diagnostic]]:
    """Merge table rows into relations (in order of first appearance), citations and diagnostics.

    With the article's ``subject`` (the country it is about), the notes each relation keeps (its
    bilateral row's, else its former-relations row's) are read for diplomatic missions
    (:mod:`extractor.parse.missions`); the sentences that mention a mission but were not
    understood are counted in one ``unread-missions`` diagnostic. With ``kind_of``, each
    relation's ``country_kind`` is what it says of the partner.
    """
    merged = merged_rows(rows, subject, kind_of=kind_of)
    return (
        [Relation.model_validate(fields) for fields in merged.relations],
        [Citation.model_validate(fields) for fields in merged.citations],
        merged.diagnostics,
    )


def merged_rows(rows: list[RowRecord], subject: str | None = None, *, kind_of: PartnerKind | None = None) -> Merged:
    """:func:`merge_rows`, its relations and citations left as their models' fields.

    The article validates them with itself, in one call (:func:`extractor.extract.article_from_document`):
    a few hundred models validated one by one cost a Python → Rust round trip each.
    """
    party = Party(subject, None, iso3_for(subject)) if subject else None
    found = NotesMissions()
    partners: dict[str, _Partner] = {}
    citations: list[dict[str, object]] = []
    diagnostics: list[Diagnostic] = []
    for row in rows:
        iso3 = iso3_for(row.country_article or row.country) or iso3_for(row.country)
        # The same partner written two ways ("The Gambia" / "Gambia", {{flag|UK}} / "United
        # Kingdom") is one relation: rows merge by the partner they resolve to, its ISO code, and
        # only without one by how they name it.
        key = f"iso:{iso3}" if iso3 else partner_key(row.country, row.country_article)
        partner = partners.get(key)
        if partner is None:
            partner = partners[key] = _Partner(row.country, row.country_article, iso3)
        _absorb(partner, row, diagnostics, party, found)
        if row.citations:  # most rows cite nothing: no generator made for them
            citations.extend(
                {
                    "country": partner.country,
                    "reference_number": use.reference_number,
                    "cell": use.cell,
                    "table": row.table,
                }
                for use in row.citations
            )
    for p in partners.values():
        if p.noted is not None and not p.in_bilateral_table:
            # A former row's notes are read like any row's: their missions too (after every row, so
            # that notes a later bilateral row replaced are not counted).
            _read_missions(p, p.noted, party, found)
    relations = [
        _relation(p, kind_of(p.country, p.country_article, p.iso3) if kind_of else None) for p in partners.values()
    ]
    if found.unread:
        diagnostics.append(
            Diagnostic(
                severity="warning",
                code="unread-missions",
                message=f"{len(found.unread)} notes sentences mention a diplomatic mission but were not read "
                f"as one ({found.read} were); they stay in the notes",
            )
        )
    return Merged(
        relations, citations, diagnostics, [(p.country, p.country_article, p.iso3) for p in partners.values()]
    )
