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

from extractor.countries import iso3_for, partner_key
from extractor.dates import ParsedDate
from extractor.models import Citation, Diagnostic, EstablishedDate, Event, EventKind, Relation, RelationStatus
from extractor.parse.document import RowRecord
from extractor.parse.marks import Marked
from extractor.parse.missions import NotesMissions, read_missions
from extractor.parse.sides import Party

__all__ = ["merge_rows"]


def _parsed(date: EstablishedDate | None) -> ParsedDate | None:
    if date is None or date.year is None:
        return None
    return ParsedDate(date.year, date.month, date.day)


def _choose_date(relation: Relation, former: EstablishedDate | None) -> None:
    candidates = [("list", relation.list_date), ("bilateral-table", relation.table_date), ("former-table", former)]
    chosen = next(((s, d) for s, d in candidates if d is not None and d.iso is not None), None)
    if chosen is None:  # nothing parsed: still report the first non-empty cell, unparsed
        chosen = next(((s, d) for s, d in candidates if d is not None and d.raw), None)
    if chosen is not None:
        source, date = chosen
        relation.established_source = source  # type: ignore[assignment]
        relation.established_raw = date.raw
        relation.established = date.iso
        relation.established_precision = date.precision
        relation.year, relation.month, relation.day = date.year, date.month, date.day
        relation.not_before, relation.not_after = date.not_before, date.not_after
    listed, tabled = _parsed(relation.list_date), _parsed(relation.table_date)
    relation.date_conflict = bool(listed and tabled and not listed.agrees_with(tabled))


#: What the latest event says of a relation's status.
_STATUS: dict[EventKind, RelationStatus] = {
    "established": "current",
    "recognized": "current",
    "restored": "current",
    "severed": "severed",
    "suspended": "suspended",
    "ended": "ended",
}


def _event_order(event: Event) -> tuple[int, str]:
    """Events by date (a bound stands for its date); an undated event (a remark) comes last."""
    when = event.date or event.not_after or event.not_before
    return (0, when) if when else (1, "")


def _undated_former_end(event: Event) -> bool:
    # A suspension is not the end of an earlier relation: a table of suspended relations says the
    # relations named elsewhere are on hold now, so its undated suspension counts.
    undated = not (event.date or event.not_before or event.not_after)
    return event.table == "former-table" and undated and event.kind != "suspended"


def _once(events: list[Event]) -> list[Event]:
    """The events with each stated once: two tables giving the same event (the numbered list and
    the bilateral table both say "27 May 1919") are one event of the timeline, the first in
    document order (its raw text, table and cell). Events of another date, precision or bound stay.
    """
    seen: set[tuple[str, str | None, str | None, str | None, str | None]] = set()
    kept: list[Event] = []
    for event in events:
        key = (event.kind, event.date, event.precision, event.not_before, event.not_after)
        if key not in seen:
            seen.add(key)
            kept.append(event)
    return kept


def _timeline(relation: Relation) -> None:
    """Order the events by date, each stated once; the status is the latest event's (``unknown``
    without one), a former-relations row's counting as the module says."""
    relation.events.sort(key=_event_order)  # stable: same-day events keep the order written
    current_row = relation.in_list or relation.in_bilateral_table
    counted = [e for e in relation.events if not (current_row and _undated_former_end(e))]
    if counted:
        relation.status = _STATUS[counted[-1].kind]
    if not current_row and relation.status in ("current", "unknown"):
        # Only a former table names it: it ended, whatever a later word in a cell says.
        endings = [e for e in relation.events if e.table == "former-table" and _STATUS[e.kind] != "current"]
        relation.status = _STATUS[endings[-1].kind] if endings else "ended"
    relation.recognized = next((e.date for e in relation.events if e.kind == "recognized" and e.date), None)
    # Last, so that the status is what every row says: of equal events the first kept is the first
    # in document order (the sort is stable and rows are absorbed in order).
    relation.events = _once(relation.events)


