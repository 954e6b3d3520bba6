"""Mutations of real article text for fuzzing the parsers and the export (tests/test_fuzz.py,
scripts/fuzz.py): truncations, deleted and duplicated spans, injected markup, NUL, lone
surrogates and direction marks — the ways real text gets broken, plus the hostile ones."""

from __future__ import annotations

import random
from collections.abc import Callable

from extractor.export.dataset import dataset_files
from extractor.extract import article_from_document
from extractor.parse.html.walk import parse_html
from extractor.parse.wikitext.walk import parse_wikitext
from extractor.source import make_source

__all__ = ["PIECES", "mutate", "run_html", "run_wikitext", "slice_of"]

#: Markup injected at random places: openers and closers of every construct the parsers read.
PIECES = (
    "{{",
    "}}",
    "[[",
    "]]",
    "{|",
    "|}",
    "\n{|\n",
    "\n|}\n",
    "|-",
    "\n|-\n",
    "||",
    "!!",
    "<ref>",
    "</ref>",
    '<ref name="x"/>',
    "<!--",
    "-->",
    "\x00",
    "\ud800",
    "\udfff",
    "\u200f",
    "\u202e",
    "\ufeff",
    "<table>",
    "</table>",
    "<tr>",
    "<td>",
    "<th>",
    '<th s="\x00">',
    "\n== H ==\n",
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
)


def slice_of(text: str, rng: random.Random, longest: int = 3000) -> str:
    """A random slice of ``text`` of at most ``longest`` characters."""
    if len(text) <= longest:
        return text
    start = rng.randrange(len(text) - longest)
    return text[start : start + rng.randrange(1, longest)]


def mutate(text: str, rng: random.Random, rounds: int = 3) -> str:
    """``text`` with a few random mutations applied."""
    for _ in range(rng.randrange(1, rounds + 1)):
        n = len(text)
        kind = rng.randrange(5)
        a = rng.randrange(n + 1)
        b = min(n, a + rng.randrange(1, 200))
        if kind == 0:
            text = text[:a]
        elif kind == 1:
            text = text[:a] + text[b:]
        elif kind == 2:
            text = text[:b] + text[a:b] + text[b:]
        else:
            text = text[:a] + rng.choice(PIECES) + text[a:]
    return text


def _export(parse: Callable[[str], object], text: str, content_format: str) -> None:
    document = parse(text)
    source = make_source("Foreign relations of Testland", obtained="file", content_format=content_format)
    article = article_from_document(document, source)  # type: ignore[arg-type]
    dataset_files(article)


def run_wikitext(text: str) -> None:
    """Parse ``text`` as wikitext, merge it and render every file of its dataset (in memory)."""
    _export(parse_wikitext, text, "wikitext")


def run_html(text: str) -> None:
    """Parse ``text`` as HTML, merge it and render every file of its dataset (in memory)."""
    _export(parse_html, text, "html")
