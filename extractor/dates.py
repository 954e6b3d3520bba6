"""Dates as relation tables write them, read into ISO 8601 at their precision.

Plain text ("6 October 1992", "January 1993", "1992", "Jan. 29, 1992", "1992-10-06") goes through
:func:`parse_date_text`; the date templates of English Wikipedia (``{{dts}}``, ``{{start date}}``,
``{{Date table sorting}}``) are read from their parameters by :func:`parse_date_parts`, because
their display text depends on formatting options we do not want to re-implement.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

__all__ = ["ParsedDate", "parse_date_parts", "parse_date_text"]

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9

_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{3,4})"
_PATTERNS = [
    re.compile(rf"^{_DAY}\s+{_MONTH},?\s+{_YEAR}$"),  # 6 October 1992
    re.compile(rf"^{_MONTH}\s+{_DAY},?\s+{_YEAR}$"),  # October 6, 1992 / Jan. 29, 1992
    re.compile(rf"^{_MONTH},?\s+{_YEAR}$"),  # January 1993
    re.compile(rf"^{_YEAR}-(?P<nmonth>\d{{1,2}})-(?P<day>\d{{1,2}})$"),  # 1992-10-06
    re.compile(rf"^{_YEAR}-(?P<nmonth>\d{{1,2}})$"),  # 1992-10
    re.compile(rf"^{_YEAR}$"),  # 1992
]
# Words around a date that do not change it ("c. 1992" is still the year 1992, but approximate).
_NOISE = re.compile(r"^(?:c\.|ca\.|circa|on|in|since|from)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class ParsedDate:
    """A calendar date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``."""
        return "day" if self.day is not None else "month" if self.month is not None else "year"

    @property
    def iso(self) -> str:
        """ISO 8601 at the date's precision: ``1992-10-06``, ``1993-01`` or ``1992``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def agrees_with(self, other: ParsedDate) -> bool:
        """True when both dates are equal at the coarser of their two precisions."""
        if self.year != other.year:
            return False
        if self.month is None or other.month is None:
            return True
        if self.month != other.month:
            return False
        return self.day is None or other.day is None or self.day == other.day


def _month_number(word: str) -> int | None:
    return _MONTHS.get(word.lower().rstrip("."))


def _valid(year: int, month: int | None, day: int | None) -> ParsedDate | None:
    if not 1 <= year <= 2999:
        return None
    if month is None:
        return ParsedDate(year) if day is None else None
    if not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return ParsedDate(year, month, day)


def parse_date_text(text: str) -> ParsedDate | None:
    """Read a date from plain text as a reader sees it; ``None`` when it is not one date.

    >>> parse_date_text("Jan. 29, 1992").iso
    '1992-01-29'
    """
    cleaned = " ".join(text.replace("\u00a0", " ").split()).strip(" .,;")
    cleaned = _NOISE.sub("", cleaned)
    for pattern in _PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        groups = match.groupdict()
        year = int(groups["year"])
        if groups.get("nmonth"):
            month: int | None = int(groups["nmonth"])
        elif groups.get("month"):
            month = _month_number(groups["month"])
            if month is None:
                continue
        else:
            month = None
        day = int(groups["day"]) if groups.get("day") else None
        return _valid(year, month, day)
    return None


def parse_date_parts(parts: list[str]) -> ParsedDate | None:
    """Read the positional parameters of a date template.

    Accepts ``[year, month, day]`` in numbers or month names (``{{dts|1992|10|6}}``,
    ``{{dts|1992|October|6}}``), a prefix of it (``{{start date|1993|1}}``), or one text date
    (``{{dts|6 October 1992}}``, ``{{dts|1992-10-06}}``).
    """
    values = [part.strip() for part in parts if part.strip()]
    if not values:
        return None
    if len(values) == 1:
        return parse_date_text(values[0])
    if not re.fullmatch(r"-?\d{1,4}", values[0]):
        return parse_date_text(" ".join(values))
    year = int(values[0])
    month: int | None = None
    day: int | None = None
    if len(values) >= 2:
        month = int(values[1]) if values[1].isdigit() else _month_number(values[1])
        if month is None:
            return None
    if len(values) >= 3:
        if not values[2].isdigit():
            return None
        day = int(values[2])
    return _valid(year, month, day)
