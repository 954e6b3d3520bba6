"""Fetching many articles: at most 50 titles per request, serial, following every continuation.

Built on :meth:`extractor.fetch.Fetcher.query`, which makes each request polite (User-Agent,
``maxlag``, retries with back-off). Two requests are needed here and nowhere else:

* ``list=allpages&apprefix=Foreign relations of`` discovers the family (:func:`discover_titles`);
* ``prop=revisions&titles=A|B|…&rvprop=…|content&rvslots=main`` fetches up to 50 pages at once
  (:func:`fetch_pages`), with the wiki's licence (``meta=siteinfo&siprop=rightsinfo``, see
  :mod:`extractor.fetch.rights`) in the same request. MediaWiki may not fit every page's content
  in one answer: pages then come without ``revisions`` and a ``continue`` (``rvcontinue``) asks
  for the rest. The request is sent
  again with the continuation until none is left (https://www.mediawiki.org/wiki/API:Continue).

One title's failure (missing, invalid, not wikitext) is that title's outcome, not the batch's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import ExtractorError, FetchError, InputError, PageMissingError, TransportError
from extractor.fetch.answers import REDIRECT, FetchedPage, RevisionInfo
from extractor.fetch.client import Fetcher
from extractor.fetch.params import RIGHTS_PARAMS, api_params, wiki_language
from extractor.fetch.rights import WikiRights, licence_of, read_rights
from extractor.models import Obtained
from extractor.source import make_source

__all__ = [
    "FAMILY_PREFIX",
    "MAX_TITLES",
    "LatestOutcome",
    "PageOutcome",
    "continued",
    "discover_titles",
    "fetch_pages",
    "fetch_revisions",
    "latest_revisions",
    "read_titles_file",
]

#: Every article of the family starts with this title prefix.
FAMILY_PREFIX = "Foreign relations of"
#: The Action API's limit of titles per request for clients without the apihighlimits right.
MAX_TITLES = 50
# A continuation that never ends would be a server bug; stop rather than loop for ever.
_MAX_CONTINUATIONS = 1000


@dataclass(frozen=True)
class PageOutcome:
    """What became of one requested title: its page, or the error that stands for it."""

    title: str
    page: FetchedPage | None = None
    error: ExtractorError | None = None
    #: The page object as the wiki answered it (for a recording of this page alone).
    data: dict[str, Any] | None = None
    #: The licence the wiki stated in the same answer (``None``: the answer said nothing).
    rights: WikiRights | None = None
    #: The params of the request (batch) whose answer held the page, as sent.
    request: dict[str, str] | None = None


def read_titles_file(path: Path) -> list[str]:
    """Titles, one a line; blank lines and ``#`` comments ignored, repeats dropped, order kept."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text ({error.reason} at byte {error.start})", path=str(path)) from None
    except OSError as error:
        raise InputError(error.strerror or "cannot read", path=str(path)) from None
    titles: dict[str, None] = {}
    for line in lines:
        title = " ".join(line.split("#", 1)[0].replace("_", " ").split())
        if title:
            titles.setdefault(title, None)
    if not titles:
        raise InputError("no titles in the file", path=str(path))
    return list(titles)


def _continued(fetcher: Fetcher, params: dict[str, str]) -> Iterator[dict[str, Any]]:
    """Each answer to ``params`` and to its continuations, in order."""
    continuation: dict[str, str] = {}
    for _ in range(_MAX_CONTINUATIONS):
        data = fetcher.query({**params, **continuation})
        yield data
        more = data.get("continue")
        if not isinstance(more, dict) or not more:
            return
        continuation = {str(key): str(value) for key, value in more.items()}
    raise TransportError(f"the API kept asking to continue after {_MAX_CONTINUATIONS} requests")


#: Each answer to a query and to its continuations (also used by :mod:`extractor.fetch.pageprops`).
continued = _continued


