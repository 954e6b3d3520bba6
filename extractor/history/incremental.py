"""Extracting a run of revisions without redoing work an earlier revision already did.

A revision whose wikitext is one already extracted (a revert, a null edit, the same SHA-1) costs
a dictionary look-up: its dataset is the earlier one with this revision's source. Every other
revision is read by a :class:`~extractor.parse.wikitext.incremental.PassageCache`, which parses
and walks again only the passages (and table rows) that changed, and reads each reference
definition once; its result is what :func:`extractor.extract.extract_wikitext` gives (tested on
the corpus and on edited histories). Merging the rows into relations is skipped when the
document is the previous revision's (a prose edit), and the entities of each list of partners
are worked out once. ``scripts/benchmark.py`` measures the saving.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TypeVar

from extractor.collector import collector_paused
from extractor.entities import EntityTable, Mention
from extractor.extract import article_from_document
from extractor.models import Article, Source
from extractor.parse.document import ParsedDocument
from extractor.parse.wikitext.incremental import PassageCache

__all__ = ["IncrementalExtractor", "text_hash"]

_K = TypeVar("_K")
_V = TypeVar("_V")


def text_hash(text: str) -> str:
    """The SHA-1 of ``text`` as UTF-8, hex (MediaWiki's revision SHA-1 is of the same bytes, base 36)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class _Bounded(OrderedDict[_K, _V]):
    """A dictionary that forgets its oldest entries beyond ``capacity`` (a cache that cannot grow without end)."""

    def __init__(self, capacity: int) -> None:
        super().__init__()
        self.capacity = capacity

    def __setitem__(self, key: _K, value: _V) -> None:
        super().__setitem__(key, value)
        if len(self) > self.capacity:
            self.popitem(last=False)


@dataclass
class IncrementalExtractor:
    """Extracts revisions one after another, reusing the dataset of any text seen before.

    ``capacity`` bounds how many distinct texts are remembered (least recently used go first),
    so that a history of thousands of revisions does not hold every dataset in memory.
    """

    capacity: int = 256
    hits: int = 0
    misses: int = 0
    _cache: OrderedDict[str, Article] = field(default_factory=OrderedDict)
    _passages: PassageCache = field(default_factory=PassageCache)
    #: The entity table of each list of partners (revisions mostly name the same ones).
    _entity_tables: _Bounded[tuple[Mention, ...], EntityTable] = field(default_factory=lambda: _Bounded(64))
    #: The last parsed document and its dataset: a prose-only edit parses to the same document.
    _last: tuple[ParsedDocument, Article] | None = None

    def extract(self, text: str, source: Source) -> Article:
        """The dataset of ``text`` with ``source``: the same as ``extract_wikitext(text, source)``."""
        key = text_hash(text)
        cached = self._cache.get(key)
        if cached is not None:
            self.hits += 1
            self._cache.move_to_end(key)
            return cached.model_copy(update={"source": source})
        self.misses += 1
        # Paused as extract_wikitext pauses it; here it matters more: the collector would scan
        # every dataset this extractor remembers, each time the merge had allocated enough.
        with collector_paused():
            return self._extract(text, source, key)

    def _extract(self, text: str, source: Source, key: str) -> Article:
        document = self._passages.parse(text)
        if self._last is not None and self._last[1].source.title == source.title and self._last[0] == document:
            # The dataset depends only on the document and the title: an edit of prose outside
            # the relation tables (or of nothing they read) need not be merged again.
            article = self._last[1].model_copy(update={"source": source})
        else:
            article = article_from_document(document, source, entity_tables=self._entity_tables)
        self._last = (document, article)
        self._cache[key] = article
        if len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        return article
