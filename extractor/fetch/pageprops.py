"""Titles → the pages they are after redirects, and those pages' Wikidata items.

``action=query&prop=pageprops&ppprop=wikibase_item|disambiguation&redirects=1&titles=A|B|…``, at
most 50 titles a request, one request at a time, through the same polite
:class:`~extractor.fetch.Fetcher` (so recorded with ``--record`` and replayed offline): ⌈N/50⌉
requests for N distinct titles, plus a continuation when the wiki asks for one.

Unknown stays unknown: a missing or invalid page gives no entry; a disambiguation page gives its
title but no item (its item is the disambiguation's, not a country's). A replayed recording that
holds no answer to a request leaves its titles unresolved instead of failing the run: entity
fields that need an answer are then null.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from extractor.entities import PageIdentity
from extractor.errors import RecordingError, TransportError
from extractor.fetch.batch import MAX_TITLES, continued
from extractor.fetch.client import Fetcher

__all__ = ["pageprops_params", "resolve_titles"]

# Redirect chains longer than this are loops or vandalism; MediaWiki itself follows one hop.
_MAX_HOPS = 10


def pageprops_params(titles: list[str]) -> dict[str, str]:
    """The query for up to 50 titles."""
    return {
        "action": "query",
        "prop": "pageprops",
        "ppprop": "wikibase_item|disambiguation",
        "redirects": "1",
        "titles": "|".join(titles),
    }


def _askable(title: str) -> bool:
    # '|' would split one title in two; MediaWiki refuses longer titles anyway.
    return bool(title.strip()) and "|" not in title and len(title.encode("utf-8")) <= 255


def _read(answers: Iterable[dict[str, Any]], asked: list[str]) -> dict[str, PageIdentity]:
    renames: dict[str, str] = {}
    pages: dict[str, dict[str, Any]] = {}
    for data in answers:
        query = data.get("query")
        if not isinstance(query, dict):
            raise TransportError("the pageprops answer has no 'query' part")
        for part in ("normalized", "redirects"):
            for rename in query.get(part) or []:
                if isinstance(rename, dict) and rename.get("from") and rename.get("to"):
                    renames[str(rename["from"])] = str(rename["to"])
        for page in query.get("pages") or []:
            if isinstance(page, dict) and page.get("title"):
                merged = pages.setdefault(str(page["title"]), {})
                merged.update(page)
    found: dict[str, PageIdentity] = {}
    for title in asked:
        current = title
        for _ in range(_MAX_HOPS):
            if current not in renames:
                break
            current = renames[current]
        page = pages.get(current)
        if page is None or page.get("missing") or page.get("invalid"):
            continue
        props = page.get("pageprops")
        props = props if isinstance(props, dict) else {}
        qid = props.get("wikibase_item") if "disambiguation" not in props else None
        found[title] = PageIdentity(str(page["title"]), str(qid) if isinstance(qid, str) else None)
    return found


def resolve_titles(fetcher: Fetcher, titles: Iterable[str]) -> dict[str, PageIdentity]:
    """Each title that names a page → that page after redirects and its Wikidata item (sorted requests)."""
    askable = sorted({title for title in titles if _askable(title)})
    found: dict[str, PageIdentity] = {}
    for start in range(0, len(askable), MAX_TITLES):
        chunk = askable[start : start + MAX_TITLES]
        try:
            found.update(_read(continued(fetcher, pageprops_params(chunk)), chunk))
        except RecordingError:
            continue  # replayed without this answer: these titles stay unknown, never guessed
    return found
