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
    # str.find, split and replace, not a pattern: the pattern's search tests every character of
    # the text against its set of marks, several times slower on a notes cell of a few hundred.
    if not any(mark in marked for mark in _ALL_MARKS):
        return marked
    if LINK_OPEN in marked:
        pieces = marked.split(LINK_OPEN)
        for index in range(1, len(pieces)):
            piece = pieces[index]
            target_end = piece.find(LINK_SEP)
            # A link's opening mark, target and separator go; a stray opening mark goes alone.
            if target_end >= 0 and _unmarked(piece, target_end):
                pieces[index] = piece[target_end + 1 :]
        marked = "".join(pieces)
    return marked.replace(LINK_SEP, "").replace(LINK_CLOSE, "").replace(CITE, "")


def _unmarked(piece: str, end: int) -> bool:
    """Whether ``piece[:end]`` holds no close or citation mark (a link's target, when it holds none)."""
    return piece.find(LINK_CLOSE, 0, end) < 0 and piece.find(CITE, 0, end) < 0


def decode(marked: str) -> Marked:
    """Split marked text into its plain text, its links and its citation offsets.

    >>> found = decode("Chile has an embassy in " + link_mark("Santiago", "the capital") + "." + CITE)
    >>> found.text, found.links, found.cites
    ('Chile has an embassy in the capital.', (NoteLink(start=24, end=35, target='Santiago'),), (36,))
    """
    if not any(mark in marked for mark in _ALL_MARKS):
        return Marked(marked)
    # The marks found with str.find, the next of each kind known at every step (the text's end
    # when none is left): a pattern's search, or a loop over every character, would test each
    # character of the text; this only looks at the marks (one in tens of characters).
    find, end = marked.find, len(marked)
    next_open, next_sep, next_close, next_cite = (
        position if position >= 0 else end for position in (find(mark) for mark in _ALL_MARKS)
    )
    out: list[str] = []
    size = position = 0
    links: list[NoteLink] = []
    cites: list[int] = []
    # Open links: (start offset, target).
    stack: list[tuple[int, str]] = []
    # Links close in the order they start unless nested (or empty at one offset): only then sorted.
    last, ordered = -1, True
    while (at := min(next_open, next_sep, next_close, next_cite)) < end:
        out.append(marked[position:at])
        size += at - position
        position = at + 1
        if at == next_cite:
            cites.append(size)
            next_cite = find(CITE, position)
            next_cite = next_cite if next_cite >= 0 else end
        elif at == next_close:
            if stack:
                start, target = stack.pop()
                links.append(NoteLink(start, size, target))
                ordered = ordered and start > last
                last = start
            next_close = find(LINK_CLOSE, position)
            next_close = next_close if next_close >= 0 else end
        elif at == next_sep:  # a stray separator (a broken mark): dropped, its text kept
            next_sep = find(LINK_SEP, position)
            next_sep = next_sep if next_sep >= 0 else end
        else:
            next_open = find(LINK_OPEN, position)
            next_open = next_open if next_open >= 0 else end
            # A link's opening when its separator comes before any other mark; else a stray
            # opening mark, dropped.
            if next_sep < next_open and next_sep < next_close and next_sep < next_cite:
                stack.append((size, marked[position:next_sep]))
                position = next_sep + 1
                next_sep = find(LINK_SEP, position)
                next_sep = next_sep if next_sep >= 0 else end
    out.append(marked[position:])
    if not ordered:
        links.sort(key=lambda link: (link.start, -link.end))
    return Marked("".join(out), tuple(links), tuple(cites))
