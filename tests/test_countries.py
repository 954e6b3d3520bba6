"""Country names, country-code templates and article titles resolve to ISO codes and subjects."""

from __future__ import annotations

import importlib.util
from importlib import resources
from types import ModuleType

import pytest

from extractor.countries import SPORT_CODES, country_for_code, iso3_for, subject_of_title
from tests.support import ROOT


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


def _sport_codes_script() -> ModuleType:
    """``scripts/check_sport_codes.py`` as a module."""
    spec = importlib.util.spec_from_file_location("check_sport_codes", ROOT / "scripts" / "check_sport_codes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sport_codes_file_has_only_real_iso_codes() -> None:
    """Every row of the packaged IOC/FIFA code file maps to an existing ISO code and names its source."""
    text = resources.files("extractor").joinpath("data/sport-codes.csv").read_text(encoding="utf-8")
    assert _sport_codes_script().problems(text) == []
    assert SPORT_CODES["GER"] == "DEU" and SPORT_CODES["SUI"] == "CHE" and SPORT_CODES["NED"] == "NLD"


def test_sport_codes_check_names_a_wrong_row() -> None:
    """A row whose ISO code does not exist, or that repeats a code, is reported by its line."""
    text = "code,iso3,source\nGER,DEU,IOC\nGER,DEU,IOC\nZZZ,QQQ,IOC\n"
    assert _sport_codes_script().problems(text) == [
        "line 3: code GER repeats",
        "line 4: ZZZ → QQQ: no such ISO 3166-1 alpha-3 code",
    ]


@pytest.mark.parametrize(("code", "country"), [("GER", "Germany"), ("SUI", "Switzerland"), ("NED", "Netherlands")])
def test_ioc_and_fifa_flag_codes_name_their_country(code: str, country: str) -> None:
    """{{GER}}, {{SUI}}, {{NED}} show their country, read from the reviewed code file."""
    assert country_for_code(code) == country
