"""Reference lists of rendered HTML: numbers, names, use counts and citation fields.

A reference list is ``ol.references`` (legacy) or ``ol.mw-references`` (Parsoid); its items are
numbered in order, as Cite numbers them (Parsoid may say the number in
``data-mw-footnote-number``). Footnote groups (``{{efn}}``, ``group=``) make lists of their own;
only the main group's references are kept, as the wikitext parser keeps them.

Fields come from what the HTML carries, never guessed: for a CS1 citation (``cite.citation``)
its COinS metadata (``span.Z3988``) and its visible text; for a hand-written reference the
first double-quoted text and the first external link that is not an archive, the same
conventions as :mod:`extractor.parse.wikitext.references` (hand-written references).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

from bs4 import Tag

from extractor.models import Reference
from extractor.parse.html.text import HtmlText, classes_of, strip_link_marks, tags_named
from extractor.text import clean_spaces

__all__ = ["NoteItem", "NoteList", "read_note_list", "reference_from_item", "reference_name"]

# The same archive hosts as the wikitext parser's hand-written references (references.py).
_ARCHIVE_URL = re.compile(r"web\.archive\.org|archive\.today")
_NOTE_ID = re.compile(r"^cite_note-(?:(?P<name>.+)-)?(?P<key>\d+)$")
_RETRIEVED = re.compile(r"\bRetrieved\s+(?P<date>[^.]+?)\s*(?:\.|$)")
_ARCHIVED_ON = re.compile(r"\bArchived\b.*?\bon\s+(?P<date>[^.]+?)\s*\.")
_WEBARCHIVE_DATE = re.compile(r"\bArchived\s+(?P<date>[^.]+?)\s+at\s+the\b")
_CITE_KINDS = frozenset(
    {
        "web",
        "news",
        "book",
        "journal",
        "magazine",
        "encyclopaedia",
        "encyclopedia",
        "report",
        "thesis",
        "conference",
        "press release",
        "av-media",
        "interview",
        "map",
        "episode",
        "podcast",
        "speech",
        "tweet",
        "mailinglist",
        "newsgroup",
        "arxiv",
        "techreport",
        "document",
        "sign",
        "serial",
    }
)


@dataclass
class NoteItem:
    """One item of a reference list."""

    tag: Tag
    note_id: str
    number: int
    backlinks: int


@dataclass
class NoteList:
    """One reference list (one footnote group)."""

    tag: Tag
    #: The group when the HTML says it (Parsoid); ``None`` when it does not (legacy HTML).
    group: str | None
    items: list[NoteItem] = field(default_factory=list)


def _json_attr(tag: Tag, name: str) -> dict[str, object]:
    raw = tag.attrs.get(name)
    if not isinstance(raw, str):
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _declared_group(ol: Tag) -> str | None:
    """The group a Parsoid list declares (``""`` for the main group), else ``None``."""
    group = ol.attrs.get("data-mw-group")
    if isinstance(group, str):
        return group
    wrapper = ol.parent
    while isinstance(wrapper, Tag) and wrapper.name in {"div", "section"}:
        if "mw:Extension/references" in str(wrapper.attrs.get("typeof", "")):
            attrs = _json_attr(wrapper, "data-mw").get("attrs")
            if isinstance(attrs, dict):
                value = attrs.get("group", "")
                return value if isinstance(value, str) else ""
            return ""
        wrapper = wrapper.parent
    return None


def _words(tag: Tag, name: str) -> list[str]:
    value = tag.attrs.get(name)
    if not value:
        return []
    return value.split() if isinstance(value, str) else list(value)


def _count_backlinks(li: Tag) -> int:
    for child in li.children:
        if not isinstance(child, Tag):
            continue
        rel = _words(child, "rel")
        if "mw-cite-backlink" in classes_of(child) or "mw:referencedBy" in rel:
            if child.name == "a":  # Parsoid: a single use is one bare backlink
                return 1
            return len(tags_named(child, "a"))
    return 0


def read_note_list(ol: Tag) -> NoteList:
    """The items of one ``ol.references`` / ``ol.mw-references``, numbered in order."""
    notes = NoteList(tag=ol, group=_declared_group(ol))
    position = 0
    for li in ol.contents:
        if not isinstance(li, Tag) or li.name != "li":
            continue
        position += 1
        note_id = li.attrs.get("id")
        if not isinstance(note_id, str):
            continue
        number = position
        declared = li.attrs.get("data-mw-footnote-number")
        if isinstance(declared, str) and declared.isdigit():
            number = int(declared)
        notes.items.append(NoteItem(tag=li, note_id=note_id, number=number, backlinks=_count_backlinks(li)))
    return notes


def reference_name(note_id: str) -> str | None:
    """The ``name=`` of a reference as far as its note id ``cite_note-NAME-N`` keeps it.

    >>> reference_name("cite_note-cs-8"), reference_name("cite_note-12")
    ('cs', None)
    """
    match = _NOTE_ID.match(note_id)
    return match.group("name") if match else None


def _text_span(li: Tag) -> Tag | None:
    for child in li.contents:
        if not isinstance(child, Tag) or child.name != "span":
            continue
        classes = classes_of(child)
        if "reference-text" in classes or "mw-reference-text" in classes:
            return child
    return None


def _external_links(tag: Tag) -> list[Tag]:
    links = []
    for a in tags_named(tag, "a"):
        rel = _words(a, "rel")
        if "external" in classes_of(a) or "mw:ExtLink" in rel:
            links.append(a)
    return links


def _link_label(a: Tag) -> str | None:
    """A bracketed link's label; ``None`` for ``[url]`` ("[1]") and bare URLs, as in wikitext."""
    classes = classes_of(a)
    if "autonumber" in classes or "free" in classes:
        return None
    return clean_spaces(a.get_text()) or None


