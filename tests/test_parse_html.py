"""The HTML parser on hand-written snippets shaped like English Wikipedia's HTML.

The snippets follow ``../shared/notes/enwiki-html.md``: they hold the structures Wikipedia serves
that the test wiki's stand-in templates do not produce (new ``div.mw-heading`` headings, images
wrapped in ``span[typeof="mw:File"]``, template styles, footnote groups, ``&#95;`` ids, Parsoid's
``data-mw-footnote-number``), so that the parser is keyed on Wikipedia's structures, not on our
own rendering.

The rules the two parsers share (partners, dates, notes, layout, citations, spans) are tested on
both at once by the cases of ``tests/cases`` (``tests/test_cases.py``); this file keeps what is
particular to HTML: Wikipedia's markup, the two flavours, reference lists, and bad HTML.
"""

from __future__ import annotations

import pytest

from extractor.extract import article_from_document
from extractor.models import Article
from extractor.parse.document import ParsedDocument
from extractor.parse.html.walk import detect_flavour, parse_html
from extractor.source import make_source

FLAG = (
    '<span class="flagicon"><span class="mw-image-border" typeof="mw:File"><span>'
    '<img alt="" src="//upload.wikimedia.org/wikipedia/commons/thumb/d/d3/Flag_of_{file}.svg/'
    '23px-Flag_of_{file}.svg.png" class="mw-file-element" width="23" height="12"></span></span>'
    "</span>&#160;"
)
STYLE = (
    '<style data-mw-deduplicate="TemplateStyles:r1">.mw-parser-output .hatnote{font-style:italic}</style>'
    '<link rel="mw-deduplicated-inline-style" href="mw-data:TemplateStyles:r1">'
)


def legacy_page(body: str, references: str = "") -> str:
    """A legacy (action=parse) page with the new heading shape around ``body``."""
    return (
        '<div class="mw-content-ltr mw-parser-output" lang="en" dir="ltr">'
        '<div class="mw-heading mw-heading2"><h2 id="Bilateral_relations">Bilateral relations</h2>'
        '<span class="mw-editsection"><span class="mw-editsection-bracket">[</span>'
        '<a href="/w/index.php?title=X&amp;action=edit&amp;section=1">edit</a>'
        '<span class="mw-editsection-bracket">]</span></span></div>'
        f"{body}"
        '<div class="mw-heading mw-heading2"><h2 id="References">References</h2></div>'
        f'<div class="reflist"><div class="mw-references-wrap"><ol class="references">{references}'
        "</ol></div></div></div>"
    )


def bilateral(rows: str) -> str:
    """A bilateral table (Country / Formal relations began / Notes) holding ``rows``."""
    return (
        '<table class="wikitable sortable"><tbody><tr><th>Country</th><th>Formal relations began</th>'
        f"<th>Notes</th></tr>{rows}</tbody></table>"
    )


def sup(note: str, label: str, ref: str) -> str:
    """A legacy inline citation."""
    return f'<sup id="cite&#95;ref-{ref}" class="reference"><a href="#cite_note-{note}">&#91;{label}&#93;</a></sup>'


def note(note_id: str, backlinks: str, text: str) -> str:
    """A legacy reference list item."""
    return (
        f'<li id="cite&#95;note-{note_id}"><span class="mw-cite-backlink">{backlinks}</span> '
        f'<span class="reference-text">{text}</span></li>'
    )


def dataset(html: str) -> Article:
    """The merged dataset of ``html``."""
    return article_from_document(parse_html(html), make_source("Foreign relations of X", obtained="file"))


def codes(document: ParsedDocument) -> list[str]:
    """The diagnostics' codes."""
    return [d.code for d in document.diagnostics]


