"""Benchmark: the extractor against the parsing library it stands on, measured in the same run.

Prints median times and their ratio (target in brackets). Ratios, not absolute times, are what
to compare between machines and commits. Not a test: run it by hand or in CI logs:

    python scripts/benchmark.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import mwparserfromhell

from extractor import extract_wikitext, make_source

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CURRENT = CORPUS / "Foreign_relations_of_Kyrgyzstan.wikitext"


def median_seconds(function: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``repeat`` calls (after one warm-up call)."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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
    ours = median_seconds(lambda: extract_wikitext(text, source), repeat)
    baseline = median_seconds(lambda: mwparserfromhell.parse(text), repeat)
    report("wikitext extraction (current article)", ours, baseline, "mwparserfromhell.parse", 1.5)


def main() -> int:
    """Run every benchmark section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per measurement (median)")
    args = parser.parse_args()
    if not CURRENT.exists():
        print(f"benchmark needs {CURRENT} (../shared beside the checkout)", file=sys.stderr)
        return 2
    bench_wikitext(args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
