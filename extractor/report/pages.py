"""The report's HTML pages: one per article, the family's ``all/index.html`` and its disagreements.

Plain HTML with every value escaped (``html.escape``): the pages are a few headings, tables and
lists, which a templating engine would not make shorter. The only script is the small one below,
written here rather than taken from a package: sorting a table by a column and filtering its
rows by a search box is a dozen lines, and no registry package ships it without a framework.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from extractor.models import Article, Citation, Reference, Relation

__all__ = ["Disagreement", "article_page", "disagreements_page", "family_page"]

_STYLE = """
body { font-family: sans-serif; margin: 1.5em auto; max-width: 70em; padding: 0 1em; color: #222; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; vertical-align: top; text-align: left; }
th { background: #f3f3f3; cursor: pointer; position: sticky; top: 0; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
td.notes { white-space: pre-line; max-width: 30em; }
input[type=search] { font-size: 1em; padding: 0.3em; width: 20em; margin: 0.5em 0; }
.figure { margin: 1em 0; } .figure svg { width: 100%; height: auto; }
.source { color: #555; font-size: 0.9em; } li:target, tr:target { background: #fff3b0; }
"""

# Sort a table.sortable by the clicked header (numbers as numbers, empty cells last) and filter its
# rows by the search box whose data-table names it. No library: see the module's docstring.
_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th, index) {
    th.addEventListener("click", function () {
      var descending = th.getAttribute("aria-sort") === "ascending";
      Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[index].textContent.trim(), y = b.cells[index].textContent.trim();
        if (x === "" || y === "") { return (x === "") - (y === ""); }
        var order = (isNaN(x) || isNaN(y)) ? x.localeCompare(y) : Number(x) - Number(y);
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
document.querySelectorAll("input[data-table]").forEach(function (input) {
  var table = document.getElementById(input.getAttribute("data-table"));
  input.addEventListener("input", function () {
    var words = input.value.toLowerCase().split(/\\s+/).filter(Boolean);
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var text = row.textContent.toLowerCase();
      row.hidden = !words.every(function (word) { return text.indexOf(word) >= 0; });
    });
  });
});
"""


@dataclass(frozen=True)
class Disagreement:
    """A pair of countries whose two articles give different dates for when relations began."""

    country_a: str
    country_b: str
    slug_a: str
    slug_b: str
    raw_a: str | None
    raw_b: str | None
    date_a: str | None
    date_b: str | None
    permalink_a: str | None
    permalink_b: str | None


def _e(value: object) -> str:
    return "" if value is None else escape(str(value))


def _page(title: str, body: str) -> bytes:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{_e(title)}</title>\n'
        f"<style>{_STYLE}</style>\n</head>\n<body>\n{body}\n<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    ).encode()


def _revision(title: str, permalink: str | None) -> str:
    if permalink:
        return f'<a href="{_e(permalink)}">{_e(title)}, the revision used</a>'
    return f"{_e(title)} (revision id unknown)"


def _licence(licence: str, url: str | None) -> str:
    return f'<a href="{_e(url)}">{_e(licence)}</a>' if url else _e(licence)  # no link invented


def _permalink(permalink: str | None) -> str:
    return f'<a href="{_e(permalink)}">permalink</a>' if permalink else "revision id unknown"


def _table(table_id: str, headers: Sequence[str], rows: Iterable[str], label: str) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    search = f'<input type="search" data-table="{table_id}" placeholder="Search {_e(label)}…" aria-label="Search">'
    return (
        f'{search}\n<table class="sortable" id="{table_id}">\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{''.join(rows)}</tbody>\n</table>"
    )


def _citation_links(citations: Sequence[Citation]) -> str:
    numbers = sorted({c.reference_number for c in citations})
    return " ".join(f'<a href="#ref-{n}">[{n}]</a>' for n in numbers)


def _relation_row(relation: Relation, citations: Sequence[Citation]) -> str:
    cells = (
        _e(relation.country),
        _e(relation.iso3),
        _e(relation.established),
        _e(relation.established_precision),
        _e(relation.established_raw),
        _e(relation.list_number),
        _e(relation.main_article),
        _e(relation.notes),
        _citation_links(citations),
    )
    classes = ["", "", "", "", "", "", "", ' class="notes"', ""]
    return "<tr>" + "".join(f"<td{c}>{v}</td>" for c, v in zip(classes, cells, strict=True)) + "</tr>\n"


def _reference_item(reference: Reference) -> str:
    text = _e(reference.text or reference.title or "")
    link = f' <a href="{_e(reference.url)}">{_e(reference.url)}</a>' if reference.url else ""
    return f'<li id="ref-{reference.number}" value="{reference.number}">{text}{link}</li>\n'


def article_page(article: Article, timeline: str, world_map: str) -> bytes:
    """An article's page: attribution, the timeline, the map, the relations and their references."""
    source = article.source
    by_country: dict[str, list[Citation]] = {}
    for citation in article.citations:
        by_country.setdefault(citation.country, []).append(citation)
    headers = ("Country", "ISO", "Established", "Precision", "Date as written", "List #", "Main article")
    rows = (_relation_row(r, by_country.get(r.country, [])) for r in article.relations)
    body = (
        f"<h1>{_e(source.title)}</h1>\n"
        f'<p class="source">Data extracted from {_revision(source.title, source.permalink)}. '
        f"{_e(source.attribution)} Licence: {_licence(source.licence, source.licence_url)}.</p>\n"
        '<p><a href="../all/index.html">All articles</a></p>\n'
        f'<h2>Relations established per year</h2>\n<div class="figure" id="timeline">{timeline}</div>\n'
        f'<h2>When relations began, by partner</h2>\n<div class="figure" id="map">{world_map}</div>\n'
        f"<h2>Relations ({len(article.relations)})</h2>\n"
        + _table("relations", (*headers, "Notes", "Citations"), rows, "relations")
        + f"\n<h2>References ({len(article.references)})</h2>\n<ol>\n"
        + "".join(_reference_item(r) for r in article.references)
        + "</ol>"
    )
    return _page(source.title, body)


def family_page(articles: Sequence[tuple[str, Article]], timeline: str, world_map: str, disagreements: int) -> bytes:
    """``all/index.html``: the articles of the family, its timeline and map, a link to the disagreements."""
    rows = (
        f'<tr><td><a href="../{_e(slug)}/index.html">{_e(a.source.title)}</a></td>'
        f"<td>{len(a.relations)}</td><td>{len(a.references)}</td>"
        f"<td>{_permalink(a.source.permalink)}</td></tr>\n"
        for slug, a in articles
    )
    body = (
        "<h1>Foreign relations: every article</h1>\n"
        '<p class="source">Data extracted from Wikipedia articles, by Wikipedia contributors, under '
        "CC BY-SA (each article's revision and licence are on its page).</p>\n"
        f'<p><a href="disagreements.html">{disagreements} pairs where the two articles disagree</a></p>\n'
        f'<h2>Relations established per year (every article)</h2>\n<div class="figure" id="timeline">{timeline}</div>\n'
        f'<h2>How many partners each article lists</h2>\n<div class="figure" id="map">{world_map}</div>\n'
        f"<h2>Articles ({len(articles)})</h2>\n"
        + _table("articles", ("Article", "Relations", "References", "Source"), rows, "articles")
    )
    return _page("Foreign relations: every article", body)


def _side(slug: str, raw: str | None, date: str | None, permalink: str | None, country: str) -> str:
    where = f'<a href="../{_e(slug)}/index.html">{_e(country)}\'s article</a>'
    link = f' (<a href="{_e(permalink)}">permalink</a>)' if permalink else " (revision id unknown)"
    return f"<td>{_e(raw)}</td><td>{_e(date)}</td><td>{where}{link}</td>"


def disagreements_page(disagreements: Sequence[Disagreement]) -> bytes:
    """``all/disagreements.html``: every pair whose articles disagree, both raw cells, both permalinks."""
    rows = (
        f"<tr><td>{_e(d.country_a)}</td><td>{_e(d.country_b)}</td>"
        + _side(d.slug_a, d.raw_a, d.date_a, d.permalink_a, d.country_a)
        + _side(d.slug_b, d.raw_b, d.date_b, d.permalink_b, d.country_b)
        + "</tr>\n"
        for d in disagreements
    )
    headers = ("A", "B", "A's article says", "as date", "source", "B's article says", "as date", "source")
    body = (
        f"<h1>Where two articles disagree ({len(disagreements)} pairs)</h1>\n"
        "<p>Each pair of countries whose two articles give different dates for when their relations "
        'began (compared at the coarser precision). <a href="index.html">All articles</a></p>\n'
        + _table("disagreements", headers, rows, "pairs")
    )
    return _page("Where two articles disagree", body)
