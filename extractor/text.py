"""Text helpers both parsers share: the plain-text conventions of the dataset.

Both the wikitext renderer and the HTML walk produce text in one shape (spaces folded, bullet
items marked with :data:`BULLET`), so that the notes and dates they give can be compared.
"""

from __future__ import annotations

__all__ = ["BULLET", "FLAG_TEMPLATES", "clean_spaces"]

#: Marks the start of a bullet item in rendered text (a private-use character, never in articles).
BULLET = "\ue000"


#: Flag-like templates whose first positional parameter names a country.
FLAG_TEMPLATES = frozenset(
    {"flag", "flagu", "flagcountry", "flag country", "flagicon", "flagdeco", "flag icon", "flagicon image"}
)


def clean_spaces(text: str) -> str:
    """Fold runs of spaces (and non-breaking spaces) to one space, strip the ends."""
    return " ".join(text.replace("\u00a0", " ").split())
