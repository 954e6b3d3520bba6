"""Wikitext → :class:`~extractor.rows.ParsedDocument`, with mwparserfromhell.

The document is walked once, in order, so that references are numbered as MediaWiki numbers
them while relation tables are read. A table is a relation table by the meaning of its header
row (a country column and a date or notes column), never by its position. Nothing here raises
on malformed wikitext: what cannot be read becomes a :class:`~extractor.models.Diagnostic`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import mwparserfromhell
from mwparserfromhell.nodes import Heading, Tag, Template, Wikilink
from mwparserfromhell.wikicode import Wikicode

from .dates import parse_date_parts, parse_date_text
from .models import CellKind, Diagnostic, EstablishedDate, TableKind
from .plaintext import (
    BULLET,
    FLAG_TEMPLATES,
    Renderer,
    clean_spaces,
    param,
    positional,
    render,
    template_name,
)
from .references import ReferenceRegistry
from .rows import CitationUse, ParsedDocument, RowRecord

__all__ = ["classify_header", "parse_wikitext"]

Column = Literal["number", "country", "date", "notes"]

_HEADER_RULES: list[tuple[Column, re.Pattern[str]]] = [
    ("number", re.compile(r"^(#|no\.?|n[o°º]\.?|number|nr\.?)$")),
    ("country", re.compile(r"^(country|state|nation|partner|sovereign state|country\s*/\s*region)s?\b")),
    ("notes", re.compile(r"^(notes?|remarks?|comments?|details|description|relations)$")),
    (
        "date",
        re.compile(
            r"(formal\s+relations|relations\s+(began|begun|established|since)|established|"
            r"began|begun|since|date|recogni[sz]ed|recognition|year)"
        ),
    ),
]
_DATE_TEMPLATES = frozenset({"dts", "date table sorting", "dtsort", "start date", "start date and age"})
_MAIN_TEMPLATES = frozenset({"main", "main article", "see", "further"})
_SEE_LINE = re.compile(r"^\s*(?:'{2,3})?\s*See:?\s*(?:'{2,3})?\s*\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]")
_EMPTY_NUMBER = frozenset({"—", "–", "-", ""})


def classify_header(text: str) -> Column | None:
    """What a header cell's text says its column holds, or ``None``.

    >>> classify_header("Formal Relations Began"), classify_header("#"), classify_header("Notes")
    ('date', 'number', 'notes')
    """
    key = clean_spaces(text).lower().strip(" :*")
    for column, pattern in _HEADER_RULES:
        if pattern.search(key):
            return column
    return None


@dataclass
class _Cell:
    tag: Tag
    header: bool

    @property
    def code(self) -> Wikicode:
        return self.tag.contents if self.tag.contents is not None else mwparserfromhell.parse("")

    def span(self, name: str) -> int:
        if not self.tag.has(name):
            return 1
        digits = re.match(r"\s*\"?'?(\d+)", str(self.tag.get(name).value))
        return max(1, min(int(digits.group(1)), 1000)) if digits else 1


def _rows_of(table: Tag) -> list[list[_Cell]]:
    """The table's rows as lists of cells; cells before the first ``|-`` form a row of their own."""
    rows: list[list[_Cell]] = []
    loose: list[_Cell] = []
    for node in table.contents.nodes if table.contents is not None else []:
        if not isinstance(node, Tag):
            continue
        tag = str(node.tag).lower()
        if tag in {"th", "td"}:
            loose.append(_Cell(node, tag == "th"))
        elif tag == "tr":
            if loose:
                rows.append(loose)
                loose = []
            cells = node.contents.nodes if node.contents is not None else []
            rows.append(
                [_Cell(c, str(c.tag).lower() == "th") for c in cells if isinstance(c, Tag) and str(c.tag).lower() in {"th", "td"}]
            )
    if loose:
        rows.append(loose)
    return [row for row in rows if row]


@dataclass
class _Layout:
    kind: TableKind
    columns: dict[Column, int]
    header_index: int


