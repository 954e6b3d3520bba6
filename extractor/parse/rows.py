"""The row assembler: a relation table's rows of cells → :class:`RowRecord`\\ s, for both parsers.

Everything between "here is a table" and "here are its records" is decided here, once: which row
is the header (:func:`read_relation_table`), which rows are sub-headers or the continuation of a
rowspan, which cell holds which column, and what the number, date and notes cells mean. What is
format-specific — rendering a cell to the text a reader sees, naming its partners, numbering its
references — is asked of a :class:`RowReader`, which the wikitext walk and the HTML walk each
implement.

Citations are the reader's: the assembler only hands back, with the records a row made, the
citation handles the reader gave for the row's read cells (a reference number for wikitext,
whose references are numbered as they are met; a pending ``<sup>`` for HTML, resolved once the
reference lists are read).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from typing import Literal, NamedTuple, Protocol, TypeVar

from extractor.countries import iso3_for
from extractor.dates import parse_date_text
from extractor.models import CellKind, Diagnostic, EventKind
from extractor.parse.cells import date_from_text, remark_of, split_notes
from extractor.parse.document import RowRecord
from extractor.parse.layout import (
    Column,
    Layout,
    Spanning,
    classify_header,
    dates_something_else,
    ended_header,
    expand,
    table_layout,
)
from extractor.parse.marks import Marked, decode
from extractor.parse.row_events import row_events
from extractor.text import clean_spaces

__all__ = ["RowMemo", "RowReader", "Shown", "TableCell", "read_relation_table"]

#: Header rows sit at the top: an image row or a caption-like row may precede them.
_HEADER_SEARCH = 5
#: The cell a citation is reported in, by the column it was read as (the list number belongs to
#: the partner's cell: a reader sees one entry).
_CELL_KIND: dict[Column, CellKind] = {
    "country": "country",
    "number": "country",
    "date": "date",
    "notes": "notes",
    "recognized": "date",
    "ended": "date",
}
#: How many body rows tell what an unnamed column holds, and which share of its filled cells must.
_SAMPLE_ROWS = 12
_SHARE = 0.6
#: A column of numbers below this is a list number, not a column of years.
_EARLIEST_YEAR = 1000
_WORD = re.compile(r"\w")
_EMPTY_NUMBER = frozenset({"—", "–", "-", ""})


class TableCell(Spanning, Protocol):
    """A cell of either parser: its spans, and whether it is a header cell (``th``)."""

    @property
    def header(self) -> bool:
        """Whether it is a header cell."""
        ...


class Shown(NamedTuple):
    """What a read cell shows: its text as a reader sees it (no format-specific marks left in it)
    and, for a notes cell, the main article it names and the same text with its links and
    citations marked (:mod:`extractor.parse.marks`), for the mission reader."""

    text: str
    main_article: str | None = None
    marked: str | None = None


CellT = TypeVar("CellT", bound=TableCell)
CiteT = TypeVar("CiteT")
# The reader only takes cells: a reader of any cell reads these ones (PEP 484 variance).
_CellIn = TypeVar("_CellIn", bound=TableCell, contravariant=True)


class RowReader(Protocol[_CellIn, CiteT]):
    """What one format tells the assembler about its cells; where records and diagnostics go.

    The first parameter is the format's cell, ``CiteT`` its handle for an inline citation.
    """

    #: The document's relation rows so far, in document order (a table nested in a cell adds its
    #: rows while the cell is read, before the row holding it).
    rows: list[RowRecord]
    #: The document's diagnostics so far, in the order they were met.
    diagnostics: list[Diagnostic]

    def header_text(self, cell: _CellIn) -> str:
        """A header cell's text, to be classified (:func:`~extractor.parse.layout.table_layout`)."""
        ...

    def scan(self, cell: _CellIn) -> None:
        """A cell that is not read: its references are still numbered, its citations recorded."""
        ...

    def read(self, cell: _CellIn, column: Column, cites: list[CiteT] | None) -> Shown:
        """A cell read as ``column``, its citations appended to ``cites`` in order.

        ``cites`` is ``None`` for a cell carried down by a rowspan: it was read (and its
        citations counted) in its own row, so only its text is wanted.
        """
        ...

    def partners(self, cell: _CellIn) -> list[tuple[str, str | None]]:
        """The (name, linked article) of every partner a country cell names, in order."""
        ...

    def no_country(self, cell: _CellIn) -> str:
        """The message of the ``unreadable-country`` diagnostic for a country cell naming none."""
        ...

    def line_of(self, row: Sequence[_CellIn]) -> int | None:
        """The source line a body row starts on (``None`` when the format has no lines).

        Asked for every body row, in order, so that a reader may search forward from the last.
        """
        ...

    def cite(self, records: list[RowRecord], citations: list[tuple[CellKind, CiteT]]) -> None:
        """Attach a row's citations (with the cell each was in) to every record the row made."""
        ...


