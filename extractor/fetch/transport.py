"""How one exchange with a wiki happens: live over HTTP, replayed from a recording, or recorded.

A transport takes a :class:`Request` and a reader (see :mod:`extractor.fetch.answers`) and
returns what the reader made of the answer. Three kinds, picked once when a
:class:`~extractor.fetch.Fetcher` is built:

* :class:`LiveTransport` sends the request with one ``requests.Session``, politely: a User-Agent
  in Wikimedia's format (https://meta.wikimedia.org/wiki/User-Agent_policy), ``Accept-Encoding:
  gzip``, a timeout, an overall deadline per request (:mod:`extractor.fetch.watchdog`), and a
  streamed body refused beyond a size cap. What is retried, and nothing
  else: HTTP 429/502/503/504, connection errors (including a body cut short in transfer),
  timeouts, and the API errors the reader marks as worth retrying; each after the back-off of
  :func:`~extractor.fetch.params.backoff_seconds`. A complete answer that is not JSON, any other
  HTTP status and any other API error fail at once: retrying them only adds load.
* :class:`ReplayTransport` answers from a :class:`~extractor.fetch.recording.Recording`, touches
  no network and never waits: a recording cannot get better by waiting.
* :class:`RecordingTransport` wraps another transport and stores every answer that was read
  successfully, with its request, in a recording folder (saved after each exchange).
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Protocol, TypeVar
from urllib.parse import urlsplit

import requests
import urllib3
from requests.structures import CaseInsensitiveDict

from extractor.errors import FetchError, TransportError
from extractor.fetch.answers import Answer, Retry, one_line, subject
from extractor.fetch.params import (
    CONTACT_ENV,
    DEFAULT_DEADLINE,
    MAX_RESPONSE_BYTES,
    backoff_seconds,
    default_user_agent,
    is_wikimedia,
    script_base,
    wiki_language,
)
from extractor.fetch.recording import Exchange, Recording, describe
from extractor.fetch.watchdog import Watchdog, WatchedAdapter

__all__ = [
    "LiveTransport",
    "RecordingTransport",
    "ReplayTransport",
    "Request",
    "Transport",
]

T = TypeVar("T")

_CHUNK = 64 * 1024
#: Provenance of what a live wiki answers (carried into the dataset's Source).
_LIVE = MappingProxyType({"obtained": "api"})

_log = logging.getLogger(__name__)
#: Seconds of waiting beyond which a user is told why (``waiting 10 s before retry 2/5: …``).
_NOTICEABLE_WAIT = 2.0


@dataclass(frozen=True)
class Request:
    """One GET: an ``endpoint`` beside ``api.php`` (``api.php``, ``rest.php/v1/...``) and its params.

    ``title`` and ``revision`` say what it is about, for error messages.
    """

    endpoint: str
    params: dict[str, str]
    title: str | None = None
    revision: int | None = None


class Transport(Protocol):
    """How exchanges happen, and what is known of the wiki they happen with."""

    @property
    def api_url(self) -> str | None:
        """The wiki's ``api.php`` (``None``: a reconstruction, fetched from no wiki)."""

    @property
    def language(self) -> str:
        """The wiki's language code."""

    @property
    def user_agent(self) -> str:
        """The User-Agent requests carry (or carried, when recorded)."""

    @property
    def provenance(self) -> Mapping[str, str]:
        """How the answers were obtained: ``obtained`` and, for a reconstruction, ``licence``/``note``."""

    def exchange(self, request: Request, read: Callable[[Answer], T]) -> T:
        """``read`` applied to the answer to ``request``; raises what ``read`` or the exchange raised."""

    def close(self) -> None:
        """Release what the transport holds (a session)."""


def _checked_user_agent(api_url: str, user_agent: str | None, contact: str | None) -> str:
    """The User-Agent to send: ``user_agent``, else the default one with ``contact``; validated."""
    if user_agent is None:
        if is_wikimedia(api_url) and not (contact or os.environ.get(CONTACT_ENV, "").strip()):
            raise FetchError(
                "Wikimedia requires a User-Agent with a contact (an e-mail address or URL)",
                setting="contact",
            )
        user_agent = default_user_agent(contact)
    if not user_agent.strip() or not user_agent.isprintable():
        raise FetchError(f"the User-Agent must be one non-empty line, not {user_agent!r}", setting="user_agent")
    return user_agent


