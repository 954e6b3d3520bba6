"""Wikitext as a reader sees it: plain text with markup, references and images removed.

:func:`render` walks mwparserfromhell nodes and renders the templates whose output is text a
reader reads (flags, country codes, dates, dashes, language wrappers, citation templates); every
other template renders as nothing, because guessing its output would put invented text in the
dataset. ``<ref>`` tags (and the templates that make footnotes: ``{{sfn}}``, ``{{#tag:ref}}``, …)
are handed to callbacks, so that the caller can number and link them while the text is produced
in one pass. :meth:`Renderer.scan` makes the same calls without producing text, for the parts
of an article whose text nobody reads.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Callable
from functools import lru_cache

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
from extractor.text import BULLET, FLAG_TEMPLATES, clean_spaces

__all__ = [
    "BULLET",
    "CITATION_MODULE",
    "FLAG_TEMPLATES",
    "FootnoteHandler",
    "RefHandler",
    "Renderer",
    "TableHandler",
    "clean_spaces",
    "flag_arguments",
    "is_citation",
    "link_address",
    "param",
    "param_code",
    "params_of",
    "positional",
    "positional_code",
    "render",
    "template_name",
]

#: A callback for each ``<ref>`` met while rendering (the tag itself); it returns nothing.
RefHandler = Callable[[Tag], None]
#: A callback for each table met while rendering; what it returns stands for the table's text.
TableHandler = Callable[[Tag], str]
#: A callback for each template that makes footnotes (``{{sfn}}``, ``{{#tag:ref}}``, ``{{refn}}``, ``{{r}}``).
FootnoteHandler = Callable[[Template], None]

#: ``{{#invoke:cite|web|…}}`` is ``{{cite web|…}}`` called through its Lua module.
CITATION_MODULE = "#invoke:cite"
# Flag templates that show only an image: the name a reader sees comes from the link beside them.
_IMAGE_ONLY_FLAGS = frozenset({"flagicon", "flagdeco", "flag icon", "flagicon image"})
_FLAG_MODULE = "#invoke:flag"
_DATE_TEMPLATES = frozenset(
    {"dts", "date table sorting", "dtsort", "start date", "start date and age", "date"}
)
_DATE_MODULE = "#invoke:dts"
_FOOTNOTE_TEMPLATES = frozenset({"sfn", "sfnp", "#tag:ref", "refn", "r"})
# Footnote templates whose text is wikitext holding refs of its own, expanded before the footnote.
_FOOTNOTES_WITH_TEXT = frozenset({"#tag:ref", "refn"})
# Reference lists: their refs= holds definitions, not uses (see references.ReferenceRegistry).
_LIST_TEMPLATES = frozenset(
    {"reflist", "notelist", "notes", "references", "refs", "notelist-ua", "notelist-lr"}
)
_LITERAL_TEMPLATES = {
    "nbsp": "\u00a0",
    "snd": " – ",
    "spaced ndash": " – ",
    "spaced en dash": " – ",
    "ndash": "–",
    "mdash": "—",
    "-": "",
    "'": "'",
    "!": "|",
    "pipe": "|",
    "=": "=",
    "clear": "",
    "•": " • ",
    "dot": " · ",
    "middot": "·",
    "pb": "\n",
    "br": "\n",
    "n/a": "N/A",
    "na": "N/A",
    "yes": "Yes",
    "no": "No",
}
# Templates that wrap text a reader sees in their first (or, for lang, second) parameter.
_WRAPPERS_FIRST = frozenset(
    {
        "nowrap",
        "nobr",
        "small",
        "smaller",
        "big",
        "larger",
        "abbr",
        "sic",
        "nowiki",
        "em",
        "strong",
        "noitalic",
        "longitem",
        "center",
        "centre",
        "mono",
        "vanchor",
        "ill",
        "interlanguage link",
        "daterange",
    }
)
_WRAPPERS_SECOND = frozenset({"lang", "transliteration", "transl", "langx", "sort"})
_MONTH_NAMES = tuple(calendar.month_name[1:])
# Tags whose content is no wikitext a reader sees (or, for <references>, holds definitions only).
_OPAQUE_TAGS = frozenset({"references", "nowiki", "math", "score", "timeline", "templatestyles", "style"})
_NON_CONTENT_NAMESPACES = re.compile(r"^\s*(file|image|category|media)\s*:", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


@lru_cache(maxsize=8192)
def _normalise_name(raw: str) -> str:
    name = _COMMENT.sub("", raw) if "<!--" in raw else raw
    name = name.strip().replace("_", " ")
    if name[:9].lower() == "template:":
        name = name[9:]
    return " ".join(name.split()).lower()


def template_name(template: Template) -> str:
    """The template's name, normalised: lower case, underscores as spaces, no ``Template:``."""
    return _normalise_name(str(template.name))


