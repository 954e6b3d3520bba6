"""Reading many revisions of one article, re-reading only the passages that changed.

Successive revisions of an article differ in a cell or a paragraph. :class:`PassageCache` cuts
the wikitext into *passages* at its headings — only where nothing (a template, a table, a link,
a comment, a ``<ref>``…) is open across the cut, so that each passage parses on its own exactly
as it does inside the whole text — and remembers what the walk read from each passage, keyed by
its wikitext (and the section it starts in):

- its rows, with citations as the reference uses that made them, not as numbers;
- the reference uses in order (``<ref>`` tags and footnote templates), which are *replayed* on
  this revision's registry, so that numbering follows MediaWiki's document order whatever
  changed before the passage;
- its diagnostics and rows with lines relative to the passage (shifted to where it is now);
- its list-defined references.

A passage walked again (a cell of its table changed) does not read again the rows it read
before: :class:`_RowMemo` gives back their records and replays their reference uses, the same
way, row by row.

The references themselves are read once per definition (wikitext, name), through
:meth:`ReferenceRegistry.references`' cache. The result is the :class:`ParsedDocument`
:func:`parse_wikitext` gives for the whole text (``tests/test_history.py`` checks it on the corpus
and on edited histories).
"""

from __future__ import annotations

import gc
import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Node, Tag, Template
from mwparserfromhell.wikicode import Wikicode

from extractor.models import Diagnostic, Reference
from extractor.parse.document import CitationUse, ParsedDocument, RowRecord
from extractor.parse.layout import Layout
from extractor.parse.wikitext.references import ReferenceRegistry
from extractor.parse.wikitext.tables import Cell
from extractor.parse.wikitext.walk import Walk, list_definitions

__all__ = ["PassageCache", "RowParseCache", "passages"]

#: A line that may be a heading (MediaWiki: starts and ends with ``=``).
_HEADING_LINE = re.compile(r"^=[^\n]*=[ \t]*$", re.MULTILINE)
#: What opens or closes a construct that may span lines; a cut is safe where none is open.
_TOKENS = re.compile(
    r"<!--|-->|\{\{|\}\}|\{\||\|\}|\[\[|\]\]"
    r"|<(/?)(ref|references|nowiki|pre|math|gallery|poem|syntaxhighlight|source|includeonly|noinclude"
    r"|onlyinclude|div|table|score|timeline|templatedata|chem|ce)\b[^>]*?(/?)>",
    re.IGNORECASE,
)
_PAIRS = {"}}": "{{", "|}": "{|", "]]": "[["}
_Use = tuple[str | None, int]


def _closed(text: str) -> bool:
    """True when nothing opened in ``text`` stays open at its end (and nothing closes what it did not open)."""
    depth: dict[str, int] = {}
    in_comment = False
    for match in _TOKENS.finditer(text):
        token = match.group(0)
        if in_comment:
            in_comment = token != "-->"
            continue
        if token == "<!--":
            in_comment = True
        elif token in ("{{", "{|", "[["):
            depth[token] = depth.get(token, 0) + 1
        elif token in _PAIRS:
            opener = _PAIRS[token]
            depth[opener] = depth.get(opener, 0) - 1
            if depth[opener] < 0:
                return False
        elif token == "-->":
            return False
        elif match.group(2) is not None and not match.group(3):  # an HTML-like tag, not self-closing
            name = "<" + match.group(2).lower()
            depth[name] = depth.get(name, 0) + (-1 if match.group(1) else 1)
            if depth[name] < 0:
                return False
    return not in_comment and not any(depth.values())


def passages(text: str) -> list[tuple[int, str]]:
    """``text`` cut before its headings where the cut is safe: (offset, passage) in order, joining to ``text``."""
    cuts = [0]
    for match in _HEADING_LINE.finditer(text):
        start = match.start()
        if start > cuts[-1] and _closed(text[cuts[-1] : start]):
            cuts.append(start)
    cuts.append(len(text))
    return [(cuts[i], text[cuts[i] : cuts[i + 1]]) for i in range(len(cuts) - 1) if cuts[i + 1] > cuts[i]]


