"""What a cell says, read the same way by both parsers once its text is rendered.

The wikitext renderer and the HTML walk each turn a cell into the text a reader sees; from that
text on, the date and the notes are read here, once, so that both parsers give the same values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractor.dates import ParsedDate, approximate, find_dates, parse_bounds, parse_date_text
from extractor.models import EventKind
from extractor.parse.document import CellDate
from extractor.text import BULLET, clean_spaces

__all__ = ["CellEvent", "date_from_text", "events_from_text", "remark_of", "split_notes"]

# What a word before or after a date says happened on it, most specific first ("re-established"
# is a restoration, not an establishment). Written for the verbs editors use, in any form.
_KINDS: tuple[tuple[EventKind, re.Pattern[str]], ...] = (
    ("restored", re.compile(r"\b(restor|resum|re-?establish|re-?instat|renew|re-?open|normali[sz]|re-?start)", re.I)),
    ("severed", re.compile(r"\b(sever|broke|broken|break|cut|ruptur|withdr[ae]w)", re.I)),
    ("suspended", re.compile(r"\b(suspen|froz|freez)", re.I)),
    ("ended", re.compile(r"\b(ended|ends?\b|terminat|ceas|dissol|lapsed|downgrad)", re.I)),
    ("recognized", re.compile(r"\b(recogni[sz])", re.I)),
    ("established", re.compile(r"\b(establish|began|begun|start|open|formali[sz]|initiat)", re.I)),
)
# A date after these words is a bound, not the date ("Before 1999", "by 1995").
_BOUND_WORD = re.compile(r"\b(before|after|prior to|by|until|no later than)\s*$", re.IGNORECASE)
_APPROX_WORD = re.compile(r"\b(c\.|ca\.|circa|approx(\.|imately)?|about|around)\s*$", re.IGNORECASE)
_PARENTHESES = re.compile(r"^\s*\(([^()]*)\)")
# The "See X" line once rendered: "See X", "(See X)", "see also X".
_SEE_TEXT = re.compile(r"\(?\s*[Ss]ee(?: also)?:? .+")
_REMARK = re.compile(r"\(([^()]+)\)")


@dataclass(frozen=True)
class CellEvent:
    """An event a cell's text gives, before the assembler says which table and cell it is in."""

    kind: EventKind
    raw: str
    date: ParsedDate | None = None
    not_before: str | None = None
    not_after: str | None = None
    approximate: bool = False


def _kind(text: str) -> EventKind | None:
    for kind, rule in _KINDS:
        if rule.search(text):
            return kind
    return None


def date_from_text(shown: str) -> CellDate:
    """A date cell's text as a reader sees it, read into a date at its precision (or left unread);
    a cell that gives no date may still bound it ("Before 1999", "1960s")."""
    parsed = parse_date_text(shown)
    if parsed is not None:
        return {
            "raw": shown,
            "iso": parsed.iso,
            "precision": parsed.precision,  # type: ignore[typeddict-item]
            "year": parsed.year,
            "month": parsed.month,
            "day": parsed.day,
            "not_before": None,
            "not_after": None,
            "approximate": approximate(shown),
        }
    bounds = parse_bounds(shown)
    return {
        "raw": shown,
        "iso": None,
        "precision": None,
        "year": None,
        "month": None,
        "day": None,
        "not_before": bounds.not_before if bounds else None,
        "not_after": bounds.not_after if bounds else None,
        "approximate": False,
    }


def events_from_text(text: str, first: EventKind | None) -> list[CellEvent]:
    """The events a cell's text gives, in the order written.

    Each date is the event its nearest words name (before it, or in parentheses just after it:
    "severed 2 July 1973", "1993 (reestablished)"); a date no word names is ``first`` when it is the
    cell's first (a column of when relations began says so), else not an event. A cell with no date
    may still bound one ("Before 1999") or name one without a date ("severed").

    >>> [(e.kind, e.date.iso if e.date else None) for e in events_from_text("1950, severed 1967", "established")]
    [('established', '1950'), ('severed', '1967')]
    """
    return list(_events_from_text(text, first))