CITE_WEB = (
    '<cite id="CITEREFMinistry2019" class="citation web cs1">Ministry (6 October 2019). '
    '<a rel="nofollow" class="external text" href="https://web.archive.org/web/2020/https://mfa.example/kz">'
    '"Kazakhstan relations"</a>. <i>mfa.example</i>. Archived from '
    '<a rel="nofollow" class="external text" href="https://mfa.example/kz">the original</a> on 1 May 2020'
    '<span class="reference-accessdate">. Retrieved <span class="nowrap">3 June</span> 2021</span>.</cite>'
    '<span title="ctx&#95;ver=Z39.88-2004&amp;rft&#95;val&#95;fmt=info%3Aofi%2Ffmt%3Akev%3Amtx%3Ajournal'
    "&amp;rft.genre=unknown&amp;rft.jtitle=mfa.example&amp;rft.atitle=Kazakhstan+relations"
    "&amp;rft.date=2019-10-06&amp;rft&#95;id=https%3A%2F%2Fmfa.example%2Fkz"
    '&amp;rfr&#95;id=info%3Asid%2Fen.wikipedia.org%3AX" class="Z3988"></span>'
)

LEGACY = legacy_page(
    bilateral(
        "<tr>"
        f'<td>{FLAG.format(file="Kazakhstan")}<a href="/wiki/Kazakhstan" title="Kazakhstan">Kazakhstan</a>'
        "</td>"
        '<td><span data-sort-value="000000001992-10-15-0000" style="white-space:nowrap">15 October '
        "1992</span></td>"
        f"<td>{STYLE}"
        '<div role="note" class="hatnote navigation-not-searchable">Main article: '
        '<a href="/wiki/Kazakhstan%E2%80%93Kyrgyzstan_relations">Kazakhstan–Kyrgyzstan relations</a></div>'
        f"<ul><li>Both countries are members of the CIS.{sup('cs-1', '1', 'cs_1-0')}</li>"
        f"<li>Kazakhstan has an embassy in Bishkek.{sup('2', '2', '2')}{sup('3', 'a', '3')}</li></ul></td>"
        "</tr><tr>"
        f"<td>{FLAG.format(file='Atlantis')}<a "
        'href="/w/index.php?title=Atlantis&amp;action=edit&amp;redlink=1" '
        'class="new" title="Atlantis (page does not exist)">Atlantis</a></td>'
        '<td><span style="display:none" class="sortkey">000000001993-01-01-0000</span>January 1993</td>'
        '<td>See <a href="/w/index.php?title=Atlantis%E2%80%93Kyrgyzstan_relations'
        '&amp;action=edit&amp;redlink=1" '
        'class="new">Atlantis–Kyrgyzstan relations</a>\n'
        '<figure class="mw-default-size" typeof="mw:File/Thumb"><a href="/wiki/File:Summit.jpg" '
        'class="mw-file-description"><img src="//upload.wikimedia.org/Summit.jpg" class="mw-file-element">'
        "</a><figcaption>Leaders at the summit</figcaption></figure>"
        f"<p>Relations are cordial.{sup('cs-1', '1', 'cs_1-1')}\nTrade grew.</p></td>"
        "</tr>"
    ),
    note(
        "cs-1",
        '^ <a href="#cite_ref-cs_1-0"><sup><i><b>a</b></i></sup></a> '
        '<a href="#cite_ref-cs_1-1"><sup><i><b>b</b></i></sup></a>',
        CITE_WEB,
    )
    + note(
        "2",
        '<a href="#cite_ref-2"><span class="cite-accessibility-label">Jump up ^</span></a>',
        'Smith, J. "Embassies of Kazakhstan". <a rel="nofollow" class="external text" '
        'href="http://embassies.example/kz">Embassy list</a>. '
        '<a rel="nofollow" class="external text" '
        'href="https://web.archive.org/web/2019/http://embassies.example/kz">'
        'Archived</a> 2019-03-04 at the <a href="/wiki/Wayback_Machine">Wayback Machine</a>',
    ),
)
# The footnote group ({{efn}}) that reference "a" belongs to: a list of its own.
LEGACY = LEGACY.replace(
    "</div></div></div>",
    '</div></div><div class="reflist reflist-lower-alpha"><div class="mw-references-wrap">'
    '<ol class="references" style="list-style-type: lower-alpha;">'
    + note("3", '<a href="#cite_ref-3">^</a>', "An explanatory note.")
    + "</ol></div></div></div>",
    1,
)