class _Recorder(ReferenceRegistry):
    """The revision's registry, recording every use a passage makes (and what it returned)."""

    def __init__(self, target: ReferenceRegistry) -> None:
        super().__init__()
        self.target = target
        self.uses: list[Tag | Template] = []
        self.results: list[list[_Use]] = []

    def use(self, tag: Tag) -> _Use:
        """Number a ``<ref>`` on the target registry, and remember it."""
        result = self.target.use(tag)
        self.uses.append(tag)
        self.results.append([result])
        return result

    def use_template(self, template: Template) -> list[_Use]:
        """Number a footnote template's references on the target registry, and remember it."""
        result = self.target.use_template(template)
        self.uses.append(template)
        self.results.append(result)
        return result


@dataclass(frozen=True)
class _Passage:
    """What the walk read from one passage (lines relative to the passage's first line)."""

    uses: list[Tag | Template]
    results: list[list[_Use]]
    rows: list[RowRecord]
    diagnostics: list[Diagnostic]
    exit_section: str | None
    tag_definitions: list[tuple[Wikicode, str | None]]
    template_definitions: list[tuple[Wikicode, str | None]]


def _shift(line: int | None, offset: int) -> int | None:
    return None if line is None else line + offset


_TABLE_START = re.compile(r"^\{\|", re.MULTILINE)


def _table_end(text: str, start: int) -> int | None:
    """Where the table opened at ``start`` ends (after its ``|}``), counting nested tables; None if never."""
    depth = 0
    position = start
    while position < len(text):
        end = text.find("\n", position)
        line = text[position : (len(text) if end < 0 else end)]
        stripped = line.lstrip()
        if stripped.startswith("{|"):
            depth += 1
        elif stripped.startswith("|}"):
            depth -= 1
            if depth == 0:
                return position + line.index("|}") + 2
        if end < 0:
            return None
        position = end + 1
    return None


def _table_pieces(table: str) -> tuple[str, list[str]] | None:
    """A table's head (``{|`` to its first row) and rows (each from its ``|-``), without the final ``|}``."""
    body = table[:-2]
    cuts = []
    depth = 1
    position = body.find("\n") + 1
    while 0 < position < len(body):
        end = body.find("\n", position)
        stripped = body[position : (len(body) if end < 0 else end)].lstrip()
        if stripped.startswith("{|"):
            depth += 1
        elif stripped.startswith("|}"):
            depth -= 1
        elif depth == 1 and body.startswith("|-", position):
            cuts.append(position)
        if end < 0:
            break
        position = end + 1
    if not cuts:
        return None
    pieces = [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]
    head, rows = pieces[0], pieces[1:]
    if not _closed(head[2:]) or not all(_closed(row) for row in rows):
        return None
    return head, rows


@dataclass
class RowParseCache:
    """``mwparserfromhell.parse`` of a passage, with each row of its tables parsed once for all revisions.

    mwparserfromhell reads a table row the same wherever the table is, so a top-level table is
    parsed as its head plus each row (``{|`` + row + ``|}``, remembered by the row's wikitext) and
    the pieces are joined into the table the whole parse would give; the rest of the passage is
    parsed with a comment standing for each table, which the table then replaces. Every join is
    checked to give back the exact text; where any check fails, the passage is parsed whole.
    """

    capacity: int = 65536
    _rows: OrderedDict[str, list[Node]] = field(default_factory=OrderedDict)

    def parse(self, text: str) -> Wikicode:
        """The tree ``mwparserfromhell.parse(text)`` gives."""
        try:
            code = self._parse(text)
        except Exception:  # a shape the joins do not expect: the plain parse is always right
            code = None
        return code if code is not None else mwparserfromhell.parse(text)

    def _parse(self, text: str) -> Wikicode | None:
        tables: list[Tag] = []
        skeleton: list[str] = []
        marker = f"frx-table-{hashlib.sha1(text.encode('utf-8')).hexdigest()}"
        done = 0
        for match in _TABLE_START.finditer(text):
            start = match.start()
            if start < done or not _closed(text[done:start]):
                continue
            end = _table_end(text, start)
            if end is None:
                return None
            table = self._table(text[start:end])
            if table is None:
                return None
            skeleton += [text[done:start], f"<!--{marker}-->"]
            tables.append(table)
            done = end
        if not tables:
            return None
        skeleton.append(text[done:])
        code = mwparserfromhell.parse("".join(skeleton))
        slots = [i for i, node in enumerate(code.nodes) if isinstance(node, Comment) and str(node.contents) == marker]
        if len(slots) != len(tables):
            return None
        for slot, table in zip(slots, tables, strict=True):
            code.nodes[slot] = table
        return code

    def _table(self, table: str) -> Tag | None:
        pieces = _table_pieces(table)
        if pieces is None:
            return None
        head_text, rows = pieces
        head = mwparserfromhell.parse(head_text + "|}").nodes
        if len(head) != 1 or not isinstance(head[0], Tag) or head[0].wiki_markup != "{|":
            return None
        tag = head[0]
        # The table's text is the head's, then the rows', then "|}": when the head alone gives
        # back its text and closes with "|}", the joined table gives back the table (each row
        # is checked when first parsed), which spares serialising the whole table again.
        if tag.closing_wiki_markup != "|}" or str(tag) != head_text + "|}":
            return None
        for row in rows:
            nodes = self._rows.get(row)
            if nodes is None:
                parsed = mwparserfromhell.parse("{|\n" + row + "|}").nodes
                if len(parsed) != 1 or not isinstance(parsed[0], Tag) or parsed[0].wiki_markup != "{|":
                    return None
                nodes = list(parsed[0].contents.nodes)
                if "".join(str(node) for node in nodes) != row:
                    return None
                self._rows[row] = nodes
                if len(self._rows) > self.capacity:
                    self._rows.popitem(last=False)
            else:
                self._rows.move_to_end(row)
            tag.contents.nodes.extend(nodes)
        return tag


