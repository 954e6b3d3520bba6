"""Country names, country-code templates and article titles resolve to ISO codes and subjects."""

from __future__ import annotations

import pytest

from extractor.countries import country_for_code, iso3_for, subject_of_title


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("South Korea", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Holy See", "VAT"),
        ("State of Palestine", "PSE"),
        ("Kosovo", "XKX"),
        ("Georgia (country)", "GEO"),
        ("Republic of China (Taiwan)", "TWN"),
        ("Ivory Coast", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Democratic Republic of Congo", "COD"),
        ("St. Kitts and Nevis", "KNA"),
        ("Czech_Republic", "CZE"),
    ],
)
def test_wikipedia_names_resolve_to_iso3(name: str, iso3: str) -> None:
    """Common names, link targets and spellings the articles use give the ISO 3166-1 alpha-3 code."""
    assert iso3_for(name) == iso3


@pytest.mark.parametrize("name", ["Atlantis", "European Union", "Sovereign Military Order of Malta", ""])
def test_what_is_no_country_has_no_code(name: str) -> None:
    """Organisations and unknown names stay without a code, never a guess."""
    assert iso3_for(name) is None


@pytest.mark.parametrize(
    ("code", "country"),
    [
        ("RUS", "Russia"),
        ("GER", "Germany"),
        ("NED", "Netherlands"),
        ("INA", "Indonesia"),
        ("MAS", "Malaysia"),
        ("KOS", "Kosovo"),
        ("UK", "United Kingdom"),
        ("PRC", "China"),
        ("EU", "European Union"),
        ("USSR", "Soviet Union"),
        ("SADR", "Sahrawi Arab Democratic Republic"),
    ],
)
def test_country_code_templates_show_the_common_name(code: str, country: str) -> None:
    """ISO, IOC/FIFA and shortcut country-code templates name the country as Wikipedia shows it."""
    assert country_for_code(code) == country


def test_an_unknown_code_or_a_name_is_no_country_code() -> None:
    """Only known upper-case codes are country-code templates."""
    assert country_for_code("MLD") is None
    assert country_for_code("Chad") is None


@pytest.mark.parametrize(
    ("title", "subject"),
    [
        ("Foreign relations of Kyrgyzstan", "Kyrgyzstan"),
        ("Foreign relations of the United States", "United States"),
        ("Foreign_relations_of_the_Democratic_Republic_of_the_Congo", "Democratic Republic of the Congo"),
        ("Something else", "Something else"),
    ],
)
def test_the_subject_of_an_article_comes_from_its_title(title: str, subject: str) -> None:
    """'Foreign relations of (the) X' is about X."""
    assert subject_of_title(title) == subject