def test_legacy_rows_read_country_date_notes_and_main_article() -> None:
    """Legacy HTML gives each row's country (blue or red link), date, notes and main article."""
    article = dataset(LEGACY)
    kazakhstan, atlantis = article.relations
    assert (kazakhstan.country, kazakhstan.country_article) == ("Kazakhstan", "Kazakhstan")
    assert (kazakhstan.established, kazakhstan.established_precision) == ("1992-10-15", "day")
    assert kazakhstan.main_article == "Kazakhstan–Kyrgyzstan relations"
    assert kazakhstan.notes == "• Both countries are members of the CIS.\n• Kazakhstan has an embassy in Bishkek."
    assert kazakhstan.section == "Bilateral relations"
    assert (atlantis.country, atlantis.country_article) == ("Atlantis", "Atlantis")
    assert (atlantis.established_raw, atlantis.established) == ("January 1993", "1993-01")
    assert atlantis.main_article == "Atlantis–Kyrgyzstan relations"
    assert atlantis.notes == "Relations are cordial.\nTrade grew."


def test_legacy_citations_link_rows_to_main_group_references_only() -> None:
    """Every main-group citation is linked to its row and cell; the {{efn}} group is kept apart."""
    article = dataset(LEGACY)
    assert [(c.country, c.reference_number, c.cell) for c in article.citations] == [
        ("Kazakhstan", 1, "notes"),
        ("Kazakhstan", 2, "notes"),
        ("Atlantis", 1, "notes"),
    ]
    assert [(r.number, r.name, r.citation_count) for r in article.references] == [(1, "cs", 2), (2, None, 1)]


def test_legacy_cs1_reference_fields_come_from_coins_and_the_citation() -> None:
    """A CS1 citation's title, url, work and dates come from its COinS and visible text."""
    reference = dataset(LEGACY).references[0]
    assert reference.template == "cite web"
    assert reference.title == "Kazakhstan relations"
    assert reference.url == "https://mfa.example/kz"
    assert reference.work == "mfa.example"
    assert reference.archive_url == "https://web.archive.org/web/2020/https://mfa.example/kz"
    assert reference.archive_date == "1 May 2020"
    assert reference.access_date == "3 June 2021"


def test_hand_written_reference_takes_quoted_title_and_first_non_archive_link() -> None:
    """A hand-written reference's title is its quoted text; its url the first link that is no archive."""
    reference = dataset(LEGACY).references[1]
    assert reference.template is None
    assert reference.title == "Embassies of Kazakhstan"
    assert reference.url == "http://embassies.example/kz"
    assert reference.archive_url == "https://web.archive.org/web/2019/http://embassies.example/kz"
    assert reference.archive_date == "2019-03-04"
    assert reference.text is not None and "[1]" not in reference.text


def test_old_heading_shape_and_bare_or_labelled_links() -> None:
    """``h2 > span.mw-headline`` names the section; a bare ``[url]`` reference has no title."""
    html = (
        '<div class="mw-parser-output"><h2><span class="mw-headline" id="Relations">Relations</span>'
        '<span class="mw-editsection">[<a href="/w/index.php?action=edit&amp;section=1">edit</a>]</span></h2>'
        + bilateral(
            f'<tr><td>{FLAG.format(file="Chile")}<a href="/wiki/Chile">Chile</a></td><td>1992</td>'
            f"<td>Relations began in 1992.{sup('1', '1', '1')}</td></tr>"
        )
        + '<ol class="references">'
        + note(
            "1",
            '<b><a href="#cite_ref-1">^</a></b>',
            '<a rel="nofollow" class="external autonumber" href="http://chile.example/">[1]</a>',
        )
        + "</ol></div>"
    )
    article = dataset(html)
    assert article.relations[0].section == "Relations"
    assert (article.references[0].url, article.references[0].title) == ("http://chile.example/", None)