@dataclass(frozen=True)
class _ReadRow:
    """What reading one body row did, when it was read at ``line``."""

    tags: tuple[Tag, ...]
    line: int | None
    #: Whether the row's own country cell was carried on (else the row was skipped).
    carried: bool
    records: list[RowRecord]
    diagnostics: list[Diagnostic]
    uses: list[Tag | Template]
    results: list[list[_Use]]


_RowKey = tuple[object, ...]


class _RowMemo:
    """Remembers each body row read, for a walk of one passage (:class:`~extractor.parse.rows.RowMemo`).

    A changed cell makes its passage be walked again, but the other rows of its table are the
    same: :class:`RowParseCache` gives back the very same cell nodes for them, which is what a
    row is known by (the nodes are kept here, so that their ids are not reused). A row is
    remembered only when it depends on nothing above it (no cell carried in by a rowspan) and
    reads no nested relation table; its reference uses are replayed on the walk's registry, as
    :class:`PassageCache` replays a passage's, so numbering stays in document order.
    """

    def __init__(self, store: OrderedDict[_RowKey, _ReadRow], walk: Walk, capacity: int) -> None:
        self.store = store
        self.walk = walk
        self.capacity = capacity

    def row(
        self,
        read: Callable[[], Cell | None],
        cells: list[Cell],
        placed: dict[int, Cell],
        layout: Layout,
        section: str | None,
        line: int | None,
        previous: Cell | None,
    ) -> Cell | None:
        """What ``read()`` returns and does, from memory when this row was read before."""
        own = {id(cell) for cell in cells}
        if any(id(cell) not in own for cell in placed.values()):
            return read()  # a cell carried down from the row above: it depends on that row
        tags = tuple(cell.tag for cell in cells)
        key: _RowKey = (
            tuple(map(id, tags)),
            tuple((column, id(cell.tag), cell.header) for column, cell in sorted(placed.items())),
            layout.kind,
            tuple(sorted(layout.columns.items())),
            section,
        )
        country = placed.get(layout.columns["country"])
        found = self.store.get(key)
        if found is not None and all(a is b for a, b in zip(found.tags, tags, strict=True)):
            self.store.move_to_end(key)
            self._replay(found, line)
            return country if found.carried else previous
        walk = self.walk
        rows, diagnostics, cursor = len(walk.rows), len(walk.diagnostics), walk.lines.cursor
        recorder = _Recorder(walk.registry)
        walk.registry = recorder
        try:
            returned = read()
        finally:
            walk.registry = recorder.target
        read_rows = walk.rows[rows:]
        # A relation table nested in a cell moves the line cursor or gives rows of other lines:
        # such a row is not remembered (its replay would not do the same).
        if walk.lines.cursor == cursor and all(record.line == line for record in read_rows):
            carried = country is not None and returned is country
            self.store[key] = _ReadRow(
                tags,
                line,
                carried,
                read_rows,
                walk.diagnostics[diagnostics:],
                recorder.uses,
                recorder.results,
            )
            if len(self.store) > self.capacity:
                self.store.popitem(last=False)
        return returned

    def _replay(self, found: _ReadRow, line: int | None) -> None:
        walk = self.walk
        numbers: dict[_Use, _Use] = {}
        for node, old in zip(found.uses, found.results, strict=True):
            new = [walk.registry.use(node)] if isinstance(node, Tag) else walk.registry.use_template(node)
            numbers.update(zip(old, new, strict=True))
        for record in found.records:
            citations = [CitationUse(numbers[(None, c.reference_number)][1], c.cell) for c in record.citations]
            cites = [None if n is None else numbers[(None, n)][1] for n in record.notes_cites]
            walk.rows.append(replace(record, line=line, citations=citations, notes_cites=cites))
        for diagnostic in found.diagnostics:
            moved = diagnostic.line is not None and diagnostic.line == found.line
            walk.diagnostics.append(diagnostic.model_copy(update={"line": line}) if moved else diagnostic)


