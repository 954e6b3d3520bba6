"""Wikitext → :class:`~extractor.rows.ParsedDocument`, with mwparserfromhell.

The document is parsed once and walked once, in order, so that references are numbered as
MediaWiki numbers them while relation tables are read. Which tables are relation tables, and
where their columns are, is :mod:`extractor.tables`' business; what a cell says is
:mod:`extractor.cells`'. Nothing here raises on malformed wikitext: what cannot be read becomes
a :class:`~extractor.models.Diagnostic` on its row (or table), and the rest is still read.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field
from typing import Literal

import mwparserfromhell
from mwparserfromhell.nodes import Heading, Tag, Template
from mwparserfromhell.wikicode import Wikicode

from extractor.models import CellKind, Diagnostic
from extractor.parse.cells import split_notes
from extractor.parse.document import CitationUse, ParsedDocument, RowRecord
from extractor.parse.layout import Column, Layout, expand, table_layout
from extractor.parse.wikitext.cells import main_article, read_countries, read_date
from extractor.parse.wikitext.references import ReferenceRegistry, tag_attribute
from extractor.parse.wikitext.render import Renderer, template_name
from extractor.parse.wikitext.tables import Cell, read_table
from extractor.text import clean_spaces

__all__ = ["parse_wikitext"]

_EMPTY_NUMBER = frozenset({"—", "–", "-", ""})
_HEADER_SEARCH = 5  # header rows sit at the top: an image row or a caption-like row may precede them
_CELL_KIND: dict[Column, CellKind] = {
    "country": "country",
    "number": "country",
    "date": "date",
    "notes": "notes",
}
_UNKNOWN_CODE = re.compile(r"\{\{\s*([A-Z]{2,5})\s*\}\}")
_REFERENCE_LISTS = frozenset({"reflist", "notelist", "references"})
_REFS_PARAMETER = re.compile(r"\|\s*refs\s*=")
_PLAIN = Renderer()


class _Lines:
    """1-based line numbers, found by text in document order (mwparserfromhell keeps no positions)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.cursor = 0
        self._known = (0, 1)

    def line_at(self, offset: int) -> int:
        known_offset, known_line = self._known
        if offset < known_offset:
            known_offset, known_line = 0, 1
        line = known_line + self.text.count("\n", known_offset, offset)
        self._known = (offset, line)
        return line


