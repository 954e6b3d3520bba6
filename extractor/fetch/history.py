"""Every revision of an article, oldest first, with its content: ``prop=revisions`` with ``rvcontinue``.

One request brings up to 50 revisions with their content (MediaWiki's limit when content is
asked for), so R revisions cost ⌈R/50⌉ requests, sent one at a time through the same
:class:`~extractor.fetch.client.Fetcher` (retries, ``--record``, replay) as everything else.

A resumed run asks for the revisions *after* the last one it wrote, and nothing else: the query
starts at the continuation point MediaWiki itself would hand out for that revision's successor
(``rvcontinue=<timestamp>|<id + 1>``: revisions later than the timestamp, or at that timestamp
with a greater id). ``rvstartid`` would include the last revision again, costing a request of its
own when nothing is new (⌈(R+1)/50⌉ instead of ⌈R/50⌉), and fails once that revision is deleted.

Revisions whose text, user, comment or SHA-1 an administrator hid (RevisionDelete) come with
``texthidden``/``userhidden``/``commenthidden``/``sha1hidden``: the hidden field is ``None`` and
the flag says why, never an error. Revisions deleted outright are simply absent from the answer
(the next revision's ``parent_id`` still names them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from extractor.errors import InputError, PageMissingError, TransportError
from extractor.fetch.params import checked_title

if TYPE_CHECKING:
    from extractor.fetch.client import Fetcher

__all__ = ["HISTORY_BATCH", "HistoryRevision", "after_revision", "fetch_history", "history_params"]

#: Revisions per request: MediaWiki's ceiling for ``rvlimit`` when content is requested.
HISTORY_BATCH = 50
#: A guard against an API that never stops asking to continue (2 million revisions).
_MAX_REQUESTS = 40_000
#: An API timestamp (``2024-01-01T12:00:00Z``), whose digits are MediaWiki's own ``YYYYMMDDHHMMSS``.
_TIMESTAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$")


@dataclass(frozen=True)
class HistoryRevision:
    """One revision as the API reports it; a hidden field is ``None`` and its flag is set."""

    title: str
    page_id: int
    revision_id: int
    parent_id: int | None
    timestamp: str
    user: str | None
    comment: str | None
    sha1: str | None
    content: str | None
    text_hidden: bool = False
    user_hidden: bool = False
    comment_hidden: bool = False
    sha1_hidden: bool = False


def after_revision(revision_id: int, timestamp: str) -> str:
    """The ``rvcontinue`` that starts right after revision ``revision_id`` made at ``timestamp``.

    It is the value MediaWiki's ``ApiQueryRevisions`` writes itself when an answer stops just
    before a revision (``rev_timestamp|rev_id`` of the next one): with ``rvdir=newer`` it selects
    ``rev_timestamp > T OR (rev_timestamp = T AND rev_id >= id)``, so ``id + 1`` leaves out
    exactly the revisions up to and including ``revision_id``.
    """
    match = _TIMESTAMP.match(timestamp)
    if match is None:
        raise InputError(f"{timestamp!r} is not an API timestamp (YYYY-MM-DDTHH:MM:SSZ)")
    return f"{''.join(match.groups())}|{revision_id + 1}"


def history_params(
    title: str,
    *,
    after: tuple[int, str] | None = None,
    start_id: int | None = None,
    start: str | None = None,
    end_id: int | None = None,
    end: str | None = None,
) -> dict[str, str]:
    """The query for ``title``'s revisions oldest first, from ``start_id``/``start`` to ``end_id``/``end``.

    ``after`` (a revision id and its timestamp) starts just after that revision instead
    (see :func:`after_revision`); it replaces ``start_id``/``start``.
    """
    params = {
        "action": "query",
        "prop": "revisions",
        "titles": checked_title(title),
        "rvprop": "ids|timestamp|user|comment|sha1|content",
        "rvslots": "main",
        "rvlimit": str(HISTORY_BATCH),
        "rvdir": "newer",
    }
    if after is not None:
        params["rvcontinue"] = after_revision(*after)
    elif start_id is not None:
        params["rvstartid"] = str(start_id)
    elif start is not None:
        params["rvstart"] = start
    if end_id is not None:
        params["rvendid"] = str(end_id)
    elif end is not None:
        params["rvend"] = end
    return params


def _revision(page: dict[str, Any], rev: dict[str, Any]) -> HistoryRevision:
    slot = (rev.get("slots") or {}).get("main") or {}
    revision_id = rev.get("revid")
    timestamp = rev.get("timestamp")
    if not isinstance(revision_id, int) or not isinstance(timestamp, str):
        raise TransportError(f"{page.get('title')}: a revision in the answer has no id or timestamp")
    parent = rev.get("parentid")
    content = slot.get("content")
    text_hidden = bool(slot.get("texthidden") or rev.get("texthidden"))
    sha1_hidden = bool(rev.get("sha1hidden") or slot.get("sha1hidden"))
    user_hidden = bool(rev.get("userhidden"))
    comment_hidden = bool(rev.get("commenthidden"))
    sha1 = rev.get("sha1") or slot.get("sha1")
    return HistoryRevision(
        title=str(page.get("title")),
        page_id=int(page.get("pageid") or 0),
        revision_id=revision_id,
        # 0 is MediaWiki's "no parent" (the page's first revision): unknown, not a revision id.
        parent_id=parent if isinstance(parent, int) and parent > 0 else None,
        timestamp=timestamp,
        user=None if user_hidden else rev.get("user"),
        comment=None if comment_hidden else rev.get("comment"),
        sha1=None if sha1_hidden or not isinstance(sha1, str) else sha1,
        content=None if text_hidden or not isinstance(content, str) else content,
        text_hidden=text_hidden,
        user_hidden=user_hidden,
        comment_hidden=comment_hidden,
        sha1_hidden=sha1_hidden,
    )


def fetch_history(fetcher: Fetcher, title: str, **bounds: Any) -> Iterator[HistoryRevision]:
    """``title``'s revisions oldest first (``bounds``: see :func:`history_params`), lazily, batch by batch.

    Raises :class:`~extractor.errors.PageMissingError` when the page does not exist, and a
    :class:`~extractor.errors.TransportError` when an answer is not the shape MediaWiki gives.
    """
    params = history_params(title, **bounds)
    continuation: dict[str, str] = {}
    for _ in range(_MAX_REQUESTS):
        data = fetcher.query({**params, **continuation})
        query = data.get("query")
        if not isinstance(query, dict):
            raise TransportError(f"{title}: the history answer has no 'query' part", title=title)
        pages = query.get("pages")
        if not isinstance(pages, list) or len(pages) != 1 or not isinstance(pages[0], dict):
            raise TransportError(f"{title}: the history answer does not hold exactly one page", title=title)
        page = pages[0]
        if page.get("missing") or page.get("invalid"):
            raise PageMissingError(f"{title}: the page does not exist", title=title)
        for rev in page.get("revisions") or []:
            if isinstance(rev, dict):
                yield _revision(page, rev)
        more = data.get("continue")
        if not isinstance(more, dict) or "rvcontinue" not in more:
            return
        continuation = {str(key): str(value) for key, value in more.items()}
    raise TransportError(f"{title}: the API kept asking to continue after {_MAX_REQUESTS} requests", title=title)