@dataclass
class PassageCache:
    """Parses revision after revision of an article, reusing every passage already read.

    ``capacity`` bounds the passages remembered (least recently used go first).
    """

    capacity: int = 4096
    hits: int = 0
    misses: int = 0
    _passages: OrderedDict[tuple[str, str | None], _Passage] = field(default_factory=OrderedDict)
    _references: dict[tuple[str | None, ...], Reference] = field(default_factory=dict)
    _rows: RowParseCache = field(default_factory=lambda: RowParseCache())
    _read_rows: OrderedDict[_RowKey, _ReadRow] = field(default_factory=OrderedDict)

    def parse(self, text: str) -> ParsedDocument:
        """What :func:`~extractor.parse.wikitext.walk.parse_wikitext` gives for ``text``. Never raises."""
        collecting = gc.isenabled()
        gc.disable()  # as parse_wikitext does, for the same reason
        try:
            return self._parse(text)
        finally:
            if collecting:
                gc.enable()

    def _parse(self, text: str) -> ParsedDocument:
        registry = ReferenceRegistry()
        rows: list[RowRecord] = []
        diagnostics: list[Diagnostic] = []
        tag_definitions: list[tuple[Wikicode, str | None]] = []
        template_definitions: list[tuple[Wikicode, str | None]] = []
        section: str | None = None
        line = 1
        for _, passage_text in passages(text):
            key = (hashlib.sha1(passage_text.encode("utf-8")).hexdigest(), section)
            passage = self._passages.get(key)
            if passage is None:
                self.misses += 1
                passage = self._read(passage_text, section, registry)
                self._passages[key] = passage
                if len(self._passages) > self.capacity:
                    self._passages.popitem(last=False)
                numbers = {use: use for result in passage.results for use in result}
            else:
                self.hits += 1
                self._passages.move_to_end(key)
                numbers = self._replay(passage, registry)
            offset = line - 1
            for row in passage.rows:
                citations = [CitationUse(numbers[(None, c.reference_number)][1], c.cell) for c in row.citations]
                rows.append(replace(row, line=_shift(row.line, offset), citations=citations))
            diagnostics.extend(d.model_copy(update={"line": _shift(d.line, offset)}) for d in passage.diagnostics)
            tag_definitions.extend(passage.tag_definitions)
            template_definitions.extend(passage.template_definitions)
            section = passage.exit_section
            line += passage_text.count("\n")
        for contents, group in [*tag_definitions, *template_definitions]:
            registry.define_all(contents, group)
        if not rows:
            diagnostics.append(
                Diagnostic(severity="warning", code="no-relation-table", message="no relation table found")
            )
        return ParsedDocument(rows=rows, references=registry.references(self._references), diagnostics=diagnostics)

    def _read(self, text: str, section: str | None, registry: ReferenceRegistry) -> _Passage:
        recorder = _Recorder(registry)
        walk = Walk(text, registry=recorder, section=section)
        walk.row_memo = _RowMemo(self._read_rows, walk, self._rows.capacity)
        code = self._rows.parse(text)
        walk.document(code, definitions=False)
        tags, templates = list_definitions(code, text)
        return _Passage(recorder.uses, recorder.results, walk.rows, walk.diagnostics, walk.section, tags, templates)

    @staticmethod
    def _replay(passage: _Passage, registry: ReferenceRegistry) -> dict[_Use, _Use]:
        """Make the passage's reference uses again on this revision's registry: old number → new."""
        numbers: dict[_Use, _Use] = {}
        for node, old in zip(passage.uses, passage.results, strict=True):
            new = [registry.use(node)] if isinstance(node, Tag) else registry.use_template(node)
            numbers.update(zip(old, new, strict=True))
        return numbers
