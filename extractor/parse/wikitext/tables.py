"""Wikitext tables as rows of cells: what mwparserfromhell gives, in the shape the row assembler reads.

mwparserfromhell parses a table into ``tr``/``td``/``th`` tags; this module lists a table's rows
(its own, and those inside HTML ``<thead>``/``<tbody>``/``<tfoot>``) and its caption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mwparserfromhell.nodes import Tag
from mwparserfromhell.wikicode import Wikicode

from extractor.parse.layout import span_value
from extractor.parse.wikitext.templates import code_text

__all__ = ["Cell", "Table", "read_table"]

# A table tag's name, from its wiki markup where the markup tells it: mwparserfromhell's tokenizer
# names each table markup's tag ("|-" a row, "|" a data cell, "!" and "!!" a header cell; "||"
# may be either, an HTML tag has none). One property read instead of reading the name's wikitext
# (three calls): the walk's most frequent question about a table's tags.
_NAME_OF_MARKUP: dict[str | None, str] = {"|-": "tr", "|": "td", "!": "th", "!!": "th"}


class Cell:
    """One table cell (``td`` or ``th``) and its spans.

    A plain class with slots, not a dataclass: a table makes one per cell, and the layout asks
    each for its spans several times (one ``__init__``, no ``__post_init__``, attribute reads from
    slots).
    """

    __slots__ = ("_plain", "code", "header", "tag")

    def __init__(self, tag: Tag, header: bool) -> None:
        self.tag = tag
        self.header = header
        contents = tag.contents
        #: The cell's content (read once: every reader of the cell asks for it).
        self.code: Wikicode = contents if contents is not None else Wikicode([])
        # Most cells have no attributes: they span 1 whichever span is asked (known once).
        self._plain = not tag.attributes

    def __repr__(self) -> str:
        return f"Cell(tag={self.tag!r}, header={self.header!r})"

    def wikitext(self) -> str:
        """``str(tag)``: the cell's wikitext.

        A cell of wiki markup without attributes is put together here as mwparserfromhell's
        ``Tag.__str__`` puts it, from the content already read: a third of the calls of ``str()``
        (which reads nine properties), asked once per row (``line_of``).
        """
        tag = self.tag
        markup = tag.wiki_markup
        if markup is None or not self._plain or tag.self_closing:
            return str(tag)
        padding, separator, close = tag.padding, tag.wiki_style_separator, tag.closing_wiki_markup
        return markup + (padding or "") + (separator or "") + code_text(self.code) + (close or "")

    def span(self, name: str) -> int:
        """Its ``colspan`` or ``rowspan`` (1 when absent or unreadable; capped as browsers cap it)."""
        if self._plain:
            return 1  # most cells: asked twice per cell by the layout
        for attribute in self.tag.attributes:
            if code_text(attribute.name).strip().lower() == name:
                return span_value(code_text(attribute.value) if attribute.value is not None else None)
        return 1


@dataclass
class Table:
    """A table's caption (when it has one) and rows of cells, each with its ``|-`` tag.

    ``row_tags[i]`` is the ``tr`` tag holding ``rows[i]``, ``None`` for cells before the first ``|-``.
    """

    caption: Cell | None
    rows: list[list[Cell]]
    row_tags: list[Tag | None]


def _cells(nodes: Sequence[object]) -> list[Cell]:
    cells = []
    for node in nodes:
        if type(node) is Tag:  # exact: mwparserfromhell makes no subclass of Tag
            name = _NAME_OF_MARKUP.get(node.wiki_markup) or code_text(node.tag).lower()
            if name == "td":
                cells.append(Cell(node, False))
            elif name == "th":
                cells.append(Cell(node, True))
    return cells


def read_table(table: Tag) -> Table:
    """The table's caption and rows; cells before the first ``|-`` form a row of their own.

    mwparserfromhell reads a ``|+ caption`` line as a data cell whose text starts with ``+``.
    """
    rows: list[list[Cell]] = []
    row_tags: list[Tag | None] = []
    loose: list[Cell] = []
    caption: Cell | None = None
    for name, node in _row_level(table):
        if name in {"td", "th"}:
            cell = Cell(node, name == "th")
            if not rows and not loose and caption is None and not cell.header and _is_caption(cell):
                caption = cell
            else:
                loose.append(cell)
        elif name == "caption":
            caption = Cell(node, False)
        elif name == "tr":
            if loose:
                rows.append(loose)
                row_tags.append(None)
                loose = []
            contents = node.contents  # read once: a property
            cells = _cells(contents.nodes if contents is not None else [])
            if cells:
                rows.append(cells)
                row_tags.append(node)
    if loose:
        rows.append(loose)
        row_tags.append(None)
    return Table(caption, rows, row_tags)


def _row_level(table: Tag) -> list[tuple[str, Tag]]:
    """The tags at row level, with their lower-case names: the table's own, and those inside
    HTML <thead>/<tbody>/<tfoot>."""
    tags = []
    for node in table.contents.nodes if table.contents is not None else []:
        if isinstance(node, Tag):
            name = _NAME_OF_MARKUP.get(node.wiki_markup) or code_text(node.tag).lower()
            if name in {"thead", "tbody", "tfoot"} and node.contents is not None:
                tags += [
                    (_NAME_OF_MARKUP.get(n.wiki_markup) or code_text(n.tag).lower(), n)
                    for n in node.contents.nodes
                    if isinstance(n, Tag)
                ]
            else:
                tags.append((name, node))
    return tags


def _is_caption(cell: Cell) -> bool:
    nodes = cell.code.nodes
    return bool(nodes) and str(nodes[0]).startswith("+")