def discover_titles(fetcher: Fetcher, prefix: str = FAMILY_PREFIX) -> list[str]:
    """Every article (namespace 0, no redirect) whose title starts with ``prefix``, sorted."""
    params = {
        "action": "query",
        "list": "allpages",
        "apprefix": prefix,
        "apnamespace": "0",
        "apfilterredir": "nonredirects",
        "aplimit": "max",
    }
    titles: set[str] = set()
    for data in _continued(fetcher, params):
        pages = (data.get("query") or {}).get("allpages")
        if not isinstance(pages, list):
            raise TransportError("the allpages answer has no 'query.allpages' list")
        titles.update(str(page["title"]) for page in pages if isinstance(page, dict) and page.get("title"))
    return sorted(titles)


def _chunks(titles: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(titles), size):
        yield titles[start : start + size]


def _check_batch_size(batch_size: int) -> None:
    if not 1 <= batch_size <= MAX_TITLES:
        raise ValueError(f"batch_size must be 1 to {MAX_TITLES}")


def _askable(titles: list[str]) -> list[str]:
    """The titles that can be asked for: ``|`` separates titles in a request, and blank is none."""
    return [title for title in titles if "|" not in title and title.strip()]


def _unaskable(title: str) -> PageMissingError:
    return PageMissingError(f"{title!r}: invalid title: '|' is not allowed", title=title)


def _revisions_query(key: str, values: list[str], rvprop: str) -> dict[str, str]:
    """``prop=revisions`` for up to 50 ``titles`` (redirects followed) or ``revids``; with the
    content, the wiki's licence too."""
    params = {"action": "query", "prop": "revisions", key: "|".join(values), "rvprop": rvprop, "rvslots": "main"}
    if key == "titles":
        params["redirects"] = "1"
    if rvprop.endswith("|content"):
        params.update(RIGHTS_PARAMS)
    return params


@dataclass
class _Batch:
    """The answers to one request of up to 50 titles, merged across its continuations."""

    pages: dict[str, dict[str, Any]]
    renames: dict[str, str]
    rights: WikiRights | None = None

    @classmethod
    def gather(cls, answers: Iterable[dict[str, Any]]) -> _Batch:
        batch = cls({}, {})
        for data in answers:
            # A continuation may leave out meta=siteinfo, already answered: the first statement holds.
            batch.rights = batch.rights or read_rights(data)
            query = data.get("query")
            if not isinstance(query, dict):
                raise TransportError("the answer has no 'query' part")
            for key in ("normalized", "redirects"):
                for rename in query.get(key) or []:
                    if isinstance(rename, dict) and rename.get("from") and rename.get("to"):
                        batch.renames[str(rename["from"])] = str(rename["to"])
            for page in query.get("pages") or []:
                if isinstance(page, dict) and page.get("title"):
                    known = batch.pages.setdefault(str(page["title"]), {})
                    known.update({k: v for k, v in page.items() if k != "revisions" or v})
        return batch

    def final_title(self, title: str) -> str:
        seen = {title}
        while title in self.renames:
            title = self.renames[title]
            if title in seen:  # a redirect loop: MediaWiki answers it with no page
                return title
            seen.add(title)
        return title


def _outcome(requested: str, batch: _Batch, fetcher: Fetcher, obtained: Obtained) -> PageOutcome:
    page = batch.pages.get(batch.final_title(requested))
    if page is None:
        error = PageMissingError(f"{requested!r}: no page in the answer (a redirect loop?)", title=requested)
        return PageOutcome(requested, error=error)
    return _page_outcome(requested, page, fetcher, obtained, batch.rights)


def _wikitext_revision(
    requested: str, page: dict[str, Any], fetcher: Fetcher, target: str = ""
) -> tuple[dict[str, Any], dict[str, Any]] | FetchError:
    """A page's first revision and its main slot, when the page is a wikitext article; else why not.

    ``target`` names the page the title led to, when that is another (a redirect's target).
    """

    def error(cls: type[FetchError], message: str) -> FetchError:
        return cls(f"{requested!r}: {message}", title=requested)

    if page.get("invalid"):
        return error(PageMissingError, f"invalid title: {page.get('invalidreason', '')}")
    if page.get("missing"):
        return error(PageMissingError, f"page{target} does not exist on {fetcher.api_url or 'the recording'}")
    revisions = page.get("revisions")
    if not isinstance(revisions, list) or not revisions or not isinstance(revisions[0], dict):
        return error(TransportError, "the answer holds no revision of the page")
    revision: dict[str, Any] = revisions[0]
    slot: dict[str, Any] = (revision.get("slots") or {}).get("main") or {}
    model = slot.get("contentmodel", revision.get("contentmodel"))
    if model is not None and model != "wikitext":
        return error(PageMissingError, f"is not a wikitext article (content model {model!r})")
    return revision, slot


