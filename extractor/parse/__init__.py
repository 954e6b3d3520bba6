"""Parse: an article's wikitext or HTML → a :class:`~extractor.parse.document.ParsedDocument`.

Two front ends, :mod:`extractor.parse.wikitext` (mwparserfromhell) and :mod:`extractor.parse.html`
(BeautifulSoup with lxml), each walking its format; one set of rules they share: which table is a
relation table (:mod:`~extractor.parse.layout`), how a table's rows become records
(:mod:`~extractor.parse.rows`), and what a rendered cell says (:mod:`~extractor.parse.cells`).
The HTML side never imports the wikitext side.
"""

from __future__ import annotations

__all__: list[str] = []
