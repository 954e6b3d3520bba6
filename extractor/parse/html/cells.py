"""What one relation-table cell of rendered HTML says: partners and the notes' main article.

The HTML counterpart of :mod:`extractor.parse.wikitext.cells`, with the same rules, so that both parsers read a
cell alike: a country cell names a partner by a flag followed by its link (``span.flagicon``
then ``a``), by a link, or by plain text; a second partner needs a flag of its own (two
``{{flag}}``\\ s on their own lines); what stands in parentheses is a remark. An image-only flag
(``{{flagicon|X}}``) followed by nothing names its country through Parsoid's ``data-mw``, the
image's link, or the file name ``Flag_of_X.svg``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from bs4.element import NavigableString, Tag

from extractor.parse.html.text import (
    LINK_END,
    LINK_MARK,
    HtmlText,
    classes_of,
    is_citation,
    strip_link_marks,
    tags_named,
    wiki_link_target,
)
from extractor.text import FLAG_TEMPLATES, clean_spaces

__all__ = ["hatnote_main", "icon_country", "read_partners", "see_line"]

# Hatnotes whose link is the row's main article, as {{Main}}/{{Further}}/{{See}} in wikitext.
_MAIN_HATNOTE = re.compile(r"^(Main articles?|Further information|Further|See)\s*:", re.IGNORECASE)
# "See X" in every form editors write it: "(See X)", "see X", "See also X" (italics leave no mark).
_SEE_LINE = re.compile(rf"^\s*\(?\s*[Ss]ee(?:\s+also)?:?\s*{LINK_MARK}(\d+){LINK_END}")
_FLAG_FILE = re.compile(r"Flag_of_(?:the_)?(.+?)\.svg", re.IGNORECASE)
# Elements whose content never names a partner.
_OPAQUE = frozenset({"style", "script", "link", "meta", "table", "figure", "img", "noscript", "br"})
_OPAQUE_CLASSES = frozenset({"hatnote", "mw-editsection", "sortkey", "noprint", "Inline-Template"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.IGNORECASE)


def _data_mw_template(tag: Tag) -> tuple[str, dict[str, object]] | None:
    """The (normalised name, params) of the first template of a Parsoid transclusion node."""
    raw = tag.attrs.get("data-mw")
    if not isinstance(raw, str):
        return None
    try:
        parts = json.loads(raw).get("parts", [])
    except (ValueError, AttributeError):
        return None
    for part in parts if isinstance(parts, list) else []:
        template = part.get("template") if isinstance(part, dict) else None
        if isinstance(template, dict):
            target = template.get("target", {})
            name = target.get("wt", "") if isinstance(target, dict) else ""
            params = template.get("params", {})
            normalised = " ".join(str(name).replace("_", " ").split()).lower().removeprefix("template:")
            return normalised, params if isinstance(params, dict) else {}
    return None


def icon_country(flag: Tag) -> str | None:
    """The country of an image-only flag: Parsoid's ``data-mw``, the image's link, else its file name."""
    template = _data_mw_template(flag)
    if template and template[0] in FLAG_TEMPLATES:
        first = template[1].get("1")
        value = first.get("wt") if isinstance(first, dict) else None
        if isinstance(value, str) and clean_spaces(value):
            return clean_spaces(value)
    for node in tags_named(flag, "a", "img"):
        if node.name == "a":
            target = wiki_link_target(node)
            if target:
                return target
        else:
            source = f"{node.attrs.get('resource', '')} {node.attrs.get('src', '')}"
            match = _FLAG_FILE.search(source)
            if match:
                return clean_spaces(unquote(match.group(1)).replace("_", " "))
    return None


@dataclass
class _Scan:
    partners: list[tuple[str, str | None]] = field(default_factory=list)
    depth: int = 0  # parentheses open in the text so far: what is inside them is a remark
    #: An image-only flag waiting for the link or text that names it: the flag element, or the
    #: country its image links to. Its own country is only worked out when nothing follows.
    flag: Tag | str | None = None

    def add(self, name: str, article: str | None) -> None:
        name = clean_spaces(name)
        article = clean_spaces(article) if article else None
        if name or article:
            self.partners.append((name or article or "", article or None))
        self.flag = None


def _hidden(tag: Tag) -> bool:
    style = tag.attrs.get("style")
    return bool(style) and bool(_HIDDEN_STYLE.search(str(style)))


def _visit(scan: _Scan, tag: Tag) -> None:
    for child in tag.contents:
        if not isinstance(child, Tag):
            if type(child) is NavigableString:
                text = str(child)
                if scan.flag is not None and scan.depth == 0:
                    candidate = text.split("(")[0].strip(" \"'\n\t,;\u00a0")
                    if candidate:
                        scan.add(candidate, None)
                scan.depth = max(0, scan.depth + text.count("(") - text.count(")"))
            continue
        if scan.depth > 0 or child.name in _OPAQUE or is_citation(child) or _hidden(child):
            continue
        classes = classes_of(child)
        if "flagicon" in classes:
            scan.flag = child
            continue
        if not _OPAQUE_CLASSES.isdisjoint(classes) or "mw:File" in str(child.attrs.get("typeof", "")):
            continue
        if child.name == "a":
            target = wiki_link_target(child)
            if target is None:
                continue
            shown = clean_spaces(HtmlText().text(child))
            if not shown:  # a flag image linked to its country: an image-only flag
                scan.flag = target
            elif not scan.partners or scan.flag is not None:
                scan.add(shown, target)
            continue
        _visit(scan, child)


def read_partners(cell: Tag) -> list[tuple[str, str | None]]:
    """Every (name, linked article) a country cell names, in order; its plain text when nothing else."""
    scan = _Scan()
    _visit(scan, cell)
    if scan.flag is not None:  # an image-only flag with nothing after it: the HTML knows its country
        country = scan.flag if isinstance(scan.flag, str) else icon_country(scan.flag)
        if country:
            scan.add(country, country)
    if scan.partners:
        return scan.partners
    text = clean_spaces(strip_link_marks(HtmlText().text(cell)))
    return [(text, None)] if text else []


def hatnote_main(hatnotes: list[Tag]) -> str | None:
    """The target of the first ``{{Main}}``-like hatnote of a cell (not ``{{See also}}``)."""
    for div in hatnotes:
        if not _MAIN_HATNOTE.match(clean_spaces(div.get_text())):
            continue
        for a in tags_named(div, "a"):
            target = wiki_link_target(a, keep_fragment=True)
            if target:
                return target
    return None


def see_line(text: str, links: list[Tag]) -> str | None:
    """The target of the first line that starts "See [[X]]", in text rendered with link marks."""
    if LINK_MARK not in text:
        return None
    for line in text.splitlines():
        match = _SEE_LINE.match(line)
        if match:
            target = wiki_link_target(links[int(match.group(1))])
            if target is not None:
                return target
    return None
