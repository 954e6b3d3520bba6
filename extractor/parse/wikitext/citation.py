"""Citation templates (``{{cite web}}``, ``{{citation}}``, ``{{#invoke:cite|web|…}}``): their
kind, the fields they are read into, and their text as a reader sees it, in CS1's order.

A citation's parameters are read once into :class:`Parameters`, a dictionary of their parsed
values by name. Reading a citation asks for some forty names, the authors' alone for thirty, and
most are absent: the dictionary answers each in one step, where a scan of the template's
parameters per name (and its kind and parameters worked out again to render it) made up most
of the time references took.

A parameter's value is wikitext (links, dates, flags): the caller passes the function that
renders it, :meth:`extractor.parse.wikitext.render.Renderer.text` of a renderer without
callbacks. The renderer renders citations with this module, so this module does not import it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mwparserfromhell.nodes import Template
from mwparserfromhell.wikicode import Wikicode

from extractor.parse.wikitext.templates import CITATION_MODULE, code_text, strip_comments, template_name
from extractor.text import clean_spaces

__all__ = [
    "Citation",
    "Parameters",
    "RenderText",
    "citation_fields",
    "plain_value",
    "read_citation",
]

#: Renders parsed wikitext to plain text (a :class:`~extractor.parse.wikitext.render.Renderer`'s ``text``).
RenderText = Callable[[Wikicode], str]

# A parameter value without these characters is its own plain text: no need to render it.
_MARKUP = re.compile(r"[{}\[\]<>&']")
# Citation templates' parameters, by the field they fill (the first present and non-empty wins).
_WORK_PARAMS = ("work", "website", "newspaper", "journal", "magazine", "periodical", "agency")
_ACCESS_DATE = ("access-date", "accessdate")
_ARCHIVE_URL = ("archive-url", "archiveurl")
_ARCHIVE_DATE = ("archive-date", "archivedate")
# The names of the first five authors' parts (last name, first name, whole name), made once.
_AUTHOR_NAMES = tuple(
    (
        (f"last{n}", f"author{n}-last", f"surname{n}"),
        (f"first{n}", f"author{n}-first", f"given{n}"),
        f"author{n}",
    )
    for n in ("", "1", "2", "3", "4")
)
_ANY_AUTHOR = frozenset(
    name for lasts, firsts, whole in _AUTHOR_NAMES for name in (*lasts, *firsts, whole) if name not in firsts
)
# CS1's script-title starts with the script's language code ("ru:Москва"), which it does not show.
_SCRIPT_LANGUAGE = re.compile(r"^\s*[a-z]{2,3}(?:-[a-z]+)?\s*:\s*")


def _plain(raw: str, value: Wikicode, render: RenderText) -> str | None:
    # clean_spaces inline: asked for most of a citation's values.
    return " ".join((render(value) if _MARKUP.search(raw) else raw).split()) or None


def plain_value(value: Wikicode, render: RenderText) -> str | None:
    """Plain text of a parsed value (a link's title, a parameter's value); ``None`` when blank."""
    return _plain(strip_comments(code_text(value)), value, render)


class Parameters:
    """A template's parameters by name, for the first of several names that has text.

    A parameter whose value is blank, or a comment alone, counts as absent; a repeated name keeps
    its last value, as in MediaWiki (so a blank repeat hides an earlier value).
    """

    __slots__ = ("_render", "_values")

    def __init__(self, template: Template, render: RenderText, *, without: str | None = None) -> None:
        """Read ``template``'s parameter names (all but ``without``); values are read when asked for.

        Only names are read here: a citation's values are read once each at most, and the
        parameters nobody asks for (language, url-status, …) are never touched, which counts on
        a freshly parsed tree, whose every object read is a trip to memory.
        """
        self._render = render
        self._values = {code_text(p.name).strip(): p.value for p in template.params}
        if without is not None:
            self._values.pop(without, None)

    def has_any(self, names: frozenset[str]) -> bool:
        """Whether any of ``names`` is given, blank or not (one test for a group of names mostly absent)."""
        return not names.isdisjoint(self._values)

    # raw, plain and url share this look-up: one call per value asked for (a citation asks for
    # some forty names), not one per name, which was a tenth of its reading.
    def _first(self, names: tuple[str, ...]) -> tuple[str, Wikicode] | None:
        """The stripped wikitext and the value of the first of ``names`` present and not blank."""
        for name in names:
            value = self._values.get(name)
            if value is not None:
                raw = code_text(value)  # its comments removed, stripped (inline: one call less a value)
                raw = (strip_comments(raw) if "<!--" in raw else raw).strip()
                if raw:
                    return raw, value
        return None

    def raw(self, *names: str) -> str | None:
        """The stripped wikitext (comments removed) of the first of ``names`` present."""
        found = self._first(names)
        return found[0] if found else None

    def plain(self, *names: str) -> str | None:
        """The plain text of the first of ``names`` present."""
        found = self._first(names)
        return _plain(found[0], found[1], self._render) if found else None

    def url(self, *names: str) -> str | None:
        """A URL: its text, or what its templates render ({{Google books}} renders nothing)."""
        found = self._first(names)
        if found is None:
            return None
        raw, value = found
        return _plain(raw, value, self._render) if "{{" in raw else raw


@dataclass(frozen=True, slots=True)
class Citation:
    """A citation template read: its kind as a template name, its fields and its text."""

    kind: str
    fields: dict[str, str | None]
    text: str


def _kind(template: Template, name: str) -> str:
    if name == CITATION_MODULE:
        # {{#invoke:cite|web|…}}: the first positional parameter is the kind.
        first = next((p.value for p in template.params if not p.showkey), None)
        kind = code_text(first).strip().lower() if first is not None else ""
        return f"cite {kind}" if kind and kind != "citation" else "citation"
    return name


def _parameters(template: Template, name: str, render: RenderText) -> Parameters:
    # {{#invoke:cite|web|…}}: its first positional parameter is the kind, not data.
    return Parameters(template, render, without="1" if name == CITATION_MODULE else None)


def _authors(found: Parameters) -> str | None:
    if not found.has_any(_ANY_AUTHOR):
        return None  # most web citations name no author: one test instead of ten look-ups
    names = []
    for lasts, firsts, whole in _AUTHOR_NAMES:
        last = found.plain(*lasts)
        if last:
            first = found.plain(*firsts)
            names.append(f"{last}, {first}" if first else last)
        else:
            author = found.plain(whole)
            if author:
                names.append(author.strip("()"))
    return clean_spaces("; ".join(names)) or None


def _title(found: Parameters) -> str | None:
    title = found.plain("title")
    if title is None:
        script = found.plain("script-title")
        title = _SCRIPT_LANGUAGE.sub("", script) if script else None
    return title or found.plain("trans-title")


def _fields(found: Parameters) -> dict[str, str | None]:
    return {
        "title": _title(found),
        "url": found.url("url", "chapter-url"),
        "work": found.plain(*_WORK_PARAMS),
        "publisher": found.plain("publisher", "institution"),
        "date": found.plain("date", "year"),
        "access_date": found.plain(*_ACCESS_DATE),
        "archive_url": found.url(*_ARCHIVE_URL),
        "archive_date": found.plain(*_ARCHIVE_DATE),
    }


def citation_fields(template: Template, render: RenderText) -> dict[str, str | None]:
    """The fields of a citation template as plain text (title, url, work, publisher, dates, archive)."""
    return _fields(_parameters(template, template_name(template), render))


def read_citation(template: Template, render: RenderText) -> Citation:
    """A citation template's kind, fields and text, its parameters read once for all three.

    The text puts the parts in the order CS1 prints them: authors, title (quoted, but for a
    book), work, publisher, date, archive date, access date.
    """
    name = template_name(template)
    kind = _kind(template, name)
    found = _parameters(template, name, render)
    fields = _fields(found)
    parts: list[str] = []
    authors = _authors(found)
    if authors:
        parts.append(f"{authors}.")
    if fields["title"]:
        is_book = kind in {"cite book", "citation"}
        parts.append(f"{fields['title']}." if is_book else f'"{fields["title"]}".')
    for key in ("work", "publisher", "date"):
        if fields[key]:
            parts.append(f"{fields[key]}.")
    if fields["archive_url"] and fields["archive_date"]:
        parts.append(f"Archived from the original on {fields['archive_date']}.")
    if fields["access_date"]:
        parts.append(f"Retrieved {fields['access_date']}.")
    return Citation(kind=kind, fields=fields, text=" ".join(parts))
