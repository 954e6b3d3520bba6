"""The two sides of a relation as notes sentences name them: by name, link, ISO code, short form
or demonym.

The mission reader (:mod:`extractor.parse.missions`) accepts a sender or receiver only when it is
the article's subject or the row's partner; this module says whether a phrase names one of them.
pycountry knows no demonyms, so the regular ones are derived from the side's own name
(Malaysia → Malaysian, Peru → Peruvian, Japan → Japanese) and the irregular ones are a short
table reviewed by hand; a demonym only ever picks one of the two sides, never a third country.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from extractor.countries import iso3_for
from extractor.text import clean_spaces

__all__ = ["Party", "clean_name", "country_code"]


@dataclass(frozen=True)
class Party:
    """One side of the relation: the name the dataset gives it, and what else names it."""

    name: str
    article: str | None = None
    iso3: str | None = None

    def names(self, phrase: str) -> bool:
        """Whether ``phrase`` (cleaned: no article, no possessive) names this side."""
        key = phrase.casefold()
        if key in self._own_names:
            return True
        code = country_code(phrase)
        if code is not None:
            return code == self.iso3
        return key in self._demonyms

    # Made once per party, not per phrase: a notes cell asks about a party for every name it reads.
    @cached_property
    def _own_names(self) -> frozenset[str]:
        return frozenset({self.name.casefold(), (self.article or "").casefold()})

    @cached_property
    def _demonyms(self) -> frozenset[str]:
        """The party's demonyms, case-folded: from the table, and derived from its name."""
        found = set(_DEMONYMS.get(self.iso3, ()) if self.iso3 is not None else ())
        name = self.name.casefold()
        if len(name) >= 4:
            stem = name[:-1] if name[-1] in "aeiouy" else name
            derived = {name + "n", name + "ian", stem + "ian", stem + "an", name + "ese", stem + "ese", name + "i"}
            # A derived demonym is one word ("new zealand" is only in the table).
            found |= {word for word in derived if " " not in word}
        return frozenset(found)


# Short forms the ISO lookup does not know (pycountry knows "US" but not "UK").
_SHORT_FORMS = {"uk": "GBR", "u.k.": "GBR", "u.s.": "USA", "u.s.a.": "USA", "prc": "CHN", "uae": "ARE"}


# Demonyms that no rule derives from the country's name (reviewed by hand; by ISO code). The
# regular ones (Malaysia → Malaysian, Peru → Peruvian, Japan → Japanese) are derived instead.
_DEMONYMS: dict[str, tuple[str, ...]] = {
    "GBR": ("british",),
    "USA": ("american", "us", "u.s."),
    "NLD": ("dutch",),
    "FRA": ("french",),
    "CHE": ("swiss",),
    "TUR": ("turkish",),
    "DEU": ("german",),
    "GRC": ("greek", "hellenic"),
    "POL": ("polish",),
    "ESP": ("spanish",),
    "SWE": ("swedish",),
    "DNK": ("danish",),
    "FIN": ("finnish",),
    "IRL": ("irish",),
    "NOR": ("norwegian",),
    "ISL": ("icelandic",),
    "CHN": ("chinese",),
    "THA": ("thai",),
    "PHL": ("philippine", "filipino"),
    "KGZ": ("kyrgyz",),
    "KAZ": ("kazakh", "kazakhstani"),
    "TJK": ("tajik",),
    "UZB": ("uzbek",),
    "TKM": ("turkmen",),
    "AFG": ("afghan",),
    "ARE": ("emirati",),
    "SAU": ("saudi",),
    "MDG": ("malagasy",),
    "MMR": ("burmese", "myanmar"),
    "LAO": ("lao", "laotian"),
    "CZE": ("czech",),
    "SVK": ("slovak",),
    "HRV": ("croatian",),
    "SRB": ("serbian",),
    "BIH": ("bosnian",),
    "NZL": ("new zealand",),
    "KOR": ("korean", "south korean"),
    "PRK": ("north korean",),
    "VNM": ("vietnamese",),
    "BEL": ("belgian",),
    "PRT": ("portuguese",),
    "CYP": ("cypriot",),
    "ISR": ("israeli",),
    "LUX": ("luxembourgish",),
    "MLT": ("maltese",),
}


@lru_cache(maxsize=8192)  # the same few names recur in every row of an article
def country_code(phrase: str) -> str | None:
    key = phrase.casefold()
    return _SHORT_FORMS.get(key) or iso3_for(phrase)


@lru_cache(maxsize=8192)  # the same few names recur in every row of an article
def clean_name(phrase: str) -> str:
    """A name as written, without a leading "the" or a possessive."""
    phrase = clean_spaces(phrase).strip(" .,:")
    phrase = re.sub(r"(?:'s|’s|'|’)$", "", phrase)
    return re.sub(r"^[Tt]he\s+", "", phrase)
