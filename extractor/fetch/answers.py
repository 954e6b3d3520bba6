"""Reading a MediaWiki's answers: JSON and API errors, the revision and page shape, HTML, redirects.

Every reader takes an :class:`Answer` (status, headers, raw body) the same way whether it came
from the network or from a recording, which is why a replay goes through the very checks a live
run did. A reader returns what was asked for, raises a :class:`~extractor.errors.FetchError` a
user can act on, or raises :class:`Retry` when waiting and asking again may help (HTTP 429/5xx,
``maxlag`` and the like); only a live transport acts on :class:`Retry`.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from extractor.errors import ApiError, FetchError, PageMissingError, TransportError
from extractor.fetch.params import RETRY_CODE_PREFIX, RETRY_CODES, RETRY_STATUSES, retry_after_seconds
from extractor.fetch.shapes import answer_problem
from extractor.models import Source

__all__ = [
    "REDIRECT",
    "Answer",
    "FetchedPage",
    "Retry",
    "Revision",
    "RevisionInfo",
    "check_title",
    "fail_about",
    "one_line",
    "read_html",
    "read_id",
    "read_json",
    "read_revision",
    "read_text",
    "rest_error",
    "subject",
]

#: Wikitext that is only a redirect (MediaWiki follows redirects; one left over is a loop).
REDIRECT = re.compile(r"\s*#REDIRECT\b", re.IGNORECASE)
#: API error codes that mean "this page or revision does not exist" (action=parse reports them so).
_MISSING_CODES = frozenset({"missingtitle", "nosuchrevid", "nosuchpageid", "invalidtitle"})


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
class Answer:
    """One answer as a transport hands it over: status, headers (case-insensitive) and raw body."""

    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header, if any."""
        return self.headers.get("Content-Type")


@dataclass(frozen=True)
class Revision:
    """Like :class:`RevisionInfo`, but a reconstruction's unknown ids stay ``None``."""

    title: str
    page_id: int | None
    revision_id: int | None
    timestamp: str | None
    sha1: str | None


class Retry(Exception):
    """The answer is worth retrying; ``error`` is what the user sees if retries run out."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


def one_line(text: str, limit: int = 200) -> str:
    """``text`` on one line, cut to ``limit`` characters (an ellipsis marks the cut)."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def subject(title: str | None, revision: int | None) -> str:
    """What an error message is about: ``'Title' revision 7``, ``revision 7``, ``'Title'``…"""
    if title and revision is not None:
        return f"{title!r} revision {revision}"
    if revision is not None:
        return f"revision {revision}"
    return repr(title) if title else "the request"


def fail_about(info: Revision, cls: type[FetchError], message: str) -> NoReturn:
    """Raise ``cls`` about the revision ``info`` with ``message``."""
    raise cls(
        f"{subject(info.title, info.revision_id)}: {message}",
        title=info.title,
        revision=info.revision_id,
    )


def _normalise_title(title: str) -> str:
    """MediaWiki's first-letter case and underscore rules, enough to compare two titles."""
    text = " ".join(title.replace("_", " ").split())
    return text[:1].upper() + text[1:]


def check_title(title: str | None, revision: int | None, info: Revision) -> None:
    """With both a title and a revision the revision is fetched: it must belong to that title."""
    if title is not None and revision is not None and _normalise_title(title) != info.title:
        fail_about(info, PageMissingError, f"revision {revision} belongs to {info.title!r}, not {title!r}")


def _status_problem(answer: Answer, title: str | None, revision: int | None, clock: Callable[[], float]) -> None:
    if answer.status in RETRY_STATUSES:
        wait = retry_after_seconds(answer.headers.get("Retry-After"), now=clock())
        raise Retry(
            TransportError(
                f"{subject(title, revision)}: HTTP {answer.status} {answer.reason}".rstrip(),
                status=answer.status,
                title=title,
                revision=revision,
            ),
            wait,
        )


def read_json(answer: Answer, title: str | None, revision: int | None, *, clock: Callable[[], float]) -> dict[str, Any]:
    """An Action API answer's JSON object; API errors become errors (``clock`` dates a Retry-After)."""
    _status_problem(answer, title, revision, clock)
    about = subject(title, revision)
    data: Any = None
    # RecursionError: JSON nested thousands deep is as unreadable as malformed JSON.
    with contextlib.suppress(UnicodeDecodeError, ValueError, RecursionError):
        data = json.loads(answer.body.decode("utf-8"))
    if answer.status != 200:
        hint = " (Wikimedia refuses User-Agents that break its policy)" if answer.status == 403 else ""
        raise TransportError(
            f"{about}: HTTP {answer.status} {answer.reason}{hint}".rstrip(),
            status=answer.status,
            title=title,
            revision=revision,
        )
    if not isinstance(data, dict):
        kind = (answer.content_type or "no content type").split(";")[0]
        start = one_line(answer.body[:60].decode("utf-8", "replace"), 60)
        what = "truncated or malformed JSON" if kind.endswith("json") else f"not JSON ({kind})"
        raise TransportError(
            f"{about}: the answer is {what}: {start!r}", status=answer.status, title=title, revision=revision
        )
    problem = data.get("error")
    if not isinstance(problem, dict) and (wrong := answer_problem(data)):
        raise TransportError(
            f"{about}: the answer is not in MediaWiki's format: {wrong}",
            status=answer.status,
            title=title,
            revision=revision,
        )
    if isinstance(problem, dict):
        code = str(problem.get("code", "unknown"))
        info = one_line(str(problem.get("info", "")))
        message = f"{about}: API error {code}: {info}"
        if code in _MISSING_CODES:
            raise PageMissingError(message, title=title, revision=revision)
        failure = ApiError(message, code=code, title=title, revision=revision)
        if code in RETRY_CODES or code.startswith(RETRY_CODE_PREFIX):
            raise Retry(failure, retry_after_seconds(answer.headers.get("Retry-After"), now=clock()))
        raise failure
    return data


