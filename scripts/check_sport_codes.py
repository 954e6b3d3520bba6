#!/usr/bin/env python3
"""Check extractor/data/sport-codes.csv: every row's ISO code exists (pycountry), no code repeats,
none is itself a current ISO 3166-1 alpha-3 code, and each names its source.

    python scripts/check_sport_codes.py      # exit 1 and one line per bad row when any is wrong
"""

from __future__ import annotations

import csv
import io
import sys
from importlib import resources
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

__all__ = ["problems"]

#: Codes outside ISO 3166-1 that the dataset uses on purpose (README: Kosovo's user-assigned code).
_USER_ASSIGNED = frozenset({"XKX"})


def problems(text: str) -> list[str]:
    """What is wrong with the file's rows, one line each (empty when every row is right)."""
    found: list[str] = []
    seen: set[str] = set()
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != ["code", "iso3", "source"]:
        return [f"header is {reader.fieldnames}, not ['code', 'iso3', 'source']"]
    for line, row in enumerate(reader, start=2):
        code, iso3, source = row["code"], row["iso3"], row["source"]
        if not (code.isupper() and code.isalpha() and 2 <= len(code) <= 5):
            found.append(f"line {line}: code {code!r} is not 2–5 capital letters")
        if code in seen:
            found.append(f"line {line}: code {code} repeats")
        seen.add(code)
        if pycountry.countries.get(alpha_3=code) is not None:
            found.append(f"line {line}: code {code} is an ISO 3166-1 code itself")
        if iso3 not in _USER_ASSIGNED and pycountry.countries.get(alpha_3=iso3) is None:
            found.append(f"line {line}: {code} → {iso3}: no such ISO 3166-1 alpha-3 code")
        if not source.strip():
            found.append(f"line {line}: {code} names no source")
    return found


def main() -> int:
    """Check the packaged file; print each problem."""
    text = resources.files("extractor").joinpath("data/sport-codes.csv").read_text(encoding="utf-8")
    found = problems(text)
    for problem in found:
        print(problem)
    print(f"sport-codes.csv: {len(found)} problem(s)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
