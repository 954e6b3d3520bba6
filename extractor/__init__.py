"""Turn Wikipedia's "Foreign relations of X" articles into a clean, cited, versioned dataset.

The library's way in::

    from extractor import extract_wikitext, make_source
    article = extract_wikitext(text, make_source("Foreign relations of Kyrgyzstan", obtained="file"))
    for relation in article.relations:
        print(relation.country, relation.established, relation.established_precision)

The pipeline is the package layout: :mod:`~extractor.fetch` → :mod:`~extractor.parse`
(``wikitext``, ``html``) → :mod:`~extractor.merge` → :mod:`~extractor.extract` →
:mod:`~extractor.export`, with :mod:`~extractor.changes` and :mod:`~extractor.batch` on top and
:mod:`~extractor.cli` as the way in from the shell.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from extractor.version import __version__

# Every name loads its module on first use (PEP 562): `import extractor` costs nothing, so that
# `python -m extractor --help` starts instantly and wikitext users never load BeautifulSoup or
# requests. The TYPE_CHECKING block gives type checkers and editors the same names eagerly.
_LAZY = {
    "ApiError": "extractor.errors",
    "DatasetError": "extractor.errors",
    "ExtractorError": "extractor.errors",
    "FetchError": "extractor.errors",
    "InputError": "extractor.errors",
    "PageMissingError": "extractor.errors",
    "RecordingError": "extractor.errors",
    "TransportError": "extractor.errors",
    "Article": "extractor.models",
    "Citation": "extractor.models",
    "Diagnostic": "extractor.models",
    "EstablishedDate": "extractor.models",
    "Mission": "extractor.models",
    "Reference": "extractor.models",
    "Relation": "extractor.models",
    "Source": "extractor.models",
    "make_source": "extractor.source",
    "article_from_document": "extractor.extract",
    "extract_content": "extractor.extract",
    "extract_html": "extractor.extract",
    "extract_wikitext": "extractor.extract",
    "parse_wikitext": "extractor.parse.wikitext",
    "parse_html": "extractor.parse.html",
    "slugify": "extractor.export.dataset",
    "write_dataset": "extractor.export.dataset",
    "FetchedPage": "extractor.fetch.client",
    "Fetcher": "extractor.fetch.client",
    "RevisionInfo": "extractor.fetch.client",
    "diff_articles": "extractor.changes.diff",
}

if TYPE_CHECKING:
    from extractor.changes.diff import diff_articles
    from extractor.errors import (
        ApiError,
        DatasetError,
        ExtractorError,
        FetchError,
        InputError,
        PageMissingError,
        RecordingError,
        TransportError,
    )
    from extractor.export.dataset import slugify, write_dataset
    from extractor.extract import article_from_document, extract_content, extract_html, extract_wikitext
    from extractor.fetch.client import FetchedPage, Fetcher, RevisionInfo
    from extractor.models import (
        Article,
        Citation,
        Diagnostic,
        EstablishedDate,
        Mission,
        Reference,
        Relation,
        Source,
    )
    from extractor.parse.html import parse_html
    from extractor.parse.wikitext import parse_wikitext
    from extractor.source import make_source


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ApiError",
    "Article",
    "Citation",
    "DatasetError",
    "Diagnostic",
    "EstablishedDate",
    "ExtractorError",
    "FetchError",
    "FetchedPage",
    "Fetcher",
    "InputError",
    "Mission",
    "PageMissingError",
    "RecordingError",
    "Reference",
    "Relation",
    "RevisionInfo",
    "Source",
    "TransportError",
    "__version__",
    "article_from_document",
    "diff_articles",
    "extract_content",
    "extract_html",
    "extract_wikitext",
    "make_source",
    "parse_html",
    "parse_wikitext",
    "slugify",
    "write_dataset",
]
