"""Wikitext → :class:`~extractor.parse.document.ParsedDocument`, with mwparserfromhell.

The document is parsed once and walked once, in order, so that references are numbered as
MediaWiki numbers them while relation tables are read. Which tables are relation tables, and
where their columns are, is :mod:`extractor.parse.layout`'s business; how their rows become
records, :mod:`extractor.parse.rows`' (this walk answers its :class:`~extractor.parse.rows.RowReader`
questions); what a wikitext cell says, :mod:`extractor.parse.wikitext.cells`'. Nothing here raises
on malformed wikitext: what cannot be read becomes a :class:`~extractor.models.Diagnostic` on its
row (or table), and the rest is still read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell.nodes import Heading, Tag, Template, Text
from mwparserfromhell.wikicode import Wikicode

from extractor.collector import collector_paused
from extractor.models import CellKind, Diagnostic
from extractor.parse.document import CitationUse, ParsedDocument, RowRecord
from extractor.parse.layout import Column
from extractor.parse.marks import CITE
from extractor.parse.marks import strip as strip_marks
from extractor.parse.rows import RowMemo, Shown, read_relation_table
from extractor.parse.wikitext.cells import Partner, main_article, read_countries, read_flag_cell
from extractor.parse.wikitext.references import ReferenceRegistry, tag_attribute
from extractor.parse.wikitext.render import Renderer
from extractor.parse.wikitext.tables import Cell, read_table
from extractor.parse.wikitext.templates import code_text, template_name
from extractor.text import clean_spaces, readable_text

__all__ = ["Walk", "close_open_tables", "list_definitions", "parse_wikitext"]

_UNKNOWN_CODE = re.compile(r"\{\{\s*([A-Z]{2,5})\s*\}\}")
_REFERENCE_LISTS = frozenset({"reflist", "notelist", "references"})
_REFS_PARAMETER = re.compile(r"\|\s*refs\s*=")
_REFERENCES_OPEN = re.compile("<references", re.IGNORECASE)
_PLAIN = Renderer()
# MediaWiki's table lines (Parser::handleTables): ``{|`` opens a table and ``|}`` closes one when
# they start a line, after any indent (``:{|``) and spaces.
_TABLE_INDENT = re.compile(r"[ \t]*:*[ \t]*")
_MARKING = Renderer(mark_links=True)


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
    #: Stands in for reading rows already read (the incremental parse's; see ``RowMemo``).
    row_memo: RowMemo[Cell] | None = None

    def __post_init__(self) -> None:
        self.lines = _Lines(self.text)
        self.scanner = Renderer(on_ref=self._number_only, on_table=self.table, on_footnote=self._footnote_only)
        self._numbers: list[int] = []
        # The partner of the country cell read last, when read with its text (see read_flag_cell).
        self._flag_cell: tuple[Cell | None, Partner | None] = (None, None)
        self._cite_mark: str | None = None
        self._citing = Renderer(on_ref=self._cite_ref, on_table=self.table, on_footnote=self._cite_footnote)
        self._citing_marks = Renderer(
            on_ref=self._cite_ref, on_table=self.table, on_footnote=self._cite_footnote, mark_links=True
        )

    def _number_only(self, tag: Tag) -> None:
        self.registry.use(tag)

    def _footnote_only(self, template: Template) -> None:
        self.registry.use_template(template)

    def _cite_ref(self, tag: Tag) -> str | None:
        group, number = self.registry.use(tag)
        if group is None:
            self._numbers.append(number)
            return self._cite_mark
        return None

    def _cite_footnote(self, template: Template) -> str | None:
        found = 0
        for group, number in self.registry.use_template(template):
            if group is None:
                self._numbers.append(number)
                found += 1
        return self._cite_mark * found if self._cite_mark else None

    def _cited(self, code: Wikicode, numbers: list[int], *, marks: bool = False) -> str:
        """The text of ``code``, numbering its references and collecting the main group's numbers
        into ``numbers`` (footnote groups are not citations of the dataset's references); with
        ``marks``, links and those citations are marked in the text (:mod:`extractor.parse.marks`)."""
        # Two renderers made once, and the list they collect into set per cell: a renderer per
        # cell cost more than rendering a short cell. A table nested in the cell reads cells of
        # its own meanwhile, hence the list and mark put back afterwards.
        saved = self._numbers, self._cite_mark
        self._numbers, self._cite_mark = numbers, CITE if marks else None
        try:
            return (self._citing_marks if marks else self._citing).text(code)
        finally:
            self._numbers, self._cite_mark = saved

    def document(self, code: Wikicode, *, definitions: bool = True) -> None:
        """Walk ``code`` in order; then (unless ``definitions`` is false) take its list-defined references."""
        for node in code.nodes:
            if type(node) is Text:
                continue  # most of an article's nodes: nothing in them to number or read
            try:
                if isinstance(node, Heading):
                    self.section = clean_spaces(_PLAIN.text(node.title))
                    self.scanner.scan(node.title)
                else:
                    self.scanner.scan_node(node)
            except Exception as error:  # a parser bug in one passage must not lose the rest
                self.diagnostics.append(
                    Diagnostic(severity="error", code="unreadable-text", message=f"passage skipped: {error!r}")
                )
        if definitions:
            tags, templates = list_definitions(code, self.text)
            for contents, group in [*tags, *templates]:
                self.registry.define_all(contents, group)

    def table(self, tag: Tag) -> str:
        try:
            self._table(tag)
        except Exception as error:  # a parser bug in one table must not lose the rest of the article
            self.diagnostics.append(
                Diagnostic(severity="error", code="unreadable-table", message=f"table skipped: {error!r}")
            )
        return ""

    def _table(self, tag: Tag) -> None:
        if tag.wiki_markup == "{|":
            # Rows are found by searching forward from the last one: start at this table, so that
            # a row of a table read after a skipped one is not found in the skipped one ("|1").
            start = self.text.find("{|", self.lines.cursor)
            if start >= 0:
                self.lines.cursor = start + 2
        parsed = read_table(tag)
        if parsed.caption is not None:
            self.scanner.scan(parsed.caption.code)
        caption = _PLAIN.text(parsed.caption.code) if parsed.caption is not None else ""
        # A "|+ caption" line is read as a cell starting with "+": the caption is what follows it.
        caption = caption.lstrip().removeprefix("+").strip()
        if not read_relation_table(self, parsed.rows, caption, self.section, self.row_memo):
            for row in parsed.rows:
                for cell in row:
                    self.scanner.scan(cell.code)

    # The row assembler's questions (extractor.parse.rows.RowReader): a citation is the number of
    # a main-group reference, known as soon as it is met.

    def header_text(self, cell: Cell) -> str:
        """A header cell's text."""
        return _PLAIN.text(cell.code)

    def scan(self, cell: Cell) -> None:
        """Number the references of a cell that is not read."""
        self.scanner.scan(cell.code)

    def read(self, cell: Cell, column: Column, cites: list[int] | None) -> Shown:
        """A read cell's text (and main article, for notes); its main-group citations into ``cites``."""
        # A cell carried down by a rowspan (no ``cites``) was numbered in its own row.
        code = cell.code
        if column == "country":
            flag = read_flag_cell(code)
            if flag is not None:  # plain text: no refs to number
                text, partner = flag
                self._flag_cell = (cell, partner)
                return Shown(text)
        if column != "notes":
            return Shown(_PLAIN.text(code) if cites is None else self._cited(code, cites))
        marked = _MARKING.text(code) if cites is None else self._cited(code, cites, marks=True)
        return Shown(strip_marks(marked), main_article(code), marked=marked)

    def partners(self, cell: Cell) -> list[tuple[str, str | None]]:
        """The partners a country cell names."""
        read, partner = self._flag_cell
        if read is cell and partner is not None:
            return [(partner.name, partner.article)]
        return [(partner.name, partner.article) for partner in read_countries(cell.code)]

    def no_country(self, cell: Cell) -> str:
        """Why a country cell names no country, when the wikitext tells."""
        unknown = _UNKNOWN_CODE.search(str(cell.code))
        if unknown:
            return f"row names no country (unknown country-code template {{{{{unknown.group(1)}}}}})"
        return "row names no country"

    def line_of(self, row: Sequence[Cell]) -> int | None:
        """The line of a row's first cell: rows start a line, and come in document order."""
        first = row[0].wikitext()
        lines = self.lines
        found = self.text.find("\n" + first, lines.cursor) + 1
        if found <= 0:
            found = self.text.find(first, lines.cursor)
            if found < 0:
                return None
        lines.cursor = found + len(first)
        return lines.line_at(found)

    def cite(self, records: list[RowRecord], citations: list[tuple[CellKind, int]]) -> None:
        """Every record of a row cites what the row cites."""
        uses = [CitationUse(reference_number=number, cell=kind) for kind, number in citations]
        notes: list[int | None] = [number for kind, number in citations if kind == "notes"]
        for record in records:
            record.citations = list(uses)
            record.notes_cites = list(notes)


def list_definitions(
    code: Wikicode, text: str
) -> tuple[list[tuple[Wikicode, str | None]], list[tuple[Wikicode, str | None]]]:
    """The list-defined references of ``code`` (whose wikitext is ``text``), to be taken in this order:
    the contents of each ``<references>…</references>``, then of each ``{{reflist|refs=…}}``, with their group."""
    tags: list[tuple[Wikicode, str | None]] = []
    templates: list[tuple[Wikicode, str | None]] = []
    # Counted without text.lower(): lowering a long text of non-ASCII letters is costly. The
    # case-insensitive pattern matches wherever the lowered text has "<references" (and maybe more).
    expected = len(_REFERENCES_OPEN.findall(text))
    if expected:
        for tag in _reference_list_tags(code, expected):
            if tag.contents is not None:
                tags.append((tag.contents, tag_attribute(tag, "group")))
    if "refs" in text and _REFS_PARAMETER.search(text):  # a substring search first: faster
        for template in code.filter_templates(recursive=True):
            if template_name(template) in _REFERENCE_LISTS and template.has("refs"):
                group = str(template.get("group").value).strip() if template.has("group") else None
                templates.append((template.get("refs").value, group or None))
    return tags, templates


def _is_reference_list(tag: Tag) -> bool:
    return code_text(tag.tag).strip().lower() == "references"


def _reference_list_tags(code: Wikicode, most: int) -> list[Tag]:
    """The ``<references>`` tags of ``code`` at any depth, in document order, knowing that there
    are at most ``most`` (each starts with ``<references`` in the text).

    The reference lists are at the end of an article: the top-level nodes are searched from the
    last, each as ``filter_tags`` searches it, until ``most`` are found. A search of the whole
    tree was a third of the walk of a long article (the United Kingdom's).
    """
    found: list[list[Tag]] = []
    count = 0
    for node in reversed(code.nodes):
        if count >= most:
            break
        if type(node) is Text:
            continue  # no children
        tags = Wikicode([node]).filter_tags(recursive=True, matches=_is_reference_list)
        if tags:
            found.append(tags)
            count += len(tags)
    return [tag for tags in reversed(found) for tag in tags]


def parse_wikitext(text: str) -> ParsedDocument:
    """Read the relation rows and the references of an article's wikitext. Never raises."""
    # Parsing allocates hundreds of thousands of small objects that live until the end: the cyclic
    # garbage collector would scan them over and over (a third of the parse time) to free nothing.
    with collector_paused():
        return _parse(text)


#: The walk, for readers that drive it passage by passage (:mod:`extractor.parse.wikitext.incremental`).
Walk = _Walk


def close_open_tables(text: str) -> str:
    """The text with every table left open closed as MediaWiki closes it: at the end of the page.

    mwparserfromhell reads a ``{|`` without its ``|}`` as plain text, so a relation table whose
    closing line was lost would give no rows at all; MediaWiki renders it as a table. Not at the
    next heading: MediaWiki renders a heading inside an open table as part of its last cell, and
    real articles have headings inside a notes cell (Singapore's Taiwan row). Only lines are added
    (``|}``), so the rows keep their text; line numbers are taken from the original.

    >>> close_open_tables("{|\\n| a\\n== Next ==\\n{|\\n| b")
    '{|\\n| a\\n== Next ==\\n{|\\n| b\\n|}\\n|}'
    """
    if "{|" not in text:
        return text
    depth = 0
    # Only the lines opening or closing a table count: the few "{|" and "|}" are found by substring
    # search and their lines' starts checked, where a match per line of a long article cost more
    # than the walk's reading of a short table.
    marks = sorted([(at, True) for at in _occurrences(text, "{|")] + [(at, False) for at in _occurrences(text, "|}")])
    for at, opens in marks:
        if _TABLE_INDENT.fullmatch(text, text.rfind("\n", 0, at) + 1, at):
            if opens:
                depth += 1
            elif depth:
                depth -= 1
    if not depth:
        return text
    out = text.split("\n")
    if out[-1] == "":
        out.pop()
    out.extend(["|}"] * depth)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _occurrences(text: str, part: str) -> list[int]:
    """Where ``part`` starts in ``text``, overlapping occurrences included."""
    found = []
    at = text.find(part)
    while at >= 0:
        found.append(at)
        at = text.find(part, at + 1)
    return found


def _parse(text: str) -> ParsedDocument:
    # A byte-order mark is not text (a file saved by some editors starts with one); NUL and lone
    # surrogates become U+FFFD, as MediaWiki shows them.
    text = readable_text(text)
    walk = _Walk(text)
    try:
        code = mwparserfromhell.parse(close_open_tables(text))
    except Exception as error:  # the library's own failure on some input: nothing to read, no traceback
        walk.diagnostics.append(
            Diagnostic(severity="error", code="unreadable-text", message=f"the wikitext could not be parsed: {error!r}")
        )
        code = mwparserfromhell.parse("")
    walk.document(code)
    if not walk.rows:
        walk.diagnostics.append(
            Diagnostic(severity="warning", code="no-relation-table", message="no relation table found")
        )
    return ParsedDocument(rows=walk.rows, references=walk.registry.references(), diagnostics=walk.diagnostics)
