"""Turn Wikipedia's "Foreign relations of X" articles into a clean, cited, versioned dataset.

The library's way in::

    from extractor import extract_wikitext, make_source
    article = extract_wikitext(text, make_source("Foreign relations of Kyrgyzstan", obtained="file"))
    for relation in article.relations:
        print(relation.country, relation.established, relation.established_precision)

Pipeline, one module each: fetch → parse_wikitext / parse_html → merge → export; the change
check (check, diff) sits on top; cli is the command line.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import (
    ApiError,
    DatasetError,
    ExtractorError,
    FetchError,
    InputError,
    PageMissingError,
    RecordingError,
    TransportError,
)
from .export import slugify, write_dataset
from .extract import article_from_document, extract_content, extract_wikitext, make_source
from .models import Article, Citation, Diagnostic, EstablishedDate, Reference, Relation, Source
from .parse_wikitext import parse_wikitext

# Heavier parts (requests, BeautifulSoup) load on first use, so that `import extractor` for
# wikitext work stays light.
_LAZY = {
    "FetchedPage": "fetch",
    "Fetcher": "fetch",
    "RevisionInfo": "fetch",
    "diff_articles": "diff",
    "parse_html": "parse_html",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
    "extract_wikitext",
    "make_source",
    "parse_html",
    "parse_wikitext",
    "slugify",
    "write_dataset",
]