def _find_layout(
    reader: RowReader[CellT, CiteT], rows: Sequence[Sequence[CellT]], caption: str, section: str | None
) -> tuple[Layout, int] | None:
    """The header row (all header cells, at least two) that makes this a relation table, and its index.

    A header of two rows (a row grouping columns, "Period of relations" over "From | To", then the
    columns' own names) is read as one: each column is named by its lowest header cell.
    """
    for index, row in enumerate(rows[:_HEADER_SEARCH]):
        if not _header_row(row):
            continue
        if index + 1 < len(rows) and _header_row(rows[index + 1]):
            found = _layout_of(
                reader, rows, index + 1, _two_rows(reader, rows[index], rows[index + 1]), caption, section
            )
            if found is not None:
                return found, index + 1
        headers = [(reader.header_text(cell), cell.span("colspan")) for cell in row]
        layout = _layout_of(reader, rows, index, headers, caption, section)
        if layout is not None:
            return layout, index
    return None


def _header_row(row: Sequence[TableCell]) -> bool:
    return len(row) >= 2 and all(cell.header for cell in row)


def _two_rows(reader: RowReader[CellT, CiteT], upper: Sequence[CellT], lower: Sequence[CellT]) -> list[tuple[str, int]]:
    """Two header rows as one: each column's text from its lowest cell, one column at a time."""
    grid = expand([list(upper), list(lower)])
    width = max((max(placed, default=-1) for placed in grid), default=-1) + 1
    cells = [grid[1].get(position, grid[0].get(position)) for position in range(width)]
    return [(reader.header_text(cell) if cell is not None else "", 1) for cell in cells]


def _layout_of(
    reader: RowReader[CellT, CiteT],
    rows: Sequence[Sequence[CellT]],
    index: int,
    headers: list[tuple[str, int]],
    caption: str,
    section: str | None,
) -> Layout | None:
    layout = table_layout(headers, caption, section)
    if layout is None or "date" not in layout.columns:
        layout = _by_content(reader, rows, index, headers, caption, section) or layout
    return layout


def _by_content(
    reader: RowReader[CellT, CiteT],
    rows: Sequence[Sequence[CellT]],
    index: int,
    headers: list[tuple[str, int]],
    caption: str,
    section: str | None,
) -> Layout | None:
    """The layout when the header alone does not tell: a column whose header names nothing the
    rules know (empty, cut, unusual) is the partner column when its cells name countries, and the
    date column when its cells start with dates. What the cells hold is the column's meaning."""
    body = [list(row) for row in rows[index + 1 : index + 1 + _SAMPLE_ROWS]]
    if not body:
        return None
    # From the table's first row: a header cell spanning two header rows keeps its column.
    grid = expand([list(row) for row in rows[: index + 1]] + body)[index + 1 :]
    texts = [text for text, _ in headers]
    labels = list(texts)
    position = 0
    starts: list[int] = []
    for _, span in headers:
        starts.append(position)
        position += max(span, 1)
    known = table_layout(headers)
    taken = set(known.columns) if known is not None else set()
    if known is not None and "date" in known.columns:
        return None
    if known is None and all(_WORD.search(text) for text in texts) and "country" not in map(classify_header, texts):
        return None  # every column is named, and none the partner: not a relation table
    # A table with a column dating something else (stamps' "Date of issue", a treaty's "Signed")
    # is about those things: its other columns of years are theirs, not the relation's.
    # A column of when relations ended is the relation's own: beside it, a column of years is when
    # they began ("From | To").
    dated_elsewhere = any(dates_something_else(text) and not ended_header(text) for text in texts)
    for number, start in enumerate(starts):
        named = bool(_WORD.search(texts[number]))
        if named and (classify_header(texts[number]) is not None or dates_something_else(texts[number])):
            continue
        cells = [placed[start] for placed in grid if start in placed and not placed[start].header]
        if "country" not in taken and not named and _share(cells, lambda cell: _names_country(reader, cell)):
            labels[number], taken = "Country", taken | {"country"}
        elif "date" not in taken and not dated_elsewhere and _share(cells, lambda c: _starts_with_date(reader, c)):
            labels[number], taken = "Date", taken | {"date"}
    if labels == texts:
        return None
    return table_layout([(label, span) for label, (_, span) in zip(labels, headers, strict=True)], caption, section)


