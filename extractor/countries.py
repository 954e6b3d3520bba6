"""Country names as Wikipedia writes them, resolved to ISO 3166-1 alpha-3 codes.

pycountry knows the ISO names ("Korea, Republic of"); Wikipedia uses common English names
("South Korea"). :data:`ALIASES` bridges the two for names pycountry's lookup does not resolve.
One documented rule goes beyond ISO 3166-1: Kosovo has no ISO code, and ``XKX`` is the
user-assigned code the European Commission, the IMF and SWIFT use for it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pycountry

__all__ = ["ALIASES", "iso3_for"]

#: Wikipedia's common name (or link target) → ISO 3166-1 alpha-3, where pycountry's lookup fails
#: or would pick the wrong entry.
ALIASES: dict[str, str] = {
    "bahamas": "BHS",
    "bolivia": "BOL",
    "brunei": "BRN",
    "cape verde": "CPV",
    "czech republic": "CZE",
    "democratic republic of the congo": "COD",
    "dr congo": "COD",
    "congo-kinshasa": "COD",
    "republic of the congo": "COG",
    "congo": "COG",
    "congo-brazzaville": "COG",
    "east timor": "TLS",
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
    "moldova": "MDA",
    "north korea": "PRK",
    "palestine": "PSE",
    "state of palestine": "PSE",
    "russia": "RUS",
    "south korea": "KOR",
    "syria": "SYR",
    "taiwan": "TWN",
    "republic of china": "TWN",
    "people's republic of china": "CHN",
    "tanzania": "TZA",
    "turkey": "TUR",
    "türkiye": "TUR",
    "united states": "USA",
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
}

_PARENTHETICAL = re.compile(r"\s*\([^)]*\)\s*$")


@lru_cache(maxsize=4096)
def iso3_for(name: str) -> str | None:
    """The ISO 3166-1 alpha-3 code of a country name or article title, or ``None``.

    >>> iso3_for("South Korea"), iso3_for("Holy See"), iso3_for("Atlantis")
    ('KOR', 'VAT', None)
    """
    key = _PARENTHETICAL.sub("", name.replace("_", " ")).strip().lower()
    if not key:
        return None
    if key in ALIASES:
        return ALIASES[key]
    try:
        country = pycountry.countries.lookup(key)
    except LookupError:
        return None
    return str(country.alpha_3)