def test_flagicon_alone_names_the_country_by_its_file() -> None:
    """A legacy ``{{flagicon}}`` whose image links nowhere names the country only by its flag file.

    The rule itself (a lone flag icon names its country) is the case ``partners:lone-flag-icon``;
    the test wiki's flag images link to the country, so only this Wikipedia-shaped image without a
    link reaches the file-name fallback.
    """
    html = legacy_page(bilateral(f"<tr><td>{FLAG.format(file='Kazakhstan')}</td><td>1992</td><td>x</td></tr>"))
    relation = dataset(html).relations[0]
    assert (relation.country, relation.country_article) == ("Kazakhstan", "Kazakhstan")


PARSOID = (
    '<!DOCTYPE html>\n<html prefix="dc: http://purl.org/dc/terms/ mw: http://mediawiki.org/rdf/" '
    'about="https://en.wikipedia.org/wiki/Special:Redirect/revision/123"><head><meta charset="utf-8"/>'
    '<meta property="mw:pageId" content="7"/><meta property="mw:htmlVersion" content="2.8.0"/>'
    "<title>Foreign relations of X</title></head>"
    '<body class="mw-content-ltr sitedir-ltr ltr mw-body-content parsoid-body mediawiki mw-parser-output">'
    '<section data-mw-section-id="0" id="mwAQ"><p id="mwAg">Lead.</p></section>'
    '<section data-mw-section-id="1" id="mwAw"><h2 id="Bilateral_relations">Bilateral relations</h2>'
    '<table class="wikitable sortable"><tbody><tr><th>Country</th><th>Formal relations began</th><th>'
    "Notes</th></tr>"
    # {{flagicon|Kazakhstan}} alone: the country is only in data-mw (and the file name).
    '<tr><td><span class="flagicon" about="#mwt1" typeof="mw:Transclusion" data-mw=\'{"parts":[{"template":'
    '{"target":{"wt":"flagicon","href":"./Template:Flagicon"},"params":{"1":{"wt":"Kazakhstan"}},"i":0}}]}\'>'
    '<span class="mw-image-border" typeof="mw:File"><span><img resource="./File:Flag_of_Kazakhstan.svg" '
    'src="//upload.wikimedia.org/x.png"/></span></span></span></td>'
    "<td><!--Date started-->15 October 1992</td>"
    '<td><ul><li>Both are CIS members.<sup about="#mwt2" class="mw-ref reference" id="cite_ref-cs_1-0" '
    'rel="dc:references" typeof="mw:Extension/ref" data-mw=\'{"name":"ref","attrs":{"name":"cs ref"},'
    '"body":{"id":"mw-reference-text-cite_note-cs_ref-1"}}\'>'
    '<a href="./Foreign_relations_of_X#cite_note-cs_ref-1">'
    '<span class="mw-reflink-text">[1]</span></a></sup></li>'
    '<li>A note.<sup about="#mwt3" class="mw-ref reference" id="cite_ref-2" typeof="mw:Extension/ref" '
    'data-mw=\'{"name":"ref","attrs":{"group":"lower-alpha"},"body":{"id":"mw-reference-text-cite_note-2"}}\'>'
    '<a href="./Foreign_relations_of_X#cite_note-2"><span class="mw-reflink-text">[a]</span></a></sup></li>'
    "</ul></td>"
    "</tr>"
    '<tr><td><span class="flagicon" about="#mwt4" typeof="mw:Transclusion" data-mw=\'{"parts":[{"template":'
    '{"target":{"wt":"flag","href":"./Template:Flag"},"params":{"1":{"wt":"Atlantis"}},"i":0}}]}\'>'
    '<span class="mw-image-border" typeof="mw:File"><span><img src="//upload.wikimedia.org/a.png"/></span>'
    "</span>"
    '</span><span typeof="mw:Entity" about="#mwt4">\u00a0</span><a rel="mw:WikiLink" href="./Atlantis" '
    'title="Atlantis" about="#mwt4" class="new">Atlantis</a></td><td></td>'
    '<td>See <a rel="mw:WikiLink" href="./Atlantis–X_relations" class="new">Atlantis–X relations</a>\n\n'
    '<p>Cordial.<sup about="#mwt5" class="mw-ref reference" id="cite_ref-cs_1-1" typeof="mw:Extension/ref" '
    'data-mw=\'{"name":"ref","attrs":{"name":"cs ref"}}\'><a '
    'href="./Foreign_relations_of_X#cite_note-cs_ref-1">'
    '<span class="mw-reflink-text">[1]</span></a></sup></p></td></tr>'
    "</tbody></table></section>"
    '<section data-mw-section-id="2"><h2 id="Notes">Notes</h2>'
    '<div class="mw-references-wrap" typeof="mw:Extension/references" data-mw=\'{"name":"references",'
    '"attrs":{"group":"lower-alpha"}}\'><ol class="mw-references references" data-mw-group="lower-alpha">'
    '<li about="#cite_note-2" id="cite_note-2" data-mw-footnote-number="1"><a '
    'href="./Foreign_relations_of_X#cite_ref-2" '
    'rel="mw:referencedBy"><span class="mw-linkback-text">↑ </span></a> <span '
    'id="mw-reference-text-cite_note-2" '
    'class="mw-reference-text reference-text">A group note.</span></li></ol></div></section>'
    '<section data-mw-section-id="3"><h2 id="References">References</h2>'
    '<div class="mw-references-wrap" typeof="mw:Extension/references" '
    'data-mw=\'{"name":"references","attrs":{}}\'>'
    '<ol class="mw-references references">'
    '<li about="#cite_note-cs_ref-1" id="cite_note-cs_ref-1" data-mw-footnote-number="1">'
    '<span rel="mw:referencedBy" class="mw-cite-backlink"><a href="./Foreign_relations_of_X#cite_ref-cs_1-0">'
    '<span class="mw-linkback-text">1 </span></a><a href="./Foreign_relations_of_X#cite_ref-cs_1-1">'
    '<span class="mw-linkback-text">2 </span></a></span> '
    '<span id="mw-reference-text-cite_note-cs_ref-1" class="mw-reference-text reference-text">'
    '<cite class="citation book cs1" about="#mwt9" typeof="mw:Transclusion">Curtis, Glenn (1996). '
    '<a rel="mw:ExtLink nofollow" href="https://loc.example/kg" class="external text"><i>Kyrgyzstan: a '
    "country "
    "study</i></a>.</cite>"
    '<span title="ctx_ver=Z39.88-2004&amp;rft.genre=book&amp;rft.btitle=Kyrgyzstan%3A+a+country+study'
    '&amp;rft.date=1996&amp;rft_id=https%3A%2F%2Floc.example%2Fkg" class="Z3988" about="#mwt9"></span>'
    "</span></li></ol></div></section></body></html>"
)


