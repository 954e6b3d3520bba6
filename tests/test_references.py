"""References are numbered as MediaWiki's Cite numbers them, and read into plain fields."""

from __future__ import annotations

import mwparserfromhell

from extractor.parse.document import ParsedDocument
from extractor.parse.wikitext.references import citation_fields
from extractor.parse.wikitext.walk import parse_wikitext

TABLE = """{{| class="wikitable"
! Country !! Formal relations began !! Notes
|-
| {{{{flag|Chile}}}} || 1992{date_ref} || {notes}
|}}
"""


def parse(text: str) -> ParsedDocument:
    return parse_wikitext(text)


def numbers(document: ParsedDocument) -> dict[str | None, int]:
    return {r.name: r.number for r in document.references}


def test_names_with_and_without_quotes_are_the_same_reference() -> None:
    """<ref name=a>, <ref name="a"/> and <ref name='a' /> are one reference cited three times."""
    document = parse("x<ref name=a>A</ref> y<ref name=\"a\"/> z<ref name='a' />")
    assert [(r.name, r.citation_count) for r in document.references] == [("a", 3)]


def test_visual_editor_names_are_ordinary_names() -> None:
    """VisualEditor's names (":0", ":1") number like any other name."""
    document = parse('a<ref name=":0">A</ref> b<ref name=":1">B</ref> c<ref name=":0" />')
    assert numbers(document) == {":0": 1, ":1": 2}


def test_a_reference_reused_before_its_definition_takes_its_number_at_first_use() -> None:
    """Cite numbers by first use, even when the first use is empty and the definition comes later."""
    document = parse('a<ref name="late" /> b<ref>B</ref> c<ref name="late">Late</ref>')
    assert [(r.number, r.name, r.text) for r in document.references] == [(1, "late", "Late"), (2, None, "B")]


def test_list_defined_references_are_read_from_references_and_reflist() -> None:
    """Definitions inside <references>…</references> and {{reflist|refs=…}} fill the named uses."""
    tags = parse('a<ref name="x" />\n<references>\n<ref name="x">From the tag</ref>\n</references>')
    template = parse('a<ref name="y" />\n{{Reflist|30em|refs=\n<ref name="y">From refs=</ref>\n}}')
    assert tags.references[0].text == "From the tag"
    assert template.references[0].text == "From refs="
    assert len(template.references) == 1


def test_sfn_makes_one_reference_per_source_and_page() -> None:
    """Identical {{sfn}} calls share a number; the text is 'Author Year, p. N.'"""
    document = parse("a{{sfn|Bird|2008|p=3}} b{{sfn|Bird|2008|p=4}} c{{sfn|Bird|2008|p=3}}")
    assert [(r.number, r.text, r.citation_count) for r in document.references] == [
        (1, "Bird 2008, p. 3.", 2),
        (2, "Bird 2008, p. 4.", 1),
    ]


def test_efn_footnotes_are_numbered_apart_but_their_references_count() -> None:
    """{{efn}} notes are a group of their own; a ref inside a note is numbered where the note is."""
    document = parse(
        "a<ref>One</ref> b{{efn|A note.<ref>Two</ref>}} c<ref>Three</ref>\n{{notelist}}\n{{reflist}}"
    )
    assert [r.text for r in document.references] == ["One", "Two", "Three"]


def test_tag_ref_is_a_reference_in_its_group() -> None:
    """{{#tag:ref|…|name=…}} is a main-group reference; with group=… it is a footnote."""
    document = parse('a{{#tag:ref|Tagged|name="t"}} b{{#tag:ref|A note|group="note"}} c<ref>Plain</ref>')
    assert [(r.number, r.name, r.text) for r in document.references] == [
        (1, "t", "Tagged"),
        (2, None, "Plain"),
    ]


def test_invoke_cite_is_read_like_the_citation_template() -> None:
    """{{#invoke:cite|web|…}} gives the same fields as {{cite web|…}}."""
    document = parse(
        "a<ref>{{#invoke:cite|web|url=https://example.org/a|title=A title|website=Example|"
        "access-date=10 June 2025}}</ref>"
    )
    reference = document.references[0]
    assert (reference.template, reference.title, reference.url, reference.work) == (
        "cite web",
        "A title",
        "https://example.org/a",
        "Example",
    )
    assert reference.text == '"A title". Example. Retrieved 10 June 2025.'


def test_a_bare_url_ends_where_a_template_begins() -> None:
    """'http://x.org/a{{dead link}}' is the address http://x.org/a; the template is no part of it."""
    document = parse("a<ref>http://example.org/a{{dead link|date=January 2017}}</ref>")
    assert document.references[0].url == "http://example.org/a"
    assert document.references[0].text == "http://example.org/a"


def test_citations_in_a_relation_row_are_linked_to_their_cell() -> None:
    """References in the date and notes cells of a row are citations of that row's cells."""
    text = TABLE.format(date_ref='<ref name="d">D</ref>', notes="Notes.<ref>N</ref>{{sfn|Bird|2008|p=3}}")
    row = parse(text).rows[0]
    assert [(c.reference_number, c.cell) for c in row.citations] == [(1, "date"), (2, "notes"), (3, "notes")]


def test_references_in_columns_that_are_not_read_still_count_in_order() -> None:
    """A reference in an extra column (e.g. 'Free trade agreement') keeps the numbering in document order."""
    text = (
        '{| class="wikitable"\n! Country !! Relations began !! Notes !! Free trade agreement\n|-\n'
        "| {{flag|Chile}} || 1992 || Notes<ref>N</ref> || FTA<ref>F</ref>\n|}\nAfter.<ref>After</ref>"
    )
    document = parse(text)
    assert [r.text for r in document.references] == ["N", "F", "After"]
    assert [(c.reference_number, c.cell) for c in document.rows[0].citations] == [(1, "notes")]


def test_refn_and_r_templates_number_like_refs() -> None:
    """{{refn|…|name=n}} makes a main-group reference; {{r|n}} reuses it."""
    document = parse("a{{refn|Note text|name=n}} b<ref>Plain</ref> c{{r|n}}")
    assert [(r.number, r.name, r.text, r.citation_count) for r in document.references] == [
        (1, "n", "Note text", 2),
        (2, None, "Plain", 1),
    ]


def test_script_title_is_shown_without_its_language_code() -> None:
    """CS1 shows script-title=ru:… without the 'ru:' prefix; so does the dataset."""
    template = mwparserfromhell.parse("{{cite web |script-title=ru:Москва |url=https://example.org}}").filter_templates()[0]
    assert citation_fields(template)["title"] == "Москва"
    both = mwparserfromhell.parse("{{cite web |title=Moskva |script-title=ru:Москва}}").filter_templates()[0]
    assert citation_fields(both)["title"] == "Moskva"
