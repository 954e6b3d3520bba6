"""Dates as relation tables write them: the forms the corpus shows, and what is left unread."""

from __future__ import annotations

import pytest

from extractor.dates import ParsedDate, parse_date_parts, parse_date_text


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("6 October 1992", "1992-10-06"),
        ("6 October, 1992", "1992-10-06"),
        ("October 6, 1992", "1992-10-06"),
        ("Jan. 29, 1992", "1992-01-29"),
        ("29 Jan. 1992", "1992-01-29"),
        ("12 Feb 1969", "1969-02-12"),
        ("30 november 1966", "1966-11-30"),
        ("January 1993", "1993-01"),
        ("1992", "1992"),
        ("960", "0960"),
        ("1992-10-06", "1992-10-06"),
        ("1943-4-21", "1943-04-21"),
        ("1992-10", "1992-10"),
        ("1970-Apr-24", "1970-04-24"),
        ("1991 09 06", "1991-09-06"),
        ("23 August 2006.", "2006-08-23"),
        ("c. 1992", "1992"),
        ("since 1992", "1992"),
    ],
)
def test_a_date_in_a_common_form_is_read_at_its_precision(text: str, iso: str) -> None:
    """Day-month-year, month-day-year, month-year, year and ISO forms give ISO 8601 at their precision."""
    parsed = parse_date_text(text)
    assert parsed is not None and parsed.iso == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("8 April 1950, severed diplomatic relations from 6 November 1956 to 19 October 1959", "1950-04-08"),
        ("1824; 1849", "1824"),
        ("1960 1993 (reestablished)", "1960"),
        ("16 September 1941 – 22 December 1972", "1941-09-16"),
        ("1918-1928, 1991", "1918"),
        ("1961-02 to 1991–12", "1961-02"),
        ("18 June 1972/1 January 1993", "1972-06-18"),
        ("1 February 1961 and 1 January 1993", "1961-02-01"),
        ("2 February 1950 (as Czechoslovakia)", "1950-02-02"),
    ],
)
def test_a_cell_that_starts_with_a_date_gives_that_date(text: str, iso: str) -> None:
    """Relations began at the date the cell starts with; later dates and remarks stay in the raw text."""
    parsed = parse_date_text(text)
    assert parsed is not None and parsed.iso == iso


@pytest.mark.parametrize(
    "text",
    [
        "Unknown",
        "N/A",
        "No diplomatic relations",
        "Before 1999",
        "1960s",
        "early 1960s",
        "22 January 1993 or before",
        "30 February 2015",
        "Diplomatic relations severed 24 February 2022",
        "-Feb-22 1979",
        "",
    ],
)
def test_a_cell_that_does_not_start_with_a_date_is_not_read(text: str) -> None:
    """Words, decades, bounds and impossible dates give no date rather than a guess."""
    assert parse_date_text(text) is None


def test_a_slashed_date_keeps_only_what_is_certain() -> None:
    """7/1/1972 is 7 January or July 1: only the year is certain, unless a number cannot be a month."""
    assert parse_date_text("7/1/1972") == ParsedDate(1972)
    assert parse_date_text("13/1/1972") == ParsedDate(1972, 1, 13)
    assert parse_date_text("1/13/1972") == ParsedDate(1972, 1, 13)
    assert parse_date_text("2/2/1950") == ParsedDate(1950, 2, 2)


@pytest.mark.parametrize(
    ("parts", "iso"),
    [
        (["1992", "10", "6"], "1992-10-06"),
        (["1992", "October", "6"], "1992-10-06"),
        (["1993", "1"], "1993-01"),
        (["1996", "", ""], "1996"),
        (["6 October 1992"], "1992-10-06"),
        (["1992-10-06"], "1992-10-06"),
    ],
)
def test_date_template_parameters_are_read(parts: list[str], iso: str) -> None:
    """{{dts}} and {{start date}} parameters: year, month, day in numbers or names, or one text date."""
    parsed = parse_date_parts(parts)
    assert parsed is not None and parsed.iso == iso


def test_dates_agree_at_the_coarser_precision() -> None:
    """'January 1993' agrees with '9 January 1993' but not with '9 February 1993'."""
    assert ParsedDate(1993, 1).agrees_with(ParsedDate(1993, 1, 9))
    assert ParsedDate(1993).agrees_with(ParsedDate(1993, 5, 1))
    assert not ParsedDate(1993, 1).agrees_with(ParsedDate(1993, 2, 9))
    assert not ParsedDate(1992).agrees_with(ParsedDate(1993))
