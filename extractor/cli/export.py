"""``python -m extractor export --sqlite FILE [DIR]``: every dataset under DIR in one SQLite database.

The command line over :func:`extractor.export.sqlite.write_sqlite`, which also writes Datasette's
metadata beside the database. The library is imported inside :func:`run_export`, so that
``export --help`` loads none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from extractor.cli.options import EXIT_OK, Parser, add_lock_timeout

__all__ = ["export_parser", "run_export"]


def export_parser() -> Parser:
    """The ``export`` command's parser."""
    parser = Parser(
        prog="python -m extractor export",
        description="Write every dataset under DIR (default out/) into one SQLite database: typed "
        "columns, NULL for unknown, booleans 0/1, foreign keys, indexes, full-text search on the "
        "notes; and FILE's Datasette metadata beside it (frx.db -> frx.metadata.json). "
        "Example: python -m extractor export --sqlite frx.db out/ && datasette frx.db -m frx.metadata.json",
    )
    parser.add_argument("dir", metavar="DIR", type=Path, nargs="?", default=Path("out"), help="default: out/")
    add_lock_timeout(parser)  # DIR is read under its lock: never half swapped by a batch
    parser.add_argument("--sqlite", metavar="FILE", type=Path, required=True, help="the database to write")
    return parser


def run_export(argv: Sequence[str]) -> int:
    """``python -m extractor export --sqlite FILE [DIR]``; the exit code."""
    args = export_parser().parse_args(argv)
    from extractor.export.sqlite import write_sqlite

    count, metadata = write_sqlite(args.dir, args.sqlite, lock_timeout=args.lock_timeout)
    print(f"{count} datasets -> {args.sqlite} (Datasette metadata: {metadata})")
    return EXIT_OK
