"""``python -m extractor report [DIR]``: static, offline HTML pages of every dataset under DIR.

The command line over :func:`extractor.report.write_report`. The library is imported inside
:func:`run_report`, so that ``report --help`` loads none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from extractor.cli.options import EXIT_OK, Parser, add_lock_timeout

__all__ = ["report_parser", "run_report"]


def report_parser() -> Parser:
    """The ``report`` command's parser."""
    parser = Parser(
        prog="python -m extractor report",
        description="Write DIR/<slug>/index.html for every dataset under DIR (default out/) and "
        "DIR/all/index.html with DIR/all/disagreements.html: a timeline, a world map, the relations "
        "table (sortable, searchable) with its citations, static and offline. "
        "Example: python -m extractor report out/",
    )
    parser.add_argument("dir", metavar="DIR", type=Path, nargs="?", default=Path("out"), help="default: out/")
    add_lock_timeout(parser)  # DIR is read and written under its lock, as a batch writes it
    return parser


def run_report(argv: Sequence[str]) -> int:
    """``python -m extractor report [DIR]``; the exit code."""
    args = report_parser().parse_args(argv)
    from extractor.report import write_report

    pages = write_report(args.dir, lock_timeout=args.lock_timeout)
    print(f"{len(pages)} pages -> {args.dir} (open {args.dir / 'all' / 'index.html'})")
    return EXIT_OK
