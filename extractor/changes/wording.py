"""The words for one changed value: shared by the comparison and by its report.

The comparison (:mod:`extractor.changes.diff`; the field changes: :mod:`extractor.changes.fields`)
words each field change once, when it finds it, because those words are data too: the JSON
carries them (``FieldChange.summary``, ``ReferenceChange.label``). The report
(:mod:`extractor.changes.report`) names references the same way. Both import from here, so
neither depends on the other for its vocabulary.
"""

from __future__ import annotations

import difflib
from typing import Any

from extractor.models import EstablishedDate, Reference

__all__ = ["EXCERPT", "date_summary", "reference_label", "shorten", "show", "text_change"]

#: Longest excerpt of a title or a text in a summary.
EXCERPT = 60


def shorten(text: str, limit: int = EXCERPT) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def show(value: Any) -> str:
    """A field value as a summary shows it: ``—`` for none, yes/no, ``(empty)`` for an empty text."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value == "":
        return "(empty)"
    return str(value)


def reference_label(reference: Reference) -> str:
    """How a summary names a reference: its title, else URL, else text (shortened), and its name."""
    if reference.title:
        label = f"“{shorten(reference.title)}”"
    elif reference.url:
        label = shorten(reference.url)
    elif reference.text:
        label = f"“{shorten(reference.text)}”"
    else:
        label = f"reference {reference.number}"
    return f"{label} [{reference.name}]" if reference.name else label


def text_change(old: str, new: str) -> str:
    """The first differing span of two texts, word by word, and how many more there are."""
    old_words, new_words = old.split(), new.split()
    spans = [
        op
        for op in difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    if not spans:
        return "whitespace only"
    tag, i1, i2, j1, j2 = spans[0]
    removed, added = " ".join(old_words[i1:i2]), " ".join(new_words[j1:j2])
    if tag == "insert":
        first = f"+“{shorten(added)}”"
    elif tag == "delete":
        first = f"−“{shorten(removed)}”"
    else:
        first = f"“{shorten(removed)}” → “{shorten(added)}”"
    more = len(spans) - 1
    return first + (f" (and {more} more change{'s' if more != 1 else ''})" if more else "")


def date_summary(label: str, old: EstablishedDate | None, new: EstablishedDate | None) -> str:
    """A changed date cell: its raw text before and after, or how the same text is now read."""
    if old is not None and new is not None and old.raw == new.raw:  # same cell read differently
        return f"{label} {show(old.raw)} read as {show(old.iso)} → {show(new.iso)}"
    return f"{label} {show(old.raw if old else None)} → {show(new.raw if new else None)}"
