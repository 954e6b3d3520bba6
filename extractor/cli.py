"""Command line: ``python -m extractor`` and its subcommands.

A thin layer over the library: it parses arguments, calls the library, and turns every
:class:`~extractor.errors.ExtractorError` into one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__
from .errors import ExtractorError, InputError
from .export import write_dataset
from .extract import extract_wikitext, make_source
from .models import Article
from .snapshot import load_snapshot

__all__ = ["EXIT_ERROR", "Parser", "main"]

DEFAULT_TITLE = "Foreign relations of Kyrgyzstan"
EXIT_ERROR = 2


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2 like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see --help)\n")


def _extract_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m extractor",
        description="Extract a 'Foreign relations of X' article into JSON and CSV under --out. "
        "Example: python -m extractor --offline",
        epilog="Subcommands: 'check' (has the article changed?) and 'diff OLD NEW'; see "
        "'python -m extractor check --help'.",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--offline", action="store_true", help="use the stored snapshot; no network")
    source.add_argument("--input", metavar="PATH", type=Path, help="a .wikitext file to extract")
    parser.add_argument("--title", help=f"article title (default: {DEFAULT_TITLE!r}, or the file name)")
    parser.add_argument("--out", metavar="DIR", type=Path, default=Path("out"), help="output folder (default: out/)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _title_from_file(path: Path) -> str:
    return path.stem.replace("_", " ")


def _read_input(path: Path, title: str | None) -> Article:
    if path.suffix != ".wikitext":
        raise InputError("expected a .wikitext file", path=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text ({error.reason} at byte {error.start})", path=str(path)) from None
    except OSError as error:
        raise InputError(error.strerror or "cannot read", path=str(path)) from None
    source = make_source(title or _title_from_file(path), obtained="file")
    return extract_wikitext(text, source)


def run_extract(argv: Sequence[str]) -> int:
    """``python -m extractor [--offline | --input PATH] [--title T] [--out DIR]``."""
    args = _extract_parser().parse_args(argv)
    if args.input is not None:
        article = _read_input(args.input, args.title)
    elif args.offline:
        text, source = load_snapshot(args.title or DEFAULT_TITLE)
        article = extract_wikitext(text, source)
    else:
        raise InputError("live fetching is not available in this version; use --offline or --input")
    folder = write_dataset(article, args.out)
    print(f"{article.source.title}: {len(article.relations)} relations, "
          f"{len(article.references)} references -> {folder}", file=sys.stderr)
    return 0


def _dispatch(arguments: list[str]) -> int:
    # Subcommands are looked up lazily so that `python -m extractor --offline` imports no more
    # than it needs; each lives in its own module with its own parser.
    if arguments and arguments[0] == "check":
        from .check import run_check_command

        return run_check_command(arguments[1:])
    if arguments and arguments[0] == "diff":
        from .diff import run_diff_command

        return run_diff_command(arguments[1:])
    return run_extract(arguments)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(arguments)
    except ExtractorError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"error: {where}{error.strerror or error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
