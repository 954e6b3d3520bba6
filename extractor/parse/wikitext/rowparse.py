"""Parsing a passage of wikitext with each row of its tables parsed once, for all revisions.

:class:`RowParseCache` gives the tree ``mwparserfromhell.parse`` gives, built from the parses of
a table's head and rows, which it remembers by their wikitext: successive revisions of an
article share most rows, so only the rows that changed are parsed again. :func:`closed` tells
where wikitext may be cut so that each piece parses on its own as it does inside the whole; the
passage cache (:mod:`extractor.parse.wikitext.incremental`) cuts at headings by the same rule.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Node, Tag
from mwparserfromhell.wikicode import Wikicode

__all__ = ["RowParseCache", "closed"]

#: What opens or closes a construct that may span lines; a cut is safe where none is open.
_TOKENS = re.compile(
    r"<!--|-->|\{\{|\}\}|\{\||\|\}|\[\[|\]\]"
    r"|<(/?)(ref|references|nowiki|pre|math|gallery|poem|syntaxhighlight|source|includeonly|noinclude"
    r"|onlyinclude|div|table|score|timeline|templatedata|chem|ce)\b[^>]*?(/?)>",
    re.IGNORECASE,
)
_PAIRS = {"}}": "{{", "|}": "{|", "]]": "[["}


def closed(text: str) -> bool:
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
    if not closed(head[2:]) or not all(closed(row) for row in rows):
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
            if start < done or not closed(text[done:start]):
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