def _share(cells: list[CellT], test: Callable[[CellT], bool]) -> bool:
    """Whether most distinct filled cells of a column pass ``test`` (at least two, or the only one)."""
    seen: set[int] = set()
    passed = total = 0
    for cell in cells:
        if id(cell) in seen:
            continue
        seen.add(id(cell))
        total += 1
        passed += test(cell)
    return total > 0 and passed >= max(min(total, 2), _SHARE * total)


def _names_country(reader: RowReader[CellT, CiteT], cell: CellT) -> bool:
    return any(iso3_for(article or name) or iso3_for(name) for name, article in reader.partners(cell))


def _starts_with_date(reader: RowReader[CellT, CiteT], cell: CellT) -> bool:
    date = parse_date_text(clean_spaces(reader.read(cell, "date", None).text))
    return date is not None and date.year >= _EARLIEST_YEAR


class RowMemo(Protocol[CellT]):
    """Reads a body row, or gives back what reading the same row the same way gave before.

    ``read`` reads the row (into the reader's rows and diagnostics) and returns the cell carried
    into the next rows (the row's country cell, or ``previous`` for a row it skips); the memo
    either calls it or does what it would have done. Only the
    history's incremental parse has one (:mod:`extractor.parse.wikitext.incremental`).
    """

    def row(
        self,
        read: Callable[[], CellT | None],
        cells: list[CellT],
        placed: dict[int, CellT],
        layout: Layout,
        section: str | None,
        line: int | None,
        previous: CellT | None,
    ) -> CellT | None:
        """What ``read()`` returns, with its effects on the reader."""
        ...


def read_relation_table(
    reader: RowReader[CellT, CiteT],
    rows: list[list[CellT]],
    caption: str,
    section: str | None,
    memo: RowMemo[CellT] | None = None,
) -> bool:
    """Read a table's rows into ``reader.rows`` when it is a relation table; say whether it was.

    Nothing is read or scanned when it is not one: the caller scans the table its own way.
    ``memo`` may stand in for reading a row (see :class:`RowMemo`).
    """
    found = _find_layout(reader, rows, caption, section)
    if found is None:
        return False
    layout, header_index = found
    for row in rows[: header_index + 1]:
        for cell in row:
            reader.scan(cell)
    grid = expand(rows)
    order = sorted(layout.columns.items(), key=lambda item: item[1])
    previous: CellT | None = None
    for index in range(header_index + 1, len(rows)):
        line = reader.line_of(rows[index])
        if memo is None:
            previous = _row(reader, rows[index], grid[index], layout, section, line, previous, order)
        else:
            read = functools.partial(_row, reader, rows[index], grid[index], layout, section, line, previous, order)
            previous = memo.row(read, rows[index], grid[index], layout, section, line, previous)
    return True


def _row(
    reader: RowReader[CellT, CiteT],
    cells: list[CellT],
    placed: dict[int, CellT],
    layout: Layout,
    section: str | None,
    line: int | None,
    previous: CellT | None,
    order: list[tuple[Column, int]],
) -> CellT | None:
    """Read one body row; return its country cell (a rowspan carries it into the next rows).

    ``order`` is the layout's columns from left to right (a fact of the table, sorted once)."""
    country_cell = placed.get(layout.columns["country"])
    # The row above's country cell, spanning into this row (none of this row's own cells); the
    # first test is the cheap one, and false for almost every row.
    spanned = country_cell is previous and all(cell is not country_cell for cell in cells)
    # A sub-header is all header cells: its first cell tells almost every row is not one.
    if (
        country_cell is None
        or ((not cells or cells[0].header) and all(cell.header for cell in cells))
        or (spanned and layout.kind != "former-table")
    ):
        # A sub-header, a row without a country cell, or the second row of a country cell
        # spanning rows: it still numbers its references. In a table of former relations that
        # second row is one more period of the partner's relations (began again, ended again).
        for cell in cells:
            reader.scan(cell)
        return previous
    shown, citations = _read_cells(reader, cells, placed, layout, order)
    partners = reader.partners(country_cell)
    records = [
        RowRecord(table=layout.kind, country=name, country_article=article, section=section, line=line)
        for name, article in partners
    ] or [RowRecord(table=layout.kind, country="", section=section, line=line)]
    reader.cite(records, citations)
    # The next period of a partner whose cell spans rows (former relations) began again: restored.
    _fill(reader, records, shown, layout, "restored" if spanned else "established")
    if not partners:
        _diagnose(reader, "error", "unreadable-country", reader.no_country(country_cell), records[0])
    else:
        reader.rows.extend(records)
    return country_cell