def read_html(answer: Answer, title: str | None, revision: int | None, *, clock: Callable[[], float]) -> str:
    """A REST API answer's HTML (``text/html``, UTF-8); a 404 means the page or revision is missing."""
    _status_problem(answer, title, revision, clock)
    about = subject(title, revision)
    if answer.status == 404:
        raise PageMissingError(
            f"{about}: the REST API has no HTML for it ({rest_error(answer)})", title=title, revision=revision
        )
    if answer.status != 200:
        raise TransportError(
            f"{about}: HTTP {answer.status} {answer.reason} ({rest_error(answer)})",
            status=answer.status,
            title=title,
            revision=revision,
        )
    kind = (answer.content_type or "").split(";")[0].strip()
    if kind != "text/html":
        raise TransportError(
            f"{about}: expected HTML, got {kind or 'no content type'}",
            status=answer.status,
            title=title,
            revision=revision,
        )
    try:
        return answer.body.decode("utf-8")
    except UnicodeDecodeError:
        raise TransportError(f"{about}: the HTML is not UTF-8", title=title, revision=revision) from None


def rest_error(answer: Answer) -> str:
    """What a REST API error answer says went wrong (its ``errorKey``), or its status."""
    try:
        data = json.loads(answer.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return f"HTTP {answer.status}"
    if isinstance(data, dict):
        return str(data.get("errorKey") or data.get("messageTranslations", {}).get("en") or data.get("httpCode"))
    return f"HTTP {answer.status}"


def read_revision(
    data: dict[str, Any], title: str | None, revision: int | None, *, wiki: str, reconstruction: bool
) -> tuple[Revision, dict[str, Any]]:
    """The one revision a ``prop=revisions`` answer is about and its main slot, checked to be the article.

    ``wiki`` names the wiki in messages; only a ``reconstruction`` may lack ids and timestamp.
    """
    about = subject(title, revision)

    def fail(cls: type[FetchError], message: str) -> NoReturn:
        raise cls(f"{about}: {message}", title=title, revision=revision)

    query = data.get("query")
    if not isinstance(query, dict):
        fail(TransportError, "the answer has no 'query' part")
    if query.get("badrevids"):
        fail(PageMissingError, f"no such revision on {wiki}")
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
        fail(PageMissingError, f"invalid title: {one_line(str(page.get('invalidreason', '')))}")
    if page.get("missing"):
        via = f" (redirect target of {redirects[-1].get('from')!r})" if redirects else ""
        target = f" {page.get('title')!r}" if redirects else ""
        fail(PageMissingError, f"page{target} does not exist on {wiki}{via}")
    if page.get("special"):
        fail(PageMissingError, "is a special page, not an article")
    revisions = page.get("revisions")
    if not isinstance(revisions, list) or len(revisions) != 1 or not isinstance(revisions[0], dict):
        fail(TransportError, "the answer does not hold exactly one revision")
    rev = revisions[0]
    slot = (rev.get("slots") or {}).get("main") or {}
    info = Revision(
        title=str(page.get("title") or ""),
        page_id=read_id(page.get("pageid"), "page id", title, revision, reconstruction=reconstruction),
        revision_id=read_id(rev.get("revid"), "revision id", title, revision, reconstruction=reconstruction),
        timestamp=read_text(rev.get("timestamp"), "timestamp", title, revision, reconstruction=reconstruction),
        sha1=slot.get("sha1") or rev.get("sha1"),
    )
    if not info.title:
        fail(TransportError, "the answer names no page")
    model = slot.get("contentmodel", rev.get("contentmodel"))
    if model is not None and model != "wikitext":
        fail(PageMissingError, f"is not a wikitext article (content model {model!r})")
    content = slot.get("content")
    if isinstance(content, str) and REDIRECT.match(content):
        fail(PageMissingError, f"{info.title!r} is a redirect that could not be followed (a loop?)")
    check_title(title, revision, info)
    return info, slot


def read_id(value: Any, what: str, title: str | None, revision: int | None, *, reconstruction: bool) -> int | None:
    """``value`` if it is an id; ``None`` only in a reconstruction; else :class:`TransportError`."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # Only a documented reconstruction may lack ids: a live answer always has them.
    if value is None and reconstruction:
        return None
    raise TransportError(f"{subject(title, revision)}: the answer has no valid {what}", title=title, revision=revision)


def read_text(value: Any, what: str, title: str | None, revision: int | None, *, reconstruction: bool) -> str | None:
    """``value`` if it is a non-empty string; ``None`` only in a reconstruction; else an error."""
    if isinstance(value, str) and value:
        return value
    if value is None and reconstruction:
        return None
    raise TransportError(f"{subject(title, revision)}: the answer has no valid {what}", title=title, revision=revision)
