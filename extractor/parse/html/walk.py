"""Rendered HTML → :class:`~extractor.rows.ParsedDocument`, with BeautifulSoup and lxml.

Reads both flavours English Wikipedia serves (see ``../shared/notes/enwiki-html.md``): the legacy
parser's output (``action=parse``; old ``h2 > span.mw-headline`` and new ``div.mw-heading``
headings) and Parsoid's (``rest.php/v1/revision/{id}/html``; ``section``, ``data-mw``,
``typeof="mw:Extension/ref"``). Which one it is, is told by :func:`detect_flavour`.

The conventions are the wikitext parser's (:mod:`extractor.parse_wikitext`), so that the two
parsers check each other: a table is a relation table by the meaning of its header row; the
country comes from the country cell's link (blue or red), the date from the cell's visible text,
the notes are plain text with bullet items as ``- item`` lines, the "See X" line and ``{{Main}}``
hatnote give the main article. References are numbered as their list numbers them, and every
inline citation is linked to its row, cell and reference. Nothing here raises on bad HTML: what
cannot be read becomes a :class:`~extractor.models.Diagnostic`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from bs4 import BeautifulSoup, Tag

from extractor.models import CellKind, Diagnostic, Reference
from extractor.parse.cells import split_notes
from extractor.parse.document import CitationUse, ParsedDocument, RowRecord
from extractor.parse.html.cells import hatnote_main, read_date, read_partners, see_line
from extractor.parse.html.references import NoteList, read_note_list, reference_from_item, reference_name
from extractor.parse.html.text import HtmlText, classes_of, is_citation, strip_link_marks
from extractor.parse.layout import Column, Layout, expand, table_layout
from extractor.text import clean_spaces

__all__ = ["Flavour", "detect_flavour", "parse_html"]

#: ``html`` for the legacy parser's output, ``parsoid`` for Parsoid's (the values of
#: :attr:`extractor.models.Source.content_format`).
Flavour = Literal["html", "parsoid"]

# Attributes only Parsoid writes; one is enough to tell the flavours apart.
_PARSOID_MARKERS = re.compile(
    r"""data-mw-section-id=|rel=["']mw:WikiLink|typeof=["'][^"']*mw:Extension/ref|property=["']mw:htmlVersion"""
)
# Header rows sit at the top: an image row or a caption-like row may precede them (as in parse_wikitext).
_HEADER_SEARCH = 5
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Not content: the table of contents (its "Contents" h2 is no section), styles, scripts.
_SKIP_CONTAINER = frozenset({"style", "script", "link", "meta", "noscript", "head", "img", "figure"})
_CELL_KIND: dict[Column, CellKind] = {
    "country": "country",
    "number": "country",
    "date": "date",
    "notes": "notes",
}
_EMPTY_NUMBER = frozenset({"—", "–", "-", ""})
_SPAN = re.compile(r"\s*\"?'?(\d+)")
_LABEL_NUMBER = re.compile(r"^\[(\d+)\]$")


def detect_flavour(html: str) -> Flavour:
    """``parsoid`` when the document carries Parsoid's attributes, else ``html`` (legacy).

    >>> detect_flavour('<div class="mw-parser-output"><p>x</p></div>')
    'html'
    >>> detect_flavour('<section data-mw-section-id="0"><p>x</p></section>')
    'parsoid'
    """
    return "parsoid" if _PARSOID_MARKERS.search(html) else "html"


def _first_tag(scope: Tag, test: Callable[[Tag], bool]) -> Tag | None:
    # A plain loop: find(class_=...) builds a matcher that costs more than the walk itself.
    for node in scope.descendants:
        if isinstance(node, Tag) and test(node):
            return node
    return None


def _content_root(soup: BeautifulSoup, html: str) -> Tag:
    """The article's content: the first ``div.mw-parser-output`` (inside ``#mw-content-text`` on
    a saved page, whose skin may hold others, e.g. a site notice), else the body or document."""
    scope: Tag = soup
    if "mw-content-text" in html:
        content = _first_tag(soup, lambda node: node.attrs.get("id") == "mw-content-text")
        scope = content if content is not None else soup
    output = _first_tag(scope, lambda node: "mw-parser-output" in classes_of(node))
    if output is not None:
        return output
    if scope is not soup:
        return scope
    body = soup.body
    return body if isinstance(body, Tag) else soup


@dataclass
class _Cell:
    tag: Tag
    header: bool

    def span(self, name: str) -> int:
        value = self.tag.attrs.get(name)
        if not isinstance(value, str):
            return 1
        digits = _SPAN.match(value)
        return max(1, min(int(digits.group(1)), 1000)) if digits else 1


