"""Fetching an article from a MediaWiki: polite, pinned to a revision, with errors a user can act on.

One :class:`Fetcher` holds one ``requests.Session`` and sends one request at a time, each with a
timeout, ``Accept-Encoding: gzip`` and a User-Agent in Wikimedia's format
(https://meta.wikimedia.org/wiki/User-Agent_policy). Action API calls always carry
``format=json&formatversion=2&maxlag=5`` (https://www.mediawiki.org/wiki/Manual:Maxlag_parameter).

What is retried, and nothing else: HTTP 429/502/503/504, connection errors (including a body cut
short in transfer), timeouts, and the API error codes ``maxlag``, ``ratelimited``, ``readonly`` and
``internal_api_error_DB*``. The wait before retry ``n`` (from 0) is
``min(120, max(Retry-After, 5 * 2**n))`` seconds, as Wikimedia's etiquette asks. A complete answer
that is not JSON, any other HTTP status and any other API error fail at once: retrying them only
adds load.

Regenerating by title costs one request (``action=query&prop=revisions`` with the content);
:meth:`Fetcher.fetch_parsoid` needs the revision id first and so costs two.

With ``record_dir`` every answer used is stored with its request (see :mod:`extractor.recording`);
with ``replay_dir`` no network is touched and the recorded answers go through the same checks.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import TracebackType
from typing import Any, NoReturn
from urllib.parse import urlsplit

import requests
from requests.structures import CaseInsensitiveDict

from extractor import __version__
from extractor.errors import ApiError, FetchError, PageMissingError, TransportError
from extractor.fetch.recording import Exchange, Recording
from extractor.models import ContentFormat, Source
from extractor.source import make_source

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "CONTACT_ENV",
    "DEFAULT_API_URL",
    "LOCAL_CONTACT",
    "MAX_RESPONSE_BYTES",
    "RETRY_CODES",
    "RETRY_STATUSES",
    "TOOL_NAME",
    "FetchedPage",
    "Fetcher",
    "RevisionInfo",
    "api_params",
    "backoff_seconds",
    "default_user_agent",
    "is_wikimedia",
    "retry_after_seconds",
    "revisions_params",
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
_RETRY_CODE_PREFIX = "internal_api_error_DB"  # DBConnectionError, DBQueryError, ...
#: API error codes that mean "this page or revision does not exist" (action=parse reports them so).
_MISSING_CODES = frozenset({"missingtitle", "nosuchrevid", "nosuchpageid", "invalidtitle"})
BACKOFF_BASE = 5.0
BACKOFF_CAP = 120.0
#: The largest answer read; a bigger one is refused, not retried. enwiki's longest articles
#: answer with a few MB; this is far beyond and still fits in memory.
MAX_RESPONSE_BYTES = 64 * 2**20
_MAXLAG = 5
_CHUNK = 64 * 1024
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
_REDIRECT = re.compile(r"\s*#REDIRECT\b", re.IGNORECASE)

log = logging.getLogger(__name__)
_REQUESTS_VERSION: str = requests.__version__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class RevisionInfo:
    """A revision's identity as the API reports it."""

    title: str
    page_id: int
    revision_id: int
    timestamp: str
    sha1: str | None


@dataclass(frozen=True)
class FetchedPage:
    """An article's content and where it came from (``source.content_format`` says what it is)."""

    content: str
    source: Source


@dataclass(frozen=True)
class _Answer:
    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type")


@dataclass(frozen=True)
class _Revision:
    """Like :class:`RevisionInfo`, but a reconstruction's unknown ids stay ``None``."""

    title: str
    page_id: int | None
    revision_id: int | None
    timestamp: str | None
    sha1: str | None


class _Retry(Exception):
    """Internal: the answer is worth retrying; ``error`` is what the user sees if retries run out."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def default_user_agent(contact: str | None = None) -> str:
    """``frx-extractor/<version> (<contact>) python-requests/<version>``.

    The contact is ``contact``, else the ``FRX_EXTRACTOR_CONTACT`` environment variable, else
    :data:`LOCAL_CONTACT`.
    """
    chosen = (contact or os.environ.get(CONTACT_ENV) or "").strip() or LOCAL_CONTACT
    return f"{TOOL_NAME}/{__version__} ({chosen}) python-requests/{_REQUESTS_VERSION}"


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


def _one_line(text: str, limit: int = 200) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _subject(title: str | None, revision: int | None) -> str:
    if title and revision is not None:
        return f"{title!r} revision {revision}"
    if revision is not None:
        return f"revision {revision}"
    return repr(title) if title else "the request"


def _normalise_title(title: str) -> str:
    """MediaWiki's first-letter case and underscore rules, enough to compare two titles."""
    text = " ".join(title.replace("_", " ").split())
    return text[:1].upper() + text[1:]