def params_of(template: Template) -> dict[str, Parameter]:
    """The template's parameters by stripped name; a repeated name keeps its last value, as in MediaWiki."""
    return {str(p.name).strip(): p for p in template.params}


def _strip_value(value: str) -> str:
    value = value.strip()
    return _COMMENT.sub("", value).strip() if "<!--" in value else value


def param(template: Template, *names: str) -> str | None:
    """The stripped wikitext of the first named parameter present and non-empty, else ``None``."""
    found = params_of(template)
    for name in names:
        parameter = found.get(name)
        if parameter is not None:
            value = _strip_value(str(parameter.value))
            if value:
                return value
    return None


def param_code(template: Template, *names: str) -> Wikicode | None:
    """The parsed value of the first named parameter present and non-empty, else ``None``."""
    found = params_of(template)
    for name in names:
        parameter = found.get(name)
        if parameter is not None and _strip_value(str(parameter.value)):
            return parameter.value
    return None


def positional(template: Template) -> list[str]:
    """The template's positional parameters as stripped wikitext, in order."""
    return [str(p.value).strip() for p in template.params if not p.showkey]


def positional_code(template: Template) -> list[Wikicode]:
    """The template's positional parameters as parsed values, in order."""
    return [p.value for p in template.params if not p.showkey]


def is_citation(name: str) -> bool:
    """True for the citation templates' normalised names (``cite web``, ``citation``, …)."""
    return name.startswith("cite ") or name == "citation" or name == CITATION_MODULE


def flag_arguments(template: Template, name: str | None = None) -> list[Wikicode] | None:
    """The positional parameters of a flag-like template after its module's function name, else ``None``.

    ``{{flag|Chile}}`` and ``{{#invoke:flag||Chile}}`` both give ``[Chile]``.
    """
    name = name or template_name(template)
    if name in FLAG_TEMPLATES:
        return positional_code(template)
    if name == _FLAG_MODULE:
        return positional_code(template)[1:]
    return None


def link_address(link: ExternalLink) -> str:
    """An external link's address: the text of its URL up to the first template or other markup."""
    address = []
    for node in link.url.nodes:
        if not isinstance(node, Text):
            break
        address.append(str(node.value))
    return "".join(address).strip()


def _render_date(parts: list[str]) -> str:
    parsed = parse_date_parts(parts[:3])
    if parsed is None:
        return " ".join(p for p in parts if p)
    if parsed.day is not None and parsed.month is not None:
        return f"{parsed.day} {_MONTH_NAMES[parsed.month - 1]} {parsed.year}"
    if parsed.month is not None:
        return f"{_MONTH_NAMES[parsed.month - 1]} {parsed.year}"
    return str(parsed.year)


