"""Wikitext as a reader sees it: plain text with markup, references and images removed.

:class:`Renderer` walks mwparserfromhell nodes and renders the templates whose output is text a
reader reads (flags, country codes, dates, dashes, language wrappers, citation templates); every
other template renders as nothing, because guessing its output would put invented text in the
dataset. ``<ref>`` tags (and the templates that make footnotes: ``{{sfn}}``, ``{{#tag:ref}}``, …)
are handed to callbacks, so that the caller can number and link them while the text is produced
in one pass. :meth:`Renderer.scan` makes the same calls without producing text, for the parts
of an article whose text nobody reads.

A citation template is rendered wherever it stands, by :mod:`extractor.parse.wikitext.citation`,
its parameters' wikitext by a :class:`Renderer` without callbacks.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    HTMLEntity,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from extractor.countries import country_for_code
from extractor.dates import parse_date_parts
from extractor.parse.marks import link_mark
from extractor.parse.wikitext.citation import read_citation
from extractor.parse.wikitext.templates import (
    DATE_MODULE,
    DATE_TEMPLATES,
    FLAG_MODULE,
    FOOTNOTE_TEMPLATES,
    FOOTNOTES_WITH_TEXT,
    IMAGE_ONLY_FLAGS,
    LIST_TEMPLATES,
    LITERAL_TEMPLATES,
    WRAPPERS_FIRST,
    WRAPPERS_SECOND,
    code_text,
    flag_parts,
    is_citation,
    link_address,
    positional,
    positional_code,
    template_name,
)
from extractor.text import BULLET, FLAG_TEMPLATES, clean_spaces

__all__ = [
    "FootnoteHandler",
    "RefHandler",
    "Renderer",
    "TableHandler",
]

#: A callback for each ``<ref>`` met while rendering (the tag itself); what it returns (a citation
#: mark, see :mod:`extractor.parse.marks`) stands for the tag in the text, ``None`` for nothing.
RefHandler = Callable[[Tag], str | None]
#: A callback for each table met while rendering; what it returns stands for the table's text.
TableHandler = Callable[[Tag], str]
#: A callback for each template that makes footnotes (``{{sfn}}``, ``{{#tag:ref}}``, ``{{refn}}``, ``{{r}}``);
#: what it returns stands for the template in the text, as for :data:`RefHandler`.
FootnoteHandler = Callable[[Template], str | None]

_MONTH_NAMES = tuple(calendar.month_name[1:])
# Tags whose content is no wikitext a reader sees (or, for <references>, holds definitions only).
_OPAQUE_TAGS = frozenset({"references", "nowiki", "math", "score", "timeline", "templatestyles", "style"})
_NON_CONTENT_NAMESPACES = re.compile(r"^\s*(file|image|category|media)\s*:", re.IGNORECASE)


# Pure: a date template's parameters recur across rows and articles ({{dts|1992}}).
@lru_cache(maxsize=8192)
def _render_date(parts: tuple[str, ...]) -> str:
    parsed = parse_date_parts(list(parts[:3]))
    if parsed is None:
        return " ".join(p for p in parts if p)
    if parsed.day is not None and parsed.month is not None:
        return f"{parsed.day} {_MONTH_NAMES[parsed.month - 1]} {parsed.year}"
    if parsed.month is not None:
        return f"{_MONTH_NAMES[parsed.month - 1]} {parsed.year}"
    return str(parsed.year)


def _link_target(title: str) -> str:
    """The page a link's title names, as MediaWiki normalises it (first letter upper case, no
    fragment, spaces for underscores)."""
    page = clean_spaces(title.lstrip(":").split("#", 1)[0].replace("_", " "))
    return page[:1].upper() + page[1:]


class Renderer:
    """Renders wikitext to plain text, reporting each ``<ref>``, footnote template and table to callbacks."""

    def __init__(
        self,
        on_ref: RefHandler | None = None,
        on_table: TableHandler | None = None,
        on_footnote: FootnoteHandler | None = None,
        rendered: dict[int, str] | None = None,
        *,
        mark_links: bool = False,
    ) -> None:
        self.on_ref = on_ref
        #: Wrap each article link's label in link marks (:func:`extractor.parse.marks.link_mark`).
        self.mark_links = mark_links
        self.on_table = on_table
        self.on_footnote = on_footnote
        # Texts already rendered, by template id: a reference's citation is rendered once.
        self.rendered = rendered or {}

    def text(self, code: Wikicode) -> str:
        """The plain text of ``code``."""
        # Most nodes are text: they are their own rendering; the others are dispatched here, not
        # through a call of :meth:`node`. Most cells and parameter values are one node: no list.
        nodes = code.nodes
        if len(nodes) == 1:
            for node in nodes:  # not nodes[0]: SmartList's own __getitem__ is a Python call
                return node.value if type(node) is Text else _RENDERS.get(type(node), _other)(self, node)
        return "".join(
            [node.value if type(node) is Text else _RENDERS.get(type(node), _other)(self, node) for node in nodes]
        )

    def scan(self, code: Wikicode) -> None:
        """Make the callbacks :meth:`text` would make, in the same order, without producing text."""
        for node in code.nodes:
            scan = _SCANS.get(type(node))
            if scan is None:
                self.scan_node(node)
            elif scan is not _skip:
                scan(self, node)

    def scan_node(self, node: Node) -> None:
        """:meth:`scan` for one node."""
        scan = _SCANS.get(type(node)) or _by_kind(_SCANS, node, _skip)
        scan(self, node)

    def _scan_wikilink(self, link: Wikilink) -> None:
        if link.text is not None:
            self.scan(link.text)

    def _scan_external_link(self, link: ExternalLink) -> None:
        if link.title is not None:
            self.scan(link.title)

    def _scan_heading(self, heading: Heading) -> None:
        self.scan(heading.title)

    def _scan_tag(self, tag: Tag) -> None:
        name = code_text(tag.tag).strip().lower()
        if name == "ref":
            if self.on_ref is not None:
                self.on_ref(tag)
        elif name == "table" and self.on_table is not None:
            self.on_table(tag)
        elif name not in _OPAQUE_TAGS and tag.contents is not None:
            self.scan(tag.contents)

    def _scan_template(self, template: Template) -> None:
        name = template_name(template)
        if name in FOOTNOTE_TEMPLATES:
            self._footnote(template, name)
        elif name not in LIST_TEMPLATES:
            for parameter in template.params:
                self.scan(parameter.value)

    def _footnote(self, template: Template, name: str) -> str:
        if name in FOOTNOTES_WITH_TEXT:
            # The parser function's arguments are expanded first: refs inside its text are
            # numbered before the footnote it makes.
            for parameter in template.params:
                self.scan(parameter.value)
        if self.on_footnote is not None:
            return self.on_footnote(template) or ""
        return ""

    def _flag(self, template: Template, name: str) -> str:
        if name in IMAGE_ONLY_FLAGS:
            return ""
        shown, args = flag_parts(template, name)
        if shown is not None:
            return self.text(shown)
        target = self.text(args[0]) if args else ""
        # Flag templates take country codes too: {{flag|CAR}} shows "Central African Republic".
        return (country_for_code(target) if target.strip().isupper() else None) or target

    def _template(self, template: Template) -> str:
        name = template_name(template)
        if name in FLAG_TEMPLATES or name == FLAG_MODULE:
            return self._flag(template, name)
        if name in DATE_TEMPLATES:
            return _render_date(tuple(positional(template)))
        if name == DATE_MODULE:
            return _render_date(tuple(positional(template)[1:]))
        if name in LITERAL_TEMPLATES:
            return LITERAL_TEMPLATES[name]
        if is_citation(name):
            if id(template) in self.rendered:
                return self.rendered[id(template)]
            return read_citation(template, _PLAIN_TEXT).text
        if name in FOOTNOTE_TEMPLATES:
            return self._footnote(template, name)
        if name in WRAPPERS_FIRST or name in WRAPPERS_SECOND or name.startswith("lang-"):
            index = 1 if name in WRAPPERS_SECOND else 0
            if name == "sort" and len(template.params) < 2:
                index = 0  # {{sort|text}} shows its only parameter (the sort key is the text)
            shown = ""
            for position, value in enumerate(positional_code(template)):
                if position == index:
                    shown = self.text(value)
                else:
                    self.scan(value)
            return shown
        code_name = country_for_code(code_text(template.name))
        if code_name is not None:
            return code_name
        if name in LIST_TEMPLATES:
            return ""
        # An unknown template renders as nothing, but MediaWiki still numbers the <ref>s it
        # passes through: visit its parameters so that the numbering stays right.
        for parameter in template.params:
            self.scan(parameter.value)
        return ""

    def _tag(self, tag: Tag) -> str:
        name = code_text(tag.tag).strip().lower()
        if name == "ref":
            if self.on_ref is not None:
                return self.on_ref(tag) or ""
            return ""
        if name == "br":
            return "\n"
        if name == "table" and self.on_table is not None:
            return self.on_table(tag)
        if name in {"references", "gallery", "math", "score", "timeline", "templatestyles", "style", "table"}:
            return ""
        if name == "nowiki":
            return str(tag.contents) if tag.contents is not None else ""
        if name in {"li", "dd", "dt"} and tag.wiki_markup:
            # "* item" parses as an empty <li> followed by the item's text.
            return BULLET if name == "li" else ""
        if tag.contents is None:
            return ""
        return self.text(tag.contents)

    def node(self, node: Node) -> str:
        """The plain text of one node."""
        return _RENDERS.get(type(node), _other)(self, node)

    def _text_node(self, node: Text) -> str:
        return str(node.value)

    def _wikilink(self, node: Wikilink) -> str:
        title, text = node.title, node.text  # properties: each read once
        if _NON_CONTENT_NAMESPACES.match(code_text(title)):
            if text is not None:
                self.scan(text)  # a thumbnail's caption still numbers its refs
            return ""
        label = self.text(text) if text is not None else self.text(title).lstrip(":")
        if self.mark_links:
            return link_mark(_link_target(self.text(title)), label)
        return label

    def _html_entity(self, node: HTMLEntity) -> str:
        return html.unescape(str(node))

    def _external_link(self, node: ExternalLink) -> str:
        if node.title is not None:
            return self.text(node.title)
        if node.brackets:
            return ""
        # A free URL ends where a template begins ("http://x.org{{dead link}}"): MediaWiki expands
        # the template first, and its output is not part of the address.
        nodes = node.url.nodes
        leading = 0
        while leading < len(nodes) and isinstance(nodes[leading], Text):
            leading += 1
        return link_address(node) + "".join(self.node(n) for n in nodes[leading:])

    def _heading(self, node: Heading) -> str:
        return self.text(node.title)


def _nothing(renderer: Renderer, node: Node) -> str:
    return ""


def _other(renderer: Renderer, node: Node) -> str:
    """The rendering of a node whose exact type has none of its own: its kind's, else nothing."""
    return _by_kind(_RENDERS, node, _nothing)(renderer, node)


