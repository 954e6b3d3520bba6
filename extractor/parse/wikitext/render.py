"""Wikitext as a reader sees it: plain text with markup, references and images removed.

:class:`Renderer` walks mwparserfromhell nodes and renders the templates whose output is text a
reader reads (flags, country codes, dates, dashes, language wrappers, citation templates); every
other template renders as nothing, because guessing its output would put invented text in the
dataset. ``<ref>`` tags (and the templates that make footnotes: ``{{sfn}}``, ``{{#tag:ref}}``, …)
are handed to callbacks, so that the caller can number and link them while the text is produced
in one pass. :meth:`Renderer.scan` makes the same calls without producing text, for the parts
of an article whose text nobody reads.

Citation templates are rendered here too (:func:`render_citation`), with the fields they are
read into (:func:`citation_fields`): their parameters are wikitext rendered by the same
:class:`Renderer`, and a citation is rendered wherever it stands.
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
from mwparserfromhell.nodes.extras import Parameter
from mwparserfromhell.wikicode import Wikicode

from extractor.countries import country_for_code
from extractor.dates import parse_date_parts
from extractor.parse.marks import link_mark
from extractor.parse.wikitext.templates import (
    CITATION_MODULE,
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
    params_of,
    positional,
    positional_code,
    strip_comments,
    template_name,
)
from extractor.text import BULLET, FLAG_TEMPLATES, clean_spaces

__all__ = [
    "FootnoteHandler",
    "RefHandler",
    "Renderer",
    "TableHandler",
    "citation_fields",
    "citation_kind",
    "lookup",
    "plain_value",
    "raw_value",
    "render_citation",
    "url_value",
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


# Citation templates' parameters, by the field they fill (the first present and non-empty wins).
_WORK_PARAMS = ("work", "website", "newspaper", "journal", "magazine", "periodical", "agency")
_ACCESS_DATE = ("access-date", "accessdate")
_ARCHIVE_URL = ("archive-url", "archiveurl")
_ARCHIVE_DATE = ("archive-date", "archivedate")
# A parameter value without these characters is its own plain text: no need to render it.
_MARKUP = re.compile(r"[{}\[\]<>&']")


def lookup(found: dict[str, Parameter], *names: str) -> Wikicode | None:
    """The value of the first parameter present and non-empty (a comment alone is empty)."""
    for name in names:
        parameter = found.get(name)
        if parameter is not None and raw_value(parameter.value):
            return parameter.value
    return None


def plain_value(value: Wikicode | None) -> str | None:
    """Plain text of a parameter value (parsed already: no re-parsing of snippets)."""
    if value is None:
        return None
    raw = strip_comments(code_text(value))
    text = clean_spaces(Renderer().text(value)) if _MARKUP.search(raw) else clean_spaces(raw)
    return text or None


def raw_value(value: Wikicode | None) -> str | None:
    """A parameter value's wikitext, stripped, comments removed; ``None`` when that leaves nothing."""
    if value is None:
        return None
    text = code_text(value)
    text = strip_comments(text).strip()
    return text or None


def url_value(value: Wikicode | None) -> str | None:
    """A URL parameter: its text, or what its templates render ({{Google books}} renders nothing)."""
    raw = raw_value(value)
    if raw is None or "{{" not in raw:
        return raw
    return plain_value(value)


def _citation_params(template: Template) -> dict[str, Parameter]:
    found = params_of(template)
    if template_name(template) == CITATION_MODULE:
        # {{#invoke:cite|web|…}}: the first positional parameter is the kind, not data.
        found.pop("1", None)
    return found


def _authors(found: dict[str, Parameter]) -> str | None:
    names = []
    for suffix in ("", "1", "2", "3", "4"):
        last = plain_value(lookup(found, f"last{suffix}", f"author{suffix}-last", f"surname{suffix}"))
        first = plain_value(lookup(found, f"first{suffix}", f"author{suffix}-first", f"given{suffix}"))
        author = plain_value(lookup(found, f"author{suffix}"))
        if last:
            names.append(f"{last}, {first}" if first else last)
        elif author:
            names.append(author.strip("()"))
    return clean_spaces("; ".join(names)) or None


# CS1's script-title starts with the script's language code ("ru:Москва"), which it does not show.
_SCRIPT_LANGUAGE = re.compile(r"^\s*[a-z]{2,3}(?:-[a-z]+)?\s*:\s*")


def _title(found: dict[str, Parameter]) -> str | None:
    title = plain_value(lookup(found, "title"))
    if title is None:
        script = plain_value(lookup(found, "script-title"))
        title = _SCRIPT_LANGUAGE.sub("", script) if script else None
    return title or plain_value(lookup(found, "trans-title"))


def _fields(found: dict[str, Parameter]) -> dict[str, str | None]:
    return {
        "title": _title(found),
        "url": url_value(lookup(found, "url", "chapter-url")),
        "work": plain_value(lookup(found, *_WORK_PARAMS)),
        "publisher": plain_value(lookup(found, "publisher", "institution")),
        "date": plain_value(lookup(found, "date", "year")),
        "access_date": plain_value(lookup(found, *_ACCESS_DATE)),
        "archive_url": url_value(lookup(found, *_ARCHIVE_URL)),
        "archive_date": plain_value(lookup(found, *_ARCHIVE_DATE)),
    }


def citation_fields(template: Template) -> dict[str, str | None]:
    """The fields of a citation template (``{{cite web}}``, ``{{#invoke:cite|web}}``, …) as plain text."""
    return _fields(_citation_params(template))


def citation_kind(template: Template) -> str:
    """The citation template's kind as a template name: ``{{#invoke:cite|web}}`` is ``cite web``."""
    name = template_name(template)
    if name == CITATION_MODULE:
        kind = (positional(template) or [""])[0].strip().lower()
        return f"cite {kind}" if kind and kind != "citation" else "citation"
    return name


def render_citation(template: Template, fields: dict[str, str | None] | None = None) -> str:
    """A citation template as a reader sees it, in the order CS1 prints its parts.

    ``fields`` are its :func:`citation_fields` when the caller has them already.
    """
    found = _citation_params(template)
    fields = fields if fields is not None else _fields(found)
    parts: list[str] = []
    authors = _authors(found)
    if authors:
        parts.append(f"{authors}.")
    if fields["title"]:
        is_book = citation_kind(template) in {"cite book", "citation"}
        parts.append(f"{fields['title']}." if is_book else f'"{fields["title"]}".')
    for key in ("work", "publisher", "date"):
        if fields[key]:
            parts.append(f"{fields[key]}.")
    if fields["archive_url"] and fields["archive_date"]:
        parts.append(f"Archived from the original on {fields['archive_date']}.")
    if fields["access_date"]:
        parts.append(f"Retrieved {fields['access_date']}.")
    return " ".join(parts)


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
        # Most nodes are text: they are their own rendering, without the dispatch of :meth:`node`.
        return "".join([node.value if type(node) is Text else self.node(node) for node in code.nodes])

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
            return render_citation(template)
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
        render = _RENDERS.get(type(node)) or _by_kind(_RENDERS, node, _nothing)
        return render(self, node)

    def _text_node(self, node: Text) -> str:
        return str(node.value)

    def _wikilink(self, node: Wikilink) -> str:
        if _NON_CONTENT_NAMESPACES.match(code_text(node.title)):
            if node.text is not None:
                self.scan(node.text)  # a thumbnail's caption still numbers its refs
            return ""
        label = self.text(node.text) if node.text is not None else self.text(node.title).lstrip(":")
        if self.mark_links:
            return link_mark(_link_target(self.text(node.title)), label)
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