def _layout(rows: list[list[_Cell]]) -> _Layout | None:
    """Find the header row (all header cells, at least two of them) that makes this a relation table."""
    for index, row in enumerate(rows[:4]):
        if len(row) < 2 or not all(cell.header for cell in row):
            continue
        columns: dict[Column, int] = {}
        position = 0
        for cell in row:
            column = classify_header(render(cell.code))
            if column is not None and column not in columns:
                columns[column] = position
            position += cell.span("colspan")
        if "country" in columns and ("date" in columns or "notes" in columns):
            kind: TableKind = "list" if "number" in columns and "notes" not in columns else "bilateral-table"
            return _Layout(kind, columns, index)
    return None


def _expand(rows: list[list[_Cell]]) -> list[dict[int, _Cell]]:
    """Place each cell at its column, honouring colspan and rowspan."""
    grid: list[dict[int, _Cell]] = []
    carried: dict[int, tuple[_Cell, int]] = {}
    for row in rows:
        placed: dict[int, _Cell] = {}
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


def read_country(code: Wikicode) -> tuple[str, str | None] | None:
    """The display name and link target of a country cell, or ``None`` when it names none."""
    for template in code.filter_templates(recursive=False):
        name = template_name(template)
        if name in FLAG_TEMPLATES and name not in {"flagicon", "flagdeco", "flag icon", "flagicon image"}:
            args = positional(template)
            if args and args[0]:
                target = clean_spaces(render(mwparserfromhell.parse(args[0])))
                shown = param(template, "name")
                return (clean_spaces(render(mwparserfromhell.parse(shown))) if shown else target), target
    for link in code.filter_wikilinks(recursive=False):
        title = str(link.title).strip()
        if re.match(r"^(file|image|category)\s*:", title, re.IGNORECASE):
            continue
        target = clean_spaces(title.lstrip(":").split("#")[0])
        shown = clean_spaces(render(link.text)) if link.text is not None else target
        return shown or target, target
    for template in code.filter_templates(recursive=False):
        args = positional(template)
        if template_name(template) in FLAG_TEMPLATES and args and args[0]:
            target = clean_spaces(args[0])
            return target, target
    text = clean_spaces(render(code))
    return (text, None) if text else None


def read_date(code: Wikicode, shown: str) -> EstablishedDate:
    """The date of a date cell: date templates by their parameters, else the text a reader sees."""
    parsed = None
    for template in code.filter_templates(recursive=False):
        if template_name(template) in _DATE_TEMPLATES:
            parsed = parse_date_parts(positional(template)[:3])
            break
    else:
        parsed = parse_date_text(shown)
    if parsed is None:
        return EstablishedDate(raw=shown)
    return EstablishedDate(
        raw=shown,
        iso=parsed.iso,
        precision=parsed.precision,  # type: ignore[arg-type]
        year=parsed.year,
        month=parsed.month,
        day=parsed.day,
    )


def _main_article(code: Wikicode) -> str | None:
    for template in code.filter_templates(recursive=False):
        if template_name(template) in _MAIN_TEMPLATES:
            args = positional(template)
            if args and args[0]:
                return clean_spaces(args[0])
    for line in str(code).splitlines():
        match = _SEE_LINE.match(line)
        if match:
            return clean_spaces(match.group(1))
    return None


def split_notes(text: str, main_article: str | None) -> tuple[str | None, list[str]]:
    """Notes text (bullets as ``- item`` lines) and its bullet items, "See X" line removed."""
    lines: list[str] = []
    items: list[str] = []
    for raw_line in text.replace(BULLET, "\n" + BULLET).splitlines():
        is_item = raw_line.lstrip().startswith(BULLET)
        line = clean_spaces(raw_line.replace(BULLET, " "))
        if not line:
            continue
        if main_article and not lines and re.fullmatch(r"See:? .+", line) and not is_item:
            continue
        if is_item:
            items.append(line)
            lines.append(f"- {line}")
        else:
            lines.append(line)
    return ("\n".join(lines) or None), items