def test_parsoid_rows_citations_and_references() -> None:
    """Parsoid HTML gives the same kind of rows, citations and references as legacy HTML."""
    article = dataset(PARSOID)
    kazakhstan, atlantis = article.relations
    assert (kazakhstan.country, kazakhstan.established) == ("Kazakhstan", "1992-10-15")
    assert kazakhstan.notes == "• Both are CIS members.\n• A note."
    assert (atlantis.country, atlantis.main_article, atlantis.notes) == (
        "Atlantis",
        "Atlantis–X relations",
        "Cordial.",
    )
    assert [(c.country, c.reference_number) for c in article.citations] == [
        ("Kazakhstan", 1),
        ("Atlantis", 1),
    ]
    [reference] = article.references
    assert (reference.number, reference.name, reference.citation_count) == (1, "cs ref", 2)
    assert (reference.template, reference.title, reference.url) == (
        "cite book",
        "Kyrgyzstan: a country study",
        "https://loc.example/kg",
    )


def test_detect_flavour_tells_parsoid_from_legacy() -> None:
    """Parsoid's attributes mark its HTML; anything else is read as legacy HTML."""
    assert detect_flavour(PARSOID) == "parsoid"
    assert detect_flavour(LEGACY) == "html"


@pytest.mark.parametrize(
    ("html", "code"),
    [
        ("", "no-relation-table"),
        ("<p>Just a paragraph.</p>", "no-relation-table"),
        ("\x00\x01 not html at all <<<>>>", "no-relation-table"),
        (
            '<table class="wikitable"><tr><th>Name</th><th>Population</th></tr><tr><td>A</td><td>1</td></tr></table>',
            "no-relation-table",
        ),
    ],
    ids=["empty", "no-table", "garbage", "unexpected-headers"],
)
def test_html_without_relation_table_gives_a_diagnostic(html: str, code: str) -> None:
    """HTML without a relation table yields no rows and a diagnostic, not an exception."""
    document = parse_html(html)
    assert document.rows == []
    assert code in codes(document)


