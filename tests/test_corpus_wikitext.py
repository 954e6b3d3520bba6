"""The wikitext parser on small pieces of the forms the corpus articles use, one rule per test."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import pytest

from extractor.parse.document import ParsedDocument
from extractor.parse.layout import classify_header, table_layout
from extractor.parse.wikitext.walk import parse_wikitext

if TYPE_CHECKING:
    from tests.support import CorpusArticle


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


@pytest.mark.parametrize("header", ["Year of Agreement signed", "Date of issue", "Signed", "Year recognized the PRC"])
def test_dates_of_other_things_are_not_the_date_column(header: str) -> None:
    """Agreement, stamp and third-party recognition dates are not when relations began."""
    assert classify_header(header) is None


@pytest.mark.parametrize("header", ["Country", "State", "Sovereign state", "Country/Region", "Region"])
def test_header_variants_name_the_country_column(header: str) -> None:
    """The partner column is 'Country', 'State', 'Sovereign state', 'Country/Region' or 'Region'."""
    assert classify_header(header) == "country"


def test_a_table_with_an_ended_column_or_a_former_caption_is_a_former_table() -> None:
    """Former relations are read as a former-relations table (its ended column too), never as current ones;
    a caption saying its states have no relations makes no relation table."""
    ended = [("Country", 1), ("Formal Relations Began", 1), ("Formal Relations Ended", 1), ("Notes", 1)]
    layout = table_layout(ended)
    assert layout is not None and layout.kind == "former-table" and layout.columns["ended"] == 2
    caption = "States formerly recognizing the Republic of China"
    layout = table_layout([("State", 1), ("Relations established", 1)], caption)
    assert layout is not None and layout.kind == "former-table" and layout.reason == caption
    assert table_layout([("State", 1), ("Relations established", 1)], "States without diplomatic relations") is None


def test_a_heading_about_states_that_still_are_is_no_former_table() -> None:
    """'Former Soviet republics' names current states; 'Relations with former states' and 'Severed relations' do not."""
    headers = [("Country", 1), ("Formal relations began", 1)]
    assert table_layout(headers, section="Former Soviet republics").kind == "list"  # type: ignore[union-attr]
    assert table_layout(headers, section="Relations with former states").kind == "former-table"  # type: ignore[union-attr]
    severed = table_layout(headers, section="Severed relations")
    assert severed is not None and severed.kind == "former-table" and severed.ends == "severed"


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


def test_a_cell_naming_no_country_is_a_row_diagnostic_not_a_crash() -> None:
    """An empty country cell or an unknown code is reported with its line; the other rows are read."""
    text = table("! Country !! Since", "| {{flag|Chad}} || 1960", "| || 1970", "| {{MLD}} || 1980")
    document = parse_wikitext(text)
    assert countries(document) == ["Chad"]
    errors = [(d.code, d.line) for d in document.diagnostics]
    assert errors == [("unreadable-country", 6), ("unreadable-country", 8)]
    assert "{{MLD}}" in document.diagnostics[1].message


def test_row_separators_with_typos_attributes_and_blank_lines_still_separate_rows() -> None:
    """'|--valign=top', '|- +', '|-style=…' and a blank line after '|-' all start a row."""
    text = (
        '{| class="wikitable"\n! Country !! Since\n|--valign="top"\n| {{flag|Chad}} || 1960\n'
        '|- +\n\n| {{flag|Chile}}\n| 1990\n|-style="background:#eee"\n|{{flag|Cuba}}||1902\n|}'
    )
    document = parse_wikitext(text)
    assert [(r.country, r.date["iso"] if r.date else None) for r in document.rows] == [
        ("Chad", "1960"),
        ("Chile", "1990"),
        ("Cuba", "1902"),
    ]
    assert [r.line for r in document.rows] == [4, 7, 10]


@pytest.mark.parametrize(
    ("text", "rows", "codes"),
    [
        ("", [], ["no-relation-table"]),
        ("{{flag|", [], ["no-relation-table"]),
        ("{| \n|}\n|}", [], ["no-relation-table"]),
        ("{|\n|-\n||||\n|}", [], ["no-relation-table"]),
        # The table is closed at the end of the page, as MediaWiki closes it; the template stays text.
        ("{|\n! Country !! Since\n|-\n| {{flag|Chad", [("Chad", None)], []),
        (
            "{|\n! Country !! Since\n|-\n| {{flag|Chile}} || 1992\n|-\n| {{flag|Chad\n|}",
            [("Chile", "1992"), ("Chad", None)],
            [],
        ),
        (
            "{|\n! Country !! Since\n|-\n| {{flag|Chile}} || {{dts|1992\n|-\n| {{flag|Peru}} || 1993\n|}",
            [("Chile", "1992"), ("Peru", "1993")],
            [],
        ),
        (
            "{|\n! Country !! Since\n|-\n| {{flag|Chile}} || 1992<ref>unclosed\n|-\n| {{flag|Peru}} || 1993\n|}",
            [("Chile", None), ("Peru", "1993")],
            ["unparsed-date"],
        ),
        (
            "{|\n! Country !! Since\n|-\n| {{flag|Chile}} || 1992 || extra || cells\n|-\n| {{flag|Peru}}\n|}",
            [("Chile", "1992"), ("Peru", None)],
            [],
        ),
        ("{|\n! Country !! Since\n|-\n| {{flag|Chile}} || 1992\n|-\n|}\n|}", [("Chile", "1992")], []),
        (
            '{|\n! Country !! Since\n|-\n| rowspan="x" | {{flag|Chile}} || 1992\n'
            "|-\n| colspan=-3 | {{flag|Peru}} || 1993\n|}",
            [("Chile", "1992"), ("Peru", "1993")],
            [],
        ),
    ],
    ids=[
        "empty",
        "broken-template",
        "stray-table-ends",
        "only-separators",
        "unclosed-table-and-template",
        "unclosed-template-in-a-row",
        "unclosed-date-template",
        "unclosed-ref",
        "too-many-and-too-few-cells",
        "empty-last-row-and-stray-end",
        "bad-spans",
    ],
)
def test_malformed_tables_never_raise(text: str, rows: list[tuple[str, str | None]], codes: list[str]) -> None:
    """Unclosed tables, stray cells and broken templates give what can be read, never an exception.

    Nor an internal error caught on the way: 'unreadable-table' or 'unreadable-text' would say that
    the parser skipped a passage it failed on, so the diagnostics must be exactly the expected ones.
    """
    document = parse_wikitext(text)
    assert [(row.country, row.date["iso"] if row.date else None) for row in document.rows] == rows
    assert [diagnostic.code for diagnostic in document.diagnostics] == codes


def test_a_table_left_open_at_the_end_of_the_page_is_still_read() -> None:
    """MediaWiki renders a table whose |} is missing as a table: its rows are readable."""
    document = parse_wikitext("{|\n! Country !! Since\n|-\n| {{flag|Chile}} || 1992\n|-\n| {{flag|Peru}} || 1993\n")
    assert [row.country for row in document.rows] == ["Chile", "Peru"]


def test_a_table_left_open_holds_the_next_section_as_mediawiki_renders_it() -> None:
    """An unclosed table runs to the end of the page: a heading and a table after it are in its last cell."""
    text = (
        "== Africa ==\n{|\n! Country !! Since\n|-\n| {{flag|Chad}} || 1992\n"
        "== Asia ==\n{|\n! Country !! Since\n|-\n| {{flag|Laos}} || 1993\n|}\n"
    )
    document = parse_wikitext(text)
    assert [(row.country, row.date["iso"] if row.date else None, row.line) for row in document.rows] == [
        ("Laos", "1993", 10),
        ("Chad", "1992", 5),
    ]


def test_a_byte_order_mark_before_the_first_table_is_ignored() -> None:
    """A UTF-8 BOM at the start of the text is not text: the table right after it is read."""
    document = parse_wikitext("\ufeff{|\n! Country !! Since\n|-\n| {{flag|Chile}} || 1992\n|}\n")
    assert [row.country for row in document.rows] == ["Chile"]


def test_kyrgyzstan_cut_before_its_last_table_end_keeps_every_relation(current_kyrgyzstan_text: str) -> None:
    """The real article cut one character before its last |} gives the same relations as the whole one."""
    from extractor.extract import article_from_document
    from extractor.source import make_source

    cut = current_kyrgyzstan_text[: current_kyrgyzstan_text.rindex("|}") - 1]
    source = make_source("Foreign relations of Kyrgyzstan", obtained="file")
    whole = article_from_document(parse_wikitext(current_kyrgyzstan_text), source)
    broken = article_from_document(parse_wikitext(cut), source)
    assert len(whole.relations) == 185
    assert [r.country for r in broken.relations] == [r.country for r in whole.relations]


def test_an_article_without_a_relation_table_says_so() -> None:
    """A disambiguation page gives no rows and one 'no-relation-table' diagnostic."""
    document = parse_wikitext("'''Foreign relations of Korea''' may refer to:\n* [[Foreign relations of North Korea]]")
    assert document.rows == []
    assert [(d.code, d.severity) for d in document.diagnostics] == [("no-relation-table", "warning")]


def test_mangled_real_articles_never_raise(corpus: dict[str, CorpusArticle]) -> None:
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
    texts = [entry.text for entry in corpus.values()]  # in file-name order
    for _ in range(20):
        text = generator.choice(texts)
        cut = generator.randrange(len(text))
        text = text[:cut] + text[cut + generator.randrange(2000) :]
        for _ in range(30):
            at = generator.randrange(len(text))
            text = text[:at] + generator.choice(pieces) + text[at:]
        document = parse_wikitext(text)
        assert all(d.code not in {"unreadable-table", "unreadable-text"} for d in document.diagnostics)


def test_a_cells_wikitext_is_the_librarys_own_on_every_corpus_table_cell(corpus: dict[str, CorpusArticle]) -> None:
    """Cell.wikitext() puts a plain cell's wikitext together itself (line_of's speed): it must stay
    exactly what mwparserfromhell serialises, on every cell of every corpus table, should the
    library's serialisation change in a later version."""
    import mwparserfromhell
    from mwparserfromhell.nodes import Tag

    from extractor.collector import collector_paused
    from extractor.parse.wikitext.tables import read_table

    differ, cells = [], 0
    # Beside the corpus's datasets, each collection would scan them all (minutes, not seconds).
    with collector_paused():
        for item in corpus.values():
            for tag in mwparserfromhell.parse(item.text).nodes:  # the top-level tables: nearly all
                if isinstance(tag, Tag) and tag.wiki_markup == "{|":
                    for row in read_table(tag).rows:
                        cells += len(row)
                        differ += [(item.name, str(cell.tag)[:80]) for cell in row if cell.wikitext() != str(cell.tag)]
    assert differ == []
    assert cells > 50_000  # every corpus table was read, not none
