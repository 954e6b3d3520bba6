"""Fetch: an article's wikitext or HTML from the MediaWiki API, politely, live or replayed.

Depends only on the base modules (errors, models, source): importing it loads no parser.
"""

from __future__ import annotations

from extractor.fetch.client import CONTACT_ENV, DEFAULT_API_URL, FetchedPage, Fetcher, RevisionInfo

__all__ = ["CONTACT_ENV", "DEFAULT_API_URL", "FetchedPage", "Fetcher", "RevisionInfo"]
