"""Rendered MediaWiki HTML as a reader reads it: plain text, with citations and links reported.

Both flavours are read by the same code: the legacy parser's output (``action=parse``) and
Parsoid's (REST ``/v1/revision/{id}/html``). The text follows the wikitext parser's conventions
(:mod:`extractor.parse.wikitext.render`), so that the two parsers give the same dataset: references'
``[n]`` markers, images and their captions, hatnotes, edit links, template styles and hidden
sort keys are left out; a list item starts with :data:`~extractor.text.BULLET`; a block
element or ``<br>`` ends a line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import cast
from urllib.parse import unquote, urlsplit

from bs4.element import NavigableString, RubyTextString, Tag

from extractor.parse.marks import CITE, LINK_CLOSE, link_open
from extractor.text import BULLET, clean_spaces

__all__ = [
    "LINK_END",
    "LINK_MARK",
    "CiteHandler",
    "HtmlText",
    "TableHandler",
    "classes_of",
    "is_citation",
    "strip_link_marks",
    "tags_named",
    "wiki_link_target",
]

#: Marks where a wiki link starts in rendered text, followed by its index and :data:`LINK_END`
#: (private-use characters, never in articles): the "See X" line is recognised by it.
LINK_MARK = "\ue001"
LINK_END = "\ue002"
_MARKS = re.compile(f"{LINK_MARK}\\d+{LINK_END}")

#: Called for each inline citation (``sup.reference``) met while rendering.
CiteHandler = Callable[[Tag], None]
#: Called for each table met while rendering; the table adds no text.
TableHandler = Callable[[Tag], None]

# Text node types a reader sees; comments, doctypes, <style>/<script> contents are not.
_TEXT_TYPES = (NavigableString, RubyTextString)
# Elements whose content is never text a reader reads in a table cell or a reference.
_SKIP_TAGS = frozenset(
    {
        "style",
        "script",
        "link",
        "meta",
        "noscript",
        "img",
        "figure",
        "audio",
        "video",
        "map",
        "template",
        "head",
    }
)
# Edit links, sort keys, COinS, backlinks, thumbnails, galleries and hatnotes: page furniture,
# not the cell's content (hatnotes are read apart, as the main article). "noprint" marks
# maintenance tags such as [citation needed], which the wikitext parser renders as nothing;
# "error" marks MediaWiki's and Scribunto's error messages, which are no part of the article.
_SKIP_CLASSES = frozenset(
    {
        "mw-editsection",
        "sortkey",
        "Z3988",
        "mw-cite-backlink",
        "thumb",
        "gallery",
        "hatnote",
        "noprint",
        "Inline-Template",
        "mw-empty-elt",
        "image",
        "mw-file-description",
        "mw-broken-media",
        "error",
        "scribunto-error",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "ul",
        "ol",
        "dl",
        "dd",
        "dt",
        "blockquote",
        "pre",
        "center",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "caption",
        "section",
        "hr",
        "address",
        "details",
        "summary",
    }
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
# Pages that are not articles a row can name: files, categories, special pages, templates (a
# red link to a missing template is how MediaWiki shows one).
_NON_ARTICLE = re.compile(r"^(file|image|media|category|special|template)\s*:", re.IGNORECASE)
# The title of a legacy red link: /w/index.php?title=X&action=edit&redlink=1.
_TITLE_PARAM = re.compile(r"(?:^|&)title=([^&]+)")


def tags_named(tag: Tag, *names: str) -> list[Tag]:
    """The descendants of ``tag`` with one of these element names, in document order.

    A plain walk: BeautifulSoup's ``find_all`` builds a matcher per call, which costs more than
    the search itself on the small elements this is used for.
    """
    found: list[Tag] = []
    stack = [iter(tag.contents)]
    while stack:
        for child in stack[-1]:
            if isinstance(child, Tag):
                if child.name in names:
                    found.append(child)
                stack.append(iter(child.contents))
                break
        else:
            stack.pop()
    return found


def classes_of(tag: Tag) -> list[str]:
    """The element's classes (BeautifulSoup gives a list, or a string for odd markup)."""
    value = tag.attrs.get("class")
    if not value:
        return []
    return value.split() if isinstance(value, str) else list(value)


def _attr_words(tag: Tag, name: str) -> list[str]:
    value = tag.attrs.get(name)
    if not value:
        return []
    return value.split() if isinstance(value, str) else list(value)


def is_citation(tag: Tag) -> bool:
    """True for an inline citation: legacy ``sup.reference``, Parsoid ``typeof="mw:Extension/ref"``."""
    if tag.name != "sup":
        return False
    return "reference" in classes_of(tag) or "mw:Extension/ref" in _attr_words(tag, "typeof")