def _page_outcome(
    requested: str, page: dict[str, Any], fetcher: Fetcher, obtained: Obtained, rights: WikiRights | None
) -> PageOutcome:
    """One page of an answer (its first revision, with content) as a fetched page, or why not."""

    def fail(cls: type[FetchError], message: str) -> PageOutcome:
        return PageOutcome(requested, error=cls(f"{requested!r}: {message}", title=requested))

    found = _wikitext_revision(requested, page, fetcher)
    if isinstance(found, FetchError):
        return PageOutcome(requested, error=found)
    revision, slot = found
    content = slot.get("content")
    if not isinstance(content, str):
        return fail(TransportError, "the answer holds no content")
    if REDIRECT.match(content):
        return fail(PageMissingError, "is a redirect that could not be followed")
    licence, licence_url = licence_of(rights, fetcher.api_url)
    source = make_source(
        str(page["title"]),
        obtained=obtained,
        language=wiki_language(fetcher.api_url),
        page_id=page.get("pageid") if isinstance(page.get("pageid"), int) else None,
        revision_id=revision.get("revid") if isinstance(revision.get("revid"), int) else None,
        revision_timestamp=revision.get("timestamp") if isinstance(revision.get("timestamp"), str) else None,
        sha1=slot.get("sha1") or revision.get("sha1"),
        api_url=fetcher.api_url,
        site_url=fetcher.site_url,
        licence=licence,
        licence_url=licence_url,
    )
    return PageOutcome(requested, page=FetchedPage(content=content, source=source), data=page, rights=rights)


def fetch_pages(
    fetcher: Fetcher, titles: list[str], *, batch_size: int = MAX_TITLES, obtained: Obtained = "api"
) -> Iterator[list[PageOutcome]]:
    """The latest revision of every title, one list of outcomes per request of ``batch_size`` titles.

    Requests are sent one at a time; the caller may parse one batch while the next is fetched.
    A title that cannot be asked for (``|`` in it) fails alone, without a request.
    """
    _check_batch_size(batch_size)
    askable = _askable(titles)
    unaskable = [PageOutcome(t, error=_unaskable(t)) for t in titles if t not in askable]
    if unaskable:
        yield unaskable
    chunks = list(_chunks(askable, batch_size))
    for number, chunk in enumerate(chunks):
        params = _revisions_query("titles", chunk, "ids|timestamp|sha1|contentmodel|content")
        try:
            batch = _Batch.gather(_continued(fetcher, params))
        except ExtractorError as error:
            # The wiki did not answer even after the fetcher's retries (or a replayed recording
            # lacks the answer): asking again for the next titles would only fail the same way.
            left = [title for rest in chunks[number:] for title in rest]
            yield [PageOutcome(title, error=error) for title in left]
            return
        yield [_outcome(title, batch, fetcher, obtained) for title in chunk]


@dataclass(frozen=True)
class LatestOutcome:
    """A title's latest revision (no content), or the error that stands for it.

    ``title`` is the title asked for; ``revision.title`` is the page the wiki answered with,
    which differs when the title is (now) a redirect: the caller decides what that means.
    """

    title: str
    revision: RevisionInfo | None = None
    error: ExtractorError | None = None


def _normalised(title: str) -> str:
    text = " ".join(title.replace("_", " ").split())
    return text[:1].upper() + text[1:]


