"""Rendered HTML → :class:`~extractor.parse.document.ParsedDocument`, with BeautifulSoup and lxml.

Reads both flavours English Wikipedia serves (see ``../shared/notes/enwiki-html.md``): the legacy
parser's output (``action=parse``; old ``h2 > span.mw-headline`` and new ``div.mw-heading``
headings) and Parsoid's (``rest.php/v1/revision/{id}/html``; ``section``, ``data-mw``,
``typeof="mw:Extension/ref"``). Which one it is, is told by :func:`detect_flavour`.

The conventions are the wikitext parser's (:mod:`extractor.parse.wikitext`; the rows of a relation
table are read by both through :mod:`extractor.parse.rows`), so that the two
parsers check each other: a table is a relation table by the meaning of its header row; the
country comes from the country cell's link (blue or red), the date from the cell's visible text,
the notes are plain text with bullet items as ``• item`` lines, the "See X" line and ``{{Main}}``
hatnote give the main article. References are numbered as their list numbers them, and every
inline citation is linked to its row, cell and reference (:mod:`extractor.parse.html.citations`,
once the walk is done). Nothing here raises on bad HTML: what cannot be read becomes a
:class:`~extractor.models.Diagnostic`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bs4 import BeautifulSoup, Tag

from extractor.models import CellKind, Diagnostic
from extractor.parse.document import ParsedDocument, RowRecord
from extractor.parse.html.cells import hatnote_main, read_partners, see_line
from extractor.parse.html.citations import Pending, Resolver, main_references, resolve_citations
from extractor.parse.html.references import NoteList, read_note_list
from extractor.parse.html.text import HtmlText, classes_of, is_citation, strip_link_marks
from extractor.parse.layout import Column, span_value
from extractor.parse.marks import strip as strip_marks
from extractor.parse.rows import Shown, read_relation_table
from extractor.text import clean_spaces, readable_text

__all__ = ["Flavour", "detect_flavour", "parse_html"]

#: ``html`` for the legacy parser's output, ``parsoid`` for Parsoid's (the values of
#: :attr:`extractor.models.Source.content_format`).
Flavour = Literal["html", "parsoid"]

# Attributes only Parsoid writes; one is enough to tell the flavours apart.
_PARSOID_MARKERS = re.compile(
    r"""data-mw-section-id=|rel=["']mw:WikiLink|typeof=["'][^"']*mw:Extension/ref|property=["']mw:htmlVersion"""
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Not content: the table of contents (its "Contents" h2 is no section), styles, scripts.
_SKIP_CONTAINER = frozenset({"style", "script", "link", "meta", "noscript", "head", "img", "figure"})
_END = object()  # the end of a container's children in the walk's stack


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
        """Its ``colspan`` or ``rowspan`` (1 when absent or unreadable; capped as browsers cap it)."""
        value = self.tag.attrs.get(name)
        return span_value(value if isinstance(value, str) else None)


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
            cells = [_Cell(c, c.name == "th") for c in tr.children if isinstance(c, Tag) and c.name in {"th", "td"}]
            if cells:
                rows.append(cells)
    return rows


def _heading_text(heading: Tag) -> str:
    """A heading's title: ``span.mw-headline`` (old shape) or the heading without its edit link."""
    for child in heading.contents:
        if isinstance(child, Tag) and "mw-headline" in classes_of(child):
            return clean_spaces(HtmlText().text(child))
    return clean_spaces(HtmlText().text(heading))


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
    pending: list[Pending] = field(default_factory=list)
    #: Each record's notes citations in order, resolved into ``RowRecord.notes_cites`` at the end.
    notes_sups: list[tuple[RowRecord, list[Tag]]] = field(default_factory=list)

    def too_deep(self) -> None:
        """Say once that part of the document was nested past what a recursive walk can follow."""
        if not any(d.code == "nested-too-deep" for d in self.diagnostics):
            self.diagnostics.append(
                Diagnostic(
                    severity="warning",
                    code="nested-too-deep",
                    message="part of the HTML is nested too deeply to read; its plain text is kept",
                )
            )

    def container(self, tag: Tag) -> None:
        try:
            self._container(tag)
        except RecursionError:  # a pathologically deep branch: the rest of the document is still read
            self.too_deep()

    def _container(self, root: Tag) -> None:
        # An explicit stack, not recursion: wrappers nested thousands deep (which lxml keeps) must
        # not stop the walk before the tables inside them.
        stack = [iter(root.contents)]
        while stack:
            child = next(stack[-1], _END)
            if child is _END:
                stack.pop()
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name
            if name in _HEADINGS:
                self.section = _heading_text(child)
                stack.append(iter(child.contents))  # a heading may cite
            elif name == "table":
                self.table(child)
            elif name == "sup" and is_citation(child):
                self.sups.append(child)
            elif name in _SKIP_CONTAINER:
                continue
            elif name == "ol" and {"references", "mw-references"} & set(classes_of(child)):
                self.lists.append(read_note_list(child))
                stack.append(iter(child.contents))  # a note may cite another reference
            elif child.attrs.get("id") == "toc" or "toc" in classes_of(child):
                continue
            else:
                stack.append(iter(child.contents))

    def _outside(self, tag: Tag) -> None:
        """Text of a cell or table we do not read: only its citations are recorded."""
        HtmlText(on_cite=self.sups.append, on_table=self.table).text(tag)

    def table(self, table: Tag) -> None:
        rows = _rows_of(table)
        caption_tag = next((c for c in table.contents if isinstance(c, Tag) and c.name == "caption"), None)
        caption = ""
        if caption_tag is not None:
            caption = strip_link_marks(HtmlText(on_cite=self.sups.append).text(caption_tag))
        if not read_relation_table(self, rows, caption, self.section):
            self._outside(table)

    # The row assembler's questions (extractor.parse.rows.RowReader): a citation is its <sup>,
    # resolved to a reference number once the reference lists are read (they come after the tables).

    def header_text(self, cell: _Cell) -> str:
        """A header cell's text (its plain text when nested too deeply for the renderer)."""
        try:
            return strip_link_marks(HtmlText().text(cell.tag))
        except RecursionError:
            self.too_deep()
            return clean_spaces(cell.tag.get_text(" "))

    def scan(self, cell: _Cell) -> None:
        """Record the citations of a cell that is not read."""
        try:
            self._outside(cell.tag)
        except RecursionError:
            self.too_deep()

    def read(self, cell: _Cell, column: Column, cites: list[Tag] | None) -> Shown:
        """A read cell's text (and main article, for notes); its citations into ``cites``.

        ``cites`` is ``None`` for a cell carried down by a rowspan, read (citations, nested
        tables) in its own row.
        """

        def on_cite(sup: Tag) -> None:
            if cites is not None:
                self.sups.append(sup)
                cites.append(sup)

        def on_table(table: Tag) -> None:
            if cites is not None:
                self.diagnostics.append(
                    Diagnostic(
                        severity="warning",
                        code="nested-table",
                        message="a table inside a relation table's cell is left out of the row's text",
                    )
                )
                self.table(table)

        notes = column == "notes"
        # Notes are rendered with link marks: the "See X" line is known by its leading link; and
        # with the shared marks of links and citations, for the mission reader.
        renderer = HtmlText(on_cite=on_cite, on_table=on_table, mark_links=notes, mark_spans=notes)
        try:
            marked = renderer.text(cell.tag)
        except RecursionError:
            # A cell nested past the recursion limit: bs4's get_text walks iteratively, so the
            # row keeps the cell's plain text (without the finer rendering rules) rather than be lost.
            self.too_deep()
            return Shown(clean_spaces(cell.tag.get_text(" ")))
        if not notes:
            return Shown(marked)
        text = strip_marks(marked)
        main = hatnote_main(renderer.hatnotes) or see_line(text, renderer.links)
        return Shown(strip_link_marks(text), main, marked=strip_link_marks(marked))

    def partners(self, cell: _Cell) -> list[tuple[str, str | None]]:
        """The partners a country cell names (none when the cell is nested too deeply to read)."""
        try:
            return read_partners(cell.tag)
        except RecursionError:
            self.too_deep()
            return []

    def no_country(self, cell: _Cell) -> str:
        """The HTML does not tell why a country cell names no country."""
        return "row names no country"

    def line_of(self, row: Sequence[_Cell]) -> int | None:
        """HTML keeps no source lines."""
        return None

    def cite(self, records: list[RowRecord], citations: list[tuple[CellKind, Tag]]) -> None:
        """Every record of a row cites what the row cites, once the reference lists are read."""
        notes = [sup for kind, sup in citations if kind == "notes"]
        for record in records:
            self.pending.extend(Pending(record, kind, sup) for kind, sup in citations)
            self.notes_sups.append((record, notes))


def parse_html(html: str) -> ParsedDocument:
    """Read the relation rows and the references of an article's rendered HTML. Never raises.

    Accepts the legacy parser's output and Parsoid's, a whole page or only its content.
    """
    html = readable_text(html)  # a byte-order mark is not content; NUL and lone surrogates become U+FFFD
    walk = _Walk(detect_flavour(html))
    try:
        soup = BeautifulSoup(html, "lxml")
        walk.container(_content_root(soup, html))
    except RecursionError:  # only outside the walk's own guards (bs4 itself): nothing could be read
        walk.too_deep()
    resolver = Resolver(walk)
    resolve_citations(walk, resolver)
    references = main_references(walk, resolver)
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