def wiki_link_target(tag: Tag, *, keep_fragment: bool = False, articles_only: bool = True) -> str | None:
    """The page title an ``<a>`` links to inside the wiki (blue or red link), else ``None``.

    Reads the legacy forms ``/wiki/Title`` and ``/w/index.php?title=Title&action=edit&redlink=1``,
    absolute URLs of either, and Parsoid's ``./Title``. External and interwiki links give ``None``,
    and so do files, categories and special pages when ``articles_only``.
    """
    href = tag.attrs.get("href")
    if not href or not isinstance(href, str):
        return None
    classes = classes_of(tag)
    rel = _attr_words(tag, "rel")
    if "external" in classes or "extiw" in classes or "mw:ExtLink" in rel or "mw:WikiLink/Interwiki" in rel:
        return None
    if href.startswith("./"):  # Parsoid; a red link adds "?action=edit&redlink=1"
        path, _, fragment = href[2:].partition("#")
        path = path.partition("?")[0]
    elif href.startswith("/wiki/"):  # the common legacy case, without urlsplit's cost
        path, _, fragment = href[6:].partition("#")
        path = path.partition("?")[0]
    elif href.startswith("/w/index.php?"):  # a legacy red link
        query, _, fragment = href[13:].partition("#")
        match = _TITLE_PARAM.search(query)
        if match is None:
            return None
        path = match.group(1).replace("+", " ")
    else:
        parts = urlsplit(href)
        fragment = parts.fragment
        if "/wiki/" in parts.path:
            path = parts.path.split("/wiki/", 1)[1]
        else:
            match = _TITLE_PARAM.search(parts.query)
            if match is None:
                return None
            path = match.group(1).replace("+", " ")
    title = clean_spaces(unquote(path).replace("_", " "))
    if not title or (articles_only and _NON_ARTICLE.match(title)):
        return None
    if keep_fragment and fragment:
        return f"{title}#{clean_spaces(unquote(fragment).replace('_', ' '))}"
    return title


def strip_link_marks(text: str) -> str:
    """Rendered text without the :data:`LINK_MARK` markers."""
    return _MARKS.sub("", text) if LINK_MARK in text else text


class HtmlText:
    """Renders an element's content to plain text, reporting citations and tables to callbacks.

    With ``mark_links``, each link's text is preceded by a marker holding its index in
    :attr:`links` (the ``<a>`` element), so that a caller can tell which link starts a line.
    """

    def __init__(
        self,
        on_cite: CiteHandler | None = None,
        on_table: TableHandler | None = None,
        *,
        mark_links: bool = False,
        mark_spans: bool = False,
    ) -> None:
        self.on_cite = on_cite
        self.on_table = on_table
        self.mark_links = mark_links
        #: Mark article links (target and label) and citations as :mod:`extractor.parse.marks` says.
        self.mark_spans = mark_spans
        self.links: list[Tag] = []
        #: The hatnotes (``div.hatnote``) met, which add no text: the caller reads their links.
        self.hatnotes: list[Tag] = []
        self._parts: list[str] = []

    def text(self, tag: Tag) -> str:
        """The plain text of ``tag``'s content (line breaks kept)."""
        self._parts = []
        self._walk(tag)
        return "".join(self._parts)

    def _walk(self, tag: Tag) -> None:
        parts = self._parts
        for child in tag.contents:
            if not isinstance(child, Tag):
                if type(child) in _TEXT_TYPES:
                    parts.append(cast(str, child))  # a str already: no copy
                continue
            name = child.name
            if name in _SKIP_TAGS:
                continue
            attrs = child.attrs
            value = attrs.get("class")
            classes = value.split() if isinstance(value, str) else value
            if name == "sup" and (
                (classes and "reference" in classes) or "mw:Extension/ref" in str(attrs.get("typeof", ""))
            ):
                if self.on_cite is not None:
                    self.on_cite(child)
                if self.mark_spans:
                    parts.append(CITE)
                continue
            if classes and not _SKIP_CLASSES.isdisjoint(classes):
                if "hatnote" in classes:
                    self.hatnotes.append(child)
                continue
            style = attrs.get("style")
            if style and _HIDDEN_STYLE.search(str(style)):
                continue
            typeof = attrs.get("typeof")
            if typeof and "mw:File" in typeof:
                continue
            if name == "a":
                href = attrs.get("href")
                if href and "wpDestFile=" in href:  # a missing image, shown as a link to upload it
                    continue
                if self.mark_links:  # the target is only worked out for a "See" line's link
                    parts.append(f"{LINK_MARK}{len(self.links)}{LINK_END}")
                    self.links.append(child)
                target = wiki_link_target(child) if self.mark_spans else None
                if target is not None:
                    # The label is walked in place; its end is closed after it.
                    parts.append(link_open(target))
                    self._walk(child)
                    parts.append(LINK_CLOSE)
                else:
                    self._walk(child)
            elif name == "table":
                if self.on_table is not None:
                    self.on_table(child)
            elif name == "br":
                parts.append("\n")
            elif name == "li":
                parts.append("\n" + BULLET)
                self._walk(child)
                parts.append("\n")
            elif name in _BLOCK_TAGS:
                parts.append("\n")
                self._walk(child)
                parts.append("\n")
            else:
                self._walk(child)