def _plain(tag: Tag) -> str:
    return clean_spaces(strip_link_marks(HtmlText().text(tag)).replace("\n", " "))


# The COinS keys read; the others (rfr_id, rft_val_fmt, authors …) are not decoded at all.
_COINS_KEYS = frozenset({"rft.atitle", "rft.btitle", "rft.jtitle", "rft.pub", "rft.date", "rft_id"})


def _coins_fields(query: str) -> dict[str, list[str]]:
    """The wanted fields of a COinS query string (``parse_qs`` would decode every field)."""
    fields: dict[str, list[str]] = {}
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key in _COINS_KEYS and value:
            fields.setdefault(key, []).append(unquote_plus(value))
    return fields


def _coins(cite: Tag) -> dict[str, list[str]]:
    """The COinS fields that follow a citation (``span.Z3988``), URL-decoded."""
    for sibling in cite.next_siblings:
        if isinstance(sibling, Tag):
            if "Z3988" in classes_of(sibling):
                title = sibling.attrs.get("title")
                return _coins_fields(title) if isinstance(title, str) else {}
            if sibling.name not in {"link", "style"}:
                break
    return {}


def _first(values: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in values.get(key, []):
            # COinS carries the parameter's text: an entity written in it (&#124; for a "|" in a
            # title, &nbsp;) is still an entity there, where the reader sees the character.
            cleaned = clean_spaces(html.unescape(value))
            if cleaned:
                return cleaned
    return None


def _template_of(cite: Tag) -> str:
    kinds = [c for c in classes_of(cite) if c in _CITE_KINDS]
    if kinds:
        return f"cite {kinds[0]}"
    return "citation"


def _strip_quotes(text: str) -> str:
    return text.strip().strip('"“”').strip()


def _cite_fields(cite: Tag, visible: str) -> dict[str, str | None]:
    """Fields of a CS1 citation: COinS where present, else what its visible text shows.

    ``visible`` is the text of the reference holding the citation (so that it is rendered once).
    """
    coins = _coins(cite)
    links = _external_links(cite)
    archive_url = original_url = None
    for a in links:
        label = clean_spaces(a.get_text())
        href = a.attrs.get("href")
        if label == "the original":  # CS1 with url-status=dead: the title links to the archive
            original_url = href if isinstance(href, str) else None
            archive_url = links[0].attrs.get("href") if links[0] is not a else None
        elif label == "Archived":  # url-status=live: "Archived" links to the archive
            archive_url = href if isinstance(href, str) else None
    title_link = links[0] if links and clean_spaces(links[0].get_text()) not in {"the original", "Archived"} else None
    if coins:
        if "rft.jtitle" in coins:
            title = _first(coins, "rft.atitle", "rft.btitle")
        else:
            title = _first(coins, "rft.btitle", "rft.atitle")
        url = next((u for u in coins.get("rft_id", []) if re.match(r"^(https?:)?//", u)), None)
    else:
        title = None
        url = None
    if title is None:
        if title_link is not None:
            title = _strip_quotes(clean_spaces(title_link.get_text())) or None
        else:
            quoted = re.search(r'"([^"]+)"', visible)
            title = clean_spaces(quoted.group(1)) if quoted else None
    if url is None:
        if original_url is not None:
            url = original_url
        elif title_link is not None and isinstance(title_link.attrs.get("href"), str):
            url = str(title_link.attrs["href"])
    retrieved = _RETRIEVED.search(visible)
    archived = _ARCHIVED_ON.search(visible)
    return {
        "title": title,
        "url": url,
        "work": _first(coins, "rft.jtitle"),
        "publisher": _first(coins, "rft.pub"),
        "date": _first(coins, "rft.date"),
        "access_date": retrieved.group("date") if retrieved else None,
        "archive_url": archive_url if isinstance(archive_url, str) else None,
        "archive_date": archived.group("date") if archived and archive_url else None,
    }


def _free_form_fields(span: Tag, text: str) -> dict[str, str | None]:
    """A hand-written reference: the quoted title, else the first non-archive link's label."""
    fields: dict[str, str | None] = {}
    links = _external_links(span)
    plain = [a for a in links if not _ARCHIVE_URL.search(str(a.attrs.get("href", "")))]
    if plain:
        href = plain[0].attrs.get("href")
        fields["url"] = href.strip() if isinstance(href, str) else None
        fields["title"] = _link_label(plain[0])
    quoted = re.search(r'"([^"]+)"', text)
    if quoted:
        fields["title"] = clean_spaces(quoted.group(1)).rstrip(".,") or fields.get("title")
    archives = [a for a in links if _ARCHIVE_URL.search(str(a.attrs.get("href", "")))]
    if archives:
        href = archives[0].attrs.get("href")
        fields["archive_url"] = href if isinstance(href, str) else None
        # {{Webarchive}} shows "Archived DATE at the Wayback Machine".
        dated = _WEBARCHIVE_DATE.search(text)
        fields["archive_date"] = clean_spaces(dated.group("date")) if dated else None
    return fields


def reference_from_item(item: NoteItem, *, name: str | None, uses: int) -> Reference:
    """The :class:`Reference` of one list item; ``uses`` counts when there are no backlinks."""
    span = _text_span(item.tag)
    fields: dict[str, str | None] = dict.fromkeys(
        ("title", "url", "work", "publisher", "date", "access_date", "archive_url", "archive_date")
    )
    template = None
    text = None
    if span is not None:
        text = _plain(span) or None
        cite = next((c for c in tags_named(span, "cite") if "citation" in classes_of(c)), None)
        if cite is not None:
            template = _template_of(cite)
            fields.update(_cite_fields(cite, text or ""))
        else:
            fields.update(_free_form_fields(span, text or ""))
    return Reference(
        number=item.number,
        name=name,
        group=None,
        template=template,
        text=text,
        citation_count=item.backlinks or uses,
        **fields,
    )
