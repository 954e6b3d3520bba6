"""Has the article changed since the stored dataset? Cheap when it has not, exact when it has.

:func:`check_article` asks the wiki for the article's latest revision id only (one small
request, no content). When it is the revision already known, that is the answer. Otherwise it
fetches that very revision (pinned by id, so an edit landing meanwhile cannot slip in), extracts
it, and compares the data with the stored dataset (:func:`extractor.diff.diff_articles`). So a
new revision is reported apart from a change of the data: an edit of the lead, a typo fix in
prose or a reverted edit changes the revision, not the data.

The revision already known is the stored dataset's (``source.revision_id``), or a later one
recorded in ``DIR/<slug>.checked.json`` by an earlier check that found the same data. That file
exists so that the dataset keeps saying truthfully which revision its data was extracted from,
while the next check still knows which revisions it has already compared (and stays one small
request). :func:`apply_check` writes it, or the new dataset when the data changed.

``python -m extractor check`` (:func:`run_check_command`) is the command line; in GitHub Actions
it also writes step outputs (``$GITHUB_OUTPUT``) and a Markdown step summary
(``$GITHUB_STEP_SUMMARY``).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from extractor.atomic import atomic_write_bytes
from extractor.changes.diff import EXIT_DIFFERENT, EXIT_EQUAL, DatasetDiff, diff_articles, load_dataset, markdown_escape
from extractor.errors import DatasetError, PageMissingError
from extractor.export.dataset import slugify, write_dataset
from extractor.extract import extract_content
from extractor.fetch.client import CONTACT_ENV, DEFAULT_API_URL, FetchedPage, Fetcher, RevisionInfo
from extractor.models import Article

__all__ = [
    "CHECKED_SUFFIX",
    "CheckResult",
    "CheckedRevision",
    "apply_check",
    "check_article",
    "checked_path",
    "github_outputs",
    "load_stored",
    "run_check_command",
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
        return self.diff.summary_markdown(self.summary)

    def summary_text(self) -> str:
        """The summary as plain text: the headline, then the changes one per line."""
        return self.summary + "\n" if self.diff is None else self.diff.summary_text(self.summary)


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
        raise DatasetError(
            f"unreadable record of the latest checked revision ({error})", path=str(path)
        ) from None
    # A record written before the dataset was regenerated describes an older dataset: ignore it.
    if checked.data_revision_id != stored.source.revision_id or checked.title != stored.source.title:
        return None
    return checked


def _normalised(title: str) -> str:
    text = " ".join(title.replace("_", " ").split())
    return text[:1].upper() + text[1:]


def _not_a_redirect(title: str, latest: RevisionInfo) -> None:
    # The fetcher follows redirects. A page that now redirects (moved, merged, or turned into a
    # redirect) is reported, not followed: its data would land under another slug, or be some
    # other article's. The user decides, and then points --title at the target.
    if latest.title != _normalised(title):
        raise PageMissingError(
            f"{title!r} is now a redirect to {latest.title!r} (moved, merged or redirected); "
            f"check {latest.title!r} with --title, or restore the article",
            title=title,
            revision=latest.revision_id,
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
            f"no stored dataset of {title!r} to compare with; create it with --update",
            path=str(file),
        )
    return load_dataset(file)


def check_article(
    fetcher: Fetcher, title: str, out_dir: Path, stored: Article | None
) -> tuple[CheckResult, Article | None]:
    """Compare ``stored`` (see :func:`load_stored`) with ``title``'s latest revision on the fetcher's wiki.

    Returns the result and the newly extracted article (``None`` when the revision is unchanged
    and nothing was downloaded). Fetch errors propagate (:class:`~extractor.errors.FetchError`).
    """
    folder = out_dir / slugify(title)
    checked = _read_checked(checked_path(out_dir, title), stored) if stored is not None else None
    data_revision = stored.source.revision_id if stored is not None else None
    known = checked.revision_id if checked is not None else data_revision

    latest = fetcher.latest_revision(title)
    _not_a_redirect(title, latest)

    def result(summary: str, diff: DatasetDiff | None = None) -> CheckResult:
        return CheckResult(
            title=latest.title,
            api_url=fetcher.api_url,
            dataset=str(folder),
            data_revision=data_revision,
            old_revision=known,
            new_revision=latest.revision_id,
            new_revision_timestamp=latest.timestamp,
            revision_changed=diff is not None,
            data_changed=diff is not None and diff.changed,
            dataset_missing=stored is None,
            diff=diff,
            summary=summary,
        )

    if latest.revision_id == known:
        return result(f"{latest.title}: revision {known} is still the latest; no data changes"), None

    page = _fetch_like(fetcher, title, latest.revision_id, stored)
    article = extract_content(page.content, page.source)
    diff = diff_articles(stored if stored is not None else _empty_like(article), article)
    if known is not None and diff.old_revision != known:
        # The revisions compared are the dataset's and the latest, but the last one *checked* is newer.
        diff.old_revision = known
    summary = diff.headline() + (f" (no dataset at {folder} yet)" if stored is None else "")
    return result(summary, diff), article


def _fetch_like(fetcher: Fetcher, title: str, revision: int, stored: Article | None) -> FetchedPage:
    """The revision in the format the stored dataset was made from, so formats never differ."""
    content_format = stored.source.content_format if stored is not None else "wikitext"
    if content_format == "html":
        return fetcher.fetch_html(title, revision=revision)
    if content_format == "parsoid":
        return fetcher.fetch_parsoid(title, revision=revision)
    return fetcher.fetch_wikitext(title, revision=revision)


def apply_check(result: CheckResult, article: Article | None, out_dir: Path) -> Path | None:
    """Bring ``out_dir`` up to date after a check; return what was written, if anything.

    Data changed: the new dataset replaces the old one atomically, and the record of checked
    revisions is removed (the dataset's own revision is now the latest). Only the revision
    changed: the dataset is left exactly as it is, and ``<slug>.checked.json`` records the
    revision that was compared. Unchanged: nothing is written.
    """
    if not result.revision_changed or article is None:
        return None
    record = checked_path(out_dir, result.title)
    if result.data_changed:
        folder = write_dataset(article, out_dir)
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


# ---------------------------------------------------------------------------- GitHub Actions


def github_outputs(result: CheckResult) -> str:
    """The step outputs, in ``$GITHUB_OUTPUT``'s format (the summary as a multi-line value)."""
    lines = [
        f"revision_changed={str(result.revision_changed).lower()}",
        f"data_changed={str(result.data_changed).lower()}",
        f"old_revision={'' if result.old_revision is None else result.old_revision}",
        f"new_revision={result.new_revision}",
        f"data_revision={'' if result.data_revision is None else result.data_revision}",
    ]
    summary = result.summary_text()
    # A random delimiter, as GitHub's documentation advises, so article text cannot end the value.
    delimiter = f"EOF_{secrets.token_hex(16)}"
    lines += [f"summary<<{delimiter}", summary.rstrip("\n"), delimiter]
    return "\n".join(lines) + "\n"


def _append(path: str, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


# ---------------------------------------------------------------------------- command line


def _check_parser() -> argparse.ArgumentParser:
    from extractor.cli import DEFAULT_TITLE, Parser  # the CLI's parser: usage errors are one line and exit 2

    parser = Parser(
        prog="python -m extractor check",
        description="Compare the stored dataset DIR/<slug>/ with the article's latest revision. "
        "An unchanged revision costs one small request; a new one is fetched, extracted and compared, "
        "and the data changes are summarised. Exit 0, or with --exit-code 1 when the data changed; "
        "2 on any error. Example: python -m extractor check --contact you@example.org --exit-code",
    )
    parser.add_argument("--title", default=DEFAULT_TITLE, help=f"article title (default: {DEFAULT_TITLE!r})")
    parser.add_argument(
        "--api-url",
        metavar="URL",
        default=DEFAULT_API_URL,
        help=f"a wiki's api.php (default: {DEFAULT_API_URL})",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        default=Path("out"),
        help="folder of stored datasets (default: out/)",
    )
    parser.add_argument("--exit-code", action="store_true", help="exit 1 when the data changed (0 when not)")
    parser.add_argument("--json", action="store_true", help="print the whole comparison as JSON")
    parser.add_argument(
        "--update",
        action="store_true",
        help="bring DIR up to date: write the new dataset when the data changed (creating it when "
        "missing), or record the new revision in DIR/<slug>.checked.json when only the revision changed",
    )
    parser.add_argument(
        "--contact",
        metavar="C",
        help=f"your e-mail or URL for the User-Agent (or ${CONTACT_ENV}); "
        "Wikimedia wikis need it or --user-agent",
    )
    parser.add_argument(
        "--user-agent", metavar="UA", help="the whole User-Agent header, instead of the default"
    )
    parser.add_argument(
        "--max-retries", metavar="N", type=int, default=5, help="retries of a failed request (default: 5)"
    )
    return parser


def run_check_command(argv: Sequence[str]) -> int:
    """``python -m extractor check [--title T] [--api-url URL] [--out DIR] [--exit-code] [--json]``.

    Also ``--update`` and the fetch options (``--contact``, ``--user-agent``, ``--max-retries``).
    """
    parser = _check_parser()
    args = parser.parse_args(argv)
    if args.max_retries < 0:
        parser.error("--max-retries must be 0 or more")
    # The stored dataset first: an unreadable one is an error before any request is made.
    stored = load_stored(args.out, args.title, allow_missing=args.update)
    with Fetcher(
        api_url=args.api_url, user_agent=args.user_agent, contact=args.contact, max_retries=args.max_retries
    ) as fetcher:
        result, article = check_article(fetcher, args.title, args.out, stored)
    written = apply_check(result, article, args.out) if args.update else None

    if args.json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(result.summary_text())
    if written is not None:
        print(f"wrote {written}", file=sys.stderr)
    if output := os.environ.get("GITHUB_OUTPUT"):
        _append(output, github_outputs(result))
    if step_summary := os.environ.get("GITHUB_STEP_SUMMARY"):
        _append(step_summary, result.summary_markdown() + "\n")
    if args.exit_code and result.data_changed:
        return EXIT_DIFFERENT
    return EXIT_EQUAL
