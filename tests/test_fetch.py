"""The fetcher against a mocked Action API (``responses``): what it sends, accepts and refuses."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypedDict
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses

from extractor import __version__
from extractor.errors import ApiError, FetchError, PageMissingError, RecordingError, TransportError
from extractor.fetch.answers import Answer
from extractor.fetch.client import FetchedPage, Fetcher, RevisionInfo
from extractor.fetch.params import (
    CONTACT_ENV,
    DEFAULT_API_URL,
    LOCAL_CONTACT,
    backoff_seconds,
    default_user_agent,
    is_wikimedia,
    retry_after_seconds,
)
from extractor.fetch.transport import Request

API = DEFAULT_API_URL
TEST_API = "http://wiki.test/w/api.php"
TITLE = "Foreign relations of Testland"
TEXT = "{| class=wikitable\n! Country !! Formal relations began\n|-\n| {{flag|Chile}} || 1992\n|}\n"


def page_answer(
    *,
    title: str = TITLE,
    pageid: int = 42,
    revid: int = 1001,
    content: str | None = TEXT,
    model: str = "wikitext",
    redirects: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """An ``action=query&prop=revisions`` answer as MediaWiki 1.39 gives it (formatversion=2)."""
    slot: dict[str, Any] = {"contentmodel": model, "contentformat": "text/x-wiki", "sha1": "ab" * 20}
    if content is not None:
        slot["content"] = content
    query: dict[str, Any] = {
        "pages": [
            {
                "pageid": pageid,
                "ns": 0,
                "title": title,
                "revisions": [
                    {
                        "revid": revid,
                        "parentid": revid - 1,
                        "timestamp": "2024-05-06T07:08:09Z",
                        "slots": {"main": slot},
                    }
                ],
            }
        ]
    }
    if redirects:
        query["redirects"] = redirects
    return {"batchcomplete": True, "query": query}


def params_of(call: Any) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(call.request.url).query).items()}


@pytest.fixture
def api() -> Any:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def fetcher(sleeps: list[float]) -> Fetcher:
    return Fetcher(api_url=API, contact="tester@example.org", sleep=sleeps.append, clock=lambda: 1_000_000.0)


# ---------------------------------------------------------------------------- politeness
def test_default_user_agent_names_tool_version_contact_and_library() -> None:
    """The User-Agent follows Wikimedia's format: name/version (contact) python-requests/x.y."""
    agent = default_user_agent("tester@example.org")
    assert re.fullmatch(
        rf"frx-extractor/{re.escape(__version__)} \(tester@example\.org\) python-requests/\d+\.\d+(\.\d+)?",
        agent,
    )


def test_contact_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """FRX_EXTRACTOR_CONTACT fills the contact when none is passed."""
    monkeypatch.setenv(CONTACT_ENV, "https://example.org/me")
    assert "(https://example.org/me)" in default_user_agent()
    assert Fetcher(api_url=API).user_agent == default_user_agent()


