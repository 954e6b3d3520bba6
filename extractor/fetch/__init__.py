"""Fetch: an article's wikitext or HTML from the MediaWiki API, politely, live or replayed.

Depends only on the base modules (errors, models, source, atomic): importing it loads no parser.

::

    params.py     the default wiki, User-Agent, request parameters and back-off (imports no requests)
    answers.py    reading answers: JSON, API errors, the revision and page shape, HTML
    transport.py  how one exchange happens: live, replayed from a recording, or recorded
    recording.py  recordings on disk
    client.py     the Fetcher
    batch.py      many articles, 50 titles per request
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from extractor.fetch.params import CONTACT_ENV, DEFAULT_API_URL

# The Fetcher loads on first use (PEP 562), so that importing the light settings above (the CLI's
# --help does) costs no `requests`.
_LAZY = {
    "FetchedPage": "extractor.fetch.answers",
    "Fetcher": "extractor.fetch.client",
    "RevisionInfo": "extractor.fetch.answers",
}

if TYPE_CHECKING:
    from extractor.fetch.answers import FetchedPage, RevisionInfo
    from extractor.fetch.client import Fetcher


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = ["CONTACT_ENV", "DEFAULT_API_URL", "FetchedPage", "Fetcher", "RevisionInfo"]
