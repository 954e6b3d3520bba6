"""``python -m extractor``, the default command: one article, or a batch of them, to a dataset.

One article comes from a file (``--input FILE``), a recording (``--offline``, ``--recording``)
or the wiki; a batch from a folder (``--input DIR``), a list of titles (``--titles-file``) or
the whole family (``--all``), through :func:`extractor.batch.extract_folder` and
:func:`extractor.batch.extract_titles`. The library is imported inside :func:`run_extract`, so
that ``--help`` loads none of it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, get_args

from extractor.cli.options import (
    DEFAULT_TITLE,
    EXIT_ERROR,
    EXIT_OK,
    SEED_RECORDING,
    Parser,
    add_fetch_options,
    add_lock_timeout,
    fetcher_from_args,
    note,
    positive_int,
)
from extractor.version import __version__

if TYPE_CHECKING:
    from extractor.batch import BatchReport
    from extractor.models import Article, Obtained

__all__ = ["extract_parser", "run_extract"]


def extract_parser() -> Parser:
    """The default command's parser."""
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
        "--input",
        metavar="PATH",
        type=Path,
        help="a .wikitext or .html (legacy or Parsoid) file to extract, or a folder of them (a batch)",
    )
    source.add_argument(
        "--titles-file", metavar="FILE", type=Path, help="fetch and extract every title in FILE (one a line; a batch)"
    )
    source.add_argument(
        "--all", action="store_true", help="fetch and extract every article titled 'Foreign relations of …' (a batch)"
    )
    parser.add_argument("--title", help=f"article title (default: {DEFAULT_TITLE!r}, or the file name)")
    parser.add_argument("--out", metavar="DIR", type=Path, default=Path("out"), help="output folder (default: out/)")
    parser.add_argument(
        "--allow-shrink",
        action="store_true",
        help="write a new extraction of an article even when it has no relation table or fewer than "
        "half the relations of the dataset it replaces (refused by default: exit 2, the old dataset kept)",
    )
    add_lock_timeout(parser)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    fetching = add_fetch_options(parser, title="fetching (live unless --offline or --input)", replay=True)
    fetching.add_argument("--revision", metavar="N", type=positive_int, help="that revision instead of the latest one")
    fetching.add_argument(
        "--source", choices=("wikitext", "html", "parsoid"), default="wikitext", help="what to fetch, parse"
    )
    return parser


def run_extract(argv: Sequence[str]) -> int:
    """``python -m extractor [--offline | --input PATH | --titles-file FILE | --all] [options]``; the exit code."""
    parser = extract_parser()
    args = parser.parse_args(argv)
    if args.record is not None and (args.offline or args.recording or args.input):
        parser.error("--record needs a live run (not --offline, --recording or --input)")
    if args.recording is not None and args.input is not None:
        parser.error("--recording is not allowed with --input")
    if args.titles_file is not None or args.all or (args.input is not None and args.input.is_dir()):
        return _run_batch(parser, args)

    from extractor.export.dataset import write_dataset
    from extractor.extract import extract_file

    article = extract_file(args.input, args.title, max_bytes=args.max_bytes) if args.input is not None else _fetch(args)
    folder = write_dataset(article, args.out, allow_shrink=args.allow_shrink, lock_timeout=args.lock_timeout)
    note(
        args,
        f"{article.source.title}: {len(article.relations)} relations, {len(article.references)} references -> {folder}",
    )
    return EXIT_OK


