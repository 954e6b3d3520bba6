"""What a wikitext relation-table cell says: the partner countries, and the notes' main article.

The text of every cell is rendered by :mod:`~extractor.parse.wikitext.render`; what the date and
notes text mean is read by :mod:`extractor.parse.cells`, the same for both parsers.


Country cells name partners in many ways: ``{{flag|X}}``, ``{{flagu|X}}``, ``{{flagcountry|X}}``,
``{{#invoke:flag||X}}``, a country-code template (``{{RUS}}``), an image-only flag beside a link
(``{{flagicon|X}} [[X]]``, ``{{flagdeco|X}} [[Target|Label]]``), a plain link or plain text.
What follows the name in parentheses ("(suspended)", "([[Taiwan]])") is a remark, not another
partner; two flags on their own lines (``{{flag|A}}{{pb}}{{flag|B}}``) are two partners.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from mwparserfromhell.nodes import Tag, Template, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

from extractor.countries import country_for_code
from extractor.parse.wikitext.render import Renderer
from extractor.parse.wikitext.templates import (
    FLAG_MODULE,
    IMAGE_ONLY_FLAGS,
    code_text,
    flag_parts,
    positional,
    template_name,
)
from extractor.text import FLAG_TEMPLATES, clean_spaces

__all__ = ["Partner", "main_article", "read_countries", "read_flag_cell"]

_MAIN_TEMPLATES = frozenset({"main", "main article", "see", "further"})
# "See [[X]]" in every form editors write it: "(See [[X]])", "see [[X]]", "See also [[X]]", italic.
_SEE_LINE = re.compile(
    r"^\s*\(?\s*(?:'{2,3})?\s*\(?\s*[Ss]ee(?:\s+also)?:?\s*(?:'{2,3})?\s*\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|[^\]]*)?\]\]"
)
_NON_CONTENT = re.compile(r"^\s*:?\s*(file|image|category|media)\s*:", re.IGNORECASE)
# Formatting around a name that does not hide it: italics, bold, spans, <small>.
_TRANSPARENT_TAGS = frozenset({"i", "b", "span", "small", "big", "font", "center", "div", "abbr", "u", "s", "sup"})
_WRAPPER_TEMPLATES = frozenset({"nowrap", "nobr", "small", "center", "centre", "longitem", "sort"})
_PLAIN = Renderer()
# A Partner made as NamedTuple._make makes it, without its two Python calls (a frozen dataclass
# cost three times as much): one is made for every country cell.
_new_partner = tuple.__new__


class Partner(NamedTuple):
    """A partner named in a country cell: the name a reader sees, and the article it links to."""

    name: str
    article: str | None


@dataclass
class _Scan:
    partners: list[Partner]
    depth: int = 0  # parentheses open in the text so far: what is inside them is a remark
    image_flag: bool = False  # an image-only flag waits for the link or text that names it
    flag_target: str = ""  # that flag's country, the name when nothing follows it

    def add(self, name: str, article: str | None) -> None:
        name = clean_spaces(name)
        article = clean_spaces(article) if article else None
        if name or article:
            self.partners.append(_new_partner(Partner, (name or article or "", article or None)))
        self.image_flag = False


def _flag(scan: _Scan, template: Template, name: str) -> None:
    shown, args = flag_parts(template, name)
    target = clean_spaces(_PLAIN.text(args[0])) if args else ""
    if name in IMAGE_ONLY_FLAGS:
        scan.image_flag = bool(target)
        scan.flag_target = target
        return
    # Flag templates take country codes too: {{flag|CAR}} shows "Central African Republic".
    code_name = country_for_code(target) if target.isupper() else None
    if code_name is not None:
        target = code_name
    scan.add(clean_spaces(_PLAIN.text(shown)) if shown is not None else target, target or None)


def _visit(scan: _Scan, code: Wikicode) -> None:
    for node in code.nodes:
        if isinstance(node, Text):
            text = str(node.value)
            if scan.image_flag and scan.depth == 0:
                candidate = text.split("(")[0].strip(" \"'\n\t,;")
                if candidate:
                    scan.add(candidate, None)
            scan.depth = max(0, scan.depth + text.count("(") - text.count(")"))
        elif scan.depth > 0:
            continue
        elif isinstance(node, Template):
            name = template_name(node)
            if name in FLAG_TEMPLATES or name == FLAG_MODULE:
                _flag(scan, node, name)
            elif name in _WRAPPER_TEMPLATES:
                args = [p.value for p in node.params if not p.showkey]
                if args:
                    # {{sort|key|shown}} shows its second parameter; the others their first.
                    _visit(scan, args[1] if name == "sort" and len(args) > 1 else args[0])
            else:
                code_name = country_for_code(code_text(node.name))
                if code_name is not None:
                    scan.add(code_name, code_name)
        elif isinstance(node, Wikilink):
            title = code_text(node.title)
            if _NON_CONTENT.match(title) or (scan.partners and not scan.image_flag):
                continue
            target = clean_spaces(title.lstrip(":").split("#")[0])
            shown = clean_spaces(_PLAIN.text(node.text)) if node.text is not None else target
            scan.add(shown or target, target)
        elif isinstance(node, Tag):
            tag = code_text(node.tag).strip().lower()
            if tag in _TRANSPARENT_TAGS and node.contents is not None:
                _visit(scan, node.contents)


def read_countries(code: Wikicode) -> list[Partner]:
    """Every partner a country cell names, in order; plain text when it names none otherwise."""
    scan = _Scan([])
    _visit(scan, code)
    if scan.image_flag and scan.flag_target:
        # A flag icon with no name beside it: the flag's country is the only name the cell gives
        # (the rendered page names it too, in the flag image's file name and link).
        scan.add(scan.flag_target, scan.flag_target)
    if scan.partners:
        return scan.partners
    text = clean_spaces(_PLAIN.text(code))
    return [Partner(text, None)] if text else []


def _plain(code: Wikicode) -> str | None:
    """The text of ``code`` when it is text nodes only (as any renderer renders it), else ``None``."""
    parts = []
    for node in code.nodes:
        if type(node) is not Text:
            return None
        parts.append(node.value)
    return "".join(parts)


def read_flag_cell(code: Wikicode) -> tuple[str, Partner] | None:
    """The text and partner of the commonest country cell, read in one pass: one flag template
    (``{{flag|X}}``, ``{{flagu|X|name=Y}}``), spaces around it, its country and name plain text.
    ``None`` for any other cell (read it with a renderer and :func:`read_countries`).

    Rendering such a cell, then reading its partner, read the same template twice; the text is
    what :class:`~extractor.parse.wikitext.render.Renderer` renders (no callbacks: plain text
    holds no refs), the partner what :func:`read_countries` reads.
    """
    flag: Template | None = None
    texts = []  # the spaces' texts, the flag's (at ``at``) set below
    at = 0
    for node in code.nodes:
        if type(node) is Text:
            value = node.value  # a property: read once
            if not value.isspace():
                return None
            texts.append(value)
        elif type(node) is Template and flag is None:
            flag, at = node, len(texts)
            texts.append("")
        else:
            return None
    if flag is None:
        return None
    name = template_name(flag)
    if (name not in FLAG_TEMPLATES and name != FLAG_MODULE) or name in IMAGE_ONLY_FLAGS:
        return None
    shown_code, args = flag_parts(flag, name)
    raw = _plain(args[0]) if args else ""
    shown = _plain(shown_code) if shown_code is not None else None
    if raw is None or (shown_code is not None and shown is None):
        return None
    # The renderer's reading ({{flag|CAR}} shows "Central African Republic"), then _flag's.
    rendered = shown if shown is not None else (country_for_code(raw) if raw.strip().isupper() else None) or raw
    target = clean_spaces(raw)
    code_name = country_for_code(target) if target.isupper() else None
    if code_name is not None:
        target = code_name
    partner_name = clean_spaces(shown) if shown is not None else target
    if not partner_name and not target:
        return None  # no partner named: read_countries falls back on the cell's text
    texts[at] = rendered
    return "".join(texts), _new_partner(Partner, (partner_name or target, target or None))


def _page_title(target: str) -> str:
    # MediaWiki upper-cases the first letter of every link target: [[greece–X]] is "Greece–X".
    title = clean_spaces(target.replace("_", " "))
    return title[:1].upper() + title[1:]


def main_article(code: Wikicode) -> str | None:
    """The notes cell's main article: a ``{{Main}}``-like hatnote, else a leading "See [[X]]" line."""
    for node in code.nodes:  # code.filter_templates(recursive=False), without its generators
        if isinstance(node, Template) and template_name(node) in _MAIN_TEMPLATES:
            args = positional(node)
            if args and args[0]:
                return _page_title(args[0])
    for line in _lines(code):
        match = _SEE_LINE.match(line)
        if match:
            return _page_title(match.group(1))
    return None


def _lines(code: Wikicode) -> Iterator[str]:
    """The lines of ``str(code)`` in order (and maybe some empty ones more), made as they are read.

    A "See" line is at the top of the notes it leads: the wikitext of the rest of a long cell
    (its citations above all) need not be made to find it. A line break split between two
    nodes ("\\r" then "\\n") gives one empty line more, which no pattern of a line matches.
    """
    pending: list[str] = []  # the pieces of the line not ended yet
    for node in code.nodes:
        chunk = node.value if type(node) is Text else str(node)
        lines = chunk.splitlines()
        ended = chunk[-1:].splitlines() == [""]  # the chunk ends with a line break
        last = "" if ended else (lines.pop() if lines else "")
        if lines:
            lines[0] = "".join(pending) + lines[0]
            pending = []
            yield from lines
        if not ended:
            pending.append(last)
    if any(pending):
        yield "".join(pending)