@dataclass
class _Pending:
    """An inline citation met in a row, resolved to a reference number once the lists are read."""

    row: RowRecord
    cell: CellKind
    sup: Tag


def _rows_of(table: Tag) -> list[list[_Cell]]:
    """The table's own rows (not a nested table's), as lists of cells; empty rows dropped."""
    rows: list[list[_Cell]] = []
    for child in table.children:
        if not isinstance(child, Tag):
            continue
        if child.name in {"thead", "tbody", "tfoot"}:
            trs = [tr for tr in child.children if isinstance(tr, Tag) and tr.name == "tr"]
        elif child.name == "tr":
            trs = [child]
        else:
            continue
        for tr in trs:
            cells = [
                _Cell(c, c.name == "th") for c in tr.children if isinstance(c, Tag) and c.name in {"th", "td"}
            ]
            if cells:
                rows.append(cells)
    return rows


def _heading_text(heading: Tag) -> str:
    """A heading's title: ``span.mw-headline`` (old shape) or the heading without its edit link."""
    for child in heading.contents:
        if isinstance(child, Tag) and "mw-headline" in classes_of(child):
            return clean_spaces(HtmlText().text(child))
    return clean_spaces(HtmlText().text(heading))


def _link_text(a: Tag) -> str:
    return clean_spaces(HtmlText().text(a))


@dataclass
class _Walk:
    """One pass over the document: sections, relation rows, citations and reference lists."""

    flavour: Flavour
    rows: list[RowRecord] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    lists: list[NoteList] = field(default_factory=list)
    section: str | None = None
    #: Every inline citation of the document, in order (their labels tell legacy groups apart).
    sups: list[Tag] = field(default_factory=list)
    pending: list[_Pending] = field(default_factory=list)

    def container(self, tag: Tag) -> None:
        for child in tag.contents:
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in _HEADINGS:
                self.section = _heading_text(child)
                self.container(child)  # a heading may cite
            elif name == "table":
                self.table(child)
            elif name == "sup" and is_citation(child):
                self.sups.append(child)
            elif name in _SKIP_CONTAINER:
                continue
            elif name == "ol" and {"references", "mw-references"} & set(classes_of(child)):
                self.lists.append(read_note_list(child))
                self.container(child)  # a note may cite another reference
            elif child.attrs.get("id") == "toc" or "toc" in classes_of(child):
                continue
            else:
                self.container(child)

    def _outside(self, tag: Tag) -> None:
        """Text of a cell or table we do not read: only its citations are recorded."""
        HtmlText(on_cite=self.sups.append, on_table=self.table).text(tag)

    def table(self, table: Tag) -> None:
        rows = _rows_of(table)
        caption_tag = next((c for c in table.contents if isinstance(c, Tag) and c.name == "caption"), None)
        caption = ""
        if caption_tag is not None:
            caption = strip_link_marks(HtmlText(on_cite=self.sups.append).text(caption_tag))
        found = _layout(rows, caption, self.section)
        if found is None:
            self._outside(table)
            return
        grid = expand(rows)
        layout, header_index = found
        for row in rows[: header_index + 1]:
            for cell in row:
                self._outside(cell.tag)
        previous: _Cell | None = None
        for row, placed in zip(rows[header_index + 1 :], grid[header_index + 1 :], strict=True):
            previous = self._row(row, placed, layout, previous)

    def _row(
        self, row: list[_Cell], placed: dict[int, _Cell], layout: Layout, previous: _Cell | None
    ) -> _Cell | None:
        """Read one body row; return its country cell (a rowspan carries it into the next rows)."""
        country_cell = placed.get(layout.columns["country"])
        own = {id(cell) for cell in row}
        if (
            country_cell is None
            or all(cell.header for cell in row)
            or (country_cell is previous and id(country_cell) not in own)
        ):
            # A sub-header, a row without a country cell, or the second row of a country cell
            # spanning rows: only its citations are recorded.
            for cell in row:
                self._outside(cell.tag)
            return previous
        column_of: dict[int, Column] = {}
        for column, index in sorted(layout.columns.items(), key=lambda item: item[1]):
            at = placed.get(index)
            if at is not None and id(at) not in column_of:
                column_of[id(at)] = column
        cited: list[tuple[CellKind, Tag]] = []
        rendered: dict[Column, tuple[str, HtmlText]] = {}
        for cell in row:  # in document order; a cell carried down by a rowspan cited in its own row
            read_as = column_of.get(id(cell))
            if read_as is None:
                self._outside(cell.tag)
            else:
                rendered[read_as] = self._render(cell, read_as, cited)
        for column, index in layout.columns.items():
            carried = placed.get(index)
            if column not in rendered and carried is not None and column_of.get(id(carried)) == column:
                rendered[column] = self._render(carried, column, None)
        partners = read_partners(country_cell.tag)
        records = [
            RowRecord(table=layout.kind, country=name, country_article=article, section=self.section)
            for name, article in partners
        ] or [RowRecord(table=layout.kind, country="", section=self.section)]
        for record in records:
            self.pending.extend(_Pending(record, kind, sup) for kind, sup in cited)
            self._fill(record, rendered)
        if not partners:
            self._diagnose("error", "unreadable-country", "row names no country", records[0])
        else:
            self.rows.extend(records)
        return country_cell

    def _render(
        self, cell: _Cell, column: Column, cited: list[tuple[CellKind, Tag]] | None
    ) -> tuple[str, HtmlText]:
        """A cell's text; its citations go to ``cited`` (``None``: a cell already read in its own row)."""
        kind = _CELL_KIND[column]

        def on_cite(sup: Tag) -> None:
            if cited is not None:
                self.sups.append(sup)
                cited.append((kind, sup))

        def on_table(table: Tag) -> None:
            if cited is not None:
                self.diagnostics.append(
                    Diagnostic(
                        severity="warning",
                        code="nested-table",
                        message="a table inside a relation table's cell is left out of the row's text",
                    )
                )
                self.table(table)

        renderer = HtmlText(on_cite=on_cite, on_table=on_table, mark_links=column == "notes")
        return renderer.text(cell.tag), renderer

    def _fill(self, record: RowRecord, rendered: dict[Column, tuple[str, HtmlText]]) -> None:
        if "number" in rendered:
            number = clean_spaces(rendered["number"][0])
            if number.isdigit():
                record.list_number = int(number)
            elif number not in _EMPTY_NUMBER:
                self._diagnose(
                    "warning", "unreadable-number", f"list number {number!r} is not a number", record
                )
        if "date" in rendered:
            record.date = read_date(rendered["date"][0])
            if record.date.raw and record.date.iso is None:
                self._diagnose(
                    "warning", "unparsed-date", f"cannot read the date {record.date.raw!r}", record
                )
        if "notes" in rendered:
            shown, renderer = rendered["notes"]
            record.main_article = hatnote_main(renderer.hatnotes) or see_line(shown, renderer.links)
            record.notes, record.notes_items = split_notes(strip_link_marks(shown), record.main_article)

    def _diagnose(
        self, severity: Literal["warning", "error"], code: str, message: str, row: RowRecord
    ) -> None:
        self.diagnostics.append(
            Diagnostic(
                severity=severity, code=code, message=message, table=row.table, country=row.country or None
            )
        )


