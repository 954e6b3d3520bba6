"""What a cell says, read the same way by both parsers once its text is rendered.

The wikitext renderer and the HTML walk each turn a cell into the text a reader sees; from that
text on, the date and the notes are read here, once, so that both parsers give the same values.
"""

from __future__ import annotations

import re

from extractor.dates import parse_date_text
from extractor.models import EstablishedDate
from extractor.text import BULLET, clean_spaces

__all__ = ["date_from_text", "split_notes"]


def date_from_text(shown: str) -> EstablishedDate:
    """A date cell's text as a reader sees it, read into a date at its precision (or left unread)."""
    parsed = parse_date_text(shown)
    if parsed is None:
        return EstablishedDate(raw=shown)
    return EstablishedDate(
        raw=shown,
        iso=parsed.iso,
        precision=parsed.precision,  # type: ignore[arg-type]
        year=parsed.year,
        month=parsed.month,
        day=parsed.day,
    )


def split_notes(text: str, main_article: str | None) -> tuple[str | None, list[str]]:
    """Notes text (bullets as ``• item`` lines) and its bullet items, "See X" line removed."""
    lines: list[str] = []
    items: list[str] = []
    for raw_line in text.replace(BULLET, "\n" + BULLET).splitlines():
        is_item = raw_line.lstrip().startswith(BULLET)
        line = clean_spaces(raw_line.replace(BULLET, " "))
        if not line:
            continue
        if main_article and not lines and re.fullmatch(r"See:? .+", line) and not is_item:
            continue
        if is_item:
            items.append(line)
            # U+2022, not "- ": a CSV cell starting with "-" is a formula to a spreadsheet (OWASP).
            lines.append(f"\u2022 {line}")
        else:
            lines.append(line)
    return ("\n".join(lines) or None), items