def test_nested_table_is_read_apart_and_reported() -> None:
    """A table inside a relation cell is left out of the notes, read on its own, and reported."""
    inner = bilateral('<tr><td><a href="/wiki/Peru">Peru</a></td><td>1993</td><td>inner</td></tr>')
    html = legacy_page(
        bilateral(f'<tr><td><a href="/wiki/Chile">Chile</a></td><td>1992</td><td>outer{inner}</td></tr>')
    )
    document = parse_html(html)
    assert [(r.country, r.notes) for r in document.rows] == [("Peru", "inner"), ("Chile", "outer")]
    assert "nested-table" in codes(document)


def test_truncated_html_keeps_rows_and_reports_unresolved_citations() -> None:
    """HTML cut before its reference list keeps its rows; its citations keep their [n] and are reported."""
    cut = LEGACY[: LEGACY.index("References")]
    document = parse_html(cut)
    assert [r.country for r in document.rows] == ["Kazakhstan", "Atlantis"]
    assert document.references == []
    assert [c.reference_number for c in document.rows[0].citations] == [1, 2]
    assert {"unresolved-citation", "no-reference-list"} <= set(codes(document))


def test_every_truncation_of_a_page_parses_without_raising() -> None:
    """Cutting the page anywhere never makes the parser raise, and it still reads what is there: the
    rows before the cut as the whole page gives them (only the last one may be cut off), more rows the
    later the cut, and the whole page in the end."""
    for html in (LEGACY, PARSOID):
        whole = [row.country for row in parse_html(html).rows]
        read_before = 0
        for end in [*range(0, len(html), 37), len(html)]:
            document = parse_html(html[:end])
            countries = [row.country for row in document.rows]
            assert len(countries) >= read_before and len(countries) <= len(whole), end
            assert countries[:-1] == whole[: max(len(countries) - 1, 0)], (end, countries)
            assert "html-too-deep" not in codes(document), end
            read_before = len(countries)
        assert countries == whole == ["Kazakhstan", "Atlantis"]


def test_deeply_nested_html_does_not_raise() -> None:
    """Deeply nested markup is read, and so is pathologically nested markup (5000 levels of wrappers)."""
    row = '<tr><td><a href="/wiki/Chile">Chile</a></td><td>1992</td><td>x</td></tr>'
    deep = parse_html("<div>" * 300 + bilateral(row))
    assert [(r.country, r.date["iso"] if r.date else None, r.notes) for r in deep.rows] == [("Chile", "1992", "x")]
    assert codes(deep) == []
    pathological = parse_html("<div>" * 5000 + bilateral(row))
    assert [(r.country, r.date["iso"] if r.date else None, r.notes) for r in pathological.rows] == [
        ("Chile", "1992", "x")
    ]
    assert codes(pathological) == []


