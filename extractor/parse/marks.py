"""Links and citations inside rendered notes text, marked the same way by both parsers.

A notes cell is read twice: as the plain text of the dataset's ``notes``, and as sentences whose
links and citations the mission reader (:mod:`extractor.parse.missions`) needs. Each walk renders
the notes cell once, with marks: a link's label is wrapped as ``LINK_OPEN target LINK_SEP label
LINK_CLOSE`` and each main-group citation stands as one :data:`CITE` (the *n*-th mark is the
cell's *n*-th citation). :func:`decode` turns such text into :class:`Marked` — the plain text a
reader sees, byte for byte what the unmarked rendering gives, plus where the links and
citations are in it — so the mission reader never looks at wikitext or HTML.

The marks are private-use characters, which articles never contain (like
:data:`~extractor.text.BULLET`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = [
    "CITE",
    "LINK_CLOSE",
    "LINK_OPEN",
    "LINK_SEP",
    "Marked",
    "NoteLink",
    "decode",
    "link_mark",
    "link_open",
    "strip",
]

LINK_OPEN = "\ue010"
LINK_SEP = "\ue011"
LINK_CLOSE = "\ue012"
CITE = "\ue013"
_ALL_MARKS = (LINK_OPEN, LINK_SEP, LINK_CLOSE, CITE)
_ANY_MARK = re.compile(f"[{LINK_OPEN}{LINK_SEP}{LINK_CLOSE}{CITE}]")
_MARK = re.compile(
    f"{LINK_OPEN}[^{LINK_OPEN}{LINK_SEP}{LINK_CLOSE}{CITE}]*{LINK_SEP}|{LINK_OPEN}|{LINK_SEP}|{LINK_CLOSE}|{CITE}"
)


@dataclass(frozen=True)
class NoteLink:
    """A wiki link in the notes: its label spans ``text[start:end]``; ``target`` is the page title."""

    start: int
    end: int
    target: str


@dataclass(frozen=True)
class Marked:
    """Notes text as a reader sees it, with its links and the offsets of its citations."""

    text: str
    links: tuple[NoteLink, ...] = ()
    #: The offset in ``text`` of each citation, in order (the cell's n-th citation is the n-th).
    cites: tuple[int, ...] = field(default=())


def link_mark(target: str, label: str) -> str:
    """``label`` marked as a link to ``target`` (a target holding a mark is not marked)."""
    if any(mark in target for mark in _ALL_MARKS):
        return label
    return f"{LINK_OPEN}{target}{LINK_SEP}{label}{LINK_CLOSE}"


def link_open(target: str) -> str:
    """The mark opening a link to ``target`` (a :data:`LINK_CLOSE` ends its label); ``""`` for a
    target holding a mark (its stray close is then dropped by :func:`decode`)."""
    if any(mark in target for mark in _ALL_MARKS):
        return ""
    return f"{LINK_OPEN}{target}{LINK_SEP}"


def strip(marked: str) -> str:
    """The text without its marks (what :func:`decode` gives as ``text``).

    >>> strip("in " + link_mark("Santiago", "the capital") + "." + CITE)
    'in the capital.'
    """
    return _MARK.sub("", marked) if _ANY_MARK.search(marked) else marked


def decode(marked: str) -> Marked:
    """Split marked text into its plain text, its links and its citation offsets.

    >>> found = decode("Chile has an embassy in " + link_mark("Santiago", "the capital") + "." + CITE)
    >>> found.text, found.links, found.cites
    ('Chile has an embassy in the capital.', (NoteLink(start=24, end=35, target='Santiago'),), (36,))
    """
    if not any(mark in marked for mark in _ALL_MARKS):
        return Marked(marked)
    out: list[str] = []
    size = 0
    links: list[NoteLink] = []
    cites: list[int] = []
    # Open links: (start offset, target). A regular expression finds the marks: a loop over
    # every character would cost more than the rest of the notes' reading.
    stack: list[tuple[int, str]] = []
    position = 0
    for match in _MARK.finditer(marked):
        chunk = marked[position : match.start()]
        out.append(chunk)
        size += len(chunk)
        position = match.end()
        token = match.group()
        if token[0] == LINK_OPEN and len(token) > 1:
            stack.append((size, token[1:-1]))
        elif token == LINK_CLOSE:
            if stack:
                start, target = stack.pop()
                links.append(NoteLink(start, size, target))
        elif token == CITE:
            cites.append(size)
        # a stray LINK_OPEN or LINK_SEP (a broken mark) is dropped, its text kept
    out.append(marked[position:])
    return Marked("".join(out), tuple(sorted(links, key=lambda link: (link.start, -link.end))), tuple(cites))