def _read_cells(
    reader: RowReader[CellT, CiteT],
    cells: list[CellT],
    placed: dict[int, CellT],
    layout: Layout,
    order: list[tuple[Column, int]],
) -> tuple[dict[Column, Shown], list[tuple[CellKind, CiteT]]]:
    """Read the row's cells in document order: read columns cite, the others are only scanned."""
    # A cell spanning several layout columns is read as the leftmost of them.
    column_of: dict[int, Column] = {}
    for column, index in order:
        cell = placed.get(index)
        if cell is not None and id(cell) not in column_of:
            column_of[id(cell)] = column
    shown: dict[Column, Shown] = {}
    citations: list[tuple[CellKind, CiteT]] = []
    read, scan = reader.read, reader.scan  # bound once for the row's cells
    for cell in cells:
        read_as = column_of.get(id(cell))
        if read_as is None:
            scan(cell)
        else:
            cites: list[CiteT] = []
            shown[read_as] = read(cell, read_as, cites)
            if cites:
                kind = _CELL_KIND[read_as]
                citations += [(kind, cite) for cite in cites]
    if len(shown) == len(layout.columns):
        return shown, citations  # every column read from the row's own cells: none carried down
    for column, index in layout.columns.items():
        carried = placed.get(index)
        if column not in shown and carried is not None and column_of.get(id(carried)) == column:
            shown[column] = reader.read(carried, column, None)  # carried down by a rowspan
    return shown, citations


def _fill(
    reader: RowReader[CellT, CiteT],
    records: list[RowRecord],
    shown: dict[Column, Shown],
    layout: Layout,
    began: EventKind = "established",
) -> None:
    """What the number, date and notes cells say, into each of the row's ``records`` (one per
    partner the row names), with their diagnostics where unreadable; the events are
    :func:`~extractor.parse.row_events.row_events`. Read once for the row: its partners share it.
    """
    number = clean_spaces(shown["number"].text) if "number" in shown else ""
    list_number = int(number) if number.isdigit() else None
    remark = remark_of(shown["country"].text) if "country" in shown else None
    date = date_from_text(clean_spaces(shown["date"].text)) if "date" in shown else None
    events = row_events(layout, {column: cell.text for column, cell in shown.items()}, remark, began)
    notes = shown.get("notes")
    if notes is not None:
        text, items = split_notes(notes.text, notes.main_article)
        marked = decode(notes.marked) if notes.marked is not None else Marked(notes.text)
    for record in records:
        if list_number is not None:
            record.list_number = list_number
        elif number not in _EMPTY_NUMBER:
            _diagnose(reader, "warning", "unreadable-number", f"list number {number!r} is not a number", record)
        record.remark = remark
        record.date = date
        # A bounded date ("Before 1999") is still not read as a date: the diagnostic says so.
        if date is not None and date["raw"] and date["iso"] is None:
            _diagnose(reader, "warning", "unparsed-date", f"cannot read the date {date['raw']!r}", record)
        # Each record its own list: a row naming one partner (nearly all) keeps the one made.
        record.events = events if len(records) == 1 else list(events)
        if notes is not None:
            record.main_article = notes.main_article
            record.notes, record.notes_marked = text, marked
            record.notes_items = items if len(records) == 1 else list(items)


def _diagnose(
    reader: RowReader[CellT, CiteT],
    severity: Literal["warning", "error"],
    code: str,
    message: str,
    row: RowRecord,
) -> None:
    reader.diagnostics.append(
        Diagnostic(
            severity=severity,
            code=code,
            message=message,
            table=row.table,
            country=row.country or None,
            line=row.line,
        )
    )
