"""Fetching an article from a MediaWiki: polite, pinned to a revision, with errors a user can act on.

A :class:`Fetcher` asks for an article's wikitext, parser HTML or Parsoid HTML, and checks that
the answer is the article asked for. *How* each exchange happens is its transport's business
(:mod:`extractor.fetch.transport`): live over HTTP with retries, replayed from a recording, or
live and recorded. The Fetcher picks one when it is built, and reads every answer through the
same readers (:mod:`extractor.fetch.answers`), so a replay is checked exactly like a live run.

Regenerating by title costs one request (``action=query&prop=revisions`` with the content, and
``meta=siteinfo&siprop=rightsinfo`` for the wiki's licence, see :mod:`extractor.fetch.rights`);
:meth:`Fetcher.fetch_parsoid` needs the revision id first and so costs two.

With ``record_dir`` every answer used is stored with its request (see
:mod:`extractor.fetch.recording`); with ``replay_dir`` no network is touched.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

from extractor.errors import PageMissingError, TransportError
from extractor.fetch.answers import (
    Answer,
    FetchedPage,
    Revision,
    RevisionInfo,
    check_title,
    fail_about,
    read_html,
    read_id,
    read_json,
    read_revision,
)
from extractor.fetch.params import (
    CONTACT_ENV,
    DEFAULT_API_URL,
    DEFAULT_DEADLINE,
    DEFAULT_MAXLAG,
    MAX_RESPONSE_BYTES,
    api_params,
    checked_title,
    request_context,
    revisions_params,
    script_base,
)
from extractor.fetch.rights import WikiRights, licence_of, read_rights
from extractor.fetch.transport import LiveTransport, RecordingTransport, ReplayTransport, Request, Transport
from extractor.models import ContentFormat, Source
from extractor.source import make_source

# CONTACT_ENV, DEFAULT_API_URL, FetchedPage and RevisionInfo are re-exported: callers build and
# use a Fetcher with them, and should not need to know which small module defines them.
__all__ = ["CONTACT_ENV", "DEFAULT_API_URL", "FetchedPage", "Fetcher", "RevisionInfo"]


class Fetcher:
    """A polite client of one wiki's Action API (and REST API), live or replaying a recording.

    >>> with Fetcher(contact="me@example.org") as fetcher:            # doctest: +SKIP
    ...     page = fetcher.fetch_wikitext("Foreign relations of Kyrgyzstan")
    ...     page.source.revision_id, page.source.permalink

    Without ``user_agent`` or a contact (``contact=`` or ``FRX_EXTRACTOR_CONTACT``), Wikimedia
    wikis are refused before any request is sent: their policy requires a way to reach the
    operator. Other wikis (a local test wiki) get :data:`~extractor.fetch.params.LOCAL_CONTACT`
    in the User-Agent.

    When replaying (``replay_dir``), ``api_url`` is ignored: the source records the wiki the
    recording was made from, and its provenance (``obtained``) as recorded, so that a replay
    writes the very dataset the live run wrote.

    ``transport`` replaces the live or replay transport the other keywords would build (their
    wiki, User-Agent and retry settings are then the transport's); ``record_dir`` still records.
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
        maxlag: int = DEFAULT_MAXLAG,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        clock: Callable[[], float] = time.time,
        transport: Transport | None = None,
        deadline: float = DEFAULT_DEADLINE,
    ) -> None:
        if record_dir is not None and replay_dir is not None:
            raise ValueError("record_dir and replay_dir exclude each other")
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.maxlag = maxlag
        self._clock = clock
        if transport is None:
            if replay_dir is not None:
                transport = ReplayTransport(replay_dir, contact=contact)
            else:
                transport = LiveTransport(
                    api_url,
                    user_agent=user_agent,
                    contact=contact,
                    session=session,
                    max_retries=max_retries,
                    timeout=timeout,
                    max_response_bytes=max_response_bytes,
                    sleep=sleep,
                    deadline=deadline,
                )
        elif replay_dir is not None or session is not None:
            raise ValueError("transport excludes replay_dir and session")
        if record_dir is not None:
            transport = RecordingTransport(transport, record_dir)
        self._transport: Transport = transport

    # ------------------------------------------------------------------ properties, lifetime
    @property
    def transport(self) -> Transport:
        """How this fetcher's exchanges happen (live, replayed or recorded)."""
        return self._transport

    @property
    def api_url(self) -> str | None:
        """The wiki's ``api.php`` (when replaying: the recorded one, ``None`` for a reconstruction)."""
        return self._transport.api_url

    @property
    def rest_url(self) -> str | None:
        """The wiki's ``rest.php``, beside its ``api.php``."""
        api_url = self._transport.api_url
        return None if api_url is None else script_base(api_url) + "rest.php"

    @property
    def site_url(self) -> str | None:
        """The wiki's ``index.php`` (base of permalinks), beside its ``api.php``."""
        api_url = self._transport.api_url
        return None if api_url is None else script_base(api_url) + "index.php"

    @property
    def user_agent(self) -> str:
        """The User-Agent every request carries."""
        return self._transport.user_agent

    def close(self) -> None:
        """Release the transport (the session, if this fetcher created it)."""
        self._transport.close()

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
        title, revision = request_context(full)

        def read(answer: Answer) -> dict[str, Any]:
            return read_json(answer, title, revision, clock=self._clock)

        return self._transport.exchange(Request("api.php", full, title, revision), read)

    def fetch_wikitext(self, title: str | None = None, *, revision: int | None = None) -> FetchedPage:
        """The wikitext of ``title``'s latest revision, or of ``revision``, and the wiki's licence: one request."""
        data = self.query(revisions_params(title, revision=revision, content=True))
        info, slot = self._revision(data, title, revision)
        content = slot.get("content")
        if slot.get("texthidden"):
            fail_about(info, PageMissingError, "the revision's content is hidden (revision-deleted)")
        if not isinstance(content, str):
            fail_about(info, TransportError, "the answer holds no content for the revision")
        return FetchedPage(content, self._source(info, "wikitext", read_rights(data)))

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
            params.update(page=checked_title(title), redirects="1")
        data = self.query(params)
        parse = data.get("parse")
        if not isinstance(parse, dict) or not isinstance(parse.get("text"), str):
            fail_about(
                Revision(title or "", None, revision, None, None), TransportError, "the parse answer holds no HTML"
            )
        reconstruction = self._reconstruction
        info = Revision(
            title=str(parse.get("title") or title or ""),
            page_id=read_id(parse.get("pageid"), "page id", title, revision, reconstruction=reconstruction),
            revision_id=read_id(parse.get("revid"), "revision id", title, revision, reconstruction=reconstruction),
            timestamp=None,
            sha1=None,
        )
        check_title(title, revision, info)
        return FetchedPage(parse["text"], self._source(info, "html"))

    def fetch_parsoid(self, title: str | None = None, *, revision: int | None = None) -> FetchedPage:
        """Parsoid HTML of a revision from the REST API: a metadata query, then ``/v1/revision/{id}/html``."""
        data = self.query(revisions_params(title, revision=revision, content=False))
        info, _ = self._revision(data, title, revision)
        if info.revision_id is None:
            fail_about(info, PageMissingError, "Parsoid HTML needs a revision id, and it is unknown")

        def read(answer: Answer) -> str:
            return read_html(answer, info.title, info.revision_id, clock=self._clock)

        request = Request(f"rest.php/v1/revision/{info.revision_id}/html", {}, info.title, info.revision_id)
        return FetchedPage(self._transport.exchange(request, read), self._source(info, "parsoid"))

    def latest_revision(self, title: str) -> RevisionInfo:
        """The latest revision's ids, timestamp and SHA-1, without its content (one small request)."""
        data = self.query(revisions_params(title, content=False))
        info, _ = self._revision(data, title, None)
        if info.page_id is None or info.revision_id is None or info.timestamp is None:
            fail_about(info, PageMissingError, "the revision's ids are unknown")
        return RevisionInfo(info.title, info.page_id, info.revision_id, info.timestamp, info.sha1)

    def source_of(
        self, title: str, *, page_id: int | None, revision_id: int | None, timestamp: str | None, sha1: str | None
    ) -> Source:
        """The source block of a revision fetched by other means (a history): as :meth:`fetch_wikitext` makes it."""
        return self._source(Revision(title, page_id, revision_id, timestamp, sha1), "wikitext")

    # ------------------------------------------------------------------ helpers
    def _revision(
        self, data: dict[str, Any], title: str | None, revision: int | None
    ) -> tuple[Revision, dict[str, Any]]:
        return read_revision(
            data, title, revision, wiki=self.api_url or "the recording", reconstruction=self._reconstruction
        )

    @property
    def _reconstruction(self) -> bool:
        # Only a documented reconstruction may lack ids: a live answer always has them.
        return self._transport.provenance.get("obtained") == "reconstruction"

    def _source(self, info: Revision, content_format: ContentFormat, rights: WikiRights | None = None) -> Source:
        provenance = self._transport.provenance
        # A reconstruction's recorded licence is documented; otherwise what the wiki stated.
        licence, licence_url = (
            (provenance["licence"], None) if "licence" in provenance else licence_of(rights, self.api_url)
        )
        return make_source(
            info.title,
            obtained=provenance.get("obtained", "api"),  # type: ignore[arg-type]
            language=self._transport.language,
            page_id=info.page_id,
            revision_id=info.revision_id,
            revision_timestamp=info.timestamp,
            sha1=info.sha1,
            api_url=self.api_url,
            site_url=self.site_url,
            licence=licence,
            licence_url=licence_url,
            note=provenance.get("note"),
            content_format=content_format,
        )
