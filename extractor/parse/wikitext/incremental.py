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

A passage walked again (a cell of its table changed) is parsed with each table row parsed once
for all revisions (:class:`~extractor.parse.wikitext.rowparse.RowParseCache`), and does not read
again the rows it read before: :class:`_RowMemo` gives back their records and replays their
reference uses, the same way, row by row.

The references themselves are read once per definition (wikitext, name), through
:meth:`ReferenceRegistry.references`' cache. The result is the :class:`ParsedDocument`
:func:`parse_wikitext` gives for the whole text (``tests/test_history.py`` checks it on the corpus
and on edited histories).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from mwparserfromhell.nodes import Tag, Template
from mwparserfromhell.wikicode import Wikicode

from extractor.collector import collector_paused
from extractor.models import Diagnostic, Reference
from extractor.parse.document import CitationUse, ParsedDocument, RowRecord
from extractor.parse.layout import Layout
from extractor.parse.wikitext.references import ReferenceRegistry
from extractor.parse.wikitext.rowparse import RowParseCache, closed
from extractor.parse.wikitext.tables import Cell
from extractor.parse.wikitext.walk import Walk, list_definitions

__all__ = ["PassageCache", "passages"]

#: A line that may be a heading (MediaWiki: starts and ends with ``=``).
_HEADING_LINE = re.compile(r"^=[^\n]*=[ \t]*$", re.MULTILINE)
_Use = tuple[str | None, int]


def passages(text: str) -> list[tuple[int, str]]:
    """``text`` cut before its headings where the cut is safe: (offset, passage) in order, joining to ``text``."""
    cuts = [0]
    for match in _HEADING_LINE.finditer(text):
        start = match.start()
        if start > cuts[-1] and closed(text[cuts[-1] : start]):
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
        with collector_paused():  # as parse_wikitext pauses it, for the same reason
            return self._parse(text)

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