class Renderer:
    """Renders wikitext to plain text, reporting each ``<ref>``, footnote template and table to callbacks."""

    def __init__(
        self,
        on_ref: RefHandler | None = None,
        on_table: TableHandler | None = None,
        on_footnote: FootnoteHandler | None = None,
        rendered: dict[int, str] | None = None,
    ) -> None:
        self.on_ref = on_ref
        self.on_table = on_table
        self.on_footnote = on_footnote
        # Texts already rendered, by template id: a reference's citation is rendered once.
        self.rendered = rendered or {}

    def text(self, code: Wikicode) -> str:
        """The plain text of ``code``."""
        return "".join([self.node(node) for node in code.nodes])

    def scan(self, code: Wikicode) -> None:
        """Make the callbacks :meth:`text` would make, in the same order, without producing text."""
        for node in code.nodes:
            self.scan_node(node)

    def scan_node(self, node: Node) -> None:
        """:meth:`scan` for one node."""
        if isinstance(node, Text | Comment | HTMLEntity | Argument):
            return
        if isinstance(node, Tag):
            self._scan_tag(node)
        elif isinstance(node, Template):
            self._scan_template(node)
        elif isinstance(node, Wikilink):
            if node.text is not None:
                self.scan(node.text)
        elif isinstance(node, ExternalLink):
            if node.title is not None:
                self.scan(node.title)
        elif isinstance(node, Heading):
            self.scan(node.title)

    def _scan_tag(self, tag: Tag) -> None:
        name = str(tag.tag).strip().lower()
        if name == "ref":
            if self.on_ref is not None:
                self.on_ref(tag)
        elif name == "table" and self.on_table is not None:
            self.on_table(tag)
        elif name not in _OPAQUE_TAGS and tag.contents is not None:
            self.scan(tag.contents)

    def _scan_template(self, template: Template) -> None:
        name = template_name(template)
        if name in _FOOTNOTE_TEMPLATES:
            self._footnote(template, name)
        elif name not in _LIST_TEMPLATES:
            for parameter in template.params:
                self.scan(parameter.value)

    def _footnote(self, template: Template, name: str) -> None:
        if name in _FOOTNOTES_WITH_TEXT:
            # The parser function's arguments are expanded first: refs inside its text are
            # numbered before the footnote it makes.
            for parameter in template.params:
                self.scan(parameter.value)
        if self.on_footnote is not None:
            self.on_footnote(template)

    def _flag(self, template: Template, name: str) -> str:
        if name in _IMAGE_ONLY_FLAGS:
            return ""
        shown = param_code(template, "name")
        if shown is not None:
            return self.text(shown)
        args = flag_arguments(template, name) or []
        target = self.text(args[0]) if args else ""
        # Flag templates take country codes too: {{flag|CAR}} shows "Central African Republic".
        return (country_for_code(target) if target.strip().isupper() else None) or target

    def _template(self, template: Template) -> str:
        name = template_name(template)
        if name in FLAG_TEMPLATES or name == _FLAG_MODULE:
            return self._flag(template, name)
        if name in _DATE_TEMPLATES:
            return _render_date(positional(template))
        if name == _DATE_MODULE:
            return _render_date(positional(template)[1:])
        if name in _LITERAL_TEMPLATES:
            return _LITERAL_TEMPLATES[name]
        if is_citation(name):
            if id(template) in self.rendered:
                return self.rendered[id(template)]
            from extractor.parse.wikitext.references import render_citation  # local: references builds on this module

            return render_citation(template)
        if name in _FOOTNOTE_TEMPLATES:
            self._footnote(template, name)
            return ""
        if name in _WRAPPERS_FIRST or name in _WRAPPERS_SECOND or name.startswith("lang-"):
            index = 1 if name in _WRAPPERS_SECOND else 0
            if name == "sort" and len(template.params) < 2:
                index = 0  # {{sort|text}} shows its only parameter (the sort key is the text)
            shown = ""
            for position, value in enumerate(positional_code(template)):
                if position == index:
                    shown = self.text(value)
                else:
                    self.scan(value)
            return shown
        code_name = country_for_code(str(template.name))
        if code_name is not None:
            return code_name
        if name in _LIST_TEMPLATES:
            return ""
        # An unknown template renders as nothing, but MediaWiki still numbers the <ref>s it
        # passes through: visit its parameters so that the numbering stays right.
        for parameter in template.params:
            self.scan(parameter.value)
        return ""

    def _tag(self, tag: Tag) -> str:
        name = str(tag.tag).strip().lower()
        if name == "ref":
            if self.on_ref is not None:
                self.on_ref(tag)
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
        if isinstance(node, Text):
            return str(node.value)
        if isinstance(node, Template):
            return self._template(node)
        if isinstance(node, Tag):
            return self._tag(node)
        if isinstance(node, Wikilink):
            if _NON_CONTENT_NAMESPACES.match(str(node.title)):
                if node.text is not None:
                    self.scan(node.text)  # a thumbnail's caption still numbers its refs
                return ""
            if node.text is not None:
                return self.text(node.text)
            return self.text(node.title).lstrip(":")
        if isinstance(node, HTMLEntity):
            return html.unescape(str(node))
        if isinstance(node, ExternalLink):
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
        if isinstance(node, Heading):
            return self.text(node.title)
        return ""


def render(code: Wikicode, on_ref: RefHandler | None = None) -> str:
    """Render wikitext as plain text (line breaks kept), calling ``on_ref`` for each ``<ref>``."""
    return Renderer(on_ref).text(code)
