"""Command line: ``python -m extractor`` and its subcommands (check, diff, history, export, report).

A thin layer over the library, and the only part of the project that knows argparse or the
names of options: it parses arguments, calls the library, and turns every error into one line on
stderr. The exit codes (defined in :mod:`extractor.cli.options`, which every command uses):

- 0: done (for ``check`` and ``diff``: the data is the same);
- 1: the data changed (``check --exit-code``, ``diff``);
- 2: an error: a usage error, an :class:`~extractor.errors.ExtractorError`, an ``OSError``, or
  a batch in which an article failed;
- 130: interrupted (Ctrl-C).

Library errors name the *setting* that would fix them (``error.setting``); :func:`main` adds the
option that sets it. Each command module imports the library only when it runs, so that
``--help`` is instant.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from extractor.cli.check import run_check
from extractor.cli.diff import run_diff
from extractor.cli.export import run_export
from extractor.cli.extract import run_extract
from extractor.cli.history import run_history_command
from extractor.cli.options import EXIT_CHANGED, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK
from extractor.cli.report import run_report
from extractor.errors import ExtractorError
from extractor.fetch.params import CONTACT_ENV

__all__ = ["EXIT_CHANGED", "EXIT_ERROR", "EXIT_INTERRUPTED", "EXIT_OK", "main", "option_hint", "run"]

#: What to do about an error, by the setting that would fix it (``ExtractorError.setting``).
#: Each reads as the end of the error's line, after a semicolon.
_HINTS = {
    "contact": f"pass --contact EMAIL-OR-URL (or set {CONTACT_ENV}), or a whole --user-agent",
    "user_agent": "pass a whole --user-agent, or --contact EMAIL-OR-URL",
    "api_url": "the wiki is chosen with --api-url",
    "title": "the article is chosen with --title",
    "revision": "the revision is chosen with --revision",
    "recording": "the recording is chosen with --recording",
    "update": "create it with --update",
    "since": "the first revision is chosen with --since",
    "until": "the last revision is chosen with --until",
    "allow_shrink": "--allow-shrink to write it",
    "max_bytes": "raise it with --max-bytes",
    "lock_timeout": "wait longer with --lock-timeout",
}


def option_hint(setting: str) -> str:
    """The option (and how to use it) for a library setting; a setting not listed is named as its option."""
    return _HINTS.get(setting, f"see --{setting.replace('_', '-')}")


def _one_line(message: str) -> str:
    """An error message as one line: line breaks (a title or file name may hold one) shown escaped."""
    return message.replace("\r", "\\r").replace("\n", "\\n")


def _dispatch(arguments: list[str]) -> int:
    if arguments and arguments[0] == "check":
        return run_check(arguments[1:])
    if arguments and arguments[0] == "diff":
        return run_diff(arguments[1:])
    if arguments and arguments[0] == "history":
        return run_history_command(arguments[1:])
    if arguments and arguments[0] == "export":
        return run_export(arguments[1:])
    if arguments and arguments[0] == "report":
        return run_report(arguments[1:])
    return run_extract(arguments)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(arguments)
    except ExtractorError as error:
        hint = f"; {option_hint(error.setting)}" if error.setting else ""
        print(f"error: {_one_line(str(error))}{hint}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"error: {_one_line(f'{where}{error.strerror or error}')}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def run() -> NoReturn:
    """The process entry point (``python -m extractor``, the ``frx-extractor`` script): :func:`main`, then exit.

    An interrupted run leaves at once: CPython's process pool joins its manager thread at
    interpreter exit, and after Ctrl-C has stopped the workers that join can wait forever on a
    machine under load (seen in this suite). Everything the run keeps is written and its lock
    released by then, so only the buffered output is flushed first.
    """
    code = main()
    if code == EXIT_INTERRUPTED:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