class LiveTransport:
    """Exchanges over HTTP with one wiki, one at a time, with retries and back-off.

    The User-Agent is ``user_agent`` verbatim, else :func:`~extractor.fetch.params.default_user_agent`
    with ``contact``. Without either a User-Agent or a contact (``contact`` or
    ``FRX_EXTRACTOR_CONTACT``), a Wikimedia wiki is refused before any request is sent: its
    policy requires a way to reach the operator.
    """

    def __init__(
        self,
        api_url: str,
        *,
        user_agent: str | None = None,
        contact: str | None = None,
        session: requests.Session | None = None,
        max_retries: int = 5,
        timeout: float = 30.0,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        sleep: Callable[[float], None] = time.sleep,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        self._script_base = script_base(api_url)  # first: a wrong URL is the error to report
        self._host = urlsplit(api_url).netloc.lower()
        self.deadline = deadline
        self._api_url = api_url
        self._language = wiki_language(api_url)
        self._user_agent = _checked_user_agent(api_url, user_agent, contact)
        self.max_retries = max_retries
        self.timeout = timeout
        self.max_response_bytes = max_response_bytes
        self._sleep = sleep
        self._own_session = session is None
        self._session = session or requests.Session()
        if self._own_session:
            # The deadline also while a server drips its status line or headers (fetch/watchdog.py);
            # a session given by the caller keeps its own adapters (its reads bounded one by one).
            self._session.mount("http://", WatchedAdapter())
            self._session.mount("https://", WatchedAdapter())
        self._session.headers["User-Agent"] = self._user_agent
        # Only gzip: what Wikimedia's etiquette asks for, and every MediaWiki front end serves.
        self._session.headers["Accept-Encoding"] = "gzip"

    @property
    def api_url(self) -> str:
        """The wiki's ``api.php``."""
        return self._api_url

    @property
    def language(self) -> str:
        """The wiki's language, from its address (``en`` when the address says none)."""
        return self._language

    @property
    def user_agent(self) -> str:
        """The User-Agent every request carries."""
        return self._user_agent

    @property
    def provenance(self) -> Mapping[str, str]:
        """``{"obtained": "api"}``."""
        return _LIVE

    def close(self) -> None:
        """Close the session, if this transport created it."""
        if self._own_session:
            self._session.close()

    def exchange(self, request: Request, read: Callable[[Answer], T]) -> T:
        """Send ``request`` and read the answer, retrying what is worth it up to ``max_retries`` times."""
        for attempt in itertools.count():
            try:
                return read(self._send(request))
            except Retry as retry:
                if attempt >= self.max_retries:
                    error = retry.error
                    if attempt:
                        error.args = (f"{error.args[0]} (gave up after {attempt} retries)",)
                    raise error from None
                wait = backoff_seconds(attempt, retry.retry_after)
                # Never silent: a wait a user would notice says why (the CLI shows warnings unless -q).
                _log.log(
                    logging.WARNING if wait > _NOTICEABLE_WAIT else logging.INFO,
                    "waiting %.0f s before retry %d/%d: %s from %s",
                    wait,
                    attempt + 1,
                    self.max_retries,
                    _reason_of(retry.error),
                    (self._script_base + request.endpoint).split("://", 1)[-1],
                )
                self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, request: Request) -> Answer:
        url = self._script_base + request.endpoint
        _log.info("GET %s", describe(request.endpoint, request.params))
        where = f"{url.split('://', 1)[-1]}"
        limit = self.max_response_bytes

        def error(message: str, status: int | None = None) -> TransportError:
            return TransportError(
                f"{subject(request.title, request.revision)}: {message}",
                status=status,
                title=request.title,
                revision=request.revision,
            )

        started = time.monotonic()
        watchdog = Watchdog(self.deadline)
        try:
            with watchdog:
                return self._get(request, url, where, limit, started, error)
        except (Retry, TransportError):
            if watchdog.fired:  # the watchdog cut the socket: whatever broke, the deadline is why
                raise Retry(error(f"no complete answer from {where} within {self.deadline:g} s")) from None
            raise

    def _get(
        self,
        request: Request,
        url: str,
        where: str,
        limit: int,
        started: float,
        error: Callable[..., TransportError],
    ) -> Answer:
        """One GET of ``url``, its body read while the deadline holds; failures as Retry or TransportError."""
        # Connecting counts against the deadline too (the watchdog only finds a connected socket).
        timeout = (min(self.timeout, self.deadline), self.timeout)
        try:
            with self._session.get(url, params=request.params or None, timeout=timeout, stream=True) as response:
                self._same_host(response, error)
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise error(
                        f"answer of {declared} bytes from {where} exceeds the {limit}-byte limit",
                        response.status_code,
                    )
                chunks: list[bytes] = []
                size = 0
                # read1, not iter_content: it returns what has arrived, so that the deadline is
                # checked while a server drips its body (iter_content waits for whole chunks).
                while chunk := response.raw.read1(_CHUNK, decode_content=True):
                    size += len(chunk)
                    if size > limit:
                        raise error(f"answer from {where} exceeds the {limit}-byte limit", response.status_code)
                    if time.monotonic() - started > self.deadline:
                        raise Retry(error(f"no complete answer from {where} within {self.deadline:g} s"))
                    chunks.append(chunk)
                headers = CaseInsensitiveDict(response.headers)  # MediaWiki's REST sends "Content-type"
                return Answer(response.status_code, response.reason or "", headers, b"".join(chunks))
        except (requests.Timeout, urllib3.exceptions.TimeoutError):
            raise Retry(error(f"no answer from {where} within {self.timeout:g} s")) from None
        except (urllib3.exceptions.ProtocolError, urllib3.exceptions.DecodeError) as failure:
            # read1 raises urllib3's errors, which iter_content used to wrap: a body cut short.
            raise Retry(error(f"connection to {where} failed: {_reason(failure)}")) from None
        except requests.exceptions.SSLError as failure:
            raise error(f"TLS failure talking to {where}: {one_line(str(failure))}") from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as failure:
            # Includes a reset connection and a body cut short of its Content-Length.
            raise Retry(error(f"connection to {where} failed: {_reason(failure)}")) from None
        except requests.RequestException as failure:
            raise error(f"request to {where} failed: {_reason(failure)}") from None

    def _same_host(self, response: requests.Response, error: Callable[[str], TransportError]) -> None:
        """Refuse an answer redirected to another host: the dataset's ``api_url`` and permalink
        would name the first while the content came from the second."""
        for hop in [*response.history, response]:
            host = urlsplit(hop.url).netloc.lower()
            if host != self._host:
                raise error(f"redirected from {self._host} to another host, {host}; refused")


