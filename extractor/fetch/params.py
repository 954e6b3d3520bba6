"""What every request to a MediaWiki carries: the default wiki, the User-Agent, parameters and waits.

Light on purpose: the CLI imports :data:`DEFAULT_API_URL` and :data:`CONTACT_ENV` from here for
its instant ``--help``, so this module imports neither ``requests`` nor anything slow (the few
heavier standard modules are imported inside the one function that needs them).

Action API calls always carry ``format=json&formatversion=2&maxlag=5``
(https://www.mediawiki.org/wiki/Manual:Maxlag_parameter). The wait before retry ``n`` (from 0)
is ``min(120, max(Retry-After, 5 * 2**n))`` seconds, as Wikimedia's etiquette asks.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

from extractor.errors import FetchError, PageMissingError
from extractor.version import __version__

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "CONTACT_ENV",
    "DEFAULT_API_URL",
    "DEFAULT_DEADLINE",
    "DEFAULT_MAXLAG",
    "LOCAL_CONTACT",
    "MAX_RESPONSE_BYTES",
    "RETRY_CODES",
    "RETRY_CODE_PREFIX",
    "RETRY_STATUSES",
    "RIGHTS_PARAMS",
    "TOOL_NAME",
    "api_params",
    "backoff_seconds",
    "checked_title",
    "default_user_agent",
    "is_wikimedia",
    "request_context",
    "retry_after_seconds",
    "revisions_params",
    "script_base",
    "wiki_language",
]

DEFAULT_API_URL = "https://en.wikipedia.org/w/api.php"
TOOL_NAME = "frx-extractor"
#: Environment variable holding the contact (URL or e-mail) put in the User-Agent.
CONTACT_ENV = "FRX_EXTRACTOR_CONTACT"
#: Stands in for a contact when none was given. Deliberately not a URL or an address: the
#: project has no public contact, and inventing one would mislead a wiki's operators.
LOCAL_CONTACT = "local use; no contact given"
RETRY_STATUSES = frozenset({429, 502, 503, 504})
RETRY_CODES = frozenset({"maxlag", "ratelimited", "readonly"})
#: API error codes starting so are retried too (DBConnectionError, DBQueryError, ...).
RETRY_CODE_PREFIX = "internal_api_error_DB"
BACKOFF_BASE = 5.0
BACKOFF_CAP = 120.0
#: The largest answer read; a bigger one is refused, not retried. enwiki's longest articles
#: answer with a few MB; this is far beyond and still fits in memory.
MAX_RESPONSE_BYTES = 64 * 2**20
#: Seconds one request may take in all, connection, headers and whole body (a server that drips
#: one byte at a time never trips the per-read timeout; see fetch/watchdog.py).
DEFAULT_DEADLINE = 120.0
#: Asks, beside the content, for the licence the wiki states (``query.rightsinfo.{url,text}``): in
#: the same request, so that the licence a dataset names is the one its text was served under.
RIGHTS_PARAMS = {"meta": "siteinfo", "siprop": "rightsinfo"}
#: Seconds of replication lag beyond which the API asks us to wait (``maxlag``).
DEFAULT_MAXLAG = 5
# Wikimedia's User-Agent policy applies to these hosts (and their language subdomains).
_WIKIMEDIA_DOMAINS = (
    "wikipedia.org",
    "wikimedia.org",
    "wikidata.org",
    "wiktionary.org",
    "wikibooks.org",
    "wikinews.org",
    "wikiquote.org",
    "wikisource.org",
    "wikiversity.org",
    "wikivoyage.org",
    "wikifunctions.org",
    "mediawiki.org",
)


def default_user_agent(contact: str | None = None) -> str:
    """``frx-extractor/<version> (<contact>) python-requests/<version>``.

    The contact is ``contact``, else the ``FRX_EXTRACTOR_CONTACT`` environment variable, else
    :data:`LOCAL_CONTACT`.
    """
    # Imported here, not at the top: this module must stay cheap to import (see the docstring),
    # and whoever builds a User-Agent is about to send requests with it anyway.
    import requests

    requests_version: str = requests.__version__
    chosen = (contact or os.environ.get(CONTACT_ENV) or "").strip() or LOCAL_CONTACT
    return f"{TOOL_NAME}/{__version__} ({chosen}) python-requests/{requests_version}"


def is_wikimedia(url: str) -> bool:
    """True for a Wikimedia-hosted wiki (Wikipedia and its sister projects)."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == domain or host.endswith("." + domain) for domain in _WIKIMEDIA_DOMAINS)


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """The wait a ``Retry-After`` header asks for: delta seconds or an HTTP date; ``None`` if unusable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    # Imported here: email.utils pulls in socket and friends, too slow for the CLI's --help.
    from email.utils import parsedate_to_datetime

    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:  # HTTP dates are GMT by definition
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


def backoff_seconds(
    attempt: int, retry_after: float | None, *, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP
) -> float:
    """Seconds before retry ``attempt`` (from 0): ``min(cap, max(Retry-After, base * 2**attempt))``."""
    return float(min(cap, max(retry_after or 0.0, base * 2.0**attempt)))


def api_params(params: Mapping[str, str], *, maxlag: int = DEFAULT_MAXLAG) -> dict[str, str]:
    """``params`` plus what every Action API call carries: ``format=json&formatversion=2&maxlag=5``."""
    return {**params, "format": "json", "formatversion": "2", "maxlag": str(maxlag)}


def revisions_params(title: str | None = None, *, revision: int | None = None, content: bool) -> dict[str, str]:
    """The ``prop=revisions`` query for a title's latest revision or for ``revision`` (redirects followed).

    With ``content``, the wiki's licence is asked for too (:data:`RIGHTS_PARAMS`).
    """
    return {
        "action": "query",
        "prop": "revisions",
        **_target(title, revision),
        "rvprop": "ids|timestamp|sha1|contentmodel" + ("|content" if content else ""),
        "rvslots": "main",
        "redirects": "1",
        **(RIGHTS_PARAMS if content else {}),
    }


def checked_title(title: str | None) -> str:
    """``title`` if it can be asked for alone; :class:`PageMissingError` if empty or holding ``|``."""
    if title is None or not title.strip():
        raise PageMissingError("invalid title: empty", title=title)
    if "|" in title:  # would silently ask for several pages at once
        raise PageMissingError(f"{title!r}: invalid title: '|' is not allowed in titles", title=title)
    return title


def request_context(params: Mapping[str, str]) -> tuple[str | None, int | None]:
    """The title and revision a request is about, for error messages."""
    title = params.get("titles") or params.get("page")
    raw = params.get("revids") or params.get("oldid")
    return title, int(raw) if raw and raw.isdigit() else None


def script_base(api_url: str) -> str:
    """``https://host/w/`` from ``https://host/w/api.php``; the REST and index URLs sit beside it."""
    try:
        parts = urlsplit(api_url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:  # e.g. an unclosed IPv6 bracket: "http://[::1/api.php"
        raise FetchError(f"the API URL {api_url!r} cannot be read: {error}", setting="api_url") from None
    if parts.scheme not in {"http", "https"} or not parts.netloc or not parts.path.endswith("/api.php"):
        raise FetchError(f"the API URL must be the http(s) URL of a wiki's api.php, not {api_url!r}", setting="api_url")
    if parts.query or parts.fragment:
        raise FetchError(f"the API URL must not carry a query or fragment: {api_url!r}", setting="api_url")
    return api_url[: -len("api.php")]


def wiki_language(api_url: str | None) -> str:
    """The language of a Wikipedia from its API URL (``de`` for de.wikipedia.org); ``en`` otherwise."""
    host = (urlsplit(api_url or "").hostname or "").lower()
    match = re.fullmatch(r"([a-z][a-z0-9-]*)\.(?:m\.)?wikipedia\.org", host)
    # Other wikis carry no language in their address; the dataset's default is English.
    return match.group(1) if match else "en"


def _target(title: str | None, revision: int | None) -> dict[str, str]:
    if revision is not None:
        if revision <= 0:
            raise PageMissingError(f"revision {revision}: revision ids are positive", revision=revision)
        return {"revids": str(revision)}
    return {"titles": checked_title(title)}
