"""Text helpers both parsers share: the plain-text conventions of the dataset.

Both the wikitext renderer and the HTML walk produce text in one shape (spaces folded, bullet
items marked with :data:`BULLET`), so that the notes and dates they give can be compared.
"""

from __future__ import annotations

import re

__all__ = ["BULLET", "FLAG_TEMPLATES", "clean_spaces", "readable_text"]

#: Marks the start of a bullet item in rendered text (a private-use character, never in articles).
BULLET = "\ue000"


#: Flag-like templates whose first positional parameter names a country.
FLAG_TEMPLATES = frozenset(
    {"flag", "flagu", "flagcountry", "flag country", "flagicon", "flagdeco", "flag icon", "flagicon image"}
)


# Lone surrogates cannot be written as UTF-8 (a JSON "\\ud800" escape decodes to one), and NUL
# breaks mwparserfromhell's tag attributes; MediaWiki and HTML5 show U+FFFD for both.
_UNWRITABLE = re.compile("[\x00\ud800-\udfff]")


def readable_text(text: str) -> str:
    """An article's text as the parsers read it: a leading byte-order mark removed, NUL and lone
    surrogates replaced by U+FFFD (the replacement character).

    >>> readable_text("\\ufeffa\\x00b\\ud800c")
    'a\\ufffdb\\ufffdc'
    """
    text = text.removeprefix("\ufeff")
    # Nearly every article has neither: two scans in C tell (UTF-8 cannot encode a surrogate),
    # four times faster than the pattern's search of a long text.
    if "\x00" not in text:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            return text
    return _UNWRITABLE.sub("\ufffd", text)


def clean_spaces(text: str) -> str:
    """Fold runs of spaces (and non-breaking spaces) to one space, strip the ends.

    >>> clean_spaces(" a\u00a0\u00a0b  c ")
    'a b c'
    """
    # str.split() splits on every Unicode space, U+00A0 among them: no replace() needed first.
    return " ".join(text.split())
