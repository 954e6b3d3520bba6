"""Country names as Wikipedia writes them, resolved to ISO 3166-1 alpha-3 codes.

pycountry knows the ISO names ("Korea, Republic of"); Wikipedia uses common English names
("South Korea"). :data:`ALIASES` bridges the two for names pycountry's lookup does not resolve.
One documented rule goes beyond ISO 3166-1: Kosovo has no ISO code, and ``XKX`` is the
user-assigned code the European Commission, the IMF and SWIFT use for it.

Articles also name partners with country-code templates (``{{GER}}``, ``{{RUS}}``, ``{{UK}}``):
English Wikipedia has one per ISO 3166-1 alpha-3 code and per IOC/FIFA code, each showing the
flag and the country's common name. :func:`country_for_code` gives that name; an unknown code
gives ``None`` rather than a guess.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from importlib import resources

import pycountry

__all__ = ["ALIASES", "CODE_NAMES", "SPORT_CODES", "country_for_code", "iso3_for", "partner_key", "subject_of_title"]

#: Wikipedia's common name (or link target) → ISO 3166-1 alpha-3, where pycountry's lookup fails
#: or would pick the wrong entry.
ALIASES: dict[str, str] = {
    "bahamas": "BHS",
    "the bahamas": "BHS",
    "bolivia": "BOL",
    "brunei": "BRN",
    "cape verde": "CPV",
    "czech republic": "CZE",
    "czechia": "CZE",
    "democratic republic of the congo": "COD",
    "dr congo": "COD",
    "congo-kinshasa": "COD",
    "republic of the congo": "COG",
    "congo": "COG",
    "congo-brazzaville": "COG",
    "east timor": "TLS",
    "timor-leste": "TLS",
    "federated states of micronesia": "FSM",
    "micronesia": "FSM",
    "gambia": "GMB",
    "the gambia": "GMB",
    "holy see": "VAT",
    "vatican city": "VAT",
    "iran": "IRN",
    "ivory coast": "CIV",
    "kosovo": "XKX",
    "laos": "LAO",
    "macau": "MAC",
    "macao": "MAC",
    "moldova": "MDA",
    "north korea": "PRK",
    "palestine": "PSE",
    "state of palestine": "PSE",
    "russia": "RUS",
    "south korea": "KOR",
    "syria": "SYR",
    "taiwan": "TWN",
    "republic of china": "TWN",
    "republic of china (taiwan)": "TWN",
    "people's republic of china": "CHN",
    "china": "CHN",
    "tanzania": "TZA",
    "turkey": "TUR",
    "türkiye": "TUR",
    "united states": "USA",
    "united states of america": "USA",
    "united kingdom": "GBR",
    "venezuela": "VEN",
    "vietnam": "VNM",
    "sao tome and principe": "STP",
    "são tomé and príncipe": "STP",
    "netherlands": "NLD",
    "kingdom of the netherlands": "NLD",
    "eswatini": "SWZ",
    "swaziland": "SWZ",
    "north macedonia": "MKD",
    "macedonia": "MKD",
    "republic of macedonia": "MKD",
    "burma": "MMR",
    "myanmar": "MMR",
    "republic of ireland": "IRL",
    "ireland": "IRL",
    "georgia": "GEO",
    "georgia (country)": "GEO",
    "niger": "NER",
    "guinea": "GIN",
    "dominica": "DMA",
    "samoa": "WSM",
    "saint lucia": "LCA",
    "st. lucia": "LCA",
    "democratic republic of congo": "COD",
    "republic of congo": "COG",
    "cote d'ivoire": "CIV",
    "côte d'ivoire": "CIV",
    "republic of korea": "KOR",
    "korea, republic of": "KOR",
    "democratic people's republic of korea": "PRK",
    "china, republic of": "TWN",
    "guinea bissau": "GNB",
    "antigua & barbuda": "ATG",
    "st. kitts and nevis": "KNA",
    "st. vincent and the grenadines": "VCT",
    "st. vincent and grenadines": "VCT",
    "timor leste": "TLS",
}

# Wikipedia's common names where pycountry's name (or common name) differs.
_WIKIPEDIA_NAMES: dict[str, str] = {
    "BHS": "Bahamas",
    "BRN": "Brunei",
    "CIV": "Ivory Coast",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "CPV": "Cape Verde",
    "CZE": "Czech Republic",
    "FSM": "Federated States of Micronesia",
    "GBR": "United Kingdom",
    "GMB": "Gambia",
    "MAC": "Macau",
    "PSE": "Palestine",
    "RUS": "Russia",
    "STP": "São Tomé and Príncipe",
    "TLS": "East Timor",
    "TUR": "Turkey",
    "USA": "United States",
    "VAT": "Vatican City",
    "VGB": "British Virgin Islands",
    "VIR": "United States Virgin Islands",
    "XKX": "Kosovo",
}

# IOC and FIFA codes that are not ISO 3166-1 alpha-3 codes, and Wikipedia's shortcut templates
# (``{{UK}}``, ``{{PRC}}``): each is a template on English Wikipedia showing that country. They are
# public facts, kept as reviewed data (extractor/data/sport-codes.csv: code, ISO alpha-3, the list
# that publishes the code) rather than code; scripts/check_sport_codes.py checks every row against
# pycountry. (country_converter has such columns, but it is GPL-3.0 and this project MIT.)
_SPORT_CODES = "data/sport-codes.csv"


def _read_sport_codes() -> dict[str, str]:
    text = resources.files("extractor").joinpath(_SPORT_CODES).read_text(encoding="utf-8")
    return {row["code"]: row["iso3"] for row in csv.DictReader(io.StringIO(text))}


_OTHER_CODES: dict[str, str] = _read_sport_codes()
#: IOC/FIFA code (and Wikipedia shortcut) → ISO 3166-1 alpha-3, from extractor/data/sport-codes.csv.
SPORT_CODES: dict[str, str] = dict(_OTHER_CODES)
# Shortcut templates for entities that have no ISO code of their own.
_NAMED_CODES: dict[str, str] = {
    "EU": "European Union",
    "USSR": "Soviet Union",
    "ASEAN": "ASEAN",
    "SADR": "Sahrawi Arab Democratic Republic",
    "UN": "United Nations",
}


def _wikipedia_name(alpha_3: str) -> str | None:
    if alpha_3 in _WIKIPEDIA_NAMES:
        return _WIKIPEDIA_NAMES[alpha_3]
    country = pycountry.countries.get(alpha_3=alpha_3)
    if country is None:
        return None
    return str(getattr(country, "common_name", None) or country.name)


#: Country-code template name (upper case) → the country name the template shows.
CODE_NAMES: dict[str, str] = {
    **{str(c.alpha_3): _wikipedia_name(str(c.alpha_3)) or str(c.name) for c in pycountry.countries},
    **{code: name for code, alpha_3 in _OTHER_CODES.items() if (name := _wikipedia_name(alpha_3))},
    **_NAMED_CODES,
}

_PARENTHETICAL = re.compile(r"\s*\([^)]*\)\s*$")
_SUBJECT = re.compile(r"^foreign relations of (?:the )?(.+)$", re.IGNORECASE)


def country_for_code(name: str) -> str | None:
    """The country a country-code template (``{{GER}}``, ``{{RUS}}``, ``{{UK}}``) shows, or ``None``.

    >>> country_for_code("GER"), country_for_code("RUS"), country_for_code("XYZ")
    ('Germany', 'Russia', None)
    """
    return CODE_NAMES.get(name.strip().upper()) if name.strip().isupper() else None


@lru_cache(maxsize=4096)
def iso3_for(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of a country name or article title, or ``None``.

    >>> iso3_for("South Korea"), iso3_for("Holy See"), iso3_for("Atlantis")
    ('KOR', 'VAT', None)
    """
    key = name.replace("_", " ").strip().lower()
    if key in ALIASES:
        return ALIASES[key]
    key = _PARENTHETICAL.sub("", key).strip()
    if not key:
        return None
    if key in ALIASES:
        return ALIASES[key]
    try:
        country = pycountry.countries.lookup(key)
    except LookupError:
        return None
    return str(country.alpha_3)


def partner_key(country: str, article: str | None = None) -> str:
    """The identity of a partner within one article: the article it links to, else its name, case-folded.

    Two rows (or two versions of one article) name the same partner when their keys are equal:
    "[[People's Republic of China|China]]" and "[[People's Republic of China]]" are one partner.

    >>> partner_key("China", "People's Republic of China") == partner_key("People's republic of China")
    True
    """
    return (article or country).casefold()


def subject_of_title(title: str) -> str:
    """The country an article is about, from its title.

    >>> subject_of_title("Foreign relations of the United States")
    'United States'
    >>> subject_of_title("Foreign_relations_of_Chad")
    'Chad'
    """
    match = _SUBJECT.match(title.replace("_", " ").strip())
    return match.group(1).strip() if match else title.strip()
