"""Country codes from the optional ``country_converter`` package (the ``codes`` extra).

``country_converter`` (coco) is GPL-3.0 and this project MIT, so it is never a requirement and
its data is never copied into the project: with ``pip install 'frx-extractor[codes]'`` its table
is read where pip installed it, and without it every lookup here answers "unknown" (``None``,
an empty table) and nothing fails. What it gives:

* ``GWcode``: the Gleditsch–Ward code of a state, which ``all/entities.csv`` writes as ``gw_code``;
* ``UNmember``, ``IOC``, ``FIFA``: used only by the tests, to cross-check the project's own
  reviewed ``data/un_members.csv`` and ``data/sport-codes.csv``.

Why its data file and not ``CountryConverter().data`` or ``convert(..., to="GWcode")``: coco
1.3.2's constructor raises ``TypeError`` under pandas 3 (its NA handling turns Namibia's ISO2
"NA" into a missing value, then compiles it as a regex), and the pandas the ``test`` and
``pandas`` extras install is 3.x; building it also imports pandas and compiles a regex for each
of its ~250 rows, for what is a lookup by ISO code. ``country_data.tsv`` is the table that constructor
loads; it is read in place, once, with the standard library, keeping what the constructor keeps
by default (rows not marked ``obsolete``; an empty cell is unknown).
"""

from __future__ import annotations

import csv
import importlib.util
from functools import cache
from pathlib import Path

__all__ = ["CONVERTER_PACKAGE", "converter_rows", "gw_code", "gw_codes"]

#: The import name of the optional package (the distribution is ``country_converter``).
CONVERTER_PACKAGE = "country_converter"
_DATA_FILE = "country_data.tsv"
# The columns read; the others (regexes, other classifications) are not needed here.
_COLUMNS = ("ISO3", "GWcode", "UNmember", "IOC", "FIFA")


def _data_file() -> Path | None:
    """Where the installed package keeps its table, found without importing it (that imports pandas)."""
    spec = importlib.util.find_spec(CONVERTER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / _DATA_FILE
        if path.is_file():
            return path
    return None


@cache
def converter_rows() -> dict[str, dict[str, str]]:
    """ISO 3166-1 alpha-3 → coco's ``GWcode``, ``UNmember``, ``IOC``, ``FIFA`` (filled cells only).

    Empty when ``country_converter`` is not installed. A code coco lists twice keeps its first row.
    """
    path = _data_file()
    if path is None:
        return {}
    table: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            iso3 = (row.get("ISO3") or "").strip()
            if not iso3 or (row.get("obsolete") or "").strip() or iso3 in table:
                continue
            # A short line leaves its last cells None; an empty cell is unknown, as in coco.
            table[iso3] = {name: value.strip() for name in _COLUMNS[1:] if (value := row.get(name) or "").strip()}
    return table


@cache
def gw_codes() -> dict[str, int]:
    """ISO 3166-1 alpha-3 (and Kosovo's ``XKX``, as coco writes it) → Gleditsch–Ward code; empty without coco."""
    codes: dict[str, int] = {}
    for iso3, row in converter_rows().items():
        value = row.get("GWcode", "")
        # coco writes integers, sometimes as floats ("2.0"); anything else is not a code.
        try:
            number = float(value)
        except ValueError:
            continue
        if number.is_integer() and number >= 0:
            codes[iso3] = int(number)
    return codes


def gw_code(iso3: str | None) -> int | None:
    """The Gleditsch–Ward code of a state by its ISO code; ``None`` when unknown or without coco.

    >>> gw_code(None) is None
    True
    """
    return gw_codes().get(iso3) if iso3 else None