def _layout(rows: list[list[_Cell]], caption: str, section: str | None) -> tuple[Layout, int] | None:
    """The header row (all header cells, at least two) that makes this a relation table, by the
    wikitext parser's own rules (:func:`extractor.tables.table_layout`), and its index."""
    for index, row in enumerate(rows[:_HEADER_SEARCH]):
        if len(row) < 2 or not all(cell.header for cell in row):
            continue
        headers = [(strip_link_marks(HtmlText().text(cell.tag)), cell.span("colspan")) for cell in row]
        layout = table_layout(headers, caption, section)
        if layout is not None:
            return layout, index
    return None


def _note_fragment(sup: Tag) -> str | None:
    a = next((c for c in sup.contents if isinstance(c, Tag) and c.name == "a"), None)
    href = a.attrs.get("href") if a is not None else None
    if not isinstance(href, str) or "#" not in href:
        return None
    return href.rsplit("#", 1)[1]


def _label(sup: Tag) -> str:
    return clean_spaces(sup.get_text())


def _ref_attrs(sup: Tag) -> dict[str, object] | None:
    """The ``attrs`` of a Parsoid citation's ``data-mw`` (``{"name": …, "group": …}``), else ``None``."""
    raw = sup.attrs.get("data-mw")
    if not isinstance(raw, str):
        return None
    try:
        attrs = json.loads(raw).get("attrs", {})
    except (ValueError, AttributeError):
        return None
    return attrs if isinstance(attrs, dict) else {}


def _sup_group(sup: Tag) -> str | None:
    """The group a Parsoid citation declares in ``data-mw`` (``""`` = main), else ``None``."""
    attrs = _ref_attrs(sup)
    if attrs is None:
        return None
    group = attrs.get("group", "")
    return group if isinstance(group, str) else ""


def _sup_name(sup: Tag) -> str | None:
    attrs = _ref_attrs(sup)
    name = attrs.get("name") if attrs is not None else None
    return clean_spaces(name) or None if isinstance(name, str) else None