def _skip(renderer: Renderer, node: Node) -> None:
    return None


_Handler = TypeVar("_Handler")


def _by_kind(handlers: dict[type[Node], _Handler], node: Node, default: _Handler) -> _Handler:
    """The handler of the first node type ``node`` is an instance of (for subclasses of node types)."""
    for kind, handler in handlers.items():
        if isinstance(node, kind):
            return handler
    return default


# Each node type's rendering and scan, looked up by type: the renderer's most frequent call, which
# a chain of isinstance tests would make several times per node. A subclass of a node type (none
# in mwparserfromhell today) is found by isinstance, in this order; other nodes render as nothing.
_RENDERS: dict[type[Node], Callable[[Renderer, Any], str]] = {
    Text: Renderer._text_node,
    # A comment or a template's {{{argument}}} is no text a reader sees: named here, not found
    # by _by_kind's isinstance loop over every entry before its default (comments are common).
    Comment: _nothing,
    Argument: _nothing,
    Template: Renderer._template,
    Tag: Renderer._tag,
    Wikilink: Renderer._wikilink,
    HTMLEntity: Renderer._html_entity,
    ExternalLink: Renderer._external_link,
    Heading: Renderer._heading,
}
_SCANS: dict[type[Node], Callable[[Renderer, Any], None]] = {
    Text: _skip,
    Comment: _skip,
    HTMLEntity: _skip,
    Argument: _skip,
    Tag: Renderer._scan_tag,
    Template: Renderer._scan_template,
    Wikilink: Renderer._scan_wikilink,
    ExternalLink: Renderer._scan_external_link,
    Heading: Renderer._scan_heading,
}

# The rendering of a citation's parameters: no callbacks (refs inside a citation are not the
# text's citations) and no link marks. The renderer keeps no state while it renders, so one serves.
_PLAIN_TEXT = Renderer().text
