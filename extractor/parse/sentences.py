"""Notes text as the mission reader (:mod:`extractor.parse.missions`) reads it: sentences,
their clauses, and whether one mentions a mission at all.

Most sentences of long notes name no mission, so the cheap questions come first and in C where
they can: a sentence that plainly mentions no mission is never matched against the statement
patterns.
"""

from __future__ import annotations

import re

from extractor.text import BULLET

__all__ = ["MENTION", "abbreviated", "clauses", "mentions", "sentences"]

#: A sentence mentions a mission when it says one of these words.
MENTION = re.compile(
    r"\b(?:embass(?:y|ies)|consulates?|consular|high[- ]commissions?|accredited|legations?)\b", re.IGNORECASE
)
_ABBREVIATION = re.compile(r"(?:\b[A-Z]\.|\b(?:St|Mt|Dr|Mr|Mrs|Ms|Jr|Sr|No|Co|Inc|Ltd|approx|e\.g|i\.e|vs)\.)$")
_SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[A-Z\"“(])")
_LINE = re.compile(f"[^\n{BULLET}]+")


def abbreviated(text: str) -> bool:
    """Whether ``text`` ends with an abbreviation's full stop ("St.", "D.", "e.g.").

    The pattern is anchored at the end, but a search still tries it at every offset: it starts
    where its longest match ("approx." and a line break) could, 8 characters before the end (a
    search from an offset still sees the character before it, for ``\\b``).
    """
    return _ABBREVIATION.search(text, max(0, len(text) - 8)) is not None


def mentions(text: str) -> bool:
    """``MENTION.search(text)``, answered without the regex when ``text`` plainly has no mention.

    Every match of MENTION holds one of the stems below, lower-cased, except that the regex (not
    ``str.lower``) also folds "ſ" to "s" and "ı", "İ" to "i". Text whose lower case holds no stem
    and none of those three letters mentions no mission: these tests run in C, 5 times faster
    than MENTION's search, which tries its words at every offset (a case-insensitive pattern gets
    no fast first-character scan); most sentences of long notes name no mission.
    """
    lowered = text.lower()
    if not (  # spelt out: any() over a generator costs more than the tests themselves
        "embass" in lowered
        or "consul" in lowered
        or "commission" in lowered
        or "accredited" in lowered
        or "legation" in lowered
        or "ſ" in text
        or "ı" in text
        or "İ" in text
    ):
        return False
    return MENTION.search(text) is not None


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of a notes text as (start, end) offsets: a line or bullet item is at least one.

    >>> text = "A has an embassy in Washington, D.C. B has one in Lima. C"
    >>> [text[s:e] for s, e in sentences(text)]
    ['A has an embassy in Washington, D.C. B has one in Lima.', 'C']
    """
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start = line.start()
        for end in _SENTENCE_END.finditer(line.group()):
            cut = line.start() + end.end()
            before = text[start : line.start() + end.start() + 1]
            if abbreviated(before):
                continue
            spans.append((start, line.start() + end.start() + 1))
            start = cut
        spans.append((start, line.end()))
    return [(s, e) for s, e in spans if text[s:e].strip()]


# Where a sentence joins two statements: "…, and Kyrgyzstan opened an embassy in Tokyo", "; ".
_CLAUSE = re.compile(
    r"\s*;\s+|,?\s+(?:and|while|whereas)\s+"
    r"(?=(?:[Tt]he\s+)?[A-Z][\w.\- ]*?\s+(?:has|is|maintains|operates|opened|does)\b)"
)

# What _CLAUSE cannot match without (it is case-sensitive).
_JOINING_WORDS = (";", "and", "while", "whereas")


def clauses(sentence: str) -> list[tuple[int, int]]:
    """A sentence's clauses, as offsets: statements it joins with "and", "while" or ";"."""
    if not any(word in sentence for word in _JOINING_WORDS):
        return [(0, len(sentence))]  # _CLAUSE tries every offset; most sentences join nothing
    spans: list[tuple[int, int]] = []
    start = 0
    for joint in _CLAUSE.finditer(sentence):
        spans.append((start, joint.start()))
        start = joint.end()
    spans.append((start, len(sentence)))
    return spans
