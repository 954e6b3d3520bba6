"""``python -m extractor check``: has the article changed since the stored dataset?

The command line over :mod:`extractor.changes.check`. In GitHub Actions it also appends the
step outputs to ``$GITHUB_OUTPUT`` and a Markdown summary to ``$GITHUB_STEP_SUMMARY``. The
library is imported inside :func:`run_check`, so that ``check --help`` loads none of it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.cli.options import (
    DEFAULT_TITLE,
    EXIT_CHANGED,
    EXIT_ERROR,
    EXIT_OK,
    Parser,
    add_fetch_options,
    add_lock_timeout,
    fetcher_from_args,
    note,
)

if TYPE_CHECKING:
    from extractor.changes.check import CheckResult
    from extractor.changes.family import FamilyCheck

__all__ = ["check_parser", "family_outputs", "github_outputs", "run_check"]


def check_parser() -> Parser:
    """The ``check`` command's parser."""
    parser = Parser(
        prog="python -m extractor check",
        description="Compare the stored dataset DIR/<slug>/ with the article's latest revision. "
        "An unchanged revision costs one small request; a new one is fetched, extracted and compared, "
        "and the data changes are summarised. Exit 0, or with --exit-code 1 when the data changed; "
        "2 on any error. Example: python -m extractor check --contact you@example.org --exit-code",
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--title", default=DEFAULT_TITLE, help=f"article title (default: {DEFAULT_TITLE!r})")
    which.add_argument(
        "--titles-file",
        metavar="FILE",
        type=Path,
        help="check every title in FILE (one a line, # comments): 50 titles per metadata request",
    )
    which.add_argument(
        "--all", action="store_true", help="check every article titled 'Foreign relations of …' on the wiki"
    )
    parser.add_argument(
        "--out", metavar="DIR", type=Path, default=Path("out"), help="folder of stored datasets (default: out/)"
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
        "--allow-shrink",
        action="store_true",
        help="accept a new revision with no relation table or fewer than half the stored relations "
        "(refused by default: exit 2, the stored dataset kept)",
    )
    add_lock_timeout(parser)  # --update writes into --out, taking its lock as the other writing commands do
    add_fetch_options(parser)
    return parser


def run_check(argv: Sequence[str]) -> int:
    """``python -m extractor check [--title T] [--out DIR] [--exit-code] [--json] [--update] [fetch options]``.

    Returns the exit code: 1 when the data changed and ``--exit-code`` was given, else 0.
    """
    args = check_parser().parse_args(argv)
    if args.titles_file is not None or args.all:
        return _run_family(args)
    from extractor.changes.check import apply_check, check_article, load_stored

    # The stored dataset first: an unreadable one is an error before any request is made.
    stored = load_stored(args.out, args.title, allow_missing=args.update)
    with fetcher_from_args(args) as fetcher:
        result, article = check_article(fetcher, args.title, args.out, stored, allow_shrink=args.allow_shrink)
    written = (
        apply_check(result, article, args.out, allow_shrink=args.allow_shrink, lock_timeout=args.lock_timeout)
        if args.update
        else None
    )

    if args.json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(result.summary_text())
    if written is not None:
        note(args, f"wrote {written}")
    if output := os.environ.get("GITHUB_OUTPUT"):
        _append(output, github_outputs(result))
    if step_summary := os.environ.get("GITHUB_STEP_SUMMARY"):
        _append(step_summary, result.summary_markdown() + "\n")
    return EXIT_CHANGED if args.exit_code and result.data_changed else EXIT_OK


def _run_family(args: argparse.Namespace) -> int:
    """``check --titles-file FILE | --all``: every article, then one summary; exit 2 if any failed."""
    from extractor.changes.family import apply_family, check_titles
    from extractor.fetch.batch import discover_titles, read_titles_file

    titles = read_titles_file(args.titles_file) if args.titles_file is not None else None
    with fetcher_from_args(args) as fetcher:
        if titles is None:
            titles = discover_titles(fetcher)
        family = check_titles(fetcher, titles, args.out, allow_missing=args.update)
    # The answers the new data came from go beside DIR (recordings/ beside out/), for --offline.
    written = (
        apply_family(family, args.out, args.out.parent / "recordings", lock_timeout=args.lock_timeout)
        if args.update
        else []
    )

    if args.json:
        report = {
            "articles": [
                {"title": check.title, "error": str(check.error)}
                if check.result is None
                else check.result.model_dump(mode="json")
                for check in family.articles
            ],
            "counts": _counts(family),
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(family.summary_text())
    for check in family.failed:
        print(f"failed: {check.error}", file=sys.stderr)
    for path in written:
        note(args, f"wrote {path}")
    if output := os.environ.get("GITHUB_OUTPUT"):
        _append(output, family_outputs(family))
    if step_summary := os.environ.get("GITHUB_STEP_SUMMARY"):
        _append(step_summary, family.summary_markdown() + "\n")
    if family.failed:
        return EXIT_ERROR
    return EXIT_CHANGED if args.exit_code and family.data_changed else EXIT_OK


def _counts(family: FamilyCheck) -> dict[str, int]:
    return {
        "articles": len(family.articles),
        "data_changed": len(family.data_changed),
        "revision_only": len(family.revision_only),
        "unchanged": len(family.unchanged),
        "failed": len(family.failed),
    }


def family_outputs(family: FamilyCheck) -> str:
    """The step outputs of a check of many articles (``$GITHUB_OUTPUT``'s format).

    ``changed_articles`` holds one line per article with a new revision, naming its revision ids
    (what the workflow's commit message lists); ``failures`` one line per article that failed.
    """
    changed = [line for check in family.articles if (line := check.change_line) is not None]
    lines = [
        f"revision_changed={str(bool(changed)).lower()}",
        f"data_changed={str(bool(family.data_changed)).lower()}",
        *(f"{name}_count={value}" for name, value in _counts(family).items()),
    ]
    lines += _multiline("changed_articles", "\n".join(changed))
    lines += _multiline("failures", "\n".join(f"{check.error}" for check in family.failed))
    lines += _multiline("summary", family.summary_text().rstrip("\n"))
    return "\n".join(lines) + "\n"


def _multiline(name: str, value: str) -> list[str]:
    import secrets  # local: it costs --help more than the rest of this module

    # A random delimiter, as GitHub's documentation advises, so article text cannot end the value.
    delimiter = f"EOF_{secrets.token_hex(16)}"
    return [f"{name}<<{delimiter}", value, delimiter]


def github_outputs(result: CheckResult) -> str:
    """The step outputs, in ``$GITHUB_OUTPUT``'s format (the summary as a multi-line value)."""
    import secrets  # local: it costs --help more than the rest of this module

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