def test_wikipedia_without_a_contact_is_refused_before_any_request(api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """No contact, no User-Agent: Wikimedia wikis are refused, naming the setting, and nothing is sent."""
    monkeypatch.delenv(CONTACT_ENV, raising=False)
    with pytest.raises(FetchError, match="Wikimedia requires a User-Agent with a contact") as caught:
        Fetcher(api_url="https://de.wikipedia.org/w/api.php")
    assert "\n" not in str(caught.value) and "--" not in str(caught.value)
    assert caught.value.setting == "contact"
    assert len(api.calls) == 0


def test_other_wikis_get_a_marked_local_contact(monkeypatch: pytest.MonkeyPatch) -> None:
    """A non-Wikimedia wiki without a contact gets the local marker, never a made-up address."""
    monkeypatch.delenv(CONTACT_ENV, raising=False)
    agent = Fetcher(api_url=TEST_API).user_agent
    assert f"({LOCAL_CONTACT})" in agent
    assert "@" not in agent and "http" not in agent


def test_wikimedia_hosts_are_recognised() -> None:
    """Wikipedia and its sister projects are Wikimedia; a local wiki is not."""
    assert is_wikimedia("https://en.wikipedia.org/w/api.php")
    assert is_wikimedia("https://commons.wikimedia.org/w/api.php")
    assert not is_wikimedia("http://127.0.0.1:8080/w/api.php")
    assert not is_wikimedia("https://notwikipedia.org/w/api.php")


def test_user_agent_option_overrides_everything(api: Any) -> None:
    """--user-agent is sent verbatim, and then Wikipedia needs no separate contact."""
    api.get(API, json=page_answer())
    Fetcher(api_url=API, user_agent="my-bot/2.0 (me@example.org)").fetch_wikitext(TITLE)
    assert api.calls[0].request.headers["User-Agent"] == "my-bot/2.0 (me@example.org)"


class IdentityOptions(TypedDict, total=False):
    """The Fetcher options a User-Agent is made of."""

    user_agent: str
    contact: str


@pytest.mark.parametrize(("options"), [{"user_agent": " "}, {"contact": "me@example.org\r\nX-Evil: 1"}])
def test_an_empty_or_multi_line_user_agent_is_refused(options: IdentityOptions) -> None:
    """A User-Agent must be one printable line: no empty header, no header injection through --contact."""
    with pytest.raises(FetchError, match="User-Agent"):
        Fetcher(api_url=TEST_API, **options)


def test_every_call_is_polite(api: Any, fetcher: Fetcher) -> None:
    """format=json, formatversion=2, maxlag=5, gzip, the User-Agent and a timeout on every request."""
    api.get(API, json=page_answer())
    fetcher.fetch_wikitext(TITLE)
    fetcher.latest_revision(TITLE)
    assert len(api.calls) == 2
    for call in api.calls:
        params = params_of(call)
        assert (params["format"], params["formatversion"], params["maxlag"]) == ("json", "2", "5")
        assert call.request.headers["Accept-Encoding"] == "gzip"
        assert call.request.headers["User-Agent"] == fetcher.user_agent
        # (connect, read): connecting is bounded by the smaller of the timeout and the deadline.
        assert call.request.req_kwargs["timeout"] == (30.0, 30.0)


def test_api_url_must_be_an_api_php() -> None:
    """The API URL names api.php; the REST and index URLs are derived beside it."""
    with pytest.raises(FetchError, match=r"the API URL must be the http\(s\) URL of a wiki's api\.php") as caught:
        Fetcher(api_url="https://en.wikipedia.org/wiki/Main_Page", contact="x@example.org")
    assert caught.value.setting == "api_url"
    fetcher = Fetcher(api_url="http://127.0.0.1:8080/w/api.php")
    assert fetcher.rest_url == "http://127.0.0.1:8080/w/rest.php"
    assert fetcher.site_url == "http://127.0.0.1:8080/w/index.php"


# ---------------------------------------------------------------------------- one request, pinned
def test_regenerating_by_title_is_one_request_with_content_and_ids(api: Any, fetcher: Fetcher) -> None:
    """By title: one prop=revisions query for content, ids, timestamp and sha1, redirects followed."""
    api.get(API, json=page_answer())
    page = fetcher.fetch_wikitext(TITLE)
    assert len(api.calls) == 1
    params = params_of(api.calls[0])
    assert params["action"] == "query" and params["prop"] == "revisions" and params["titles"] == TITLE
    assert set(params["rvprop"].split("|")) >= {"ids", "timestamp", "sha1", "content"}
    assert params["rvslots"] == "main" and params["redirects"] == "1"
    assert isinstance(page, FetchedPage) and page.content == TEXT


def test_the_source_records_title_ids_timestamp_and_permalink(api: Any, fetcher: Fetcher) -> None:
    """The dataset's source carries what the API said, and a permalink built from the real revision id."""
    api.get(API, json=page_answer())
    source = fetcher.fetch_wikitext(TITLE).source
    assert (source.title, source.page_id, source.revision_id) == (TITLE, 42, 1001)
    assert source.revision_timestamp == "2024-05-06T07:08:09Z" and source.sha1 == "ab" * 20
    assert source.permalink == "https://en.wikipedia.org/w/index.php?title=Foreign_relations_of_Testland&oldid=1001"
    assert source.api_url == API and source.obtained == "api" and source.content_format == "wikitext"


def test_a_revision_is_fetched_by_revids(api: Any, fetcher: Fetcher) -> None:
    """--revision N asks for revids=N, not for the title."""
    api.get(API, json=page_answer(revid=77))
    page = fetcher.fetch_wikitext(revision=77)
    params = params_of(api.calls[0])
    assert params["revids"] == "77" and "titles" not in params
    assert page.source.revision_id == 77


def test_a_revision_of_another_page_is_refused(api: Any, fetcher: Fetcher) -> None:
    """A title and a revision that belongs to another page: an error, not the wrong article."""
    api.get(API, json=page_answer(title="Something else", revid=77))
    with pytest.raises(PageMissingError, match="belongs to 'Something else'"):
        fetcher.fetch_wikitext(TITLE, revision=77)


def test_a_redirect_resolves_to_the_canonical_title(api: Any, fetcher: Fetcher) -> None:
    """A redirect title gives the target's content, and the source names the target."""
    api.get(API, json=page_answer(redirects=[{"from": "Testland foreign relations", "to": TITLE}]))
    assert fetcher.fetch_wikitext("Testland foreign relations").source.title == TITLE


def test_latest_revision_costs_no_content(api: Any, fetcher: Fetcher) -> None:
    """latest_revision asks for ids, timestamp and sha1 only."""
    api.get(API, json=page_answer(content=None))
    info = fetcher.latest_revision(TITLE)
    assert info == RevisionInfo(TITLE, 42, 1001, "2024-05-06T07:08:09Z", "ab" * 20)
    assert "content" not in params_of(api.calls[0])["rvprop"].split("|")


def test_html_is_one_pinned_parse_request(api: Any, fetcher: Fetcher) -> None:
    """fetch_html: one action=parse with text|revid|displaytitle, pinned by oldid when a revision is given."""
    answer = {"parse": {"title": TITLE, "pageid": 42, "revid": 1001, "text": "<p>x</p>", "displaytitle": TITLE}}
    api.get(API, json=answer)
    page = fetcher.fetch_html(revision=1001)
    params = params_of(api.calls[0])
    assert (params["action"], params["oldid"], params["prop"]) == ("parse", "1001", "text|revid|displaytitle")
    assert page.content == "<p>x</p>" and page.source.content_format == "html"
    assert page.source.revision_id == 1001 and page.source.revision_timestamp is None


def test_parsoid_html_is_pinned_to_the_revision_id(api: Any, fetcher: Fetcher) -> None:
    """fetch_parsoid: the revision's ids first, then REST /v1/revision/{id}/html beside api.php."""
    api.get(API, json=page_answer(content=None))
    rest = "https://en.wikipedia.org/w/rest.php/v1/revision/1001/html"
    api.get(rest, body="<html><body><p>x</p></body></html>", content_type="text/html; charset=utf-8")
    page = fetcher.fetch_parsoid(TITLE)
    assert [call.request.url.split("?")[0] for call in api.calls] == [API, rest]
    assert page.source.content_format == "parsoid" and page.source.revision_id == 1001


# ---------------------------------------------------------------------- answers that are not the article
@pytest.mark.parametrize(
    ("answer", "revision", "error", "message"),
    [
        (
            {"query": {"pages": [{"ns": 0, "title": TITLE, "missing": True}]}},
            None,
            PageMissingError,
            "does not exist",
        ),
        (
            {"query": {"pages": [{"title": "A[b]", "invalidreason": "contains [", "invalid": True}]}},
            None,
            PageMissingError,
            "invalid title",
        ),
        (
            {"query": {"badrevids": {"99": {"revid": 99, "missing": True}}}},
            99,
            PageMissingError,
            "no such revision",
        ),
        (
            {"error": {"code": "readapidenied", "info": "You need read permission."}},
            None,
            ApiError,
            "readapidenied",
        ),
        (page_answer(model="json"), None, PageMissingError, "content model 'json'"),
        (  # what MediaWiki 1.39 answers for A -> B -> A: the redirects, and no page
            {"query": {"redirects": [{"from": TITLE, "to": "B"}, {"from": "B", "to": TITLE}]}},
            None,
            PageMissingError,
            f"redirect loop ({TITLE} -> B -> {TITLE})",
        ),
        (page_answer(content="#REDIRECT [[Nowhere]]"), None, PageMissingError, "is a redirect that could not be"),
        ({"query": {"pages": []}}, None, TransportError, "exactly one page"),
        ({"batchcomplete": True}, None, TransportError, "no 'query'"),
    ],
    ids=[
        "missing",
        "invalid",
        "badrevids",
        "api-error",
        "content-model",
        "redirect-loop",
        "unfollowed-redirect",
        "no-page",
        "no-query",
    ],
)
def test_answers_that_are_not_the_article_fail_once_with_one_line(
    api: Any,
    fetcher: Fetcher,
    sleeps: list[float],
    answer: dict[str, Any],
    revision: int | None,
    error: type[FetchError],
    message: str,
) -> None:
    """Each is its own error, in one line naming the title (and the revision asked for), without a retry."""
    api.get(API, json=answer)
    with pytest.raises(error, match=re.escape(message)) as caught:
        fetcher.fetch_wikitext(TITLE, revision=revision)
    text = str(caught.value)
    assert "\n" not in text and repr(TITLE) in text
    assert (caught.value.title, caught.value.revision) == (TITLE, revision)
    if revision is not None:
        assert f"revision {revision}" in text
    assert len(api.calls) == 1 and sleeps == []


def test_errors_carry_title_and_revision_as_attributes(api: Any, fetcher: Fetcher) -> None:
    """Errors carry their context as attributes, not only in the message."""
    api.get(API, json={"query": {"badrevids": {"99": {"revid": 99, "missing": True}}}})
    with pytest.raises(PageMissingError) as caught:
        fetcher.fetch_wikitext(revision=99)
    assert caught.value.revision == 99 and caught.value.title is None


def test_a_title_with_a_pipe_is_refused_before_sending(api: Any, fetcher: Fetcher) -> None:
    """'A|B' would ask for two pages at once: refused as an invalid title, nothing sent."""
    with pytest.raises(PageMissingError, match="invalid title"):
        fetcher.fetch_wikitext("A|B")
    assert len(api.calls) == 0


# ---------------------------------------------------------------------------- retries
def test_retry_after_is_read_in_seconds_and_as_an_http_date() -> None:
    """Retry-After: delta seconds or an HTTP date (relative to now); garbage is ignored."""
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Thu, 01 Jan 1970 00:01:40 GMT", now=40.0) == 60.0
    assert retry_after_seconds("Thu, 01 Jan 1970 00:00:10 GMT", now=40.0) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_backoff_is_the_larger_of_retry_after_and_exponential_and_is_capped() -> None:
    """wait = min(120, max(Retry-After, 5 * 2**attempt))."""
    assert [backoff_seconds(n, None) for n in range(6)] == [5, 10, 20, 40, 80, 120]
    assert backoff_seconds(0, 30) == 30 and backoff_seconds(3, 30) == 40 and backoff_seconds(0, 999) == 120


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_overload_statuses_are_retried_then_succeed(
    api: Any, fetcher: Fetcher, sleeps: list[float], status: int
) -> None:
    """429/502/503/504 once, then the article: one wait, two requests."""
    api.get(API, status=status, body="busy")
    api.get(API, json=page_answer())
    assert fetcher.fetch_wikitext(TITLE).source.revision_id == 1001
    assert len(api.calls) == 2 and sleeps == [5.0]


def test_429_waits_as_long_as_retry_after_asks(api: Any, fetcher: Fetcher, sleeps: list[float]) -> None:
    """Retry-After in seconds is honoured when longer than the backoff."""
    api.get(API, status=429, headers={"Retry-After": "30"})
    api.get(API, json=page_answer())
    fetcher.fetch_wikitext(TITLE)
    assert sleeps == [30.0]


def test_429_with_an_http_date(api: Any, fetcher: Fetcher, sleeps: list[float]) -> None:
    """Retry-After as an HTTP date: the wait runs until that moment (the clock is injected)."""
    api.get(API, status=429, headers={"Retry-After": "Mon, 12 Jan 1970 13:47:40 GMT"})  # 1_000_060
    api.get(API, json=page_answer())
    fetcher.fetch_wikitext(TITLE)
    assert sleeps == [60.0]


@pytest.mark.parametrize("code", ["maxlag", "ratelimited", "readonly", "internal_api_error_DBQueryError"])
def test_retryable_api_codes_come_with_http_200_and_are_retried(
    api: Any, fetcher: Fetcher, sleeps: list[float], code: str
) -> None:
    """maxlag & co. arrive as HTTP 200 with an error body; they are retried like a 503."""
    api.get(API, json={"error": {"code": code, "info": "lagged"}}, headers={"Retry-After": "7"})
    api.get(API, json=page_answer())
    fetcher.fetch_wikitext(TITLE)
    assert len(api.calls) == 2 and sleeps == [7.0]


def test_503_forever_gives_up_after_the_retry_budget(api: Any, sleeps: list[float]) -> None:
    """503 on every try: max_retries waits with growing backoff, then one error with the status."""
    api.get(API, status=503)
    fetcher = Fetcher(api_url=API, contact="t@example.org", max_retries=5, sleep=sleeps.append)
    with pytest.raises(TransportError, match=r"HTTP 503.*gave up after 5 retries") as caught:
        fetcher.fetch_wikitext(TITLE)
    assert caught.value.status == 503 and caught.value.title == TITLE
    assert len(api.calls) == 6 and sleeps == [5, 10, 20, 40, 80]


def test_maxlag_forever_is_an_api_error_with_its_code(api: Any, sleeps: list[float]) -> None:
    """A maxlag that never clears ends as an ApiError carrying the code."""
    api.get(API, json={"error": {"code": "maxlag", "info": "Waiting for db: 7 seconds lagged."}})
    with pytest.raises(ApiError) as caught:
        Fetcher(api_url=API, contact="t@example.org", max_retries=2, sleep=sleeps.append).fetch_wikitext(TITLE)
    assert caught.value.code == "maxlag" and len(api.calls) == 3


def test_max_retries_zero_means_one_attempt(api: Any, sleeps: list[float]) -> None:
    """--max-retries 0: the first failure is final."""
    api.get(API, status=503)
    with pytest.raises(TransportError):
        Fetcher(api_url=API, contact="t@example.org", max_retries=0, sleep=sleeps.append).fetch_wikitext(TITLE)
    assert len(api.calls) == 1 and sleeps == []


@pytest.mark.parametrize("failure", [requests.ConnectionError("reset"), requests.Timeout("slow")])
def test_connection_errors_and_timeouts_are_retried(
    api: Any, fetcher: Fetcher, sleeps: list[float], failure: Exception
) -> None:
    """A dropped connection or a timeout is retried."""
    api.get(API, body=failure)
    api.get(API, json=page_answer())
    fetcher.fetch_wikitext(TITLE)
    assert sleeps == [5.0]


@pytest.mark.parametrize(
    ("status", "body", "content_type", "message"),
    [
        (200, "<!DOCTYPE html><html><body>Error</body></html>", "text/html", "not JSON (text/html)"),
        (200, '{"batchcomplete": true, "query": {"pa', "application/json", "truncated or malformed JSON"),
        (200, "[]", "application/json", "truncated or malformed JSON"),
        (404, "Not Found", "text/plain", "HTTP 404"),
        (500, "oops", "text/plain", "HTTP 500"),
        (403, "UA policy", "text/plain", "User-Agent"),
    ],
    ids=["html-200", "truncated-json", "json-not-object", "404", "500", "403"],
)
def test_other_failures_are_not_retried(
    api: Any, fetcher: Fetcher, sleeps: list[float], status: int, body: str, content_type: str, message: str
) -> None:
    """A complete answer that is not the JSON asked for, or another status, fails at once."""
    api.get(API, status=status, body=body, content_type=content_type)
    with pytest.raises(TransportError, match=re.escape(message)):
        fetcher.fetch_wikitext(TITLE)
    assert len(api.calls) == 1 and sleeps == []


def test_a_huge_answer_is_refused(api: Any, sleeps: list[float]) -> None:
    """An answer beyond the size limit is refused, not read into memory, not retried."""
    api.get(API, body=b"x" * 5000)
    fetcher = Fetcher(api_url=API, contact="t@example.org", max_response_bytes=1000, sleep=sleeps.append)
    with pytest.raises(TransportError, match="1000-byte limit"):
        fetcher.fetch_wikitext(TITLE)
    assert len(api.calls) == 1 and sleeps == []


# ---------------------------------------------------------------------------- record and replay
def test_a_recording_replays_the_same_page_without_network(api: Any, tmp_path: Path) -> None:
    """--record stores the answer and its request; a replay gives the same content and source."""
    api.get(API, json=page_answer())
    live = Fetcher(api_url=API, contact="t@example.org", record_dir=tmp_path / "rec").fetch_wikitext(TITLE)
    index = json.loads((tmp_path / "rec" / "recording.json").read_text(encoding="utf-8"))
    assert index["api_url"] == API and index["exchanges"][0]["params"]["titles"] == TITLE
    assert index["user_agent"].startswith("frx-extractor/")
    api.reset()  # any request now would fail
    replayed = Fetcher(replay_dir=tmp_path / "rec").fetch_wikitext(TITLE)
    assert replayed == live


def test_failed_retries_are_not_recorded(api: Any, tmp_path: Path) -> None:
    """Only the answer that was used is stored, not the 503 before it."""
    api.get(API, status=503)
    api.get(API, json=page_answer())
    Fetcher(api_url=API, contact="t@example.org", record_dir=tmp_path, sleep=lambda _: None).fetch_wikitext(TITLE)
    index = json.loads((tmp_path / "recording.json").read_text(encoding="utf-8"))
    assert [e["status"] for e in index["exchanges"]] == [200]


def test_replaying_an_unrecorded_request_names_what_is_there(api: Any, tmp_path: Path) -> None:
    """A replay of a request the recording lacks is a RecordingError listing what it holds."""
    api.get(API, json=page_answer())
    Fetcher(api_url=API, contact="t@example.org", record_dir=tmp_path).fetch_wikitext(TITLE)
    with pytest.raises(RecordingError, match=f"titles=Other.*holds: api.php\\?action=query&titles={TITLE}"):
        Fetcher(replay_dir=tmp_path).fetch_wikitext("Other")


def test_a_missing_recording_is_a_recording_error(tmp_path: Path) -> None:
    """A folder without recording.json is named in the error."""
    with pytest.raises(RecordingError, match="no recording here"):
        Fetcher(replay_dir=tmp_path)


def test_a_failed_fetch_keeps_the_previous_recording(api: Any, tmp_path: Path) -> None:
    """Recording happens after success only: a failure leaves the old recording untouched."""
    api.get(API, json=page_answer())
    Fetcher(api_url=API, contact="t@example.org", record_dir=tmp_path / "rec").fetch_wikitext(TITLE)
    before = {p.name: p.read_bytes() for p in (tmp_path / "rec").iterdir()}
    api.replace(responses.GET, API, status=503)
    with pytest.raises(TransportError):
        Fetcher(api_url=API, contact="t@example.org", record_dir=tmp_path / "rec", max_retries=0).fetch_wikitext(TITLE)
    assert {p.name: p.read_bytes() for p in (tmp_path / "rec").iterdir()} == before


def test_a_replayed_retryable_answer_fails_at_once_without_waiting(api: Any, tmp_path: Path) -> None:
    """A recorded maxlag answer is replayed as its error: a recording cannot get better by waiting."""
    maxlag = {"error": {"code": "maxlag", "info": "Waiting for a database server: 7 seconds lagged"}}
    api.get(API, json=maxlag)
    api.get(API, json=page_answer())
    Fetcher(api_url=API, contact="t@example.org", record_dir=tmp_path, sleep=lambda _: None).fetch_wikitext(TITLE)
    index_path = tmp_path / "recording.json"
    (tmp_path / json.loads(index_path.read_text(encoding="utf-8"))["exchanges"][0]["file"]).write_text(
        json.dumps(maxlag), encoding="utf-8"
    )
    sleeps: list[float] = []
    with pytest.raises(ApiError, match="maxlag") as caught:
        Fetcher(replay_dir=tmp_path, sleep=sleeps.append).fetch_wikitext(TITLE)
    assert sleeps == [] and "gave up" not in str(caught.value)


def test_a_given_transport_is_used_and_can_be_recorded(tmp_path: Path) -> None:
    """transport= replaces the live one: the answers come from it, and record_dir still records."""

    class Canned:
        api_url = TEST_API
        language = "en"
        user_agent = "canned/1.0"
        provenance: ClassVar[dict[str, str]] = {"obtained": "api"}

        def __init__(self) -> None:
            self.asked: list[Request] = []

        def exchange(self, request: Request, read: Callable[[Answer], Any]) -> Any:
            self.asked.append(request)
            return read(Answer(200, "OK", {"Content-Type": "application/json"}, json.dumps(page_answer()).encode()))

        def close(self) -> None:
            pass

    canned = Canned()
    page = Fetcher(transport=canned, record_dir=tmp_path).fetch_wikitext(TITLE)
    assert page.content == TEXT and page.source.api_url == TEST_API
    assert [(r.endpoint, r.params["titles"]) for r in canned.asked] == [("api.php", TITLE)]
    assert Fetcher(replay_dir=tmp_path).fetch_wikitext(TITLE) == page
