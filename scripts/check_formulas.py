#!/usr/bin/env python3
"""Open written CSV files in LibreOffice (headless) and assert that no cell became a formula.

    python scripts/check_formulas.py OUT_DIR [--soffice PATH]

Every ``*.csv`` under ``OUT_DIR`` is converted to flat ODS (``soffice --headless --convert-to
fods``) with the CSV filter set to evaluate formulas, as a user opening the file would; a cell
read as a formula carries ``table:formula=`` in the result. Prints each formula cell found and
exits 1 if any (0 when none, 2 when LibreOffice is missing). Not run by the suite or by CI
(LibreOffice is too large to install there); ``tests/test_csv_formulas.py`` tests the rule itself.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# CSV filter: comma, double quote, UTF-8 (76), from line 1, standard cells, default language,
# quoted fields as text off, detect special numbers on, ..., token 13 "evaluate formulas" on.
CSV_FILTER = "CSV Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1,true"
FORMULA = re.compile(r'table:formula="([^"]*)"')


def formulas(csv_files: list[Path], soffice: str, work: Path) -> dict[Path, list[str]]:
    """The formulas LibreOffice reads in each of ``csv_files`` (one LibreOffice start for all)."""
    found: dict[Path, list[str]] = {}
    for number, csv_file in enumerate(csv_files):
        # Distinct names: many folders hold a relations.csv, and LibreOffice names outputs by stem.
        copy = work / f"{number:05d}.csv"
        shutil.copyfile(csv_file, copy)
    command = [soffice, "--headless", f"--infilter={CSV_FILTER}", "--convert-to", "fods", "--outdir", str(work)]
    names = [str(work / f"{n:05d}.csv") for n in range(len(csv_files))]
    subprocess.run([*command, *names], check=True, capture_output=True, timeout=3600)
    for number, csv_file in enumerate(csv_files):
        converted = work / f"{number:05d}.fods"
        if not converted.exists():  # LibreOffice now and then skips a file of a long list: alone, once more
            subprocess.run([*command, names[number]], check=True, capture_output=True, timeout=300)
        if not converted.exists():
            raise RuntimeError(f"{csv_file}: LibreOffice did not convert it")
        found[csv_file] = FORMULA.findall(converted.read_text(encoding="utf-8"))
    return found


def main() -> int:
    """Check every CSV under the folder; the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--soffice", default=shutil.which("libreoffice") or shutil.which("soffice"))
    args = parser.parse_args()
    if not args.soffice:
        print("LibreOffice (libreoffice or soffice) is not installed", file=sys.stderr)
        return 2
    files = sorted(args.out.rglob("*.csv"))
    bad = 0
    with tempfile.TemporaryDirectory() as work:
        try:
            results = formulas(files, args.soffice, Path(work))
        except (RuntimeError, subprocess.SubprocessError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        for csv_file, found in results.items():
            for formula in found:
                bad += 1
                print(f"{csv_file}: formula cell {formula[:80]!r}")
    print(f"{len(files)} CSV files, {bad} formula cells")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
