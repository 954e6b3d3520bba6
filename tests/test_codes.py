"""Gleditsch–Ward codes from the optional country_converter, and the reviewed tables cross-checked against it.

country_converter is in the ``test`` extra, so these tests run where the suite runs; without it
``gw_code`` is null and nothing fails (the last tests pretend it is not installed).
"""

from __future__ import annotations

import csv
import importlib.util
import io
import re
from collections.abc import Iterator
from importlib import resources

import pycountry
import pytest

from extractor import codes
from extractor.codes import CONVERTER_PACKAGE, converter_rows, gw_code, gw_codes
from extractor.entities import EntityTable, Mention, classify, reviewed_entities, un_members
from tests.support import ROOT

# Where country_converter itself is wrong, with the reason; every other disagreement fails.
_CONVERTER_WRONG = {
    ("EQG", "FIFA"): "FIFA's code for Equatorial Guinea is EQG; country_converter 1.3.2 writes EDQ",
    ("SIN", "FIFA"): "FIFA's code for Singapore is SIN; country_converter 1.3.2 writes SGP (the IOC's since 2016)",
}


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Each test reads the installed package's table itself (a test below hides the package)."""
    for function in (converter_rows, gw_codes):
        function.cache_clear()
    yield
    for function in (converter_rows, gw_codes):
        function.cache_clear()


def _sport_rows() -> list[dict[str, str]]:
    text = resources.files("extractor.data").joinpath("sport-codes.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _bodies(source: str) -> tuple[set[str], set[str]]:
    """The bodies a row's source says use the code now, and those that used it before.

    "FIFA (IOC before 2012)" is FIFA's now and was the IOC's; "IOC and FIFA (before 2008)" was both's.
    """
    match = re.fullmatch(r"(?P<main>[^()]*?)(?: \((?P<note>[^)]*)\))?", source)
    assert match is not None, source
    main = set(re.findall(r"\b(?:IOC|FIFA)\b", match["main"]))
    note = match["note"] or ""
    if re.fullmatch(r"before \d{4}", note):
        return set(), main
    return main, set(re.findall(r"\b(IOC|FIFA) before \d{4}\b", note))


def test_the_converter_gives_gleditsch_ward_codes_by_iso_code() -> None:
    """The political scientists' codes: the United States 2, Russia 365, Taiwan 713, Kosovo (XKX) 347."""
    assert (gw_code("USA"), gw_code("RUS"), gw_code("TWN"), gw_code("XKX")) == (2, 365, 713, 347)
    assert gw_code("PRI") is None  # a territory has no GW code
    assert gw_code(None) is None and gw_code("ZZZ") is None


def test_every_un_member_has_a_gleditsch_ward_code() -> None:
    """All 193 members, each code distinct: one dict built once, keyed by ISO code."""
    members = un_members()
    assert set(members) <= set(gw_codes())
    assert len({gw_codes()[code] for code in members}) == 193


def test_the_un_table_agrees_with_the_converter() -> None:
    """data/un_members.csv and country_converter's UNmember column: the same 193 codes, the same years."""
    theirs = {iso3: int(row["UNmember"]) for iso3, row in converter_rows().items() if "UNmember" in row}
    assert {iso3: (year, theirs.get(iso3)) for iso3, year in un_members().items() if theirs.get(iso3) != year} == {}
    assert set(theirs) == set(un_members())


def test_the_sport_codes_agree_with_the_converter() -> None:
    """A row saying IOC or FIFA is that body's code in country_converter; a replaced code ("before N") is not."""
    disagreements = {}
    for row in _sport_rows():
        theirs = converter_rows().get(row["iso3"], {})
        current, former = _bodies(row["source"])
        for body in sorted(current):
            if theirs.get(body) != row["code"] and (row["code"], body) not in _CONVERTER_WRONG:
                disagreements[(row["code"], body)] = theirs.get(body)
        for body in sorted(former):
            if theirs.get(body) == row["code"]:
                disagreements[(row["code"], body)] = "still current"
    assert disagreements == {}
    checked = [row for row in _sport_rows() if _bodies(row["source"]) != (set(), set())]
    assert len(checked) == 89  # all but the 4 of Wikipedia's own templates


def test_each_documented_exception_is_still_a_disagreement() -> None:
    """An exception is dropped once country_converter is right: each one still differs from our row."""
    ours = {row["code"]: row for row in _sport_rows()}
    for code, body in _CONVERTER_WRONG:
        assert body in _bodies(ours[code]["source"])[0]
        assert converter_rows()[ours[code]["iso3"]].get(body) != code


def test_an_entity_gets_the_code_of_its_iso_code() -> None:
    """Taiwan by either spelling, Kosovo by the reviewed code; Abkhazia (no row in the converter) none."""
    table = EntityTable(
        [
            Mention("Republic of China", "Republic of China", "TWN", "A"),
            Mention("Taiwan", "Taiwan", "TWN", "B"),
            Mention("Kosovo", "Kosovo", None, "A"),
            Mention("Abkhazia", "Abkhazia", None, "A"),
        ],
        {},
    )
    assert {e.key: (e.iso3, e.gw_code) for e in table.entities()} == {
        "Republic of China": ("TWN", 713),
        "Kosovo": ("XKX", 347),
        "Abkhazia": (None, None),
    }


@pytest.mark.parametrize(
    ("name", "iso3", "kind"),
    [
        ("Kosovo", "XKX", "partially-recognised"),
        ("Soviet Union", None, "historical"),
        ("Czechoslovak Socialist Republic", None, "historical"),
        ("European Union", None, "organisation"),
        ("Sovereign Military Order of Malta", None, "other"),
        ("Cook Islands", "COK", "other"),
        ("State of Palestine", "PSE", "un-observer"),
        ("Hong Kong", "HKG", "territory"),
        ("Organisation of Islamic Cooperation", None, "organisation"),
        ("Lilliput", None, "other"),
    ],
)
def test_the_kind_of_the_reviewed_and_of_the_unknown(name: str, iso3: str | None, kind: str) -> None:
    """A reviewed row decides before any code; a withdrawn ISO 3166-3 name is historical; unknown is other."""
    by_name = {n.casefold(): row for row in reviewed_entities() for n in (row.name, *row.aliases)}
    assert classify(name, iso3, by_name.get(name.casefold())) == kind


def test_without_the_converter_gw_code_is_null_and_nothing_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not installed (no table is found): empty tables, every gw_code null, the kinds unchanged."""
    monkeypatch.setattr(codes, "_data_file", lambda: None)
    assert converter_rows() == {} and gw_codes() == {}
    [entity] = EntityTable([Mention("Chile", "Chile", "CHL", "A")], {}).entities()
    assert (entity.gw_code, entity.kind, entity.un_member_since) == (None, "un-member", 1945)


def test_a_package_not_installed_is_no_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the import system finds no country_converter, there is no table (and nothing is raised)."""
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *rest: None if name == CONVERTER_PACKAGE else find_spec(name, *rest)
    )
    assert codes._data_file() is None and gw_code("USA") is None


def test_the_table_read_is_the_installed_packages() -> None:
    """Found beside the installed package (never a copy in this project), every key a three-letter code."""
    path = codes._data_file()
    assert path is not None and path.parent.name == "country_converter"
    assert not path.is_relative_to(ROOT / "extractor")
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]{2}", iso3) for iso3 in converter_rows())
    assert {iso3 for iso3 in converter_rows() if pycountry.countries.get(alpha_3=iso3) is None} <= {"XKX"}
