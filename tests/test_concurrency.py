"""Runs writing into one output folder take turns: one lock per folder, held from staging to swap."""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import filelock

from extractor.atomic import TEMP_PREFIX, lock_path, output_lock
from extractor.export.dataset import dataset_files, write_dataset
from extractor.extract import extract_wikitext
from extractor.source import make_source

if TYPE_CHECKING:
    from tests.support import CliResult

TITLE = "Foreign relations of Testland"
SLUG = "foreign-relations-of-testland"


def table(*countries: str) -> str:
    rows = "".join(f"|-\n| {{{{flag|{c}}}}} || 1992\n" for c in countries)
    return f'{{| class="wikitable"\n! Country !! Formal relations began\n{rows}|}}\n'


def _run(args: list[str], log: str) -> None:  # pragma: no cover - runs in a forked child
    with open(log, "w", encoding="utf-8") as stream:
        os.dup2(stream.fileno(), 2)
        sys.stderr = stream
        from extractor.cli import main

        os._exit(main(args))


def test_a_second_run_waits_then_exits_2_naming_the_lock(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    """While another holds the folder's lock, a run waits --lock-timeout seconds, then one line naming it."""
    source = tmp_path / "Foreign_relations_of_Testland.wikitext"
    source.write_text(table("Chile"), encoding="utf-8")
    out = tmp_path / "out"
    other = filelock.FileLock(lock_path(out))
    with other:
        started = time.monotonic()
        result = run_cli("--input", str(source), "--out", str(out), "--lock-timeout", "1")
        assert 1 <= time.monotonic() - started < 10
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {lock_path(out)}: another run is writing {out} (waited 1 s for its lock);"
        " wait longer with --lock-timeout\n"
    )
    assert not (out / SLUG).exists()


def test_leftovers_are_removed_only_when_older_than_the_lock(tmp_path: Path) -> None:
    """The lock holder removes a killed run's staging folder, never one made since it took the lock."""
    out = tmp_path / "out"
    out.mkdir()
    old = out / f"{TEMP_PREFIX}{SLUG}.killed"
    old.mkdir()
    os.utime(old, (time.time() - 60, time.time() - 60))
    with output_lock(out):
        young = out / f"{TEMP_PREFIX}{SLUG}.live"
        young.mkdir()
        write_dataset(extract_wikitext(table("Chile"), make_source(TITLE, obtained="file")), out)
    assert not old.exists() and young.exists()


def test_without_the_lock_nothing_is_removed(tmp_path: Path) -> None:
    """A leftover is not touched by a writer that does not hold the folder's lock (the library below write_dataset)."""
    from extractor.atomic import staging_directory

    out = tmp_path / "out"
    out.mkdir()
    other = out / f"{TEMP_PREFIX}{SLUG}.other"
    other.mkdir()
    os.utime(other, (time.time() - 60, time.time() - 60))
    with staging_directory(out / SLUG):
        pass
    assert other.exists()


def test_two_runs_started_together_thirty_times_never_break_the_dataset(tmp_path: Path) -> None:
    """30 rounds of two runs into one --out: each exits 0 (one after the other) or 2 naming the lock,
    and after every round the folder holds one complete dataset and no leftover."""
    sources = []
    for name, countries in (("a", ("Chile", "Peru")), ("b", ("Chad", "Laos", "Fiji"))):
        folder = tmp_path / name
        folder.mkdir()
        path = folder / "Foreign_relations_of_Testland.wikitext"
        path.write_text(table(*countries), encoding="utf-8")
        sources.append(path)
    out = tmp_path / "out"
    # Every file a dataset has (whatever columns and files it grows), from an extraction of nothing.
    complete = set(dataset_files(extract_wikitext("", make_source("X", obtained="file"))))
    fork = multiprocessing.get_context("fork")
    started = time.monotonic()
    for round_ in range(30):
        logs = [tmp_path / f"log-{round_}-{i}" for i in range(2)]
        runs = [
            fork.Process(target=_run, args=(["--input", str(s), "--out", str(out), "--lock-timeout", "20"], str(log)))
            for s, log in zip(sources, logs, strict=True)
        ]
        for run in runs:
            run.start()
        for run in runs:
            run.join(60)
        for run, log in zip(runs, logs, strict=True):
            text = log.read_text(encoding="utf-8")
            assert run.exitcode == 0 or (run.exitcode == 2 and "lock" in text), (round_, run.exitcode, text)
        assert {p.name for p in (out / SLUG).iterdir()} == complete, round_
        lines = (out / SLUG / "relations.csv").read_text(encoding="utf-8").count("\n")
        assert lines in (3, 4), round_
        assert [p.name for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)] == [], round_
    assert time.monotonic() - started < 120