class ReplayTransport:
    """Answers from a recording folder, without network and without waiting.

    The wiki, language, User-Agent and provenance are the recorded ones, so that a replay
    writes the very dataset the live run wrote.
    """

    def __init__(self, directory: Path, *, contact: str | None = None) -> None:
        self._directory = directory
        self._recording = Recording.load(directory)
        self._provenance = MappingProxyType(dict(self._recording.source))
        # A reconstruction has no recorded User-Agent; show the one this run would have sent.
        self._user_agent = self._recording.user_agent or default_user_agent(contact)

    @property
    def api_url(self) -> str | None:
        """The recorded wiki's ``api.php`` (``None`` for a reconstruction)."""
        return self._recording.api_url

    @property
    def language(self) -> str:
        """The recorded wiki's language."""
        return self._recording.language

    @property
    def user_agent(self) -> str:
        """The recorded User-Agent."""
        return self._user_agent

    @property
    def provenance(self) -> Mapping[str, str]:
        """The recorded provenance (``obtained``, and a reconstruction's ``licence`` and ``note``)."""
        return self._provenance

    def close(self) -> None:
        """Nothing to release."""

    def exchange(self, request: Request, read: Callable[[Answer], T]) -> T:
        """``read`` applied to the recorded answer; :class:`RecordingError` when none is recorded."""
        recorded = self._recording.answer(request.endpoint, request.params, where=self._directory)
        answer = Answer(recorded.status, "", {"Content-Type": recorded.content_type or ""}, recorded.body)
        try:
            return read(answer)
        except Retry as retry:  # a recording cannot get better by waiting
            raise retry.error from None


class RecordingTransport:
    """Wraps a transport and records each exchange it read successfully into ``directory``.

    An exchange that failed is not recorded, and the folder is replaced whole after each
    recorded one: a failed run leaves the previous recording as it was.
    """

    def __init__(self, inner: Transport, directory: Path) -> None:
        self._inner = inner
        self._directory = directory
        self._recording = Recording(api_url=inner.api_url, language=inner.language, user_agent=inner.user_agent)

    @property
    def api_url(self) -> str | None:
        """The wrapped transport's wiki."""
        return self._inner.api_url

    @property
    def language(self) -> str:
        """The wrapped transport's language."""
        return self._inner.language

    @property
    def user_agent(self) -> str:
        """The wrapped transport's User-Agent."""
        return self._inner.user_agent

    @property
    def provenance(self) -> Mapping[str, str]:
        """The wrapped transport's provenance."""
        return self._inner.provenance

    def close(self) -> None:
        """Close the wrapped transport."""
        self._inner.close()

    def exchange(self, request: Request, read: Callable[[Answer], T]) -> T:
        """The wrapped exchange; its answer is recorded once ``read`` accepted it."""
        result, answer = self._inner.exchange(request, lambda answer: (read(answer), answer))
        exchange = Exchange(request.endpoint, dict(request.params), answer.status, answer.content_type, answer.body)
        self._recording.add(exchange)
        self._recording.save(self._directory)
        return result


def _reason_of(error: FetchError) -> str:
    """The error's reason without the ``'Title': `` it starts with (the wait line names the URL)."""
    text = str(error)
    return text.split(": ", 1)[1] if text.startswith(("'", '"', "revision ")) and ": " in text else text


def _reason(failure: BaseException) -> str:
    # requests nests urllib3's reasons; the innermost one says what happened ("Connection reset by peer").
    text = str(failure)
    match = re.search(r"\(([^()]*(?:reset|refused|timed out|IncompleteRead|Broken|aborted)[^()]*)\)", text, re.I)
    return one_line(match.group(1) if match else text, 160)
