"""Dates as relation tables write them, read into ISO 8601 at their precision.

Plain text ("6 October 1992", "January 1993", "1992", "Jan. 29, 1992", "1992-10-06") goes through
:func:`parse_date_text`; the date templates of English Wikipedia (``{{dts}}``, ``{{start date}}``,
``{{Date table sorting}}``) are read from their parameters by :func:`parse_date_parts`, because
their display text depends on formatting options we do not want to re-implement.

A date cell often says more than a date: "8 April 1950, severed 1956, restored 1959",
"1960<br>1993 (reestablished)", "1824; 1849", "16 September 1941 – 22 December 1972". The column
is "formal relations *began*", so the date a cell starts with is the date relations began; what
follows it stays in the raw text. A cell that does not start with a date ("Unknown", "Before
1999", "1960s", "early 1960s", "22 January 1993 or before") is not read at all: guessing would put
a date in the dataset that the article does not give.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["Bounds", "ParsedDate", "approximate", "find_dates", "parse_bounds", "parse_date_parts", "parse_date_text"]

_MONTHS: dict[str, int] = {}
for _number in range(1, 13):
    _MONTHS[calendar.month_name[_number].lower()] = _number
    _MONTHS[calendar.month_abbr[_number].lower()] = _number
_MONTHS["sept"] = 9

_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{3,4})"
# What may follow a date inside a longer cell: the end, a space, or punctuation that is not the
# continuation of a number or word ("1950s" and "1992a" are not dates; "1992–1995", "1992;" are).
_END = r"(?=$|[\s,;:/()\[\]–—.-])(?!-\d{1,2}(?:$|[^\d]))"
# Forms, most specific first: the first form that matches decides (an impossible date such as
# "30 February 2015" is not read, rather than falling back to its year).
_FORMS = [
    re.compile(rf"{_DAY}\s+{_MONTH},?\s+{_YEAR}{_END}"),  # 6 October 1992
    re.compile(rf"{_MONTH}\s+{_DAY},?\s+{_YEAR}{_END}"),  # October 6, 1992 / Jan. 29, 1992
    re.compile(rf"{_MONTH},?\s+{_YEAR}{_END}"),  # January 1993
    re.compile(rf"{_YEAR}-(?P<nmonth>\d{{1,2}})-(?P<day>\d{{1,2}}){_END}"),  # 1992-10-06
    re.compile(rf"{_YEAR}-{_MONTH}-{_DAY}{_END}"),  # 1970-Apr-24
    re.compile(rf"{_YEAR}\s(?P<nmonth>\d{{2}})\s(?P<day>\d{{2}}){_END}"),  # 1991 09 06
    re.compile(rf"{_YEAR}-(?P<nmonth>\d{{1,2}}){_END}"),  # 1992-10
    re.compile(rf"(?P<first>\d{{1,2}})/(?P<second>\d{{1,2}})/{_YEAR}{_END}"),  # 7/1/1972
    re.compile(rf"{_YEAR}{_END}"),  # 1992
]
# Words before a date that do not change it ("c. 1992" is still the year 1992, but approximate).
_NOISE = re.compile(r"^(?:c\.|ca\.|circa|on|in|since|from)\s+", re.IGNORECASE)
# Words after a date that make it a bound, not the date.
_BOUND = re.compile(r"^[\s,]*(?:or|and)\s+(?:before|earlier|after|later)\b", re.IGNORECASE)


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
        return _iso(self.year, self.month, self.day)

    def agrees_with(self, other: ParsedDate) -> bool:
        """True when both dates are equal at the coarser of their two precisions."""
        if self.year != other.year:
            return False
        if self.month is None or other.month is None:
            return True
        if self.month != other.month:
            return False
        return self.day is None or other.day is None or self.day == other.day


# Pure: asked twice per dated row (the date, its event), for dates that recur across rows.
@lru_cache(maxsize=8192)
def _iso(year: int, month: int | None, day: int | None) -> str:
    text = f"{year:04d}"
    if month is not None:
        text += f"-{month:02d}"
        if day is not None:
            text += f"-{day:02d}"
    return text


def _month_number(word: str) -> int | None:
    return _MONTHS.get(word.lower().rstrip("."))


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in {4, 6, 9, 11} else 31


def _valid(year: int, month: int | None, day: int | None) -> ParsedDate | None:
    if not 1 <= year <= 2999:
        return None
    if month is None:
        return ParsedDate(year) if day is None else None
    if not 1 <= month <= 12:
        return None
    if day is not None and not 1 <= day <= _days_in(year, month):
        return None
    return ParsedDate(year, month, day)


def _slashed(first: int, second: int, year: int) -> ParsedDate | None:
    # 7/1/1972 is 7 January in most of the world and July 1 in the United States; only the year
    # is certain unless one number cannot be a month (or both are the same).
    if first > 12 or first == second:
        return _valid(year, second, first)
    if second > 12:
        return _valid(year, first, second)
    return _valid(year, None, None) if 1 <= first <= 12 and 1 <= second <= 12 else None


def _from_match(match: re.Match[str]) -> ParsedDate | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if groups.get("first"):
        return _slashed(int(groups["first"]), int(groups["second"]), year)
    if groups.get("nmonth"):
        month: int | None = int(groups["nmonth"])
    elif groups.get("month"):
        month = _month_number(groups["month"])
        if month is None:
            return None
    else:
        month = None
    day = int(groups["day"]) if groups.get("day") else None
    return _valid(year, month, day)


# Pure and its result frozen: a cell's date is read again from its rendered text (date, events,
# template parameters), and the same few thousand date texts recur across a batch's articles.
@lru_cache(maxsize=8192)
def parse_date_text(text: str) -> ParsedDate | None:
    """The date a cell's text starts with, as a reader sees it; ``None`` when it starts with none.

    Remarks after the date ("1964, severed 1993, restored 2001", "1960 1993 (reestablished)")
    do not change it; a cell that is not a date, or only a bound ("1993 or before"), gives ``None``.

    >>> parse_date_text("Jan. 29, 1992").iso, parse_date_text("1824; 1849").iso
    ('1992-01-29', '1824')
    >>> parse_date_text("Unknown"), parse_date_text("1960s")
    (None, None)
    """
    cleaned = " ".join(text.replace("\u00a0", " ").split()).strip(" .,;")
    cleaned = _NOISE.sub("", cleaned)
    for form in _FORMS:
        match = form.match(cleaned)
        if match is None:
            continue
        if _BOUND.match(cleaned[match.end() :]):
            return None
        return _from_match(match)
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


# ---------------------------------------------------------------------------- qualified dates

_APPROXIMATE = re.compile(r"^\s*(?:c\.|ca\.|circa|approx(?:\.|imately)?|about|around)\s*(?=\d|[A-Za-z]+\.?\s+\d)", re.I)
_BEFORE = re.compile(r"^\s*(?:before|prior to|by|until|not later than)\s+(?P<rest>.+)$", re.IGNORECASE)
_AFTER = re.compile(r"^\s*(?:after|not before|since after)\s+(?P<rest>.+)$", re.IGNORECASE)
_OR_BEFORE = re.compile(r"[\s,]*(?:or|and)\s+(?P<side>before|earlier|after|later)\b", re.IGNORECASE)
# "1960s", "the 1990s", "early 1960s", "late 1980s": the decade bounds it (the qualifier narrows it
# within the decade in ways we do not guess).
_DECADE = re.compile(r"^\s*(?:the\s+)?(?:(?:early|mid|late|mid-)\s*-?\s*)?(?P<decade>\d{3}0)s\b", re.IGNORECASE)


@dataclass(frozen=True)
class Bounds:
    """What a cell that gives no date still says about it: the earliest and latest it can be
    (ISO days, either may be unknown)."""

    not_before: str | None = None
    not_after: str | None = None


def _first_day(date: ParsedDate) -> datetime.date:
    return datetime.date(date.year, date.month or 1, date.day or 1)


def _last_day(date: ParsedDate) -> datetime.date:
    month = date.month or 12
    return datetime.date(date.year, month, date.day or _days_in(date.year, month))


def approximate(text: str) -> bool:
    """Whether a date is given as approximate ("c. 1990", "circa 1990", "about 1990").

    >>> approximate("c. 1990"), approximate("1990")
    (True, False)
    """
    return bool(_APPROXIMATE.match(text.replace("\u00a0", " ")))


def parse_bounds(text: str) -> Bounds | None:
    """The bounds a cell that is no date puts on one, or ``None`` when it says nothing.

    Only what the words say: "Before 1999" is at the latest 31 December 1998, "22 January 1993
    or before" at the latest that day, "1960s" within the decade. Nothing is guessed beyond.

    >>> parse_bounds("Before 1999"), parse_bounds("22 January 1993 or before")
    (Bounds(not_before=None, not_after='1998-12-31'), Bounds(not_before=None, not_after='1993-01-22'))
    >>> parse_bounds("1960s"), parse_bounds("Unknown")
    (Bounds(not_before='1960-01-01', not_after='1969-12-31'), None)
    """
    cleaned = " ".join(text.replace("\u00a0", " ").split()).strip(" .,;")
    try:
        before = _BEFORE.match(cleaned)
        if before is not None:
            date = parse_date_text(before.group("rest"))
            if date is not None:
                return Bounds(not_after=(_first_day(date) - datetime.timedelta(days=1)).isoformat())
        after = _AFTER.match(cleaned)
        if after is not None:
            date = parse_date_text(after.group("rest"))
            if date is not None:
                return Bounds(not_before=(_last_day(date) + datetime.timedelta(days=1)).isoformat())
        decade = _DECADE.match(cleaned)
        if decade is not None:
            start = int(decade.group("decade"))
            return Bounds(f"{start:04d}-01-01", f"{start + 9:04d}-12-31")
        for form in _FORMS:
            match = form.match(_NOISE.sub("", cleaned))
            if match is None:
                continue
            side = _OR_BEFORE.match(_NOISE.sub("", cleaned)[match.end() :])
            date = _from_match(match)
            if side is None or date is None:
                return None
            if side.group("side").lower() in ("before", "earlier"):
                return Bounds(not_after=_last_day(date).isoformat())
            return Bounds(not_before=_first_day(date).isoformat())
    except (ValueError, OverflowError):  # a date at the calendar's edge (year 1, 2999-12-31)
        return None
    return None


_DATE_START = re.compile(r"(?<![\w-])(?=\d|[A-Za-z]{3,9}\.?\s+\d)")


def find_dates(text: str) -> list[tuple[int, int, ParsedDate]]:
    """Every date written in a text, as (start, end, date), in order; bounds ("or before") are none.

    >>> [(d.iso) for _, _, d in find_dates("4 April 1960, severed 2 July 1973, restored 5 May 1996")]
    ['1960-04-04', '1973-07-02', '1996-05-05']
    """
    found: list[tuple[int, int, ParsedDate]] = []
    position = 0
    for start in _DATE_START.finditer(text):
        index = start.start()
        if index < position:
            continue
        for form in _FORMS:
            match = form.match(text, index)
            if match is None:
                continue
            date = _from_match(match)
            if date is not None and not _BOUND.match(text[match.end() :]):
                found.append((index, match.end(), date))
                position = match.end()
            break
    return found