class Fetcher:
    """A polite client of one wiki's Action API (and REST API), live or replaying a recording.

    >>> with Fetcher(contact="me@example.org") as fetcher:            # doctest: +SKIP
    ...     page = fetcher.fetch_wikitext("Foreign relations of Kyrgyzstan")
    ...     page.source.revision_id, page.source.permalink

    Without ``user_agent`` or a contact (``contact=`` or ``FRX_EXTRACTOR_CONTACT``), Wikimedia
    wikis are refused before any request is sent: their policy requires a way to reach the
    operator. Other wikis (a local test wiki) get :data:`LOCAL_CONTACT` in the User-Agent.

    When replaying (``replay_dir``), ``api_url`` is ignored: the source records the wiki the
    recording was made from, and its provenance (``obtained``) as recorded, so that a replay
    writes the very dataset the live run wrote.
    """

    def __init__(
        self,
        *,
        api_url: str = DEFAULT_API_URL,
        user_agent: str | None = None,
        max_retries: int = 5,
        timeout: float = 30.0,
        record_dir: Path | None = None,
        replay_dir: Path | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        contact: str | None = None,
        maxlag: int = _MAXLAG,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if record_dir is not None and replay_dir is not None:
            raise ValueError("record_dir and replay_dir exclude each other")
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.max_retries = max_retries
        self.timeout = timeout
        self.maxlag = maxlag
        self.max_response_bytes = max_response_bytes
        self._sleep = sleep
        self._clock = clock
        self._replay_dir = replay_dir
        self._record_dir = record_dir
        self._replay: Recording | None = None
        self._recording: Recording | None = None
        self._session: requests.Session | None = None
        self._own_session = session is None
        self._provenance: dict[str, str] = {"obtained": "api"}
        if replay_dir is not None:
            self._replay = Recording.load(replay_dir)
            self._provenance = dict(self._replay.source)
            self._api_url: str | None = self._replay.api_url
            self._language = self._replay.language
            self._user_agent = self._replay.user_agent or default_user_agent(contact)
            return
        self._script_base = _script_base(api_url)
        self._api_url = api_url
        self._language = _language(api_url)
        if user_agent is None:
            if is_wikimedia(api_url) and not (contact or os.environ.get(CONTACT_ENV, "").strip()):
                raise FetchError(
                    f"Wikimedia requires a User-Agent with a contact: pass --contact EMAIL-OR-URL "
                    f"(or set {CONTACT_ENV}), or a whole --user-agent"
                )
            user_agent = default_user_agent(contact)
        if not user_agent.strip() or not user_agent.isprintable():
            raise FetchError(f"the User-Agent must be one non-empty line, not {user_agent!r}")
        self._user_agent = user_agent
        self._session = session or requests.Session()
        self._session.headers["User-Agent"] = user_agent
        # Only gzip: what Wikimedia's etiquette asks for, and every MediaWiki front end serves.
        self._session.headers["Accept-Encoding"] = "gzip"
        if record_dir is not None:
            self._recording = Recording(api_url=api_url, language=self._language, user_agent=user_agent)

    # ------------------------------------------------------------------ properties, lifetime
    @property
    def api_url(self) -> str | None:
        """The wiki's ``api.php`` (when replaying: the recorded one, ``None`` for a reconstruction)."""
        return self._api_url

    @property
    def rest_url(self) -> str | None:
        """The wiki's ``rest.php``, beside its ``api.php``."""
        return None if self._api_url is None else _script_base(self._api_url) + "rest.php"

    @property
    def site_url(self) -> str | None:
        """The wiki's ``index.php`` (base of permalinks), beside its ``api.php``."""
        return None if self._api_url is None else _script_base(self._api_url) + "index.php"

    @property
    def user_agent(self) -> str:
        """The User-Agent every request carries."""
        return self._user_agent

    def close(self) -> None:
        """Close the session (if this fetcher created it)."""
        if self._session is not None and self._own_session:
            self._session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    # ------------------------------------------------------------------ public requests
    def query(self, params: dict[str, str]) -> dict[str, Any]:
        """One polite Action API GET: adds format/formatversion/maxlag, retries, records; the parsed JSON."""
        full = api_params(params, maxlag=self.maxlag)
        title, revision = _context(full)
        result: dict[str, Any] = self._exchange("api.php", full, title, revision, self._read_json)
        return result

    def fetch_wikitext(self, title: str | None = None, *, revision: int | None = None) -> FetchedPage:
        """The wikitext of ``title``'s latest revision, or of ``revision``: one request."""
        data = self.query(revisions_params(title, revision=revision, content=True))
        info, slot = self._revision(data, title, revision)
        content = slot.get("content")
        if slot.get("texthidden"):
            self._fail(PageMissingError, "the revision's content is hidden (revision-deleted)", info)
        if not isinstance(content, str):
            self._fail(TransportError, "the answer holds no content for the revision", info)
        return FetchedPage(content, self._source(info, "wikitext"))

    def fetch_html(self, title: str | None = None, *, revision: int | None = None) -> FetchedPage:
        """The parser HTML of ``title``'s latest revision, or of ``revision``: one ``action=parse``.

        ``action=parse`` reports no timestamp or SHA-1, so those stay ``None`` in the source.
        """
        params = {
            "action": "parse",
            "prop": "text|revid|displaytitle",
            "disableeditsection": "1",
            "disablelimitreport": "1",
        }
        if revision is not None:
            params["oldid"] = str(revision)
        else:
            params.update(page=_checked_title(title), redirects="1")
        data = self.query(params)
        parse = data.get("parse")
        if not isinstance(parse, dict) or not isinstance(parse.get("text"), str):
            self._fail(
                TransportError,
                "the parse answer holds no HTML",
                _Revision(title or "", None, revision, None, None),
            )
        info = _Revision(
            title=str(parse.get("title") or title or ""),
            page_id=self._id(parse.get("pageid"), "page id", title, revision),
            revision_id=self._id(parse.get("revid"), "revision id", title, revision),
            timestamp=None,
            sha1=None,
        )
        self._check_title(title, revision, info)
        return FetchedPage(parse["text"], self._source(info, "html"))

    def fetch_parsoid(self, title: str | None = None, *, revision: int | None = None) -> FetchedPage:
        """Parsoid HTML of a revision from the REST API: a metadata query, then ``/v1/revision/{id}/html``."""
        data = self.query(revisions_params(title, revision=revision, content=False))
        info, _ = self._revision(data, title, revision)
        if info.revision_id is None:
            self._fail(PageMissingError, "Parsoid HTML needs a revision id, and it is unknown", info)
        html: str = self._exchange(
            f"rest.php/v1/revision/{info.revision_id}/html", {}, info.title, info.revision_id, self._read_html
        )
        return FetchedPage(html, self._source(info, "parsoid"))

    def latest_revision(self, title: str) -> RevisionInfo:
        """The latest revision's ids, timestamp and SHA-1, without its content (one small request)."""
        data = self.query(revisions_params(title, content=False))
        info, _ = self._revision(data, title, None)
        if info.page_id is None or info.revision_id is None or info.timestamp is None:
            self._fail(PageMissingError, "the revision's ids are unknown", info)
        return RevisionInfo(info.title, info.page_id, info.revision_id, info.timestamp, info.sha1)

    # ------------------------------------------------------------------ the exchange loop
    def _exchange(
        self,
        endpoint: str,
        params: dict[str, str],
        title: str | None,
        revision: int | None,
        read: Callable[[_Answer, str | None, int | None], Any],
    ) -> Any:
        if self._replay is not None:
            recorded = self._replay.answer(endpoint, params, where=self._replay_dir)
            answer = _Answer(
                recorded.status, "", {"Content-Type": recorded.content_type or ""}, recorded.body
            )
            try:
                return read(answer, title, revision)
            except _Retry as retry:  # a recording cannot get better by waiting
                raise retry.error from None
        for attempt in itertools.count():
            try:
                answer = self._send(endpoint, params, title, revision)
                result = read(answer, title, revision)
            except _Retry as retry:
                if attempt >= self.max_retries:
                    error = retry.error
                    if attempt:
                        error.args = (f"{error.args[0]} (gave up after {attempt} retries)",)
                    raise error from None
                wait = backoff_seconds(attempt, retry.retry_after)
                log.info("%s; retry %d of %d in %.0f s", retry.error, attempt + 1, self.max_retries, wait)
                self._sleep(wait)
                continue
            self._record(endpoint, params, answer)
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(
        self, endpoint: str, params: dict[str, str], title: str | None, revision: int | None
    ) -> _Answer:
        assert self._session is not None
        url = self._script_base + endpoint
        where = f"{url.split('://', 1)[-1]}"

        def error(cls: type[TransportError], message: str, status: int | None = None) -> TransportError:
            return cls(
                f"{_subject(title, revision)}: {message}", status=status, title=title, revision=revision
            )

        try:
            with self._session.get(url, params=params or None, timeout=self.timeout, stream=True) as response:
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > self.max_response_bytes:
                    raise error(
                        TransportError,
                        f"answer of {declared} bytes from {where} exceeds "
                        f"the {self.max_response_bytes}-byte limit",
                        response.status_code,
                    )
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_content(_CHUNK):
                    size += len(chunk)
                    if size > self.max_response_bytes:
                        raise error(
                            TransportError,
                            f"answer from {where} exceeds the {self.max_response_bytes}-byte limit",
                            response.status_code,
                        )
                    chunks.append(chunk)
                headers = CaseInsensitiveDict(response.headers)  # MediaWiki's REST sends "Content-type"
                return _Answer(response.status_code, response.reason or "", headers, b"".join(chunks))
        except requests.Timeout:
            raise _Retry(error(TransportError, f"no answer from {where} within {self.timeout:g} s")) from None
        except requests.exceptions.SSLError as failure:
            raise error(
                TransportError, f"TLS failure talking to {where}: {_one_line(str(failure))}"
            ) from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as failure:
            # Includes a reset connection and a body cut short of its Content-Length.
            raise _Retry(error(TransportError, f"connection to {where} failed: {_reason(failure)}")) from None
        except requests.RequestException as failure:
            raise error(TransportError, f"request to {where} failed: {_reason(failure)}") from None

    def _record(self, endpoint: str, params: dict[str, str], answer: _Answer) -> None:
        if self._recording is None or self._record_dir is None:
            return
        self._recording.add(Exchange(endpoint, dict(params), answer.status, answer.content_type, answer.body))
        self._recording.save(self._record_dir)

    # ------------------------------------------------------------------ reading answers
    def _status_problem(self, answer: _Answer, title: str | None, revision: int | None) -> None:
        if answer.status in RETRY_STATUSES:
            wait = retry_after_seconds(answer.headers.get("Retry-After"), now=self._clock())
            raise _Retry(
                TransportError(
                    f"{_subject(title, revision)}: HTTP {answer.status} {answer.reason}".rstrip(),
                    status=answer.status,
                    title=title,
                    revision=revision,
                ),
                wait,
            )

    def _read_json(self, answer: _Answer, title: str | None, revision: int | None) -> dict[str, Any]:
        self._status_problem(answer, title, revision)
        subject = _subject(title, revision)
        data: Any = None
        with contextlib.suppress(UnicodeDecodeError, ValueError):
            data = json.loads(answer.body.decode("utf-8"))
        if answer.status != 200:
            hint = " (Wikimedia refuses User-Agents that break its policy)" if answer.status == 403 else ""
            raise TransportError(
                f"{subject}: HTTP {answer.status} {answer.reason}{hint}".rstrip(),
                status=answer.status,
                title=title,
                revision=revision,
            )
        if not isinstance(data, dict):
            kind = (answer.content_type or "no content type").split(";")[0]
            start = _one_line(answer.body[:60].decode("utf-8", "replace"), 60)
            what = "truncated or malformed JSON" if kind.endswith("json") else f"not JSON ({kind})"
            raise TransportError(
                f"{subject}: the answer is {what}: {start!r}",
                status=answer.status,
                title=title,
                revision=revision,
            )
        problem = data.get("error")
        if isinstance(problem, dict):
            code = str(problem.get("code", "unknown"))
            info = _one_line(str(problem.get("info", "")))
            message = f"{subject}: API error {code}: {info}"
            if code in _MISSING_CODES:
                raise PageMissingError(message, title=title, revision=revision)
            failure = ApiError(message, code=code, title=title, revision=revision)
            if code in RETRY_CODES or code.startswith(_RETRY_CODE_PREFIX):
                raise _Retry(
                    failure, retry_after_seconds(answer.headers.get("Retry-After"), now=self._clock())
                )
            raise failure
        return data

    def _read_html(self, answer: _Answer, title: str | None, revision: int | None) -> str:
        self._status_problem(answer, title, revision)
        subject = _subject(title, revision)
        if answer.status == 404:
            raise PageMissingError(
                f"{subject}: the REST API has no HTML for it ({_rest_error(answer)})",
                title=title,
                revision=revision,
            )
        if answer.status != 200:
            raise TransportError(
                f"{subject}: HTTP {answer.status} {answer.reason} ({_rest_error(answer)})",
                status=answer.status,
                title=title,
                revision=revision,
            )
        kind = (answer.content_type or "").split(";")[0].strip()
        if kind != "text/html":
            raise TransportError(
                f"{subject}: expected HTML, got {kind or 'no content type'}",
                status=answer.status,
                title=title,
                revision=revision,
            )
        try:
            return answer.body.decode("utf-8")
        except UnicodeDecodeError:
            raise TransportError(
                f"{subject}: the HTML is not UTF-8", title=title, revision=revision
            ) from None

    def _revision(
        self, data: dict[str, Any], title: str | None, revision: int | None
    ) -> tuple[_Revision, dict[str, Any]]:
        """The one revision a ``prop=revisions`` answer is about, checked to be the article."""
        subject = _subject(title, revision)

        def fail(cls: type[FetchError], message: str) -> NoReturn:
            raise cls(f"{subject}: {message}", title=title, revision=revision)

        query = data.get("query")
        if not isinstance(query, dict):
            fail(TransportError, "the answer has no 'query' part")
        if query.get("badrevids"):
            fail(PageMissingError, f"no such revision on {self._wiki()}")
        if query.get("interwiki"):
            fail(PageMissingError, "the title points at another wiki (interwiki prefix)")
        redirects = [r for r in query.get("redirects", []) if isinstance(r, dict)]
        # MediaWiki stops at a redirect loop and answers with the redirects and no page at all.
        if {r.get("to") for r in redirects} & {r.get("from") for r in redirects}:
            chain = " -> ".join([str(redirects[0].get("from")), *(str(r.get("to")) for r in redirects)])
            fail(PageMissingError, f"is a redirect loop ({chain})")
        pages = query.get("pages")
        if not isinstance(pages, list) or len(pages) != 1 or not isinstance(pages[0], dict):
            fail(TransportError, "the answer does not hold exactly one page")
        page = pages[0]
        if page.get("invalid"):
            fail(PageMissingError, f"invalid title: {_one_line(str(page.get('invalidreason', '')))}")
        if page.get("missing"):
            via = f" (redirect target of {redirects[-1].get('from')!r})" if redirects else ""
            target = f" {page.get('title')!r}" if redirects else ""
            fail(PageMissingError, f"page{target} does not exist on {self._wiki()}{via}")
        if page.get("special"):
            fail(PageMissingError, "is a special page, not an article")
        revisions = page.get("revisions")
        if not isinstance(revisions, list) or len(revisions) != 1 or not isinstance(revisions[0], dict):
            fail(TransportError, "the answer does not hold exactly one revision")
        rev = revisions[0]
        slot = (rev.get("slots") or {}).get("main") or {}
        info = _Revision(
            title=str(page.get("title") or ""),
            page_id=self._id(page.get("pageid"), "page id", title, revision),
            revision_id=self._id(rev.get("revid"), "revision id", title, revision),
            timestamp=self._text(rev.get("timestamp"), "timestamp", title, revision),
            sha1=slot.get("sha1") or rev.get("sha1"),
        )
        if not info.title:
            fail(TransportError, "the answer names no page")
        model = slot.get("contentmodel", rev.get("contentmodel"))
        if model is not None and model != "wikitext":
            fail(PageMissingError, f"is not a wikitext article (content model {model!r})")
        content = slot.get("content")
        if isinstance(content, str) and _REDIRECT.match(content):
            fail(PageMissingError, f"{info.title!r} is a redirect that could not be followed (a loop?)")
        self._check_title(title, revision, info)
        return info, slot

    def _check_title(self, title: str | None, revision: int | None, info: _Revision) -> None:
        # With both a title and a revision, the revision is fetched; it must belong to that title.
        if title is not None and revision is not None and _normalise_title(title) != info.title:
            self._fail(
                PageMissingError, f"revision {revision} belongs to {info.title!r}, not {title!r}", info
            )

    def _id(self, value: Any, what: str, title: str | None, revision: int | None) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if value is None and self._reconstruction:
            return None
        raise TransportError(
            f"{_subject(title, revision)}: the answer has no valid {what}", title=title, revision=revision
        )

    def _text(self, value: Any, what: str, title: str | None, revision: int | None) -> str | None:
        if isinstance(value, str) and value:
            return value
        if value is None and self._reconstruction:
            return None
        raise TransportError(
            f"{_subject(title, revision)}: the answer has no valid {what}", title=title, revision=revision
        )

    @property
    def _reconstruction(self) -> bool:
        # Only a documented reconstruction may lack ids: a live answer always has them.
        return self._provenance.get("obtained") == "reconstruction"

    def _fail(self, cls: type[FetchError], message: str, info: _Revision) -> NoReturn:
        raise cls(
            f"{_subject(info.title, info.revision_id)}: {message}",
            title=info.title,
            revision=info.revision_id,
        )

    def _wiki(self) -> str:
        return self._api_url or "the recording"

    def _source(self, info: _Revision, content_format: ContentFormat) -> Source:
        return make_source(
            info.title,
            obtained=self._provenance.get("obtained", "api"),  # type: ignore[arg-type]
            language=self._language,
            page_id=info.page_id,
            revision_id=info.revision_id,
            revision_timestamp=info.timestamp,
            sha1=info.sha1,
            api_url=self._api_url,
            site_url=self.site_url,
            licence=self._provenance.get("licence"),
            note=self._provenance.get("note"),
            content_format=content_format,
        )


def api_params(params: Mapping[str, str], *, maxlag: int = _MAXLAG) -> dict[str, str]:
    """``params`` plus what every Action API call carries: ``format=json&formatversion=2&maxlag=5``."""
    return {**params, "format": "json", "formatversion": "2", "maxlag": str(maxlag)}


def revisions_params(
    title: str | None = None, *, revision: int | None = None, content: bool
) -> dict[str, str]:
    """The ``prop=revisions`` query for a title's latest revision or for ``revision`` (redirects followed)."""
    return {
        "action": "query",
        "prop": "revisions",
        **_target(title, revision),
        "rvprop": "ids|timestamp|sha1|contentmodel" + ("|content" if content else ""),
        "rvslots": "main",
        "redirects": "1",
    }


def _script_base(api_url: str) -> str:
    """``https://host/w/`` from ``https://host/w/api.php``; the REST and index URLs sit beside it."""
    parts = urlsplit(api_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or not parts.path.endswith("/api.php"):
        raise FetchError(f"--api-url must be the http(s) URL of a wiki's api.php, not {api_url!r}")
    if parts.query or parts.fragment:
        raise FetchError(f"--api-url must not carry a query or fragment: {api_url!r}")
    return api_url[: -len("api.php")]


def _language(api_url: str) -> str:
    host = (urlsplit(api_url).hostname or "").lower()
    match = re.fullmatch(r"([a-z][a-z0-9-]*)\.(?:m\.)?wikipedia\.org", host)
    # Other wikis carry no language in their address; the dataset's default is English.
    return match.group(1) if match else "en"


def _checked_title(title: str | None) -> str:
    if title is None or not title.strip():
        raise PageMissingError("invalid title: empty", title=title)
    if "|" in title:  # would silently ask for several pages at once
        raise PageMissingError(f"{title!r}: invalid title: '|' is not allowed in titles", title=title)
    return title


def _target(title: str | None, revision: int | None) -> dict[str, str]:
    if revision is not None:
        if revision <= 0:
            raise PageMissingError(f"revision {revision}: revision ids are positive", revision=revision)
        return {"revids": str(revision)}
    return {"titles": _checked_title(title)}


def _context(params: Mapping[str, str]) -> tuple[str | None, int | None]:
    """The title and revision a request is about, for error messages."""
    title = params.get("titles") or params.get("page")
    raw = params.get("revids") or params.get("oldid")
    return title, int(raw) if raw and raw.isdigit() else None


def _reason(failure: BaseException) -> str:
    # requests nests urllib3's reasons; the innermost one says what happened ("Connection reset by peer").
    text = str(failure)
    match = re.search(
        r"\(([^()]*(?:reset|refused|timed out|IncompleteRead|Broken|aborted)[^()]*)\)", text, re.I
    )
    return _one_line(match.group(1) if match else text, 160)


def _rest_error(answer: _Answer) -> str:
    try:
        data = json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return f"HTTP {answer.status}"
    if isinstance(data, dict):
        return str(
            data.get("errorKey") or data.get("messageTranslations", {}).get("en") or data.get("httpCode")
        )
    return f"HTTP {answer.status}"