def _absorb(
    relation: Relation,
    row: RowRecord,
    diagnostics: list[Diagnostic],
    subject: Party | None,
    found: NotesMissions,
    former: dict[int, EstablishedDate],
    noted: dict[int, RowRecord],
) -> None:
    if row.table == "former-table":
        # A partner's relations may have ended more than once (two former tables): every row counts.
        relation.in_former_table = True
        if row.date is not None and (row.date.iso or row.date.raw):
            former.setdefault(id(relation), row.date)
        if not relation.in_bilateral_table:
            relation.main_article = relation.main_article or row.main_article
            if relation.notes is None:
                relation.notes, relation.notes_items = row.notes, list(row.notes_items)
                if row.notes:
                    noted[id(relation)] = row  # its missions are read once no bilateral row can replace them
    elif row.table == "list":
        if relation.in_list:
            diagnostics.append(_duplicate(row))
            return
        relation.in_list = True
        relation.list_number = row.list_number
        relation.list_date = row.date
    else:
        if relation.in_bilateral_table:
            diagnostics.append(_duplicate(row))
            return
        relation.in_bilateral_table = True
        relation.table_date = row.date
        relation.main_article = row.main_article
        relation.notes = row.notes
        relation.notes_items = list(row.notes_items)
        _read_missions(relation, row, subject, found)
    if relation.section is None:
        relation.section = row.section
    if relation.remark is None:
        relation.remark = row.remark
    relation.events.extend(row.events)


def _read_missions(relation: Relation, row: RowRecord, subject: Party | None, found: NotesMissions) -> None:
    """The missions the notes of ``row`` (the relation's notes) state, counted into ``found``."""
    if subject is not None and row.notes:
        partner = Party(relation.country, relation.country_article, relation.iso3)
        read = read_missions(row.notes_marked or Marked(row.notes), subject, partner, row.notes_cites)
        relation.missions = read.missions
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


def merge_rows(
    rows: list[RowRecord], subject: str | None = None
) -> tuple[list[Relation], list[Citation], list[Diagnostic]]:
    """Merge table rows into relations (in order of first appearance), citations and diagnostics.

    With the article's ``subject`` (the country it is about), the notes each relation keeps (its
    bilateral row's, else its former-relations row's) are read for diplomatic missions
    (:mod:`extractor.parse.missions`); the sentences that mention a mission but were not
    understood are counted in one ``unread-missions`` diagnostic.
    """
    party = Party(subject, None, iso3_for(subject)) if subject else None
    found = NotesMissions()
    former: dict[int, EstablishedDate] = {}  # a former row's date of beginning, by relation
    noted: dict[int, RowRecord] = {}  # the former row whose notes a relation took, by relation
    relations: dict[str, Relation] = {}
    citations: list[Citation] = []
    diagnostics: list[Diagnostic] = []
    for row in rows:
        iso3 = iso3_for(row.country_article or row.country) or iso3_for(row.country)
        # The same partner written two ways ("The Gambia" / "Gambia", {{flag|UK}} / "United
        # Kingdom") is one relation: rows merge by the partner they resolve to, its ISO code, and
        # only without one by how they name it.
        key = f"iso:{iso3}" if iso3 else partner_key(row.country, row.country_article)
        relation = relations.get(key)
        if relation is None:
            relation = relations[key] = Relation(
                country=row.country,
                country_article=row.country_article,
                iso3=iso3,
            )
        _absorb(relation, row, diagnostics, party, found, former, noted)
        citations.extend(
            Citation(country=relation.country, reference_number=use.reference_number, cell=use.cell, table=row.table)
            for use in row.citations
        )
    for relation in relations.values():
        _choose_date(relation, former.get(id(relation)))
        _timeline(relation)
        if id(relation) in noted and not relation.in_bilateral_table:
            # A former row's notes are read like any row's: their missions too (after every row, so
            # that notes a later bilateral row replaced are not counted).
            _read_missions(relation, noted[id(relation)], party, found)
    if found.unread:
        diagnostics.append(
            Diagnostic(
                severity="warning",
                code="unread-missions",
                message=f"{len(found.unread)} notes sentences mention a diplomatic mission but were not read "
                f"as one ({found.read} were); they stay in the notes",
            )
        )
    return list(relations.values()), citations, diagnostics
