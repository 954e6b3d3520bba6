"""The wikitext parser on small pieces of the forms the corpus articles use, one rule per test."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from extractor.parse.document import ParsedDocument
from extractor.parse.layout import classify_header, table_layout
from extractor.parse.wikitext.walk import parse_wikitext


def table(header: str, *rows: str, caption: str = "") -> str:
    body = "".join(f"|-\n{row}\n" for row in rows)
    cap = f"|+ {caption}\n" if caption else ""
    return f'{{| class="wikitable"\n{cap}{header}\n{body}|}}\n'


def countries(document: ParsedDocument) -> list[str]:
    return [row.country for row in document.rows]


@pytest.mark.parametrize(
    "header",
    [
        "Formal relations began",
        "Formal Relations Began",
        "Formal relations established",
        "Formal relations (re)established",
        "Formal relations begun or resumed",
        "Formal relations began on",
        "Diplomatic Relations Established",
        "Relations began",
        "Since",
        "Date",
        "Date of recognition",
        "Date of diplomatic recognition",
        "Beginning of formal relations",
    ],
)
def test_header_variants_name_the_date_column(header: str) -> None:
    """Every wording of 'when relations began' the corpus uses is a date column."""
    assert classify_header(header) == "date"


@pytest.mark.parametrize(
    "header", ["Year of Agreement signed", "Date of issue", "Signed", "Year recognized the PRC"]
)
def test_dates_of_other_things_are_not_the_date_column(header: str) -> None:
    """Agreement, stamp and third-party recognition dates are not when relations began."""
    assert classify_header(header) is None


@pytest.mark.parametrize("header", ["Country", "State", "Sovereign state", "Country/Region", "Region"])
def test_header_variants_name_the_country_column(header: str) -> None:
    """The partner column is 'Country', 'State', 'Sovereign state', 'Country/Region' or 'Region'."""
    assert classify_header(header) == "country"


def test_a_table_with_an_ended_column_or_a_former_caption_is_no_relation_table() -> None:
    """Former relations are not current partners: such tables are skipped."""
    ended = [("Country", 1), ("Formal Relations Began", 1), ("Formal Relations Ended", 1), ("Notes", 1)]
    assert table_layout(ended) is None
    caption = "States formerly recognizing the Republic of China"
    assert table_layout([("State", 1), ("Relations established", 1)], caption) is None


def test_the_kind_is_bilateral_with_a_notes_column_and_list_without() -> None:
    """'# | Country | Date' is the list; 'Country | Formal relations began | Notes' the bilateral table."""
    assert table_layout([("#", 1), ("Country", 1), ("Date", 1)]).kind == "list"  # type: ignore[union-attr]
    layout = table_layout([("Country", 1), ("Since", 1), ("Notes", 1), ("Free trade agreement", 1)])
    assert layout is not None and layout.kind == "bilateral-table" and layout.columns["notes"] == 2


def test_the_relations_date_wins_over_the_recognition_date() -> None:
    """Of 'Date of diplomatic recognition' and 'Diplomatic relations established', the latter is the date."""
    layout = table_layout(
        [
            ("State", 1),
            ("Date of diplomatic recognition", 1),
            ("Diplomatic relations established", 1),
            ("Notes", 1),
        ]
    )
    assert layout is not None and layout.columns["date"] == 2


def test_an_unlabelled_column_after_the_date_is_the_notes_column() -> None:
    """'!Notes|-' shows '-' (the editor's 'Notes' became attributes): the column still holds the notes."""
    text = table("! Country\n! Formal Relations Began\n!Notes|-", "|{{flag|Fiji}}||1970\n|Some notes.")
    row = parse_wikitext(text).rows[0]
    assert (row.table, row.notes) == ("bilateral-table", "Some notes.")


def test_non_relation_tables_in_the_same_section_are_skipped() -> None:
    """Opinion polls, agreements, treaties and organisation tables give no rows."""
    text = "".join(
        [
            table("! Country polled !! Positive !! Negative", "| {{flag|Spain}} || 3 || 4"),
            table("! S.no. !! Country !! Year of Agreement signed", "| 1 || {{FRA}} || 1997"),
            table("! Country !! Signed !! Treaty", "| {{flag|Japan}} || 1951 || ANZUS"),
            table("! Organization !! Formal Relations Began !! Notes", "| [[NATO]] || 1952 || x"),
        ]
    )
    document = parse_wikitext(text)
    assert document.rows == []
    assert [d.code for d in document.diagnostics] == ["no-relation-table"]


def test_several_tables_split_by_continent_keep_their_section() -> None:
    """Each row carries the heading of its subsection."""
    header = "! Country !! Formal relations began !! Notes"
    text = (
        "== Bilateral relations ==\n=== Africa ===\n"
        + table(header, "| {{flag|Chad}} || 1960 || x")
        + "=== Americas ===\n"
        + table(header, "| {{flag|Chile}} || 1990 || y")
    )
    assert [(r.country, r.section) for r in parse_wikitext(text).rows] == [
        ("Chad", "Africa"),
        ("Chile", "Americas"),
    ]


def test_a_caption_and_an_image_row_before_the_header_are_not_rows() -> None:
    """'|+ caption' and a colspan image header row precede the real header."""
    text = (
        '{| class="wikitable"\n|+ [[File:Map.svg|frameless]]<br>List of relations\n'
        '! colspan="3" | [[File:Map.svg]]\n|-\n!#\n!Country\n!Date\n'
        "|-\n|1\n|{{Flag|Peru}}\n|{{dts|2 July 1999}}\n|}"
    )
    row = parse_wikitext(text).rows[0]
    assert (row.list_number, row.country, row.date.iso if row.date else None) == (1, "Peru", "1999-07-02")


def test_longitem_and_line_breaks_in_headers_are_read() -> None:
    """'{{longitem|Beginning of formal relations}}' and 'Formal relations<br>began' are date headers."""
    for header in ("{{longitem|Beginning of formal relations}}", "Formal relations<br>began"):
        text = table(f"! Country !! {header} !! Notes", "| {{flag|Chad}} || 1960 || x")
        assert parse_wikitext(text).rows[0].date is not None


@pytest.mark.parametrize(
    ("cell", "country", "article"),
    [
        ("{{flag|Chile}}", "Chile", "Chile"),
        ("{{Flag|Afghanistan|2013}}", "Afghanistan", "Afghanistan"),
        ("{{flag|Georgia (country)|name=Georgia}}", "Georgia", "Georgia (country)"),
        ("{{flagu|Niger }}", "Niger", "Niger"),
        ("{{flagcountry|New Zealand}}", "New Zealand", "New Zealand"),
        ("{{#invoke:flag||Algeria}}", "Algeria", "Algeria"),
        ("{{RUS}}", "Russia", "Russia"),
        ("{{GER}}", "Germany", "Germany"),
        ("{{flag|CAR}}", "Central African Republic", "Central African Republic"),
        ("{{flagicon|Ireland}} [[Republic of Ireland|Ireland]]", "Ireland", "Republic of Ireland"),
        (
            "{{flagdeco|Congo}} [[Republic of the Congo|Congo-Brazzaville]]",
            "Congo-Brazzaville",
            "Republic of the Congo",
        ),
        ("{{Flagicon|NLD}} Netherlands", "Netherlands", None),
        ("{{anchor|Jordan}}{{flag|Jordan }}", "Jordan", "Jordan"),
        (
            '{{flagicon|Palestine}} "[[State of Palestine|Palestine]]"{{efn|A note}}',
            "Palestine",
            "State of Palestine",
        ),
        ("''{{flag|Bermuda}}''", "Bermuda", "Bermuda"),
        ("{{flag|Morocco}} (suspended)", "Morocco", "Morocco"),
        ("{{flag|Republic of China}} ([[Taiwan]])", "Republic of China", "Republic of China"),
        ("[[Kosovo]]", "Kosovo", "Kosovo"),
        ("Kazakhstan", "Kazakhstan", None),
    ],
)
def test_country_cells_in_every_form_name_their_partner(cell: str, country: str, article: str | None) -> None:
    """Flags, flag modules, country codes, image flags beside links or text, links and plain text."""
    row = parse_wikitext(table("! Country !! Since", f"| {cell} || 1992")).rows[0]
    assert (row.country, row.country_article) == (country, article)


def test_two_flags_on_their_own_lines_are_two_partners() -> None:
    """'{{flag|A}}{{pb}}{{flag|B}}' in one cell gives both partners the row's date."""
    text = table(
        "! State !! Date",
        "| {{flag|Donetsk People's Republic}}{{pb}}{{flag|Luhansk People's Republic}} || 2022",
    )
    document = parse_wikitext(text)
    assert countries(document) == ["Donetsk People's Republic", "Luhansk People's Republic"]
    assert {row.date.iso for row in document.rows if row.date} == {"2022"}


def test_a_cell_naming_no_country_is_a_row_diagnostic_not_a_crash() -> None:
    """An empty country cell or an unknown code is reported with its line; the other rows are read."""
    text = table("! Country !! Since", "| {{flag|Chad}} || 1960", "| || 1970", "| {{MLD}} || 1980")
    document = parse_wikitext(text)
    assert countries(document) == ["Chad"]
    errors = [(d.code, d.line) for d in document.diagnostics]
    assert errors == [("unreadable-country", 6), ("unreadable-country", 8)]
    assert "{{MLD}}" in document.diagnostics[1].message


@pytest.mark.parametrize(
    ("cell", "iso"),
    [
        ("{{dts|26 December 1991}}", "1991-12-26"),
        ("{{dts|format=dmy|1992|10|15}}", "1992-10-15"),
        ("{{Dts|1 November 1943}}<ref>Source</ref>", "1943-11-01"),
        ("{{DTS|12 March 1968}}<ref name=a/>{{failed verification|date=June 2025}}", "1968-03-12"),
        ("{{#invoke:dts|main|9 May 1386}}", "1386-05-09"),
        ("{{Date table sorting|12 November 1975}}", "1975-11-12"),
        ("{{start date|1947|9|10|df=y}}", "1947-09-10"),
        ("<!--Date started-->1962", "1962"),
        ("19 October {{dts|format=dmy|1929}}", "1929-10-19"),
        ("{{daterange|1989}}", "1989"),
        ("'''1944'''", "1944"),
        ("6 July 1964{{citation needed|date=May 2024}}", "1964-07-06"),
    ],
)
def test_date_cells_in_every_form_are_read(cell: str, iso: str) -> None:
    """Date templates in all their forms, plain text, comments, references and maintenance templates."""
    row = parse_wikitext(table("! Country !! Date", f"| {{{{flag|Chile}}}} || {cell}")).rows[0]
    assert row.date is not None and row.date.iso == iso


@pytest.mark.parametrize("cell", ["Unknown", "Before {{dts|1995}}", "{{dts|1500}}s", "''N/A''"])
def test_unreadable_date_cells_keep_their_text_and_are_reported(cell: str) -> None:
    """A date cell that gives no date keeps its raw text and carries an 'unparsed-date' diagnostic."""
    document = parse_wikitext(table("! Country !! Date", f"| {{{{flag|Chile}}}} || {cell}"))
    row = document.rows[0]
    assert row.date is not None and row.date.raw and row.date.iso is None
    assert [d.code for d in document.diagnostics] == ["unparsed-date"]


def test_row_separators_with_typos_attributes_and_blank_lines_still_separate_rows() -> None:
    """'|--valign=top', '|- +', '|-style=…' and a blank line after '|-' all start a row."""
    text = (
        '{| class="wikitable"\n! Country !! Since\n|--valign="top"\n| {{flag|Chad}} || 1960\n'
        '|- +\n\n| {{flag|Chile}}\n| 1990\n|-style="background:#eee"\n|{{flag|Cuba}}||1902\n|}'
    )
    document = parse_wikitext(text)
    assert [(r.country, r.date.iso if r.date else None) for r in document.rows] == [
        ("Chad", "1960"),
        ("Chile", "1990"),
        ("Cuba", "1902"),
    ]
    assert [r.line for r in document.rows] == [4, 7, 10]


def test_a_country_cell_spanning_rows_is_one_partner() -> None:
    """A rowspan country cell gives one row; its continuation rows are not new partners."""
    text = table(
        "! Country !! Since", '| rowspan="2" | {{flag|Chad}} || 1960', "| 1970", "| {{flag|Chile}} || 1990"
    )
    assert countries(parse_wikitext(text)) == ["Chad", "Chile"]


def test_malformed_tables_never_raise() -> None:
    """Unclosed tables, stray cells and broken templates give what can be read, never an exception."""
    for text in (
        "{|\n! Country !! Since\n|-\n| {{flag|Chad",
        "{| \n|}\n|}",
        "{{flag|",
        "{|\n|-\n||||\n|}",
        "",
    ):
        parse_wikitext(text)


def test_an_article_without_a_relation_table_says_so() -> None:
    """A disambiguation page gives no rows and one 'no-relation-table' diagnostic."""
    document = parse_wikitext(
        "'''Foreign relations of Korea''' may refer to:\n* [[Foreign relations of North Korea]]"
    )
    assert document.rows == []
    assert [(d.code, d.severity) for d in document.diagnostics] == [("no-relation-table", "warning")]


def test_html_tables_and_sort_templates_are_read_like_wiki_tables() -> None:
    """<table><tbody><tr><th>… is a table too; {{sort|key|shown}} shows its second parameter."""
    text = (
        "<table class=wikitable><tbody><tr><th>Country</th><th>Since</th></tr>"
        "<tr><td>{{sort|Chad|{{flag|Chad}}}}</td><td>{{sort|1960-01-01|1 January 1960}}</td></tr>"
        "</tbody></table>"
    )
    row = parse_wikitext(text).rows[0]
    assert (row.country, row.date.iso if row.date else None) == ("Chad", "1960-01-01")


def test_mangled_real_articles_never_raise(corpus_dir: Path) -> None:
    """Real articles with holes cut and stray markup inserted still parse, whatever they lose."""
    generator = random.Random(7)
    pieces = [
        "{{",
        "}}",
        "[[",
        "]]",
        "{|",
        "|}",
        "|-",
        "||",
        "<ref>",
        "</ref>",
        "<!--",
        "{{dts|",
        "{{flag|",
        "\n!",
    ]
    paths = sorted(corpus_dir.glob("*.wikitext"))
    for _ in range(20):
        text = generator.choice(paths).read_text(encoding="utf-8")
        cut = generator.randrange(len(text))
        text = text[:cut] + text[cut + generator.randrange(2000) :]
        for _ in range(30):
            at = generator.randrange(len(text))
            text = text[:at] + generator.choice(pieces) + text[at:]
        document = parse_wikitext(text)
        assert all(d.code not in {"unreadable-table", "unreadable-text"} for d in document.diagnostics)
