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
from .extract import article_from_document, extract_wikitext, make_source
from .models import Article, Citation, Diagnostic, EstablishedDate, Reference, Relation, Source
from .parse_wikitext import parse_wikitext

__all__ = [
    "ApiError",
    "Article",
    "Citation",
    "DatasetError",
    "Diagnostic",
    "EstablishedDate",
    "ExtractorError",
    "FetchError",
    "InputError",
    "PageMissingError",
    "RecordingError",
    "Reference",
    "Relation",
    "Source",
    "TransportError",
    "__version__",
    "article_from_document",
    "extract_wikitext",
    "make_source",
    "parse_wikitext",
    "slugify",
    "write_dataset",
]
