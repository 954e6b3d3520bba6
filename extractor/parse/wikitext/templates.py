"""Wikitext templates by name and parameter, as MediaWiki calls them.

What every reader of templates needs: a template's normalised name, its parameters (named,
positional, as text or parsed), and which names are citation or flag templates.
"""

from __future__ import annotations

import re
from functools import lru_cache

from mwparserfromhell.nodes import ExternalLink, Template, Text
from mwparserfromhell.nodes.extras import Parameter
from mwparserfromhell.wikicode import Wikicode

from extractor.text import FLAG_TEMPLATES

__all__ = [
    "CITATION_MODULE",
    "DATE_MODULE",
    "DATE_TEMPLATES",
    "FLAG_MODULE",
    "FOOTNOTES_WITH_TEXT",
    "FOOTNOTE_TEMPLATES",
    "IMAGE_ONLY_FLAGS",
    "LIST_TEMPLATES",
    "LITERAL_TEMPLATES",
    "WRAPPERS_FIRST",
    "WRAPPERS_SECOND",
    "code_text",
    "flag_arguments",
    "flag_parts",
    "is_citation",
    "link_address",
    "param",
    "param_code",
    "params_of",
    "positional",
    "positional_code",
    "strip_comments",
    "template_name",
]

#: ``{{#invoke:cite|web|…}}`` is ``{{cite web|…}}`` called through its Lua module.
CITATION_MODULE = "#invoke:cite"
#: ``{{#invoke:flag||X}}`` is ``{{flag|X}}`` called through its Lua module.
FLAG_MODULE = "#invoke:flag"
#: Flag templates that show only an image: the name a reader sees comes from the link beside them.
IMAGE_ONLY_FLAGS = frozenset({"flagicon", "flagdeco", "flag icon", "flagicon image"})
# Which templates render what (see render.Renderer), by normalised name.
DATE_TEMPLATES = frozenset({"dts", "date table sorting", "dtsort", "start date", "start date and age", "date"})
DATE_MODULE = "#invoke:dts"
FOOTNOTE_TEMPLATES = frozenset({"sfn", "sfnp", "#tag:ref", "refn", "r"})
# Footnote templates whose text is wikitext holding refs of its own, expanded before the footnote.
FOOTNOTES_WITH_TEXT = frozenset({"#tag:ref", "refn"})
# Reference lists: their refs= holds definitions, not uses (see references.ReferenceRegistry).
LIST_TEMPLATES = frozenset({"reflist", "notelist", "notes", "references", "refs", "notelist-ua", "notelist-lr"})
LITERAL_TEMPLATES = {
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
WRAPPERS_FIRST = frozenset(
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
WRAPPERS_SECOND = frozenset({"lang", "transliteration", "transl", "langx", "sort"})
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)


def strip_comments(text: str) -> str:
    """``text`` without its HTML comments (an unclosed one runs to the end)."""
    return _COMMENT.sub("", text) if "<!--" in text else text


def code_text(code: Wikicode) -> str:
    """``str(code)``: the wikitext of a parsed value.

    Names of templates, tags, parameters and attributes are nearly always one text node, and
    reading them is the walk's most frequent call; mwparserfromhell's ``str()`` joins the string
    of every node through two generic layers, so the one-text-node case is answered directly.
    So is a bare URL (an external link without brackets is its URL's text, as its ``str()``
    says): the value of most of a citation's url= and archive-url=.
    """
    nodes = code.nodes
    if len(nodes) == 1:
        for node in nodes:  # not nodes[0]: SmartList's own __getitem__ costs as much as str()
            if type(node) is Text:
                return node.value
            if type(node) is ExternalLink and not node.brackets:
                return code_text(node.url)
    return str(code)


@lru_cache(maxsize=8192)
def _normalise_name(raw: str) -> str:
    name = strip_comments(raw)
    name = name.strip().replace("_", " ")
    if name[:9].lower() == "template:":
        name = name[9:]
    return " ".join(name.split()).lower()


def template_name(template: Template) -> str:
    """The template's name, normalised: lower case, underscores as spaces, no ``Template:``."""
    code = template.name
    nodes = code.nodes
    if len(nodes) == 1:  # code_text's commonest case, without its call: a name is nearly always one text
        for node in nodes:
            if type(node) is Text:
                return _normalise_name(node.value)
    return _normalise_name(code_text(code))


def params_of(template: Template) -> dict[str, Parameter]:
    """The template's parameters by stripped name; a repeated name keeps its last value, as in MediaWiki."""
    return {code_text(p.name).strip(): p for p in template.params}


def _strip_value(value: str) -> str:
    value = value.strip()
    return strip_comments(value).strip() if "<!--" in value else value


def param(template: Template, *names: str) -> str | None:
    """The stripped wikitext of the first named parameter present and non-empty, else ``None``."""
    found = params_of(template)
    for name in names:
        parameter = found.get(name)
        if parameter is not None:
            value = _strip_value(code_text(parameter.value))
            if value:
                return value
    return None


def param_code(template: Template, *names: str) -> Wikicode | None:
    """The parsed value of the first named parameter present and non-empty, else ``None``."""
    found = params_of(template)
    for name in names:
        parameter = found.get(name)
        if parameter is not None and _strip_value(code_text(parameter.value)):
            return parameter.value
    return None


def positional(template: Template) -> list[str]:
    """The template's positional parameters as stripped wikitext, in order."""
    return [code_text(p.value).strip() for p in template.params if not p.showkey]


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
    if name == FLAG_MODULE:
        return positional_code(template)[1:]
    return None


def flag_parts(template: Template, name: str) -> tuple[Wikicode | None, list[Wikicode]]:
    """A flag-like template's ``name=`` (as :func:`param_code` gives it) and its
    :func:`flag_arguments`, in one pass over its parameters: both are read for every partner."""
    shown: Wikicode | None = None
    args: list[Wikicode] = []
    for parameter in template.params:
        if not parameter.showkey:
            args.append(parameter.value)
        elif code_text(parameter.name).strip() == "name":
            shown = parameter.value  # a repeated name keeps its last value, as in params_of
    if shown is not None and not _strip_value(code_text(shown)):
        shown = None
    return shown, args[1:] if name == FLAG_MODULE else args


def link_address(link: ExternalLink) -> str:
    """An external link's address: the text of its URL up to the first template or other markup."""
    address = []
    for node in link.url.nodes:
        if not isinstance(node, Text):
            break
        address.append(str(node.value))
    return "".join(address).strip()