@dataclass
class _Walk:
    """One pass over an article: sections, reference numbers, relation rows."""

    text: str
    registry: ReferenceRegistry = field(default_factory=ReferenceRegistry)
    rows: list[RowRecord] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    section: str | None = None
    _search_from: int = 0

    def outside(self) -> Renderer:
        return Renderer(on_ref=self._number_only, on_table=self.table)

    def _number_only(self, tag: Tag) -> None:
        self.registry.use(tag)

    def _citing(self, row: RowRecord, cell: CellKind) -> Renderer:
        def on_ref(tag: Tag) -> None:
            group, number = self.registry.use(tag)
            if group is None:
                row.citations.append(CitationUse(reference_number=number, cell=cell))

        return Renderer(on_ref=on_ref, on_table=self.table)

    def _line_of(self, node: Tag) -> int | None:
        index = self.text.find(str(node), self._search_from)
        if index < 0:
            return None
        self._search_from = index
        return self.text.count("\n", 0, index) + 1

    def document(self, code: Wikicode) -> None:
        renderer = self.outside()
        for node in code.nodes:
            if isinstance(node, Heading):
                self.section = clean_spaces(render(node.title))
            renderer.node(node)
        for tag in code.filter_tags(recursive=True, matches=lambda t: str(t.tag).lower() == "references"):
            for ref in tag.contents.filter_tags(matches=lambda t: str(t.tag).lower() == "ref"):
                self.registry.define(ref)

    def table(self, tag: Tag) -> str:
        rows = _rows_of(tag)
        layout = _layout(rows)
        if layout is None:
            self.outside().text(tag.contents) if tag.contents is not None else None
            return ""
        grid = _expand(rows)
        outside = self.outside()
        for cell in rows[layout.header_index]:
            outside.text(cell.code)
        for row, placed in zip(rows[layout.header_index + 1 :], grid[layout.header_index + 1 :], strict=True):
            self._row(row, placed, layout)
        return ""

    def _row(self, row: list[_Cell], placed: dict[int, _Cell], layout: _Layout) -> None:
        line = self._line_of(row[0].tag)
        country_cell = placed.get(layout.columns["country"])
        if all(cell.header for cell in row) or country_cell is None:
            for cell in row:  # a sub-header or a caption-like row: keep its references numbered
                self.outside().text(cell.code)
            return
        country = read_country(country_cell.code)
        record = RowRecord(table=layout.kind, country=country[0] if country else "", section=self.section, line=line)
        seen: set[int] = set()
        for column, index in sorted(layout.columns.items(), key=lambda item: item[1]):
            cell = placed.get(index)
            if cell is None or id(cell) in seen or (cell is country_cell and column != "country"):
                continue
            seen.add(id(cell))
            self._cell(record, column, cell)
        for cell in row:  # cells of columns we do not read still number their references
            if id(cell) not in seen:
                self.outside().text(cell.code)
        if country is None:
            self._diagnose("error", "unreadable-country", "row names no country", record)
            return
        record.country_article = country[1]
        self.rows.append(record)

    def _cell(self, record: RowRecord, column: Column, cell: _Cell) -> None:
        cell_kind: CellKind = "notes" if column == "notes" else "date" if column == "date" else "country"
        shown = self._citing(record, cell_kind).text(cell.code)
        if column == "number":
            number = clean_spaces(shown)
            if number.isdigit():
                record.list_number = int(number)
            elif number not in _EMPTY_NUMBER:
                self._diagnose("warning", "unreadable-number", f"list number {number!r} is not a number", record)
        elif column == "date":
            record.date = read_date(cell.code, clean_spaces(shown))
            if record.date.raw and record.date.iso is None:
                self._diagnose("warning", "unparsed-date", f"cannot read the date {record.date.raw!r}", record)
        elif column == "notes":
            record.main_article = _main_article(cell.code)
            record.notes, record.notes_items = split_notes(shown, record.main_article)

    def _diagnose(self, severity: Literal["warning", "error"], code: str, message: str, row: RowRecord) -> None:
        self.diagnostics.append(
            Diagnostic(
                severity=severity,
                code=code,
                message=message,
                table=row.table,
                country=row.country or None,
                line=row.line,
            )
        )


def parse_wikitext(text: str) -> ParsedDocument:
    """Read the relation rows and the references of an article's wikitext. Never raises."""
    walk = _Walk(text)
    walk.document(mwparserfromhell.parse(text))
    if not walk.rows:
        walk.diagnostics.append(
            Diagnostic(severity="warning", code="no-relation-table", message="no relation table found")
        )
    return ParsedDocument(rows=walk.rows, references=walk.registry.references(), diagnostics=walk.diagnostics)