@dataclass
class _Resolver:
    """Which list is the main group's, and the reference number of each note id."""

    walk: _Walk
    main: NoteList | None = None
    numbers: dict[str, int] = field(default_factory=dict)
    groups: dict[str, bool] = field(default_factory=dict)  # note id → in the main group

    def __post_init__(self) -> None:
        by_id: dict[str, NoteList] = {}
        for notes in self.walk.lists:
            for item in notes.items:
                by_id.setdefault(item.note_id, notes)
        evidence: dict[int, set[bool]] = {id(n): set() for n in self.walk.lists}
        for sup in self.walk.sups:
            fragment = _note_fragment(sup)
            target = by_id.get(fragment or "")
            if target is None:
                continue
            group = _sup_group(sup)
            is_main = group == "" if group is not None else bool(_LABEL_NUMBER.match(_label(sup)))
            evidence[id(target)].add(is_main)
        for notes in self.walk.lists:
            declared = notes.group
            if declared is not None:
                main = declared == ""
            elif evidence[id(notes)]:
                main = evidence[id(notes)] == {True}
            else:
                main = len(self.walk.lists) == 1
            if main and self.main is None:
                self.main = notes
        if self.main is not None:
            for item in self.main.items:
                self.numbers[item.note_id] = item.number
        for notes in self.walk.lists:
            for item in notes.items:
                self.groups.setdefault(item.note_id, notes is self.main)

    def number(self, sup: Tag) -> int | None:
        """The main-group reference number a citation points to; ``None`` for footnote groups."""
        fragment = _note_fragment(sup)
        if fragment in self.numbers:
            return self.numbers[fragment]
        if fragment in self.groups:  # in a footnote group's list
            return None
        group = _sup_group(sup)
        match = _LABEL_NUMBER.match(_label(sup))
        if match and group in (None, ""):
            return int(match.group(1))  # no list holds it (a truncated page): the reader's [n]
        return None


def _references(walk: _Walk, resolver: _Resolver) -> list[Reference]:
    if resolver.main is None:
        return []
    names: dict[str, str] = {}
    uses: dict[str, int] = {}
    for sup in walk.sups:
        fragment = _note_fragment(sup)
        if fragment is None:
            continue
        uses[fragment] = uses.get(fragment, 0) + 1
        name = _sup_name(sup)
        if name and fragment not in names:
            names[fragment] = name
    references = []
    for item in resolver.main.items:
        name = names.get(item.note_id) if walk.flavour == "parsoid" else None
        references.append(
            reference_from_item(
                item, name=name or reference_name(item.note_id), uses=uses.get(item.note_id, 0)
            )
        )
    return references


def _resolve_citations(walk: _Walk, resolver: _Resolver) -> None:
    unresolved: set[str] = set()
    for pending in walk.pending:
        number = resolver.number(pending.sup)
        fragment = _note_fragment(pending.sup) or _label(pending.sup)
        if number is None:
            if fragment not in resolver.groups and _sup_group(pending.sup) in (None, ""):
                unresolved.add(fragment)
            continue
        if fragment not in resolver.numbers:
            unresolved.add(fragment)
        pending.row.citations.append(CitationUse(reference_number=number, cell=pending.cell))
    for fragment in sorted(unresolved):
        walk.diagnostics.append(
            Diagnostic(
                severity="warning",
                code="unresolved-citation",
                message=f"citation {fragment!r} points to no item of the reference list",
            )
        )


def parse_html(html: str) -> ParsedDocument:
    """Read the relation rows and the references of an article's rendered HTML. Never raises.

    Accepts the legacy parser's output and Parsoid's, a whole page or only its content.
    """
    walk = _Walk(detect_flavour(html))
    try:
        soup = BeautifulSoup(html, "lxml")
        walk.container(_content_root(soup, html))
    except RecursionError:
        walk.diagnostics.append(
            Diagnostic(
                severity="error", code="html-too-deep", message="the HTML is nested too deeply to read"
            )
        )
    resolver = _Resolver(walk)
    _resolve_citations(walk, resolver)
    references = _references(walk, resolver)
    if not walk.rows:
        walk.diagnostics.append(
            Diagnostic(severity="warning", code="no-relation-table", message="no relation table found")
        )
    if walk.pending and not walk.lists:
        walk.diagnostics.append(
            Diagnostic(
                severity="warning",
                code="no-reference-list",
                message="the HTML has citations but no reference list (a truncated page?)",
            )
        )
    return ParsedDocument(rows=walk.rows, references=references, diagnostics=walk.diagnostics)