def latest_revisions(fetcher: Fetcher, titles: list[str], *, batch_size: int = MAX_TITLES) -> list[LatestOutcome]:
    """The latest revision ids of every title, ``batch_size`` titles per request, in the order given.

    The metadata only (``rvprop=ids|timestamp|sha1|contentmodel``): one small request per 50
    titles. A title that fails (missing, invalid, not wikitext) is that title's outcome; the wiki
    failing after the fetcher's retries fails every title still to be asked for.
    """
    _check_batch_size(batch_size)
    outcomes: dict[str, LatestOutcome] = {}
    askable = _askable(titles)
    for title in titles:
        if title not in askable:
            outcomes[title] = LatestOutcome(title, error=_unaskable(title))
    chunks = list(_chunks(askable, batch_size))
    for number, chunk in enumerate(chunks):
        params = _revisions_query("titles", chunk, "ids|timestamp|sha1|contentmodel")
        try:
            batch = _Batch.gather(_continued(fetcher, params))
        except ExtractorError as error:
            for title in (title for rest in chunks[number:] for title in rest):
                outcomes[title] = LatestOutcome(title, error=error)
            break
        for title in chunk:
            outcomes[title] = _latest_outcome(title, batch, fetcher)
    return [outcomes[title] for title in titles]


def _latest_outcome(requested: str, batch: _Batch, fetcher: Fetcher) -> LatestOutcome:
    def fail(cls: type[FetchError], message: str) -> LatestOutcome:
        return LatestOutcome(requested, error=cls(f"{requested!r}: {message}", title=requested))

    final = batch.final_title(requested)
    page = batch.pages.get(final)
    target = f" {final!r}" if final != _normalised(requested) else ""
    if page is None:
        return fail(PageMissingError, "no page in the answer (a redirect loop?)")
    found = _wikitext_revision(requested, page, fetcher, target)
    if isinstance(found, FetchError):
        return LatestOutcome(requested, error=found)
    revision, slot = found
    page_id, revision_id, timestamp = page.get("pageid"), revision.get("revid"), revision.get("timestamp")
    if not (isinstance(page_id, int) and isinstance(revision_id, int) and isinstance(timestamp, str)):
        return fail(TransportError, "the answer has no valid revision ids")
    info = RevisionInfo(str(page["title"]), page_id, revision_id, timestamp, slot.get("sha1") or revision.get("sha1"))
    return LatestOutcome(requested, revision=info)


def fetch_revisions(
    fetcher: Fetcher, revisions: dict[int, str], *, batch_size: int = MAX_TITLES, obtained: Obtained = "api"
) -> dict[int, PageOutcome]:
    """The content of these revisions (id → the title asked for), ``batch_size`` per request (``revids=``).

    Pinned by id, so an edit landing between the metadata and the content cannot slip in. A
    revision the wiki no longer has (deleted meanwhile) is that revision's outcome.
    """
    _check_batch_size(batch_size)
    ids = sorted(revisions)
    outcomes: dict[int, PageOutcome] = {}
    chunks = list(_chunks([str(revision) for revision in ids], batch_size))
    for number, chunk in enumerate(chunks):
        params = _revisions_query("revids", chunk, "ids|timestamp|sha1|contentmodel|content")
        try:
            batch = _Batch.gather(_continued(fetcher, params))
        except ExtractorError as error:
            for revision in (int(revision) for rest in chunks[number:] for revision in rest):
                outcomes[revision] = PageOutcome(revisions[revision], error=error)
            break
        by_id = {
            page["revisions"][0].get("revid"): page
            for page in batch.pages.values()
            if isinstance(page.get("revisions"), list) and page["revisions"] and isinstance(page["revisions"][0], dict)
        }
        for revision in map(int, chunk):
            title = revisions[revision]
            if revision in by_id:
                outcome = _page_outcome(title, by_id[revision], fetcher, obtained, batch.rights)
                sent = api_params(params, maxlag=fetcher.maxlag)
                outcomes[revision] = dataclasses.replace(outcome, request=sent) if outcome.page else outcome
            else:
                gone = PageMissingError(
                    f"{title!r}: revision {revision} is not on the wiki any more (deleted?)",
                    title=title,
                    revision=revision,
                )
                outcomes[revision] = PageOutcome(title, error=gone)
    return outcomes