def test_coins_entities_are_read_as_the_characters_a_reader_sees() -> None:
    """A title written with entities (``&#124;`` for "|") reads as the character, as in the wikitext."""
    coins = (
        '<cite class="citation web cs1">"A | B".</cite><span class="Z3988" '
        'title="ctx_ver=Z39.88-2004&amp;rft.btitle=A+%26%23124%3B+B%26nbsp%3BC&amp;rft_id=http%3A%2F%2Fa.example%2F">'
        "</span>"
    )
    html = legacy_page(
        bilateral(f'<tr><td><a href="/wiki/Chile">Chile</a></td><td>1992</td><td>x{sup("1", "1", "1")}</td></tr>'),
        note("1", '<a href="#cite_ref-1">^</a>', coins),
    )
    reference = dataset(html).references[0]
    assert (reference.title, reference.url) == ("A | B C", "http://a.example/")


def test_error_messages_are_not_reference_text() -> None:
    """A Scribunto or Cite error shown in a reference is neither its text nor its title."""
    error = '<strong class="error"><span class="scribunto-error">Script error: No such module "cite".</span></strong>'
    html = legacy_page(
        bilateral(f'<tr><td><a href="/wiki/Chile">Chile</a></td><td>1992</td><td>x{sup("1", "1", "1")}</td></tr>'),
        note("1", '<a href="#cite_ref-1">^</a>', error),
    )
    reference = dataset(html).references[0]
    assert (reference.title, reference.text) == (None, None)


def test_saved_page_is_read_from_its_content_not_its_skin() -> None:
    """A whole saved page is read from ``#mw-content-text``, not from a site notice before it."""
    notice = (
        '<div id="siteNotice"><div class="mw-parser-output">'
        + bilateral('<tr><td><a href="/wiki/Notice">Notice</a></td><td>1990</td><td>skin</td></tr>')
        + "</div></div>"
    )
    content = legacy_page(bilateral('<tr><td><a href="/wiki/Chile">Chile</a></td><td>1992</td><td>x</td></tr>'))
    page = f'<html><body>{notice}<div id="mw-content-text">{content}</div></body></html>'
    assert [r.country for r in parse_html(page).rows] == ["Chile"]


def _deep_table(depth: int) -> str:
    deep = "<span>" * depth + "1994" + "</span>" * depth
    rows = "".join(
        f'<tr><td><a href="/wiki/{name}">{name}</a></td><td>{date}</td></tr>'
        for name, date in (("Chile", "1992"), ("Peru", deep), ("Chad", "1993"))
    )
    return f"<table><tr><th>Country</th><th>Since</th></tr>{rows}</table>"


def test_a_cell_nested_too_deeply_keeps_every_row() -> None:
    """A cell nested 5,000 deep keeps its row and the rows after it; its plain text is read, with a diagnostic."""
    document = parse_html(_deep_table(5000))
    assert [(row.country, row.date["iso"] if row.date else None) for row in document.rows] == [
        ("Chile", "1992"),
        ("Peru", "1994"),
        ("Chad", "1993"),
    ]
    assert [d.code for d in document.diagnostics] == ["nested-too-deep"]


def test_a_table_inside_deeply_nested_wrappers_is_read() -> None:
    """A relation table wrapped in 5,000 nested divs is still found."""
    html = "<div>" * 5000 + _deep_table(1) + "</div>" * 5000
    document = parse_html(html)
    assert [row.country for row in document.rows] == ["Chile", "Peru", "Chad"]
    assert document.diagnostics == []


def test_an_empty_file_gives_no_rows_and_says_so() -> None:
    """Empty HTML parses to nothing, with the 'no-relation-table' diagnostic, never an error."""
    document = parse_html("")
    assert document.rows == []
    assert [d.code for d in document.diagnostics] == ["no-relation-table"]


def test_a_byte_order_mark_before_the_html_is_ignored() -> None:
    """A UTF-8 BOM at the start of the HTML is not content."""
    document = parse_html("\ufeff" + _deep_table(1))
    assert [row.country for row in document.rows] == ["Chile", "Peru", "Chad"]
