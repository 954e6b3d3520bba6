"""Checking many tracked articles at once: one metadata request per 50 titles, content only where needed.

:func:`check_titles` asks for the latest revision ids of up to 50 titles per request
(:func:`extractor.fetch.batch.latest_revisions`). The articles whose latest revision is the one
already known (:func:`extractor.changes.check.known_revision`) are done: nothing is downloaded.
The content of the others is then fetched 50 revisions per request, pinned by id
(:func:`extractor.fetch.batch.fetch_revisions`), one request at a time, and each article is
compared with its stored dataset exactly as :func:`extractor.changes.check.check_article` does
for one. An article that fails (a missing or deleted page, a title that became a redirect, an
unreadable stored dataset) is that article's outcome; the others are still checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from extractor.atomic import DEFAULT_LOCK_TIMEOUT, output_lock
from extractor.changes.check import (
    CheckResult,
    apply_check,
    compare_page,
    fetch_like,
    known_revision,
    load_stored,
    not_a_redirect,
    unchanged_result,
)
from extractor.changes.report import markdown_escape
from extractor.errors import ExtractorError
from extractor.export.dataset import slugify
from extractor.fetch.batch import fetch_revisions, latest_revisions
from extractor.fetch.client import Fetcher, RevisionInfo
from extractor.fetch.recording import Recording, page_recording
from extractor.models import Article

__all__ = ["ArticleCheck", "FamilyCheck", "apply_family", "check_titles"]


@dataclass
class ArticleCheck:
    """One tracked article's outcome: its result (and new data), or the error that stands for it."""

    title: str
    result: CheckResult | None = None
    article: Article | None = None
    error: ExtractorError | None = None
    #: The answer the new data was extracted from (batched wikitext fetches only).
    recording: Recording | None = None

    @property
    def change_line(self) -> str | None:
        """One line naming the article and its revision ids, when its revision changed (for commits)."""
        result = self.result
        if result is None or not result.revision_changed:
            return None
        if result.data_changed:
            was = "unknown" if result.old_revision is None else result.old_revision
            return f"{result.title}: data of revision {result.new_revision} (was {was})"
        since = "unknown" if result.data_revision is None else result.data_revision
        return f"{result.title}: revision {result.new_revision} checked, data unchanged since revision {since}"


@dataclass
class FamilyCheck:
    """The outcome of checking a list of articles, in the order they were given."""

    articles: list[ArticleCheck] = field(default_factory=list)

    def _where(self, data: bool | None) -> list[ArticleCheck]:
        """``True``: data changed; ``False``: only the revision; ``None``: nothing new."""
        chosen = []
        for check in self.articles:
            result = check.result
            if result is None:
                continue
            state = result.data_changed if result.revision_changed else None
            if state is data:
                chosen.append(check)
        return chosen

    @property
    def data_changed(self) -> list[ArticleCheck]:
        """The articles whose data changed."""
        return self._where(True)

    @property
    def revision_only(self) -> list[ArticleCheck]:
        """The articles with a new revision holding the same data."""
        return self._where(False)

    @property
    def unchanged(self) -> list[ArticleCheck]:
        """The articles whose latest revision is the one already known."""
        return self._where(None)

    @property
    def failed(self) -> list[ArticleCheck]:
        """The articles that could not be checked."""
        return [check for check in self.articles if check.error is not None]

    def counts_line(self) -> str:
        """``5 articles checked: 1 with data changes, 1 with a new revision only, 2 unchanged, 1 failed``."""
        noun = "article" if len(self.articles) == 1 else "articles"
        return (
            f"{len(self.articles)} {noun} checked: {len(self.data_changed)} with data changes, "
            f"{len(self.revision_only)} with a new revision only, {len(self.unchanged)} unchanged, "
            f"{len(self.failed)} failed"
        )

    def summary_text(self) -> str:
        """Changed articles first (revision ids, then the per-relation lines), then the rest counted."""
        parts = [check.result.summary_text() for check in self.data_changed if check.result is not None]
        parts += [check.result.summary + "\n" for check in self.revision_only if check.result is not None]
        if self.unchanged:
            parts.append(f"{len(self.unchanged)} unchanged (the revision already known is still the latest)\n")
        parts += [f"failed: {check.error}\n" for check in self.failed]
        parts.append(self.counts_line() + "\n")
        return "".join(parts)

    def summary_markdown(self) -> str:
        """The summary in Markdown, for a GitHub step summary."""
        parts = [f"## {markdown_escape(self.counts_line())}\n"]
        parts += [check.result.summary_markdown() for check in self.data_changed if check.result is not None]
        if self.revision_only:
            parts.append("### New revisions, same data\n")
            parts += [f"- {markdown_escape(c.result.summary)}\n" for c in self.revision_only if c.result is not None]
        if self.failed:
            parts.append("### Failed\n")
            parts += [f"- {markdown_escape(str(check.error))}\n" for check in self.failed]
        if self.unchanged:
            parts.append(f"\n{len(self.unchanged)} unchanged.\n")
        return "\n".join(parts)


