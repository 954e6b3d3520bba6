"""Wikitext as a reader sees it: plain text with markup, references and images removed.

:func:`render` walks mwparserfromhell nodes and renders the templates whose output is text a
reader reads (flags, dates, dashes, language wrappers, citation templates); every other template
renders as nothing, because guessing its output would put invented text in the dataset.
``<ref>`` tags are handed to a callback, so that the caller can number and link them while
the text is produced in one pass.
"""

from __future__ import annotations

import calendar
import html
import re
from collections.abc import Callable

import mwparserfromhell
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

from .dates import parse_date_parts

__all__ = [
    "BULLET",
    "FLAG_TEMPLATES",
    "RefHandler",
    "Renderer",
    "TableHandler",
    "clean_spaces",
    "param",
    "positional",
    "render",
    "template_name",
]

#: Marks the start of a bullet item in rendered text (a private-use character, never in articles).
BULLET = "\ue000"

#: A callback for each ``<ref>`` met while rendering (the tag itself); it returns nothing.
RefHandler = Callable[[Tag], None]
#: A callback for each table met while rendering; what it returns stands for the table's text.
TableHandler = Callable[[Tag], str]

#: Flag-like templates whose first positional parameter names a country.
FLAG_TEMPLATES = frozenset(
    {"flag", "flagu", "flagcountry", "flag country", "flagicon", "flagdeco", "flag icon", "flagicon image"}
)
# Flag templates that show only an image: the name a reader sees comes from the link beside them.
_IMAGE_ONLY_FLAGS = frozenset({"flagicon", "flagdeco", "flag icon", "flagicon image"})
_DATE_TEMPLATES = frozenset({"dts", "date table sorting", "dtsort", "start date", "start date and age", "date"})
_LITERAL_TEMPLATES = {
    "nbsp": "\u00a0",
    "snd": " – ",
    "spaced ndash": " – ",
    "ndash": "–",
    "mdash": "—",
    "-": "",
    "'": "'",
    "!": "|",
    "=": "=",
    "clear": "",
    "•": " • ",
    "dot": " · ",
    "middot": "·",
}
# Templates that wrap text a reader sees in their first (or, for lang, second) parameter.
_WRAPPERS_FIRST = frozenset(
    {"nowrap", "nobr", "small", "smaller", "big", "abbr", "sic", "nowiki", "em", "strong", "transl", "noitalic"}
)
_WRAPPERS_SECOND = frozenset({"lang", "transliteration", "transl"})
_MONTH_NAMES = tuple(calendar.month_name[1:])
_NON_CONTENT_NAMESPACES = re.compile(r"^\s*(file|image|category|media)\s*:", re.IGNORECASE)


def template_name(template: Template) -> str:
    """The template's name, normalised: lower case, underscores as spaces, no ``Template:``."""
    name = str(template.name).strip().replace("_", " ")
    name = re.sub(r"<!--.*?-->", "", name, flags=re.DOTALL).strip()
    if name.lower().startswith("template:"):
        name = name[len("template:") :]
    return " ".join(name.split()).lower()


def param(template: Template, *names: str) -> str | None:
    """The stripped wikitext of the first named parameter present and non-empty, else ``None``."""
    for name in names:
        if template.has(name):
            value = str(template.get(name).value).strip()
            value = re.sub(r"<!--.*?-->", "", value, flags=re.DOTALL).strip()
            if value:
                return value
    return None


def positional(template: Template) -> list[str]:
    """The template's positional parameters as stripped wikitext, in order."""
    return [str(p.value).strip() for p in template.params if not p.showkey]


def clean_spaces(text: str) -> str:
    """Fold runs of spaces (and non-breaking spaces) to one space, strip the ends."""
    return " ".join(text.replace("\u00a0", " ").split())


def _render_date(template: Template) -> str:
    parts = positional(template)
    parsed = parse_date_parts(parts[:3])
    if parsed is None:
        return " ".join(p for p in parts if p)
    if parsed.day is not None and parsed.month is not None:
        return f"{parsed.day} {_MONTH_NAMES[parsed.month - 1]} {parsed.year}"
    if parsed.month is not None:
        return f"{_MONTH_NAMES[parsed.month - 1]} {parsed.year}"
    return str(parsed.year)


class Renderer:
    """Renders wikitext to plain text, reporting each ``<ref>`` and each table to callbacks."""

    def __init__(self, on_ref: RefHandler | None = None, on_table: TableHandler | None = None) -> None:
        self.on_ref = on_ref
        self.on_table = on_table

    def text(self, code: Wikicode) -> str:
        """The plain text of ``code``."""
        return "".join(self.node(node) for node in code.nodes)

    def _template(self, template: Template) -> str:
        name = template_name(template)
        if name in FLAG_TEMPLATES:
            if name in _IMAGE_ONLY_FLAGS:
                return ""
            shown = param(template, "name") or (positional(template) or [""])[0]
            return self.text(mwparserfromhell.parse(shown))
        if name in _DATE_TEMPLATES:
            return _render_date(template)
        if name in _LITERAL_TEMPLATES:
            return _LITERAL_TEMPLATES[name]
        args = positional(template)
        if (name in _WRAPPERS_SECOND or name.startswith("lang-")) and name not in _WRAPPERS_FIRST:
            index = 0 if name.startswith("lang-") else 1
            return self.text(mwparserfromhell.parse(args[index])) if len(args) > index else ""
        if name in _WRAPPERS_FIRST:
            return self.text(mwparserfromhell.parse(args[0])) if args else ""
        if name.startswith("cite ") or name == "citation":
            from .references import render_citation  # local: references builds on this module

            return render_citation(template)
        # An unknown template renders as nothing, but MediaWiki still numbers the <ref>s it
        # passes through: visit its parameters so that the numbering stays right.
        for parameter in template.params:
            self.text(parameter.value)
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
        if isinstance(node, Comment | Argument | Heading):
            return self.text(node.title) if isinstance(node, Heading) else ""
        if isinstance(node, HTMLEntity):
            return html.unescape(str(node))
        if isinstance(node, Wikilink):
            title = str(node.title)
            if _NON_CONTENT_NAMESPACES.match(title):
                return ""
            if node.text is not None:
                return self.text(node.text)
            return self.text(mwparserfromhell.parse(title.lstrip(":")))
        if isinstance(node, ExternalLink):
            if node.title is not None:
                return self.text(node.title)
            return "" if node.brackets else str(node.url)
        if isinstance(node, Template):
            return self._template(node)
        if isinstance(node, Tag):
            return self._tag(node)
        return ""


def render(code: Wikicode, on_ref: RefHandler | None = None) -> str:
    """Render wikitext as plain text (line breaks kept), calling ``on_ref`` for each ``<ref>``."""
    return Renderer(on_ref).text(code)
