"""References: numbered the way MediaWiki's Cite extension numbers them, with their fields.

Cite numbers a group's references in order of *first use* in the text. A named reference gets
its number where its name is first used, even when that use is a bare ``<ref name="x" />`` and
the definition comes later (in ``<references>`` or ``{{reflist|refs=…}}``). Footnote templates
are references too: ``{{sfn}}`` makes a main-group reference named after its arguments (so that
identical ``{{sfn}}`` calls share one number), ``{{#tag:ref|…|name=…|group=…}}`` and ``{{refn}}``
one like a ``<ref>``, ``{{r|name}}`` reuses a named one, and ``{{efn}}`` makes a reference in a
footnote group (numbered apart, not listed here).
:class:`ReferenceRegistry` follows these rules while the parser walks the text once, in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mwparserfromhell.nodes import ExternalLink, Tag, Template, Text
from mwparserfromhell.wikicode import Wikicode

from extractor.models import Reference
from extractor.parse.wikitext.citation import Parameters, plain_value, read_citation
from extractor.parse.wikitext.render import Renderer
from extractor.parse.wikitext.templates import (
    code_text,
    is_citation,
    link_address,
    params_of,
    positional,
    template_name,
)
from extractor.text import clean_spaces

__all__ = ["ReferenceRegistry", "tag_attribute"]

_FIELDS = ("title", "url", "work", "publisher", "date", "access_date", "archive_url", "archive_date")
_ARCHIVE_TEMPLATES = frozenset({"webarchive", "wayback", "web archive"})
_ARCHIVE_HOSTS = re.compile(r"web\.archive\.org|archive\.today")
_QUOTED_ATTRIBUTE = re.compile(r"""^(["'])(.*)\1$""", re.DOTALL)
# Renders references' and parameters' wikitext: no callbacks (a reference's text cites nothing
# itself) and no link marks; the renderer keeps no state while it renders, so one serves.
_PLAIN_TEXT = Renderer().text


def _sfn_text(template: Template) -> tuple[str, str]:
    """The name Module:Footnotes gives an ``{{sfn}}`` reference, and its text ("Smith & Jones 2001, p. 5")."""
    found = Parameters(template, _PLAIN_TEXT)
    args = [a for a in positional(template) if a]
    pages = {key: found.raw(key) or "" for key in ("p", "pp", "loc")}
    name = "FOOTNOTE" + "".join(args) + "".join(pages.values())
    authors, year = args[:-1], args[-1] if args else ""
    if len(authors) > 3:
        who = f"{authors[0]} et al."
    elif len(authors) > 1:
        who = ", ".join(authors[:-1]) + f" & {authors[-1]}"
    else:
        who = "".join(authors)
    when = f"({year})" if template_name(template) == "sfnp" else year
    text = " ".join(part for part in (who, when) if part)
    if pages["p"]:
        text += f", p. {pages['p']}"
    elif pages["pp"]:
        text += f", pp. {pages['pp']}"
    elif pages["loc"]:
        text += f", {pages['loc']}"
    return name, clean_spaces(text) + "."


@dataclass
class _Entry:
    number: int
    name: str | None
    group: str | None
    uses: int = 0
    content: Wikicode | None = None
    text: str | None = None  # for references made by templates, whose text is not wikitext


def _unquote(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    match = _QUOTED_ATTRIBUTE.match(value)
    value = (match.group(2) if match else value).strip()
    return value or None


def tag_attribute(tag: Tag, name: str) -> str | None:
    """A tag's attribute, stripped and unquoted (names are case-insensitive); ``None`` if absent or empty."""
    for attribute in tag.attributes:
        if code_text(attribute.name).strip().lower() == name:
            return _unquote(code_text(attribute.value)) if attribute.value is not None else None
    return None


def _name_and_group(tag: Tag) -> tuple[str | None, str | None]:
    """:func:`tag_attribute` of ``name`` and of ``group`` in one pass: read for every ``<ref>``."""
    found: dict[str, str | None] = {}
    for attribute in tag.attributes:
        key = code_text(attribute.name).strip().lower()
        if (key == "name" or key == "group") and key not in found:  # the first one counts
            found[key] = _unquote(code_text(attribute.value)) if attribute.value is not None else None
    return found.get("name"), found.get("group")


def _has_text(content: Wikicode) -> bool:
    """``str(content).strip() != ""`` without building the string of a whole citation: every node
    but a text node has markup characters, so only text nodes can be blank."""
    return any(type(node) is not Text or node.value.strip() for node in content.nodes)


@dataclass
class ReferenceRegistry:
    """Collects reference uses in document order and numbers them per group."""

    _entries: dict[tuple[str | None, str | object], _Entry] = field(default_factory=dict)
    _next: dict[str | None, int] = field(default_factory=dict)

    def _use(self, name: str | None, group: str | None, content: Wikicode | None) -> tuple[str | None, int]:
        key: tuple[str | None, str | object] = (group, name if name is not None else object())
        entry = self._entries.get(key)
        if entry is None:
            number = self._next.get(group, 0) + 1
            self._next[group] = number
            entry = self._entries[key] = _Entry(number=number, name=name, group=group)
        entry.uses += 1
        if entry.content is None and content is not None and _has_text(content):
            entry.content = content
        return group, entry.number

    def use(self, tag: Tag) -> tuple[str | None, int]:
        """Record one ``<ref>`` occurrence; return its (group, number)."""
        return self._use(*_name_and_group(tag), tag.contents)

    def use_template(self, template: Template) -> list[tuple[str | None, int]]:
        """Record the references a footnote template makes; return their (group, number)s.

        ``{{#tag:ref|text|name=|group=}}`` and ``{{refn|text|name=|group=}}`` make one like a
        ``<ref>``; ``{{r|a|b}}`` reuses the named references a and b; ``{{sfn}}`` makes one named
        after its arguments.
        """
        kind = template_name(template)
        found = params_of(template)
        group = _unquote(str(found["group"].value)) if "group" in found else None
        if kind in {"#tag:ref", "refn"}:
            name = _unquote(str(found["name"].value)) if "name" in found else None
            content = next((p.value for p in template.params if not p.showkey), None)
            return [self._use(name, group, content)]
        if kind == "r":
            return [self._use(_unquote(n), group, None) for n in positional(template) if _unquote(n)]
        name, text = _sfn_text(template)
        use = self._use(name, None, None)
        self._entries[(None, name)].text = text
        return [use]

    def define_all(self, code: Wikicode, group: str | None = None) -> None:
        """Take every list-defined ref inside ``code`` (``<references>…</references>``, ``refs=``)."""
        for tag in code.filter_tags(recursive=True, matches=lambda t: code_text(t.tag).strip().lower() == "ref"):
            name = tag_attribute(tag, "name")
            tag_group = tag_attribute(tag, "group") or group
            entry = self._entries.get((tag_group, name)) if name else None
            if entry is not None and entry.content is None and tag.contents is not None:
                entry.content = tag.contents

    def references(self, cache: dict[tuple[str | None, ...], Reference] | None = None) -> list[Reference]:
        """The main group's references (footnote groups are numbered apart and left out).

        With ``cache``, a reference whose definition (wikitext, name, group) was read before is
        not read again: only its number and citation count are this document's.
        """
        if cache is None:
            return [self._safe_reference(e) for e in self._entries.values() if e.group is None]
        references = []
        for entry in self._entries.values():
            if entry.group is not None:
                continue
            key = (None if entry.content is None else str(entry.content), entry.text, entry.name)
            known = cache.get(key)
            if known is None:
                known = cache[key] = self._safe_reference(entry)
            references.append(known.model_copy(update={"number": entry.number, "citation_count": entry.uses}))
        return references

    @classmethod
    def _safe_reference(cls, entry: _Entry) -> Reference:
        try:
            return cls._reference(entry)
        except Exception:  # content the reader cannot handle: keep the number, name and uses
            return Reference(number=entry.number, name=entry.name, group=entry.group, citation_count=entry.uses)

    @staticmethod
    def _reference(entry: _Entry) -> Reference:
        fields: dict[str, str | None] = dict.fromkeys(_FIELDS)
        template = None
        text = entry.text
        if entry.content is not None:
            citation, alone = _citation_in(entry.content)
            if citation is not None:
                read = read_citation(citation, _PLAIN_TEXT)
                template, fields = read.kind, read.fields
                # The citation's text is the one just made: the reference's text is not read again.
                if alone:  # most references: text nodes (the rest) are their own text, as in Renderer.text
                    shown = "".join([n.value if type(n) is Text else read.text for n in entry.content.nodes])
                else:
                    shown = Renderer(rendered={id(citation): read.text}).text(entry.content)
            else:
                shown = _PLAIN_TEXT(entry.content)
                fields.update(_free_form_fields(entry.content, shown))
            text = clean_spaces(shown.replace("\n", " ")) or None
        # model_validate of a dict: cheaper than the keyword __init__ (an article has dozens).
        return Reference.model_validate(
            {
                "number": entry.number,
                "name": entry.name,
                "group": entry.group,
                "template": template,
                "text": text,
                "citation_count": entry.uses,
                **fields,
            }
        )


def _citation_in(content: Wikicode) -> tuple[Template | None, bool]:
    """A reference's citation (its first top-level citation template, if any), and whether the
    rest of the reference is text nodes only (spaces, a word before it)."""
    citation = None
    alone = True
    for node in content.nodes:
        if citation is None and isinstance(node, Template) and is_citation(template_name(node)):
            citation = node
        elif type(node) is not Text:
            alone = False
    return citation, alone


def _free_form_fields(content: Wikicode, shown: str) -> dict[str, str | None]:
    """Fields of a hand-written reference (``shown`` is its text): the quoted title, the first
    external link, a {{Webarchive}}."""
    fields: dict[str, str | None] = {}
    # One walk of the reference's nodes for its links and its templates (two filters walked it twice).
    nodes = content.filter(recursive=True)
    links = [n for n in nodes if isinstance(n, ExternalLink) and not _ARCHIVE_HOSTS.search(code_text(n.url))]
    if links:
        fields["url"] = link_address(links[0]) or None
        fields["title"] = plain_value(links[0].title, _PLAIN_TEXT) if links[0].title is not None else None
    # Hand-written references follow CS1's look: Author. "Title". Work. The quoted part is the title.
    quoted = re.search(r'"([^"]+)"', shown)
    if quoted:
        fields["title"] = clean_spaces(quoted.group(1)).rstrip(".,") or fields.get("title")
    for template in nodes:
        if isinstance(template, Template) and template_name(template) in _ARCHIVE_TEMPLATES:
            found = Parameters(template, _PLAIN_TEXT)
            fields["archive_url"] = found.url("url", "1")
            fields["archive_date"] = found.plain("date", "2")
    return fields
