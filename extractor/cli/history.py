"""``python -m extractor history``: every revision of an article, as a change log per relation.

The command line over :func:`extractor.history.run.run_history`. The library is imported inside
:func:`run_history_command`, so that ``history --help`` loads none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from extractor.cli.options import (
    DEFAULT_TITLE,
    EXIT_OK,
    Parser,
    add_fetch_options,
    add_lock_timeout,
    fetcher_from_args,
    note,
)

__all__ = ["history_parser", "run_history_command"]


def history_parser() -> Parser:
    """The ``history`` command's parser."""
    parser = Parser(
        prog="python -m extractor history",
        description="Fetch every revision of the article (oldest first, 50 a request), extract each, "
        "and write DIR/<slug>/history/revisions.csv, changes.csv and claims.csv beside the latest "
        "revision's dataset. A rerun on the same DIR fetches only the newer revisions. "
        "Example: python -m extractor history --contact you@example.org --since 2024-01-01",
    )
    parser.add_argument("--title", default=DEFAULT_TITLE, help=f"article title (default: {DEFAULT_TITLE!r})")
    parser.add_argument("--since", metavar="REV|DATE", help="start at this revision id or date (YYYY-MM-DD)")
    parser.add_argument("--until", metavar="REV|DATE", help="stop at this revision id or date (YYYY-MM-DD)")
    parser.add_argument(
        "--out", metavar="DIR", type=Path, default=Path("out"), help="where the dataset goes (default: out/)"
    )
    add_lock_timeout(parser)
    group = add_fetch_options(parser, replay=True)
    group.add_argument("--offline", action="store_true", help="replay a recording (--recording DIR)")
    return parser


def run_history_command(argv: Sequence[str]) -> int:
    """``python -m extractor history [--title T] [--since REV|DATE] [--until REV|DATE] [--out DIR] …``."""
    args = history_parser().parse_args(argv)
    from extractor.history.run import parse_bound, run_history

    since = parse_bound(args.since, "since") if args.since else None
    until = parse_bound(args.until, "until") if args.until else None
    with fetcher_from_args(args) as fetcher:
        result = run_history(
            fetcher, args.title, args.out, since=since, until=until, lock_timeout=float(args.lock_timeout)
        )
    note(  # a summary, not an error: -q leaves it out
        args,
        f"{args.title}: {result.new_revisions} new revisions ({result.total_revisions} in all; "
        f"{result.reused} reused, {result.extracted} extracted) -> {result.folder}",
    )
    return EXIT_OK