def _normalised(title: str) -> str:
    text = " ".join(title.replace("_", " ").split())
    return text[:1].upper() + text[1:]


def check_titles(fetcher: Fetcher, titles: list[str], out_dir: Path, *, allow_missing: bool = False) -> FamilyCheck:
    """Check every title against its stored dataset in ``out_dir`` (see the module docstring).

    With ``allow_missing`` an article without a stored dataset yet is compared with nothing (all
    its data is new), as ``check --update`` does for one; without, it is that article's error.
    Titles that MediaWiki would read as the same page (``_`` for a space, first letter's case)
    are checked once.
    """
    unique = list(dict.fromkeys(_normalised(title) for title in titles))
    family = FamilyCheck([ArticleCheck(title) for title in unique])
    stored: dict[str, Article | None] = {}
    for check in family.articles:
        try:
            stored[check.title] = load_stored(out_dir, check.title, allow_missing=allow_missing)
        except ExtractorError as error:
            check.error = error
    wanted = [check for check in family.articles if check.error is None]
    latest = {outcome.title: outcome for outcome in latest_revisions(fetcher, [c.title for c in wanted])}

    to_fetch: dict[int, tuple[ArticleCheck, RevisionInfo]] = {}
    for check in wanted:
        outcome = latest[check.title]
        if outcome.revision is None:
            check.error = outcome.error
            continue
        try:
            not_a_redirect(check.title, outcome.revision)
        except ExtractorError as error:
            check.error = error
            continue
        article = stored[check.title]
        if outcome.revision.revision_id == known_revision(out_dir, check.title, article):
            check.result = unchanged_result(fetcher.api_url, check.title, out_dir, article, outcome.revision)
        else:
            to_fetch[outcome.revision.revision_id] = (check, outcome.revision)

    # The stored dataset's format decides what is fetched; wikitext (all but a few) goes 50 at a time.
    batched = {revision: check.title for revision, (check, _) in to_fetch.items() if _is_wikitext(stored[check.title])}
    pages = fetch_revisions(fetcher, batched) if batched else {}
    for revision, (check, info) in to_fetch.items():
        article = stored[check.title]
        try:
            if revision in pages:
                outcome_page = pages[revision]
                if outcome_page.page is None:
                    check.error = outcome_page.error
                    continue
                page = outcome_page.page
                if outcome_page.data is not None:
                    check.recording = page_recording(
                        outcome_page.data,
                        revision,
                        api_url=fetcher.api_url,
                        language=fetcher.transport.language,
                        user_agent=fetcher.user_agent,
                        rightsinfo=None if outcome_page.rights is None else outcome_page.rights.as_answer(),
                        cut_from=outcome_page.request,
                    )
            else:
                page = fetch_like(fetcher, check.title, revision, article)
            # No fetcher: the partners' Wikidata items are not resolved here (their fields stay
            # null), so that the committed recording, which holds the content answer, replays
            # offline to exactly the dataset written (issue: reproducible committed data).
            check.result, check.article = compare_page(fetcher.api_url, check.title, out_dir, article, info, page)
        except ExtractorError as error:
            check.error = error
    return family


def _is_wikitext(stored: Article | None) -> bool:
    return stored is None or stored.source.content_format == "wikitext"


def apply_family(
    family: FamilyCheck, out_dir: Path, recordings: Path | None = None, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT
) -> list[Path]:
    """Bring ``out_dir`` up to date for every article checked (:func:`apply_check`); what was written.

    With ``recordings``, each dataset written gets the answer it was extracted from in
    ``recordings/<slug>/`` (a recording, see :func:`~extractor.fetch.recording.page_recording`),
    so that a replay of it reproduces the dataset byte for byte.
    """
    written = []
    # One lock for the whole family (waiting up to lock_timeout), as a batch holds it: another
    # run does not slip in between two articles.
    with output_lock(out_dir, lock_timeout):
        for check in family.articles:
            if check.result is None or (path := apply_check(check.result, check.article, out_dir)) is None:
                continue
            written.append(path)
            if recordings is not None and check.result.data_changed and check.recording is not None:
                folder = recordings / slugify(check.result.title)
                check.recording.save(folder)
                written.append(folder)
    return written
