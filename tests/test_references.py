"""References are numbered as MediaWiki's Cite numbers them, and read into plain fields."""

from __future__ import annotations

import mwparserfromhell

from extractor.parse.document import ParsedDocument
from extractor.parse.wikitext.citation import citation_fields
from extractor.parse.wikitext.render import Renderer
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


def test_sfn_makes_one_reference_per_source_and_page() -> None:
    """Identical {{sfn}} calls share a number; the text is 'Author Year, p. N.'"""
    document = parse("a{{sfn|Bird|2008|p=3}} b{{sfn|Bird|2008|p=4}} c{{sfn|Bird|2008|p=3}}")
    assert [(r.number, r.text, r.citation_count) for r in document.references] == [
        (1, "Bird 2008, p. 3.", 2),
        (2, "Bird 2008, p. 4.", 1),
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


def test_refn_and_r_templates_number_like_refs() -> None:
    """{{refn|…|name=n}} makes a main-group reference; {{r|n}} reuses it."""
    document = parse("a{{refn|Note text|name=n}} b<ref>Plain</ref> c{{r|n}}")
    assert [(r.number, r.name, r.text, r.citation_count) for r in document.references] == [
        (1, "n", "Note text", 2),
        (2, None, "Plain", 1),
    ]


def test_script_title_is_shown_without_its_language_code() -> None:
    """CS1 shows script-title=ru:… without the 'ru:' prefix; so does the dataset."""
    template = mwparserfromhell.parse(
        "{{cite web |script-title=ru:Москва |url=https://example.org}}"
    ).filter_templates()[0]
    assert citation_fields(template, Renderer().text)["title"] == "Москва"
    both = mwparserfromhell.parse("{{cite web |title=Moskva |script-title=ru:Москва}}").filter_templates()[0]
    assert citation_fields(both, Renderer().text)["title"] == "Moskva"
