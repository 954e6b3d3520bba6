"""A realistic edit history made from one article: each revision changes one table cell or one paragraph.

Shared by the history tests and ``scripts/benchmark.py`` (the incremental extraction is timed and
checked on the same revisions). Deterministic: the same seed gives the same revisions.
"""

from __future__ import annotations

import random
import re

__all__ = ["realistic_history"]

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-2]\d)\b")


def _kinds(lines: list[str]) -> tuple[list[int], list[int]]:
    """The indexes of table-cell lines and of prose lines."""
    cells, prose = [], []
    depth = 0
    for index, line in enumerate(lines):
        if line.startswith("{|"):
            depth += 1
        elif line.startswith("|}"):
            depth -= 1
        elif depth > 0 and line.startswith("|") and not line.startswith(("|-", "|+")):
            cells.append(index)
        elif depth == 0 and line and not line.startswith(("=", "{", "|", "!", "<", "[[Category", "*", "#", "}")):
            prose.append(index)
    return cells, prose


def realistic_history(text: str, count: int, seed: int = 13) -> list[str]:
    """``count`` revisions: ``text``, then each the one before with one cell or one paragraph edited."""
    chooser = random.Random(seed)
    revisions = [text]
    lines = text.split("\n")
    for number in range(1, count):
        cells, prose = _kinds(lines)
        if prose and (not cells or chooser.random() < 0.4):
            index = chooser.choice(prose)
            lines[index] = f"{lines[index]} A sentence added in revision {number}."
        else:
            index = chooser.choice(cells)
            years = list(_YEAR.finditer(lines[index]))
            if years and chooser.random() < 0.6:  # a date corrected
                year = chooser.choice(years)
                lines[index] = f"{lines[index][: year.start()]}{int(year.group(0)) + 1}{lines[index][year.end() :]}"
            else:  # a note or a remark written into the cell
                lines[index] = f"{lines[index]} edited in revision {number}"
        revisions.append("\n".join(lines))
    return revisions
