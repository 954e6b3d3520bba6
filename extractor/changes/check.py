"""Has the article changed since the stored dataset? Cheap when it has not, exact when it has.

:func:`check_article` asks the wiki for the article's latest revision id only (one small
request, no content). When it is the revision already known, that is the answer. Otherwise it
fetches that very revision (pinned by id, so an edit landing meanwhile cannot slip in), extracts
it, and compares the data with the stored dataset (:func:`extractor.changes.diff.diff_articles`). So a
new revision is reported apart from a change of the data: an edit of the lead, a typo fix in
prose or a reverted edit changes the revision, not the data.

The revision already known is the stored dataset's (``source.revision_id``), or a later one
recorded in ``DIR/<slug>.checked.json`` by an earlier check that found the same data. That file
exists so that the dataset keeps saying truthfully which revision its data was extracted from,
while the next check still knows which revisions it has already compared (and stays one small
request). :func:`apply_check` writes it, or the new dataset when the data changed.

``python -m extractor check`` (:mod:`extractor.cli.check`) is the command line over these
functions; it also writes GitHub Actions' step outputs and step summary.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from extractor.atomic import DEFAULT_LOCK_TIMEOUT, atomic_write_bytes, output_lock
from extractor.changes.diff import DatasetDiff, diff_articles, load_dataset
from extractor.changes.report import headline, markdown_escape, summary_markdown, summary_text
from extractor.entities import titles_to_resolve, with_entities
from extractor.errors import DatasetError, PageMissingError
from extractor.export.dataset import guard_shrink, slugify, write_dataset
from extractor.extract import extract_content
from extractor.fetch.client import FetchedPage, Fetcher, RevisionInfo
from extractor.fetch.pageprops import resolve_titles
from extractor.models import Article

__all__ = [
    "CHECKED_SUFFIX",
    "CheckResult",
    "CheckedRevision",
    "apply_check",
    "check_article",
    "checked_path",
    "compare_page",
    "fetch_like",
    "known_revision",
    "load_stored",
    "not_a_redirect",
    "unchanged_result",
]

#: ``DIR/<slug>`` + this suffix: the latest revision found to hold the same data as the dataset.
CHECKED_SUFFIX = ".checked.json"


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class CheckedRevision(_Model):
    """``DIR/<slug>.checked.json``: a revision compared with the dataset and found to hold its data.

    Deterministic (no time of the check), so that re-recording the same revision is no change.
    """

    title: str
    revision_id: int
    revision_timestamp: str
    data_revision_id: int | None
    note: str = (
        "The dataset in the folder beside this file was extracted from data_revision_id; "
        "revision_id is a later revision whose data was compared and found identical."
    )


class CheckResult(_Model):
    """The outcome of one check (what ``--json`` prints)."""

    title: str
    api_url: str | None
    dataset: str
    data_revision: int | None
    old_revision: int | None
    new_revision: int
    new_revision_timestamp: str
    revision_changed: bool
    data_changed: bool
    dataset_missing: bool = False
    diff: DatasetDiff | None = None
    summary: str

    def summary_markdown(self) -> str:
        """The summary as Markdown for a GitHub step summary."""
        if self.diff is None:
            return f"### {markdown_escape(self.summary)}\n"
        return summary_markdown(self.diff, self.summary)

    def summary_text(self) -> str:
        """The summary as plain text: the headline, then the changes one per line."""
        return self.summary + "\n" if self.diff is None else summary_text(self.diff, self.summary)


def checked_path(out_dir: Path, title: str) -> Path:
    """Where the latest checked revision of ``title`` is recorded."""
    return out_dir / f"{slugify(title)}{CHECKED_SUFFIX}"


def _read_checked(path: Path, stored: Article) -> CheckedRevision | None:
    """The recorded revision, when it is about this very dataset; else ``None``."""
    try:
        checked = CheckedRevision.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValidationError) as error:
        raise DatasetError(f"unreadable record of the latest checked revision ({error})", path=str(path)) from None
    # A record written before the dataset was regenerated describes an older dataset: ignore it.
    if checked.data_revision_id != stored.source.revision_id or checked.title != stored.source.title:
        return None
    return checked


def _normalised(title: str) -> str:
    text = " ".join(title.replace("_", " ").split())
    return text[:1].upper() + text[1:]


def not_a_redirect(title: str, latest: RevisionInfo) -> None:
    """:class:`PageMissingError` naming the target when ``title`` now redirects (``latest`` is another page's)."""
    # The fetcher follows redirects. A page that now redirects (moved, merged, or turned into a
    # redirect) is reported, not followed: its data would land under another slug, or be some
    # other article's. The user decides, and then checks the target instead (setting "title").
    if latest.title != _normalised(title):
        raise PageMissingError(
            f"{title!r} is now a redirect to {latest.title!r} (moved, merged or redirected); "
            f"check {latest.title!r} instead, or restore the article",
            title=title,
            revision=latest.revision_id,
            setting="title",
        )


def _empty_like(article: Article) -> Article:
    """An article with no data and no revision: what 'no stored dataset yet' compares as."""
    source = article.source.model_copy(update={"revision_id": None, "page_id": None})
    return Article(source=source, relations=[], references=[], citations=[])


def load_stored(out_dir: Path, title: str, *, allow_missing: bool = False) -> Article | None:
    """The stored dataset ``out_dir/<slug>/`` of ``title``.

    A dataset that cannot be read is a :class:`~extractor.errors.DatasetError`; so is a missing
    one, unless ``allow_missing`` (then ``None``: there is nothing yet, and every relation is new).
    """
    file = out_dir / slugify(title) / "article.json"
    if not file.exists():
        if allow_missing:
            return None
        raise DatasetError(
            f"no stored dataset of {title!r} to compare with",
            path=str(file),
            setting="update",  # allow_missing: a first check creates the dataset
        )
    return load_dataset(file)


def check_article(
    fetcher: Fetcher, title: str, out_dir: Path, stored: Article | None, *, allow_shrink: bool = False
) -> tuple[CheckResult, Article | None]:
    """Compare ``stored`` (see :func:`load_stored`) with ``title``'s latest revision on the fetcher's wiki.

    Returns the result and the newly extracted article (``None`` when the revision is unchanged
    and nothing was downloaded). Fetch errors propagate (:class:`~extractor.errors.FetchError`);
    a new revision that shrank the data (no relation table, or more than half of the relations
    lost) raises :class:`~extractor.errors.ShrinkError` rather than be reported as a change to
    commit, unless ``allow_shrink``.
    """
    known = known_revision(out_dir, title, stored)
    latest = fetcher.latest_revision(title)
    not_a_redirect(title, latest)
    if latest.revision_id == known:
        return unchanged_result(fetcher.api_url, title, out_dir, stored, latest), None
    page = fetch_like(fetcher, title, latest.revision_id, stored)
    return compare_page(
        fetcher.api_url, title, out_dir, stored, latest, page, fetcher=fetcher, allow_shrink=allow_shrink
    )


def known_revision(out_dir: Path, title: str, stored: Article | None) -> int | None:
    """The latest revision already compared with ``stored``: its own, or a later checked one."""
    checked = _read_checked(checked_path(out_dir, title), stored) if stored is not None else None
    data_revision = stored.source.revision_id if stored is not None else None
    return checked.revision_id if checked is not None else data_revision


def _result(
    api_url: str | None,
    title: str,
    out_dir: Path,
    stored: Article | None,
    latest: RevisionInfo,
    summary: str,
    diff: DatasetDiff | None = None,
) -> CheckResult:
    return CheckResult(
        title=latest.title,
        api_url=api_url,
        dataset=str(out_dir / slugify(title)),
        data_revision=stored.source.revision_id if stored is not None else None,
        old_revision=known_revision(out_dir, title, stored),
        new_revision=latest.revision_id,
        new_revision_timestamp=latest.timestamp,
        revision_changed=diff is not None,
        data_changed=diff is not None and diff.changed,
        dataset_missing=stored is None,
        diff=diff,
        summary=summary,
    )


def unchanged_result(
    api_url: str | None, title: str, out_dir: Path, stored: Article | None, latest: RevisionInfo
) -> CheckResult:
    """The result when ``latest`` is the revision already known: nothing new."""
    known = known_revision(out_dir, title, stored)
    summary = f"{latest.title}: revision {known} is still the latest; no data changes"
    return _result(api_url, title, out_dir, stored, latest, summary)


def compare_page(
    api_url: str | None,
    title: str,
    out_dir: Path,
    stored: Article | None,
    latest: RevisionInfo,
    page: FetchedPage,
    *,
    fetcher: Fetcher | None = None,
    allow_shrink: bool = False,
) -> tuple[CheckResult, Article]:
    """Extract ``page`` (the content of ``latest``) and compare its data with ``stored``.

    With ``fetcher`` the partners' pages are resolved to entities (⌈N/50⌉ requests); a new
    extraction that shrank raises :class:`~extractor.errors.ShrinkError` unless ``allow_shrink``.
    """
    known = known_revision(out_dir, title, stored)
    article = extract_content(page.content, page.source)
    guard_shrink(article, out_dir / slugify(title), allow_shrink=allow_shrink)
    if fetcher is not None:
        # As an extraction does: the partners' pages and items, so that an --update writes the same dataset.
        article = with_entities(article, resolve_titles(fetcher, titles_to_resolve([article])))
    diff = diff_articles(stored if stored is not None else _empty_like(article), article)
    if known is not None and diff.old_revision != known:
        # The revisions compared are the dataset's and the latest, but the last one *checked* is newer.
        diff.old_revision = known
    folder = out_dir / slugify(title)
    summary = headline(diff) + (f" (no dataset at {folder} yet)" if stored is None else "")
    return _result(api_url, title, out_dir, stored, latest, summary, diff), article


def fetch_like(fetcher: Fetcher, title: str, revision: int, stored: Article | None) -> FetchedPage:
    """The revision in the format the stored dataset was made from, so formats never differ."""
    content_format = stored.source.content_format if stored is not None else "wikitext"
    if content_format == "html":
        return fetcher.fetch_html(title, revision=revision)
    if content_format == "parsoid":
        return fetcher.fetch_parsoid(title, revision=revision)
    return fetcher.fetch_wikitext(title, revision=revision)


def apply_check(
    result: CheckResult,
    article: Article | None,
    out_dir: Path,
    *,
    allow_shrink: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> Path | None:
    """Bring ``out_dir`` up to date after a check; return what was written, if anything.

    Data changed: the new dataset replaces the old one atomically, and the record of checked
    revisions is removed (the dataset's own revision is now the latest). Only the revision
    changed: the dataset is left exactly as it is, and ``<slug>.checked.json`` records the
    revision that was compared. Unchanged: nothing is written. The writing holds ``out_dir``'s
    lock (:func:`~extractor.atomic.output_lock`, waiting up to ``lock_timeout`` seconds).
    """
    if not result.revision_changed or article is None:
        return None
    with output_lock(out_dir, lock_timeout):  # the record too: another run may be writing the folder
        return _apply(result, article, out_dir, allow_shrink=allow_shrink)


def _apply(result: CheckResult, article: Article, out_dir: Path, *, allow_shrink: bool) -> Path:
    record = checked_path(out_dir, result.title)
    if result.data_changed:
        folder = write_dataset(article, out_dir, allow_shrink=allow_shrink)
        record.unlink(missing_ok=True)
        return folder
    checked = CheckedRevision(
        title=result.title,
        revision_id=result.new_revision,
        revision_timestamp=result.new_revision_timestamp,
        data_revision_id=result.data_revision,
    )
    atomic_write_bytes(record, (json.dumps(checked.model_dump(), indent=2) + "\n").encode("utf-8"))
    return record
