#!/usr/bin/env python3
"""Long fuzz runs over both parsers and the export, seeded from real corpus slices.

    python scripts/fuzz.py [--inputs N] [--seed S] [--corpus DIR]

Each input is a random slice of a corpus article (wikitext) or of the stored seed HTML, mutated
(tests/fuzzing.py), then parsed, merged and exported in memory. Prints the inputs tried, the
uncaught exceptions and the inputs that took over 5 s; exit 1 if any. Failing inputs are saved
under ``fuzz-failures/`` (repr of the text) to be replayed. The suite runs a short version of the
same thing (tests/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fuzzing import mutate, run_html, run_wikitext, slice_of  # noqa: E402

SLOW = 5.0


def main() -> int:
    """Run the fuzzer; exit 1 on any failure or slow input."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--failures", type=Path, default=ROOT / "fuzz-failures")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.corpus.glob("*.wikitext"))]
    htmls = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "fixtures" / "html").glob("*.html"))]
    if not texts:
        print(f"no .wikitext files in {args.corpus}", file=sys.stderr)
        return 2
    failures = slow = 0
    started = time.monotonic()
    for number in range(1, args.inputs + 1):
        as_html = rng.random() < 0.25
        text = mutate(slice_of(rng.choice(htmls if as_html else texts), rng), rng)
        begin = time.monotonic()
        try:
            (run_html if as_html else run_wikitext)(text)
        except Exception:
            failures += 1
            args.failures.mkdir(exist_ok=True)
            (args.failures / f"{number}.txt").write_text(
                f"{'html' if as_html else 'wikitext'}\n{text!r}\n{traceback.format_exc()}", encoding="utf-8"
            )
        if time.monotonic() - begin > SLOW:
            slow += 1
        if number % 5000 == 0 or number == args.inputs:
            print(
                f"{number} inputs tried, {failures} uncaught exceptions, {slow} over {SLOW:.0f} s"
                f" ({time.monotonic() - started:.0f} s)",
                flush=True,
            )
    return 1 if failures or slow else 0


if __name__ == "__main__":
    sys.exit(main())
