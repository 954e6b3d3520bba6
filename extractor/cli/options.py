"""What every command shares: exit codes, the parser, the fetch options, and the stored snapshot.

The fetch options (``--api-url``, ``--contact``, ``--user-agent``, ``--max-retries``, and where a
command supports them ``--record``/``--recording``) are declared once, by
:func:`add_fetch_options`, and turned into a :class:`~extractor.fetch.Fetcher` once, by
:func:`fetcher_from_args`, so that every command checks and means them alike.

Light on purpose: ``--help`` must not pay for pydantic or requests, so nothing here imports
the models or the fetcher at module level (only :mod:`extractor.fetch.params`).

The stored snapshot that ``--offline`` replays is a recording (:mod:`extractor.fetch.recording`)
of the seed revision under ``fixtures/recordings/``, replayed by the same fetcher that fetches
live; ``scripts/make_seed_recording.py`` builds it from the reviewed ``fixtures/seed/`` files.
Only the command line knows ``fixtures/``: the library is handed paths.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from extractor.fetch.params import CONTACT_ENV, DEFAULT_API_URL

if TYPE_CHECKING:
    from extractor.fetch.client import Fetcher
    from extractor.models import Source

__all__ = [
    "DEFAULT_TITLE",
    "EXIT_CHANGED",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "FIXTURES",
    "RECORDINGS",
    "SEED_RECORDING",
    "SEED_TITLE",
    "Parser",
    "add_fetch_options",
    "add_lock_timeout",
    "configure_output",
    "fetcher_from_args",
    "load_snapshot",
    "non_negative_int",
    "note",
    "positive_int",
]

# The exit codes (see extractor.cli). Defined here, not in extractor.cli, because every command
# module needs them and extractor.cli imports the command modules: this way nothing imports back.
EXIT_OK = 0
#: ``check --exit-code`` and ``diff``: the data differs.
EXIT_CHANGED = 1
#: Any error: a usage error, an ExtractorError, an OSError, or a batch in which an article failed.
EXIT_ERROR = 2
#: Ctrl-C (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

SEED_TITLE = "Foreign relations of Kyrgyzstan"
#: The article a command reads when given no ``--title``.
DEFAULT_TITLE = SEED_TITLE
#: The repository's fixtures folder (the snapshot ships with a clone, not with a wheel).
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
RECORDINGS = FIXTURES / "recordings"
#: What ``python -m extractor --offline`` replays when no ``--recording`` is given. The folder is
#: ``slugify(SEED_TITLE)``, written out so that ``--help`` need not import the exporter (a test
#: checks that the two agree).
SEED_RECORDING = RECORDINGS / "foreign-relations-of-kyrgyzstan"


class Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2 like every other error.

    Every command gets ``-v/--verbose`` and ``-q/--quiet`` here, and its parsed arguments set
    what reaches stderr (:func:`configure_output`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        talk = self.add_mutually_exclusive_group()
        talk.add_argument(
            "-v", "--verbose", action="count", default=0, help="say more on stderr: every request and every wait"
        )
        talk.add_argument(
            "-q", "--quiet", action="store_true", help="only errors on stderr: no progress, waits or summaries"
        )

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """Parse, then let ``-v``/``-q`` decide what the library's messages show (see :func:`configure_output`)."""
        parsed, rest = super().parse_known_args(args, namespace)
        configure_output(parsed)
        return parsed, rest

    def error(self, message: str) -> NoReturn:
        """Print ``PROG: error: MESSAGE (see --help)`` on stderr and exit with :data:`EXIT_ERROR`."""
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message} (see --help)\n")


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (tests capture it), one message a line."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(self.format(record) + "\n")


def configure_output(args: argparse.Namespace) -> None:
    """What the library logs (logger ``extractor``) reaches stderr: warnings by default — every
    wait of more than 2 s, with why — ``-v`` adds every request and every wait, ``-q`` leaves errors only."""
    logger = logging.getLogger("extractor")
    logger.handlers = [h for h in logger.handlers if not isinstance(h, _StderrHandler)]
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    verbose, quiet = getattr(args, "verbose", 0), getattr(args, "quiet", False)
    logger.setLevel(
        logging.ERROR if quiet else logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    )