# Pure, and its events frozen: the same cell texts ("1992", "6 October 1992") recur across the
# rows and articles of a batch and the revisions of a history.
@lru_cache(maxsize=8192)
def _events_from_text(text: str, first: EventKind | None) -> tuple[CellEvent, ...]:
    text = clean_spaces(text)
    events: list[CellEvent] = []
    dates = find_dates(text)
    cursor = 0
    for index, (start, end, date) in enumerate(dates):
        before = text[cursor:start]
        after = _PARENTHESES.match(text[end : dates[index + 1][0] if index + 1 < len(dates) else len(text)])
        stop = end + after.end() if after else end
        kind = _kind(before) or (_kind(after.group(1)) if after else None)
        if kind is None and index == 0:
            kind = first
        raw = _raw(text[cursor:stop])
        cursor = stop
        if kind is None:
            continue
        if _BOUND_WORD.search(before):
            bounds = parse_bounds(_BOUND_WORD.search(before).group(0) + " " + text[start:end])  # type: ignore[union-attr]
            if bounds is not None:
                events.append(CellEvent(kind, raw, None, bounds.not_before, bounds.not_after))
            continue
        events.append(CellEvent(kind, raw, date, approximate=bool(_APPROX_WORD.search(before))))
    if not dates and text:
        bounds = parse_bounds(text)
        kind = _kind(text) or first
        if bounds is not None and kind is not None:
            events.append(CellEvent(kind, text, None, bounds.not_before, bounds.not_after))
        elif bounds is None and _kind(text) is not None and _kind(text) != "established":
            events.append(CellEvent(_kind(text), text))  # type: ignore[arg-type]
    return tuple(events)


def _raw(text: str) -> str:
    """An event's text without the punctuation around it, its parentheses kept when they are its
    own: "1993 (reestablished)" stays whole, "(Relations severed 1980)" loses the pair around it,
    and a parenthesis the text does not close or open is dropped ("Severed in 1967)" → no ")").
    """
    raw = text.strip(" ,;:/–—-'")
    while raw.startswith("(") and raw.endswith(")") and _wrapped(raw):
        raw = raw[1:-1].strip(" ,;:/–—-'")
    while raw.startswith("(") and raw.count("(") > raw.count(")"):
        raw = raw[1:].strip(" ,;:/–—-'")
    while raw.endswith(")") and raw.count(")") > raw.count("("):
        raw = raw[:-1].strip(" ,;:/–—-'")
    return raw


def _wrapped(text: str) -> bool:
    """Whether the parenthesis ``text`` opens with is the one it ends with."""
    depth = 0
    for index, char in enumerate(text):
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            return index == len(text) - 1
    return False


def remark_of(shown: str) -> str | None:
    """The remark in parentheses after the partner in a country cell ("(severed)" → ``severed``).

    >>> remark_of("Chile (suspended)"), remark_of("Chile")
    ('suspended', None)
    """
    if "(" not in shown:  # exact: the pattern needs one; most partners have no remark
        return None
    found = _REMARK.search(shown)
    return clean_spaces(found.group(1)) or None if found else None


def split_notes(text: str, main_article: str | None) -> tuple[str | None, list[str]]:
    """Notes text (bullets as ``• item`` lines) and its bullet items, "See X" line removed."""
    lines: list[str] = []
    items: list[str] = []
    for raw_line in text.replace(BULLET, "\n" + BULLET).splitlines():
        is_item = raw_line.lstrip().startswith(BULLET)
        line = clean_spaces(raw_line.replace(BULLET, " "))
        if not line:
            continue
        if main_article and not lines and _SEE_TEXT.fullmatch(line) and not is_item:
            continue
        if is_item:
            items.append(line)
            # U+2022, not "- ": a CSV cell starting with "-" is a formula to a spreadsheet (OWASP).
            lines.append(f"\u2022 {line}")
        else:
            lines.append(line)
    return ("\n".join(lines) or None), items
