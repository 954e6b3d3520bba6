"""The mission reader over every real article in ../shared/corpus, against a second reader.

The second reader is deliberately simple and independent of the parser: it cuts the sentence
"X has an embassy in C" out of the raw wikitext of each table with one regular expression (the
link's target when C is linked), without rendering, sentence splitting or knowing who the
article's partners are. Each sentence it finds should be a mission the parser read: sent by X
(by name or ISO code), an embassy, in C.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from extractor.countries import iso3_for

if TYPE_CHECKING:
    from tests.support import CorpusArticle

_REF = re.compile(r"<ref[^>/]*/>|<ref[^>]*>.*?</ref>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
_SENTENCE = re.compile(
    r"(?:^|[.*|]\s*|\]\]\s+)(?:'''|'')?(?:\[\[(?:[^\]|]*\|)?)?(?P<x>[A-Z][\w '-]*?)(?:\]\])?(?:'''|'')?"
    r" has an embassy in "
    r"(?:\[\[(?P<target>[^\]|#]+)(?:\|[^\]]*)?\]\]|(?P<plain>[A-Z][\w'-]*(?: [A-Z][\w'-]*)*))"
    r"(?=\s*(?:[.;]|$|,? and |<|\n))",
    re.MULTILINE,
)


def embassy_sentences(text: str) -> list[tuple[str, str]]:
    """(X, C) of every "X has an embassy in C" inside a table of the wikitext (references removed)."""
    found: list[tuple[str, str]] = []
    depth = 0
    for line in _REF.sub("", text).splitlines():
        stripped = line.strip()
        depth += stripped.startswith("{|")
        if depth > 0:
            for match in _SENTENCE.finditer(line):
                city = (match.group("target") or match.group("plain")).strip().replace("_", " ")
                found.append((match.group("x").strip(), city[:1].upper() + city[1:]))
        depth -= stripped.startswith("|}")
        depth = max(depth, 0)
    return found


#: Abbreviations ISO lookups do not know, as the articles write them.
_SHORT = {"UAE": "ARE", "UK": "GBR"}


def _same(name: str, written: str) -> bool:
    written = re.sub(r"^[Tt]he ", "", written)
    if name.casefold() == written.casefold():
        return True
    code = _SHORT.get(written) or iso3_for(written)
    return code is not None and code == iso3_for(name)


def test_second_reader_finds_the_embassy_sentences_it_is_shown() -> None:
    """The simple reader cuts "X has an embassy in C" out of wikitext, with a linked city's target."""
    text = "{|\n|-\n| x || * Chile has an embassy in [[Santiago_de_Chile|Santiago]].<ref>A</ref>\n|}\n"
    text += "Peru has an embassy in Lima."  # outside a table
    assert embassy_sentences(text) == [("Chile", "Santiago de Chile")]


def test_missions_agree_with_a_second_reader_on_98_percent_of_embassy_sentences(
    corpus: dict[str, CorpusArticle],
) -> None:
    """Of the "X has an embassy in C" sentences the simple reader finds, ≥ 98 % are a mission read."""
    total, disagreements = 0, []
    for name, entry in sorted(corpus.items()):
        missions = [(m.sender, m.city) for relation in entry.article.relations for m in relation.missions]
        for sender, city in embassy_sentences(entry.text):
            total += 1
            if not any(_same(s, sender) and c == city for s, c in missions):
                disagreements.append(f"{name}: {sender} has an embassy in {city}")
    assert total > 1000, total
    agreed = total - len(disagreements)
    assert agreed / total >= 0.98, f"{agreed} of {total} agree; e.g. {disagreements[:20]}"