def _fetch(args: argparse.Namespace) -> Article:
    """Live from --api-url, or replayed from a recording: the same fetcher, the same checks."""
    from extractor.extract import extract_content

    # A revision names its page; a title only matters then as a check.
    title = args.title if args.revision is not None else args.title or DEFAULT_TITLE
    from extractor.entities import titles_to_resolve, with_entities
    from extractor.fetch.pageprops import resolve_titles

    revision = args.revision
    if args.offline and args.recording is None and title is not None:
        args.recording, recorded = _committed_recording(args, title)
        revision = revision if revision is not None else recorded
    with fetcher_from_args(args) as fetcher:
        fetch = getattr(fetcher, f"fetch_{args.source}")  # --source is one of wikitext, html, parsoid
        page = fetch(title, revision=revision)
        article = extract_content(page.content, page.source)
        # The partners' pages and Wikidata items: ⌈N/50⌉ more requests (none answered in a replay
        # whose recording lacks them: those fields stay null).
        return with_entities(article, resolve_titles(fetcher, titles_to_resolve([article])))


def _committed_recording(args: argparse.Namespace, title: str) -> tuple[Path, int | None]:
    """What ``--offline`` replays: the recording committed beside ``out`` for ``title``, else the seed's.

    ``check --update`` writes ``recordings/<slug>/`` beside ``out/`` with each dataset it writes,
    so that the committed ``out/`` is reproduced, not reverted to the old snapshot. Says which.
    """
    from extractor.export.dataset import slugify
    from extractor.fetch.recording import INDEX, recorded_revision

    committed = args.out.parent / "recordings" / slugify(title)
    if (committed / INDEX).is_file():
        revision = recorded_revision(committed)
        note(args, f"replaying {committed} (revision {revision})")
        return committed, revision
    note(args, f"replaying the stored snapshot {SEED_RECORDING} (no {committed} here)")
    return SEED_RECORDING, None


# ---------------------------------------------------------------------------- batches


def _run_batch(parser: Parser, args: argparse.Namespace) -> int:
    """The batch modes: ``--input DIR``, ``--titles-file FILE``, ``--all``; the exit code."""
    if args.title is not None:
        parser.error("--title names one article: not allowed with a folder, --titles-file or --all")
    if args.revision is not None:
        parser.error("--revision pins one article: not allowed with a folder, --titles-file or --all")
    if args.input is None and args.source != "wikitext":
        parser.error("--titles-file and --all fetch wikitext only")
    # Local: only batches pay for the process pool.
    from extractor.batch import extract_folder

    # A progress bar, but never in logs, and not with -q.
    progress = sys.stderr if sys.stderr.isatty() and not args.quiet else None
    if args.input is not None:
        report = extract_folder(
            args.input,
            args.out,
            progress=progress,
            allow_shrink=args.allow_shrink,
            lock_timeout=args.lock_timeout,
            max_bytes=args.max_bytes,
        )
    else:
        report = _fetch_batch(args, progress)
    for outcome in report.failed:
        print(f"failed: {outcome.title}: {outcome.error}", file=sys.stderr)
    note(args, report.summary())
    return EXIT_ERROR if report.failed or report.entities_error is not None else EXIT_OK


def _fetch_batch(args: argparse.Namespace, progress: TextIO | None) -> BatchReport:
    """``--titles-file`` or ``--all``: the titles fetched (or replayed) and extracted."""
    from extractor.batch import extract_titles
    from extractor.errors import FetchError
    from extractor.fetch.batch import discover_titles, read_titles_file

    with fetcher_from_args(args) as fetcher:
        if args.all:
            titles = discover_titles(fetcher)
            if not titles:
                raise FetchError(f"no article title starts with 'Foreign relations of' on {fetcher.api_url}")
        else:
            titles = read_titles_file(args.titles_file)
        return extract_titles(
            fetcher,
            titles,
            args.out,
            progress=progress,
            obtained=_provenance(args.recording),
            record_titles=args.all,
            allow_shrink=args.allow_shrink,
            lock_timeout=args.lock_timeout,
        )


def _provenance(recording: Path | None) -> Obtained:
    """How the content was obtained: a replay says what its recording says, as the live run did."""
    from extractor.fetch.recording import Recording
    from extractor.models import Obtained

    if recording is None:
        return "api"
    obtained = Recording.load(recording).source.get("obtained", "api")
    return obtained if obtained in get_args(Obtained) else "recording"  # type: ignore[return-value]
