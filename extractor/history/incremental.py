"""Extracting a run of revisions without redoing work an earlier revision already did.

A revision whose wikitext is one already extracted (a revert, a null edit, the same SHA-1) costs
a dictionary look-up: its dataset is the earlier one with this revision's source. Every other
revision is read by a :class:`~extractor.parse.wikitext.incremental.PassageCache`, which parses
and walks again only the passages (and table rows) that changed, and reads each reference
definition once; its result is what :func:`extractor.extract.extract_wikitext` gives (tested on
the corpus and on edited histories). ``scripts/benchmark.py`` measures the saving.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field

from extractor.extract import article_from_document
from extractor.models import Article, Source
from extractor.parse.wikitext.incremental import PassageCache

__all__ = ["IncrementalExtractor", "text_hash"]


def text_hash(text: str) -> str:
    """The SHA-1 of ``text`` as UTF-8, hex (MediaWiki's revision SHA-1 is of the same bytes, base 36)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


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

    def extract(self, text: str, source: Source) -> Article:
        """The dataset of ``text`` with ``source``: the same as ``extract_wikitext(text, source)``."""
        key = text_hash(text)
        cached = self._cache.get(key)
        if cached is not None:
            self.hits += 1
            self._cache.move_to_end(key)
            return cached.model_copy(update={"source": source})
        self.misses += 1
        article = article_from_document(self._passages.parse(text), source)
        self._cache[key] = article
        if len(self._cache) > self.capacity:
            self._cache.popitem(last=False)
        return article
