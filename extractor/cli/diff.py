"""``python -m extractor diff OLD NEW``: what changed in the data between two stored datasets.

The command line over :func:`extractor.changes.diff.diff_articles` and its report
(:mod:`extractor.changes.report`). Exit 0 when the data is equal, 1 when it differs, 2 on error.
The library is imported inside :func:`run_diff`, so that ``diff --help`` loads none of it.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

from extractor.cli.options import EXIT_CHANGED, EXIT_OK, Parser

__all__ = ["diff_parser", "run_diff"]


def diff_parser() -> Parser:
    """The ``diff`` command's parser."""
    parser = Parser(
        prog="python -m extractor diff",
        description="Compare the data of two stored datasets and print what changed: relations "
        "added or removed (by country), per-field changes, references added, removed or changed. "
        "Exit 0 when equal, 1 when different, 2 on error. "
        "Example: python -m extractor diff old/foreign-relations-of-kyrgyzstan "
        "out/foreign-relations-of-kyrgyzstan; or two revisions of a history: "
        "python -m extractor diff --history out/foreign-relations-of-kyrgyzstan 46 48",
    )
    parser.add_argument("old", metavar="OLD", type=Path, help="article.json or a dataset folder")
    parser.add_argument("new", metavar="NEW", type=Path, help="article.json or a dataset folder")
    parser.add_argument(
        "--history",
        metavar="DIR",
        type=Path,
        help="OLD and NEW are revision ids of this history folder (DIR/<slug>/history, or DIR/<slug>)",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print the whole comparison as JSON")
    output.add_argument("--markdown", action="store_true", help="print the summary as Markdown")
    return parser


def run_diff(argv: Sequence[str]) -> int:
    """``python -m extractor diff [--history DIR] OLD NEW [--json | --markdown]``; the exit code (1: differs)."""
    args = diff_parser().parse_args(argv)
    from extractor.changes.diff import diff_articles, load_dataset
    from extractor.changes.report import summary_markdown, summary_text

    if args.history is not None:
        from extractor.history.run import HISTORY_FOLDER, history_article

        folder = args.history if (args.history / "revisions.csv").exists() else args.history / HISTORY_FOLDER
        ids = [str(args.old), str(args.new)]
        if not all(i.isascii() and i.isdigit() for i in ids):
            diff_parser().error(f"with --history, OLD and NEW are revision ids, not {' '.join(ids)}")
        diff = diff_articles(history_article(folder, int(ids[0])), history_article(folder, int(ids[1])))
    else:
        diff = diff_articles(load_dataset(args.old), load_dataset(args.new))
    if args.json:
        print(json.dumps(diff.model_dump(mode="json"), ensure_ascii=False, indent=2))
    elif args.markdown:
        sys.stdout.write(summary_markdown(diff))
    else:
        sys.stdout.write(summary_text(diff))
    return EXIT_CHANGED if diff.changed else EXIT_OK
