"""Benchmark: the extractor against the parsing library it stands on, measured in the same run.

Prints median times and their ratio (target in brackets). Ratios, not absolute times, are what
to compare between machines and commits. Not a test: run it by hand or in CI logs:

    python scripts/benchmark.py [--repeat N]
"""

from __future__ import annotations

import argparse
import functools
import gc
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import mwparserfromhell

from extractor import extract_wikitext, make_source

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CURRENT = CORPUS / "Foreign_relations_of_Kyrgyzstan.wikitext"
# The seed revision as the test MediaWiki renders it (scripts/render_html_fixtures.py).
HTML_FIXTURES = {
    "legacy": ROOT / "fixtures" / "html" / "foreign-relations-of-kyrgyzstan.seed.legacy.html",
    "parsoid": ROOT / "fixtures" / "html" / "foreign-relations-of-kyrgyzstan.seed.parsoid.html",
}


def paired_medians(functions: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median wall time of each function over ``repeat`` rounds (after a warm-up round).

    Each round calls every function once, in an order that alternates from round to round: a
    machine whose load changes during the run slows them alike, where timed one after the other
    (all of one, then all of the other) a busy minute moved a ratio by a tenth.
    """
    for function in functions.values():
        function()
    times: dict[str, list[float]] = {name: [] for name in functions}
    items = list(functions.items())
    for round_number in range(repeat):
        for name, function in items if round_number % 2 == 0 else reversed(items):
            start = time.perf_counter()
            function()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def report(name: str, ours: float, baseline: float, baseline_name: str, target: float) -> None:
    """One line: both medians and the ratio against its target."""
    ratio = ours / baseline
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(
        f"{name}: {ours * 1000:.1f} ms vs {baseline_name} {baseline * 1000:.1f} ms "
        f"-> ratio {ratio:.2f}x (target <= {target}x, {verdict})"
    )


def bench_wikitext(repeat: int) -> None:
    """Full extraction of the current article vs ``mwparserfromhell.parse`` on the same text."""
    text = CURRENT.read_text(encoding="utf-8")
    source = make_source("Foreign relations of Kyrgyzstan", obtained="file")
    times = paired_medians(
        {
            "ours": lambda: extract_wikitext(text, source),
            "baseline": lambda: mwparserfromhell.parse(text),
            # parse_wikitext pauses the cyclic garbage collector, which also speeds up
            # mwparserfromhell's own tree building; the same baseline with the collector paused
            # shows what our code costs.
            "paused": lambda: _without_gc(lambda: mwparserfromhell.parse(text)),
        },
        repeat,
    )
    ours = times["ours"]
    report("wikitext extraction (current article)", ours, times["baseline"], "mwparserfromhell.parse", 1.3)  # issue #11
    report("  the same, baseline with gc paused", ours, times["paused"], "mwparserfromhell.parse", 1.3)


def _without_gc(function: Callable[[], object]) -> object:
    gc.disable()
    try:
        return function()
    finally:
        gc.enable()


def bench_html(repeat: int) -> None:
    """HTML extraction (parse_html + merge) vs ``BeautifulSoup(html, "lxml")`` alone, per flavour."""
    from bs4 import BeautifulSoup

    from extractor.merge import merge_rows
    from extractor.parse.html.walk import parse_html

    def extract(html: str) -> object:
        return merge_rows(parse_html(html).rows)

    for flavour, path in HTML_FIXTURES.items():
        html = path.read_text(encoding="utf-8")
        # partial binds this flavour's html now (a closure would see the loop variable), typed
        times = paired_medians(
            {"ours": functools.partial(extract, html), "baseline": functools.partial(BeautifulSoup, html, "lxml")},
            repeat,
        )
        ours, baseline = times["ours"], times["baseline"]
        report(f"HTML extraction ({flavour}, seed)", ours, baseline, 'BeautifulSoup(html, "lxml")', 1.5)


def bench_batch(repeat: int) -> None:
    """The batch over the whole corpus (both cores) vs the summed ``mwparserfromhell.parse`` of its files."""
    import tempfile

    from extractor.batch import extract_folder

    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.wikitext"))]

    def parse_all() -> None:
        for text in texts:
            mwparserfromhell.parse(text)

    with tempfile.TemporaryDirectory() as out:
        times = paired_medians({"ours": lambda: extract_folder(CORPUS, Path(out)), "baseline": parse_all}, repeat)
    ours, baseline = times["ours"], times["baseline"]
    name = f"batch over the corpus ({len(texts)} articles)"
    report(name, ours, baseline, "sum of mwparserfromhell.parse", 1.2)


def bench_history(revisions: int = 200) -> None:
    """``history``'s incremental extraction of 200 edited revisions vs 200 full extractions, same run.

    The revisions are the current article with one cell or one paragraph edited each
    (tests/history_edits.py); the results must be equal, and are checked.
    """
    sys.path.insert(0, str(ROOT))  # tests/ is not installed; the edit generator lives there
    from extractor.history.incremental import IncrementalExtractor
    from tests.history_edits import realistic_history

    texts = realistic_history(CURRENT.read_text(encoding="utf-8"), revisions)
    source = make_source("Foreign relations of Kyrgyzstan", obtained="file")
    extractor = IncrementalExtractor()
    full, incremental = [], []
    baseline = ours = 0.0
    # Revision by revision, the two alternate: a machine busy with other work slows both alike
    # (timed one after the other, a change of load between the two halves moved the ratio by half).
    for text in texts:
        start = time.perf_counter()
        full.append(extract_wikitext(text, source))
        baseline += time.perf_counter() - start
        start = time.perf_counter()
        incremental.append(extractor.extract(text, source))
        ours += time.perf_counter() - start
    if incremental != full:
        print("history: the incremental extraction differs from the full one", file=sys.stderr)
    report(f"history: {revisions} edited revisions, incremental", ours, baseline, f"{revisions} full extractions", 0.25)


def bench_startup(runs: int = 10) -> None:
    """``python -m extractor --help`` vs ``python -c pass``, as fresh processes: the help is instant.

    The two alternate, run by run, so that a busy machine slows both alike.
    """
    commands = {
        "help": [sys.executable, "-m", "extractor", "--help"],
        "pass": [sys.executable, "-c", "pass"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs + 1):  # the first round warms the file cache and is dropped
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    help_time, pass_time = (statistics.median(times[name][1:]) for name in commands)
    report("python -m extractor --help (start-up)", help_time, pass_time, "python -c pass", 3.0)


_PEAK = """
import resource, sys
from pathlib import Path
from extractor import extract_wikitext, make_source
from extractor.export.dataset import dataset_files
path = Path(sys.argv[1])
title = path.stem.replace("_", " ")
dataset_files(extract_wikitext(path.read_text(encoding="utf-8"), make_source(title, obtained="file")))
# This process's own peak (VmHWM, KiB): on Linux ru_maxrss survives exec(), so a child forked from
# a benchmark that has grown large would report the parent's size.
status = Path("/proc/self/status")
if status.exists():
    print(next(line.split()[1] for line in status.read_text().splitlines() if line.startswith("VmHWM:")))
else:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def bench_memory(limit_mb: float = 300.0) -> None:
    """Peak memory (RSS, a fresh process) of extracting and exporting the largest corpus article."""
    largest = max(CORPUS.glob("*.wikitext"), key=lambda p: p.stat().st_size)
    result = subprocess.run(
        [sys.executable, "-c", _PEAK, str(largest)], cwd=ROOT, check=True, capture_output=True, text=True
    )
    peak_mb = int(result.stdout.split()[-1]) / 1024  # KiB, both ways, on Linux
    verdict = "ok" if peak_mb <= limit_mb else "OVER"
    print(f"{'peak memory, ' + largest.stem:<45} {peak_mb:8.0f} MB   [target <= {limit_mb:.0f} MB] {verdict}")


def main() -> int:
    """Run every benchmark section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per measurement (median)")
    args = parser.parse_args()
    if not CURRENT.exists():
        print(f"benchmark needs {CURRENT} (../shared beside the checkout)", file=sys.stderr)
        return 2
    bench_wikitext(args.repeat)
    bench_html(args.repeat)
    bench_batch(min(args.repeat, 3))  # seconds per run: a few runs give a stable median
    bench_history()
    bench_startup()
    bench_memory()
    return 0


if __name__ == "__main__":
    sys.exit(main())