@dataclass
class _Walk:
    """One pass over an article: sections, reference numbers, relation rows."""

    text: str
    registry: ReferenceRegistry = field(default_factory=ReferenceRegistry)
    rows: list[RowRecord] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    section: str | None = None

    def __post_init__(self) -> None:
        self.lines = _Lines(self.text)
        self.scanner = Renderer(
            on_ref=self._number_only, on_table=self.table, on_footnote=self._footnote_only
        )

    def _number_only(self, tag: Tag) -> None:
        self.registry.use(tag)

    def _footnote_only(self, template: Template) -> None:
        self.registry.use_template(template)

    def _citing(self, uses: list[CitationUse], cell: CellKind) -> Renderer:
        def on_ref(tag: Tag) -> None:
            group, number = self.registry.use(tag)
            if group is None:
                uses.append(CitationUse(reference_number=number, cell=cell))

        def on_footnote(template: Template) -> None:
            for group, number in self.registry.use_template(template):
                if group is None:
                    uses.append(CitationUse(reference_number=number, cell=cell))

        return Renderer(on_ref=on_ref, on_table=self.table, on_footnote=on_footnote)

    def document(self, code: Wikicode) -> None:
        for node in code.nodes:
            try:
                if isinstance(node, Heading):
                    self.section = clean_spaces(_PLAIN.text(node.title))
                    self.scanner.scan(node.title)
                else:
                    self.scanner.scan_node(node)
            except Exception as error:  # a parser bug in one passage must not lose the rest
                self.diagnostics.append(
                    Diagnostic(
                        severity="error", code="unreadable-text", message=f"passage skipped: {error!r}"
                    )
                )
        self._definitions(code)

    def _definitions(self, code: Wikicode) -> None:
        """Take the list-defined references: ``<references>…</references>`` and ``{{reflist|refs=…}}``."""
        if "<references" in self.text.lower():
            for tag in code.filter_tags(
                recursive=True, matches=lambda t: str(t.tag).strip().lower() == "references"
            ):
                if tag.contents is not None:
                    self.registry.define_all(tag.contents, tag_attribute(tag, "group"))
        if _REFS_PARAMETER.search(self.text):
            for template in code.filter_templates(recursive=True):
                if template_name(template) in _REFERENCE_LISTS and template.has("refs"):
                    group = str(template.get("group").value).strip() if template.has("group") else None
                    self.registry.define_all(template.get("refs").value, group or None)

    def table(self, tag: Tag) -> str:
        try:
            self._table(tag)
        except Exception as error:  # a parser bug in one table must not lose the rest of the article
            self.diagnostics.append(
                Diagnostic(severity="error", code="unreadable-table", message=f"table skipped: {error!r}")
            )
        return ""

    def _table(self, tag: Tag) -> None:
        parsed = read_table(tag)
        if parsed.caption is not None:
            self.scanner.scan(parsed.caption.code)
        caption = _PLAIN.text(parsed.caption.code) if parsed.caption is not None else ""
        found = self._layout(parsed.rows, caption, self.section)
        if found is None:
            for row in parsed.rows:
                for cell in row:
                    self.scanner.scan(cell.code)
            return
        layout, header_index = found
        for row in parsed.rows[: header_index + 1]:
            for cell in row:
                self.scanner.scan(cell.code)
        grid = expand(parsed.rows)
        previous: Cell | None = None
        for index in range(header_index + 1, len(parsed.rows)):
            line = self._line_of(parsed.rows[index])
            previous = self._row(parsed.rows[index], grid[index], layout, line, previous)

    @staticmethod
    def _layout(rows: list[list[Cell]], caption: str, section: str | None) -> tuple[Layout, int] | None:
        """The header row (all header cells, at least two) that makes this a relation table."""
        for index, row in enumerate(rows[:_HEADER_SEARCH]):
            if len(row) < 2 or not all(cell.header for cell in row):
                continue
            headers = [(_PLAIN.text(cell.code), cell.span("colspan")) for cell in row]
            layout = table_layout(headers, caption, section)
            if layout is not None:
                return layout, index
        return None

    def _line_of(self, cells: list[Cell]) -> int | None:
        """The line of a row's first cell: rows start a line, and come in document order."""
        first = str(cells[0].tag)
        found = self.text.find("\n" + first, self.lines.cursor) + 1
        if found <= 0:
            found = self.text.find(first, self.lines.cursor)
            if found < 0:
                return None
        self.lines.cursor = found + len(first)
        return self.lines.line_at(found)

    def _row(
        self,
        cells: list[Cell],
        placed: dict[int, Cell],
        layout: Layout,
        line: int | None,
        previous: Cell | None,
    ) -> Cell | None:
        country_cell = placed.get(layout.columns["country"])
        own = {id(cell) for cell in cells}
        if (
            country_cell is None
            or all(cell.header for cell in cells)
            or (country_cell is previous and id(country_cell) not in own)
        ):
            # A sub-header, a row without a country cell, or the second row of a country cell
            # spanning rows: it still numbers its references.
            for cell in cells:
                self.scanner.scan(cell.code)
            return previous
        shown, citations = self._read_cells(cells, placed, layout)
        partners = read_countries(country_cell.code)
        records = [
            RowRecord(
                table=layout.kind, country=p.name, country_article=p.article, section=self.section, line=line
            )
            for p in partners
        ] or [RowRecord(table=layout.kind, country="", section=self.section, line=line)]
        for record in records:
            record.citations = list(citations)
            self._fill(record, shown, placed, layout)
        if not partners:
            self._diagnose("error", "unreadable-country", _no_country_message(country_cell), records[0])
        else:
            self.rows.extend(records)
        return country_cell

    def _read_cells(
        self, cells: list[Cell], placed: dict[int, Cell], layout: Layout
    ) -> tuple[dict[Column, str], list[CitationUse]]:
        """Render the row's cells in document order: read columns cite, the others only number refs."""
        column_of: dict[int, Column] = {}
        for column, index in sorted(layout.columns.items(), key=lambda item: item[1]):
            cell = placed.get(index)
            if cell is not None and id(cell) not in column_of:
                column_of[id(cell)] = column
        shown: dict[Column, str] = {}
        citations: list[CitationUse] = []
        for cell in cells:
            read = column_of.get(id(cell))
            if read is None:
                self.scanner.scan(cell.code)
            else:
                shown[read] = self._citing(citations, _CELL_KIND[read]).text(cell.code)
        for column, index in layout.columns.items():
            cell = placed.get(index)
            if column not in shown and cell is not None and column_of.get(id(cell)) == column:
                shown[column] = _PLAIN.text(cell.code)  # carried down by a rowspan: numbered above
        return shown, citations

    def _fill(
        self, record: RowRecord, shown: dict[Column, str], placed: dict[int, Cell], layout: Layout
    ) -> None:
        if "number" in shown:
            number = clean_spaces(shown["number"])
            if number.isdigit():
                record.list_number = int(number)
            elif number not in _EMPTY_NUMBER:
                self._diagnose(
                    "warning", "unreadable-number", f"list number {number!r} is not a number", record
                )
        if "date" in shown:
            date_cell = placed[layout.columns["date"]]
            record.date = read_date(date_cell.code, clean_spaces(shown["date"]))
            if record.date.raw and record.date.iso is None:
                self._diagnose(
                    "warning", "unparsed-date", f"cannot read the date {record.date.raw!r}", record
                )
        if "notes" in shown:
            notes_cell = placed[layout.columns["notes"]]
            record.main_article = main_article(notes_cell.code)
            record.notes, record.notes_items = split_notes(shown["notes"], record.main_article)

    def _diagnose(
        self, severity: Literal["warning", "error"], code: str, message: str, row: RowRecord
    ) -> None:
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


def _no_country_message(cell: Cell) -> str:
    unknown = _UNKNOWN_CODE.search(str(cell.code))
    if unknown:
        return f"row names no country (unknown country-code template {{{{{unknown.group(1)}}}}})"
    return "row names no country"


def parse_wikitext(text: str) -> ParsedDocument:
    """Read the relation rows and the references of an article's wikitext. Never raises."""
    # Parsing allocates hundreds of thousands of small objects that live until the end: the cyclic
    # garbage collector would scan them over and over (a third of the parse time) to free nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _parse(text)
    finally:
        if collecting:
            gc.enable()


def _parse(text: str) -> ParsedDocument:
    walk = _Walk(text)
    walk.document(mwparserfromhell.parse(text))
    if not walk.rows:
        walk.diagnostics.append(
            Diagnostic(severity="warning", code="no-relation-table", message="no relation table found")
        )
    return ParsedDocument(rows=walk.rows, references=walk.registry.references(), diagnostics=walk.diagnostics)
