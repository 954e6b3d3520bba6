"""``report``: static offline pages per article and for all/, with their citations, map, timeline and disagreements."""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from extractor.cli.options import load_snapshot
from extractor.export.dataset import write_dataset
from extractor.extract import extract_wikitext
from extractor.report import disagreements, write_report
from extractor.source import make_source
from tests.browser import chromium_path, visit
from tests.support import IN_CI, CliResult

#: Where the browser test leaves its screenshots, as artifacts of the run.
SCREENSHOTS = Path("/tmp/frx-report")


def _table(partner: str, date: str) -> str:
    return f"""{{| class="wikitable"
! Country !! Formal relations began !! Notes
|-
| {{{{flag|{partner}}}}} || {date} || Notes.<ref>{{{{cite web |title=T |url=https://example.org/t}}}}</ref>
|}}
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stored snapshot's dataset and two articles that disagree (Chile: 1990 with Peru, Peru: 1991)."""
    folder = tmp_path_factory.mktemp("out")
    write_dataset(extract_wikitext(*load_snapshot("Foreign relations of Kyrgyzstan")), folder)
    for subject, partner, date in (("Chile", "Peru", "3 May 1990"), ("Peru", "Chile", "1991")):
        source = make_source(f"Foreign relations of {subject}", obtained="file")
        write_dataset(extract_wikitext(_table(partner, date), source), folder)
    write_report(folder)
    return folder


def test_every_dataset_and_all_get_a_page(out: Path) -> None:
    """Each dataset folder gets index.html; all/ gets index.html and disagreements.html."""
    for slug in ("foreign-relations-of-kyrgyzstan", "foreign-relations-of-chile", "foreign-relations-of-peru"):
        assert (out / slug / "index.html").is_file()
    assert (out / "all" / "index.html").is_file()
    assert (out / "all" / "disagreements.html").is_file()


def test_pages_load_nothing_from_outside(out: Path) -> None:
    """No script, stylesheet, image or font is loaded from anywhere: everything is inline."""
    for page in out.glob("*/*.html"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", text), page
        assert "url(" not in text, page


def test_citations_link_to_the_revisions_references(out: Path) -> None:
    """Every citation link of the relations table points at an item of the page's reference list."""
    text = (out / "foreign-relations-of-kyrgyzstan" / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="#ref-(\d+)"', text))
    targets = set(re.findall(r'<li id="ref-(\d+)"', text))
    assert links and links <= targets
    assert len(re.findall(r"<tr><td>", text)) == 39  # one row per relation


def test_disagreements_page_shows_both_raw_cells(out: Path) -> None:
    """The pair whose articles disagree is listed with both date cells as written."""
    text = (out / "all" / "disagreements.html").read_text(encoding="utf-8")
    row = re.search(r"<tr><td>Chile</td><td>Peru</td>.*?</tr>", text)
    assert row is not None
    assert "3 May 1990" in row.group(0) and "<td>1991</td>" in row.group(0)
    assert "revision id unknown" in row.group(0)  # no permalink is invented for a local file


def test_disagreements_skip_pairs_that_agree_at_the_coarser_precision() -> None:
    """1990 and 3 May 1990 agree; only a real difference is a disagreement."""
    articles = []
    for subject, partner, date in (("Chile", "Peru", "3 May 1990"), ("Peru", "Chile", "1990")):
        source = make_source(f"Foreign relations of {subject}", obtained="file")
        articles.append((subject.lower(), extract_wikitext(_table(partner, date), source)))
    assert disagreements(articles) == []


def test_report_is_deterministic(out: Path, tmp_path: Path) -> None:
    """The same datasets give byte-identical pages."""
    before = {p.relative_to(out): p.read_bytes() for p in out.glob("*/*.html")}
    write_report(out)
    assert {p.relative_to(out): p.read_bytes() for p in out.glob("*/*.html")} == before


def test_cli_without_datasets_is_one_line_and_exit_2(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    """`report` on a folder with no dataset names the folder, exit 2."""
    result = run_cli("report", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(tmp_path) in result.stderr


def _browser_or_skip() -> None:
    found = {"chromium": chromium_path(), "playwright": importlib.util.find_spec("playwright")}
    missing = [what for what, ok in found.items() if not ok]
    if missing:
        message = f"{' and '.join(missing)} not installed (.ci/run installs them)"
        if IN_CI:
            pytest.fail(f"{message}; CI=true requires them", pytrace=False)
        pytest.skip(message)


def test_pages_render_in_headless_chromium(out: Path) -> None:
    """Both pages load from file:// with no console error, no other request, and draw a non-empty timeline and map."""
    _browser_or_skip()
    pages = [out / "foreign-relations-of-kyrgyzstan" / "index.html", out / "all" / "index.html"]
    shots = [SCREENSHOTS / "article.png", SCREENSHOTS / "all.png"]
    for seen in visit(pages, ["timeline", "map"], shots):
        assert seen.errors == [], seen.url
        assert [url for url in seen.requests if not url.startswith("file://")] == [], seen.url
        for figure, (shapes, width, height) in seen.figures.items():
            assert shapes > 10 and width > 300 and height > 100, (seen.url, figure)
    assert all(shot.stat().st_size > 10_000 for shot in shots)


def test_timeline_bins_long_spans_by_decade() -> None:
    """Over more than 120 years the timeline has a bar per decade, labelled every 50 years."""
    from extractor.report.charts import timeline_svg

    svg = timeline_svg([960, 1991, 1991, 2025], title="t")
    assert ">2000s<" in svg and ">1950s<" in svg
    assert ">1991<" not in svg
    assert ">1991<" in timeline_svg([1950, 1991], title="t")


def test_relations_table_sorts_and_searches_in_the_browser(out: Path) -> None:
    """Clicking a header sorts the rows (again: reversed); the search box keeps only the matching rows."""
    _browser_or_skip()
    from tests.browser import sort_and_search

    page = out / "foreign-relations-of-kyrgyzstan" / "index.html"
    ascending, descending, visible = sort_and_search(page, "relations", 2, "protocol")
    dates = [cell for cell in ascending if cell]
    assert dates == sorted(dates) and len(dates) > 10
    assert [cell for cell in descending if cell] == dates[::-1]
    text = page.read_text(encoding="utf-8")
    assert 0 < visible < len(ascending) and visible <= text.count("protocol")


def test_timeline_draws_severed_and_restored_events_beside_the_established(tmp_path: Path) -> None:
    """An article whose date cell says relations were severed gets a 'relations severed' series in its timeline."""
    cell = "8 April 1950, severed diplomatic relations from 6 November 1956 to 19 October 1959"
    source = make_source("Foreign relations of Chile", obtained="file")
    write_dataset(extract_wikitext(_table("Peru", cell), source), tmp_path)
    write_report(tmp_path)
    page = (tmp_path / "foreign-relations-of-chile" / "index.html").read_text(encoding="utf-8")
    timeline = page[page.index('id="timeline"') :]
    assert "relations established" in timeline and "relations severed" in timeline
    assert "relations restored" not in timeline  # no restoration is dated: no empty series


def test_timeline_series_share_the_bins_of_every_year() -> None:
    """Severed and restored years widen the axis like established ones; without events there is no legend."""
    from extractor.report.charts import timeline_svg

    svg = timeline_svg([1950], title="t", events={"severed": [1967], "restored": [1992], "ended": []})
    assert "relations severed" in svg and "relations restored" in svg and "relations ended" not in svg
    assert ">1950<" in svg and ">1990<" in svg
    assert "relations established" not in timeline_svg([1950], title="t", events={"severed": []}).split("</title>")[-1]