def note(args: argparse.Namespace, text: str) -> None:
    """An informational line on stderr (what was written, what was replayed), unless ``-q``."""
    if not getattr(args, "quiet", False):
        print(text, file=sys.stderr)


def non_negative_int(text: str) -> int:
    """An argparse type: a whole number written in ASCII digits (``int()`` would take ``+5``, ``٥``)."""
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}")
    return int(text)


def positive_int(text: str) -> int:
    """An argparse type: like :func:`non_negative_int`, but not 0."""
    value = non_negative_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text!r}")
    return value


def add_lock_timeout(parser: argparse.ArgumentParser) -> None:
    """Declare ``--lock-timeout S``, shared by every command that writes into an output folder."""
    parser.add_argument(
        "--lock-timeout",
        metavar="S",
        type=positive_int,
        default=300,
        help="seconds to wait for another run writing the same --out before giving up (300)",
    )


def add_fetch_options(
    parser: argparse.ArgumentParser, *, title: str = "fetching", replay: bool = False
) -> argparse._ArgumentGroup:
    """Declare the fetch options in a group titled ``title``; return the group for more options.

    With ``replay`` also ``--record DIR`` and ``--recording DIR`` (the command declares its own
    ``--offline`` beside its other sources). Without, they default to off, so that
    :func:`fetcher_from_args` reads every command's arguments alike.
    """
    group = parser.add_argument_group(title)
    add = group.add_argument
    add("--api-url", metavar="URL", default=DEFAULT_API_URL, help=f"a wiki's api.php (default: {DEFAULT_API_URL})")
    add(
        "--contact",
        metavar="C",
        help=f"your e-mail or URL, put in the User-Agent (or set {CONTACT_ENV}); "
        "Wikimedia wikis need it or --user-agent",
    )
    add("--user-agent", metavar="UA", help="the whole User-Agent header instead of the default")
    add("--max-retries", metavar="N", type=non_negative_int, default=5, help="retries of a failing request (5)")
    add(
        "--max-bytes",
        metavar="N",
        type=positive_int,
        default=20 * 2**20,
        help="refuse an input file or an answer over N bytes (default 20971520, 20 MiB)",
    )
    add(
        "--deadline",
        metavar="S",
        type=positive_int,
        default=120,
        help="seconds one request may take in all, connection, headers and whole body, before it is retried (120)",
    )
    if replay:
        add("--record", metavar="DIR", type=Path, help="store the answers and their requests in DIR")
        add(
            "--recording",
            metavar="DIR",
            type=Path,
            help="replay the recording in DIR (implies --offline; default: fixtures/recordings/<seed>)",
        )
    else:
        parser.set_defaults(offline=False, record=None, recording=None)
    return group


def fetcher_from_args(args: argparse.Namespace) -> Fetcher:
    """The one fetcher the arguments ask for: a replay (``--offline``, ``--recording``), else live.

    Live, it records with ``--record``. The arguments must come from a parser given
    :func:`add_fetch_options`. Raises :class:`~extractor.errors.FetchError` (no contact for a
    Wikimedia wiki, a bad API URL) or :class:`~extractor.errors.RecordingError`.
    """
    # Local: requests loads only when something is fetched, never for --help or --input.
    from extractor.fetch.client import Fetcher

    if args.offline or args.recording is not None:
        return Fetcher(replay_dir=args.recording or SEED_RECORDING)
    return Fetcher(
        api_url=args.api_url,
        user_agent=args.user_agent,
        contact=args.contact,
        max_retries=args.max_retries,
        record_dir=args.record,
        deadline=float(args.deadline),
        max_response_bytes=args.max_bytes,
    )


def load_snapshot(title: str = SEED_TITLE, directory: Path = SEED_RECORDING) -> tuple[str, Source]:
    """The recorded wikitext of ``title`` and its source; :class:`RecordingError` when not recorded."""
    from extractor.fetch.client import Fetcher  # local, as in fetcher_from_args

    with Fetcher(replay_dir=directory) as fetcher:
        page = fetcher.fetch_wikitext(title)
    return page.content, page.source
