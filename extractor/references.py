"""References: numbered the way MediaWiki's Cite extension numbers them, with their fields.

Cite numbers a group's references in order of *first use* in the text. A named reference gets
its number where its name is first used, even when that use is a bare ``<ref name="x" />`` and
the definition comes later (or sits in ``<references>``). :class:`ReferenceRegistry` follows
that rule while the parser walks the text once, in document order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell.nodes import ExternalLink, Tag, Template
from mwparserfromhell.wikicode import Wikicode

from .models import Reference
from .plaintext import clean_spaces, param, render, template_name

__all__ = ["ReferenceRegistry", "citation_fields", "render_citation"]

_WORK_PARAMS = ("work", "website", "newspaper", "journal", "magazine", "periodical", "agency")
_ACCESS_DATE = ("access-date", "accessdate")
_ARCHIVE_URL = ("archive-url", "archiveurl")
_ARCHIVE_DATE = ("archive-date", "archivedate")


def _plain(value: str | None) -> str | None:
    if value is None:
        return None
    text = clean_spaces(render(mwparserfromhell.parse(value)))
    return text or None


def _authors(template: Template) -> str | None:
    names = []
    for suffix in ("", "1", "2", "3", "4"):
        last = param(template, f"last{suffix}", f"author{suffix}-last", f"surname{suffix}")
        first = param(template, f"first{suffix}", f"author{suffix}-first", f"given{suffix}")
        author = param(template, f"author{suffix}")
        if last:
            names.append(f"{last}, {first}" if first else last)
        elif author:
            names.append(author.strip("()"))
    return _plain("; ".join(names)) if names else None


def citation_fields(template: Template) -> dict[str, str | None]:
    """The fields of a citation template (``{{cite web}}`` and kin) as plain text."""
    return {
        "title": _plain(param(template, "title", "trans-title", "script-title")),
        "url": param(template, "url", "chapter-url"),
        "work": _plain(param(template, *_WORK_PARAMS)),
        "publisher": _plain(param(template, "publisher", "institution")),
        "date": _plain(param(template, "date", "year")),
        "access_date": _plain(param(template, *_ACCESS_DATE)),
        "archive_url": param(template, *_ARCHIVE_URL),
        "archive_date": _plain(param(template, *_ARCHIVE_DATE)),
    }


def render_citation(template: Template) -> str:
    """A citation template as a reader sees it, in the order CS1 prints its parts."""
    fields = citation_fields(template)
    kind = template_name(template)
    parts: list[str] = []
    authors = _authors(template)
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
    return " ".join(parts)


@dataclass
class _Entry:
    number: int
    name: str | None
    group: str | None
    uses: int = 0
    content: Wikicode | None = None


@dataclass
class ReferenceRegistry:
    """Collects ``<ref>`` uses in document order and numbers them per group."""

    _entries: dict[tuple[str | None, str | object], _Entry] = field(default_factory=dict)
    _next: dict[str | None, int] = field(default_factory=dict)

    @staticmethod
    def _attribute(tag: Tag, name: str) -> str | None:
        if not tag.has(name):
            return None
        value = str(tag.get(name).value).strip()
        return value or None

    def use(self, tag: Tag) -> tuple[str | None, int]:
        """Record one ``<ref>`` occurrence; return its (group, number)."""
        name = self._attribute(tag, "name")
        group = self._attribute(tag, "group")
        key: tuple[str | None, str | object] = (group, name if name is not None else object())
        entry = self._entries.get(key)
        if entry is None:
            number = self._next.get(group, 0) + 1
            self._next[group] = number
            entry = self._entries[key] = _Entry(number=number, name=name, group=group)
        entry.uses += 1
        if entry.content is None and tag.contents is not None and str(tag.contents).strip():
            entry.content = tag.contents
        return group, entry.number

    def define(self, tag: Tag) -> None:
        """Take a definition that is not a use (a list-defined ref inside ``<references>``)."""
        name = self._attribute(tag, "name")
        group = self._attribute(tag, "group")
        entry = self._entries.get((group, name)) if name else None
        if entry is not None and entry.content is None and tag.contents is not None:
            entry.content = tag.contents

    def references(self) -> list[Reference]:
        """The main group's references (footnote groups are numbered apart and left out)."""
        return [self._reference(e) for e in self._entries.values() if e.group is None]

    @staticmethod
    def _reference(entry: _Entry) -> Reference:
        content = entry.content if entry.content is not None else mwparserfromhell.parse("")
        templates = [t for t in content.filter_templates(recursive=False) if _is_citation(t)]
        fields: dict[str, str | None] = dict.fromkeys(
            ("title", "url", "work", "publisher", "date", "access_date", "archive_url", "archive_date")
        )
        template = None
        if templates:
            template = template_name(templates[0])
            fields = citation_fields(templates[0])
        else:
            fields.update(_free_form_fields(content))
        text = clean_spaces(render(content).replace("\n", " ")) or None
        return Reference(
            number=entry.number,
            name=entry.name,
            group=entry.group,
            template=template,
            text=text,
            citation_count=entry.uses,
            **fields,
        )


def _is_citation(template: Template) -> bool:
    name = template_name(template)
    return name.startswith("cite ") or name == "citation"


_ARCHIVE_TEMPLATES = frozenset({"webarchive", "wayback", "web archive"})


def _free_form_fields(content: Wikicode) -> dict[str, str | None]:
    """Fields of a hand-written reference: the quoted title, the first external link, a {{Webarchive}}."""
    fields: dict[str, str | None] = {}
    links = [n for n in content.filter(forcetype=ExternalLink, recursive=True)]
    links = [link for link in links if not re.search(r"web\.archive\.org|archive\.today", str(link.url))]
    if links:
        fields["url"] = str(links[0].url).strip()
        fields["title"] = _plain(str(links[0].title)) if links[0].title is not None else None
    # Hand-written references follow CS1's look: Author. "Title". Work. The quoted part is the title.
    quoted = re.search(r'"([^"]+)"', render(content))
    if quoted:
        fields["title"] = clean_spaces(quoted.group(1)).rstrip(".,") or fields.get("title")
    for template in content.filter_templates(recursive=True):
        if template_name(template) in _ARCHIVE_TEMPLATES:
            fields["archive_url"] = param(template, "url", "1")
            fields["archive_date"] = _plain(param(template, "date", "2"))
    return fields
