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

from extractor import __version__
from extractor.cli.options import SEED_RECORDING
from extractor.errors import ExtractorError
from extractor.export.dataset import write_dataset
from extractor.extract import extract_content, extract_file
from extractor.fetch.client import CONTACT_ENV, DEFAULT_API_URL, Fetcher
from extractor.models import Article

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
    source.add_argument(
        "--offline", action="store_true", help="replay a recording (default: the stored snapshot); no network"
    )
    source.add_argument(
        "--input", metavar="PATH", type=Path,
        help="a .wikitext or .html (legacy or Parsoid) file to extract, or a folder of them (a batch)",
    )
    source.add_argument("--titles-file", metavar="FILE", type=Path,
                        help="fetch and extract every title in FILE (one a line; a batch)")
    source.add_argument("--all", action="store_true",
                        help="fetch and extract every article titled 'Foreign relations of …' (a batch)")
    parser.add_argument("--title", help=f"article title (default: {DEFAULT_TITLE!r}, or the file name)")
    parser.add_argument("--out", metavar="DIR", type=Path, default=Path("out"), help="output folder (default: out/)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    fetching = parser.add_argument_group("fetching (live unless --offline or --input)")
    add = fetching.add_argument
    add("--revision", metavar="N", type=_positive, help="that revision instead of the latest one")
    add("--api-url", metavar="URL", default=DEFAULT_API_URL, help=f"a wiki's api.php ({DEFAULT_API_URL})")
    add("--contact", metavar="C", help=f"your e-mail or URL, put in the User-Agent (or set {CONTACT_ENV}); "
        "Wikimedia wikis need it or --user-agent")
    add("--user-agent", metavar="UA", help="the whole User-Agent header instead of the default")
    add("--max-retries", metavar="N", type=_non_negative, default=5, help="retries of a failing request (5)")
    add("--source", choices=("wikitext", "html", "parsoid"), default="wikitext", help="what to fetch, parse")
    add("--record", metavar="DIR", type=Path, help="store the answers and their requests in DIR")
    add("--recording", metavar="DIR", type=Path,
        help="replay the recording in DIR (implies --offline; default: fixtures/recordings/<seed>)")
    return parser


def _positive(text: str) -> int:
    value = _non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text!r}")
    return value


def _non_negative(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}")
    return int(text)


def run_extract(argv: Sequence[str]) -> int:
    """``python -m extractor [--offline | --input PATH] [--title T] [--out DIR] [fetch options]``."""
    parser = _extract_parser()
    args = parser.parse_args(argv)
    if args.record is not None and (args.offline or args.recording or args.input):
        parser.error("--record needs a live run (not --offline, --recording or --input)")
    if args.recording is not None and args.input is not None:
        parser.error("--recording is not allowed with --input")
    if args.titles_file is not None or args.all or (args.input is not None and args.input.is_dir()):
        from extractor.batch import run_batch  # local: only batches pay for the process pool

        return run_batch(args, parser.error)
    article = extract_file(args.input, args.title) if args.input is not None else _fetch(args)
    folder = write_dataset(article, args.out)
    print(f"{article.source.title}: {len(article.relations)} relations, "
          f"{len(article.references)} references -> {folder}", file=sys.stderr)
    return 0


def _fetch(args: argparse.Namespace) -> Article:
    """Live from --api-url, or replayed from a recording: the same fetcher, the same checks."""
    if args.offline or args.recording is not None:
        fetcher = Fetcher(replay_dir=args.recording or SEED_RECORDING)
    else:
        fetcher = Fetcher(
            api_url=args.api_url,
            user_agent=args.user_agent,
            contact=args.contact,
            max_retries=args.max_retries,
            record_dir=args.record,
        )
    # A revision names its page; a title only matters then as a check.
    title = args.title if args.revision is not None else args.title or DEFAULT_TITLE
    with fetcher:
        fetch = getattr(fetcher, f"fetch_{args.source}")  # --source is one of wikitext, html, parsoid
        page = fetch(title, revision=args.revision)
    return extract_content(page.content, page.source)


def _dispatch(arguments: list[str]) -> int:
    # Subcommands are looked up lazily so that `python -m extractor --offline` imports no more
    # than it needs; each lives in its own module with its own parser.
    if arguments and arguments[0] == "check":
        from extractor.changes.check import run_check_command

        return run_check_command(arguments[1:])
    if arguments and arguments[0] == "diff":
        from extractor.changes.diff import run_diff_command

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
