"""The semantic dataset diff: what changed in the data, by country, never in the bytes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from extractor import Article, extract_wikitext, make_source, write_dataset
from extractor.changes.diff import diff_articles, load_dataset
from extractor.changes.report import summary_markdown, summary_text
from extractor.cli.options import load_snapshot
from extractor.errors import DatasetError

if TYPE_CHECKING:
    from tests.support import CliResult

TITLE = "Foreign relations of Testland"
MEXICO = (
    "| {{flag|Mexico}} || 27 March 1992 || Both countries established relations in 1992."
    '<ref name="mx">{{cite web|url=https://example.org/mx|title=Mexico and Testland}}</ref>\n'
    "* Mexico is accredited to Testland from its embassy in Moscow."
    "<ref>{{cite web|url=https://example.org/moscow|title=Embassy in Moscow|access-date=1 May 2020}}</ref>\n"
)
CHILE = '| {{flag|Chile}} || 1992 || Chile and Testland signed a treaty.<ref name="mx"/>\n'
PERU = "| {{flag|Peru}} || 5 May 1993 || Peru has an honorary consul.\n"
PERU_CITED = PERU.replace("consul.", "consul.<ref>{{cite news|url=https://example.org/pe|title=Consul named}}</ref>")


def wikitext(*rows: str, lead: str = "Testland has foreign relations.") -> str:
    """A small article: a lead and a bilateral table with the given rows."""
    body = "|-\n".join(rows)
    return (
        f"{lead}\n== Bilateral relations ==\n"
        '{| class="wikitable"\n! Country !! Formal relations began !! Notes\n|-\n'
        f"{body}|}}\n== References ==\n{{{{Reflist}}}}\n"
    )


def article(text: str, revision: int | None = None) -> Article:
    """Extract ``text`` as revision ``revision`` of the test article."""
    return extract_wikitext(text, make_source(TITLE, obtained="api", revision_id=revision, page_id=7))


def summary(old: str, new: str) -> str:
    """The text summary of the diff between two wikitexts."""
    return summary_text(diff_articles(article(old, 1), article(new, 2)))


def test_identical_data_is_no_change_whatever_the_revision() -> None:
    """Two revisions with the same data: no change, and the headline says so with both ids."""
    diff = diff_articles(article(wikitext(MEXICO, CHILE), 1), article(wikitext(MEXICO, CHILE), 2))
    assert not diff.changed
    assert summary_text(diff) == f"{TITLE}: revision 1 → 2: no data changes\n"


def test_lead_edit_is_no_data_change() -> None:
    """Prose outside the relation tables is not data."""
    assert not diff_articles(
        article(wikitext(MEXICO, CHILE)), article(wikitext(MEXICO, CHILE, lead="Testland is landlocked."))
    ).changed


def test_relations_added_and_removed_are_named_by_country() -> None:
    """A row that appears or disappears is reported by the country's name, with its date."""
    text = summary(wikitext(MEXICO, CHILE), wikitext(MEXICO, PERU))
    assert "Relations added (1):\n  Peru (established 1993-05-05)\n" in text
    assert "Relations removed (1):\n  Chile (established 1992)\n" in text


def test_date_change_is_one_line_old_to_new() -> None:
    """A changed date reads 'Country: established OLD → NEW', once (the cell it came from is implied)."""
    text = summary(wikitext(MEXICO, CHILE), wikitext(MEXICO.replace("27 March", "28 March"), CHILE))
    assert "  Mexico: established 1992-03-27 → 1992-03-28\n" in text
    assert "bilateral table date" not in text
    assert "Relations changed (1):" in text


def test_date_precision_change_is_reported_without_derived_fields() -> None:
    """A year that becomes a day is one 'established' change; year/month/day/precision are not repeated."""
    diff = diff_articles(article(wikitext(CHILE)), article(wikitext(CHILE.replace("1992", "5 January 1992", 1))))
    [change] = diff.relations_changed
    assert [field.field for field in change.changes] == ["established"]
    assert str(change.changes[0]) == "established 1992 → 1992-01-05"


def test_reordering_rows_is_no_change() -> None:
    """Relations are matched by country, not by position."""
    assert not diff_articles(article(wikitext(MEXICO, CHILE, PERU)), article(wikitext(PERU, CHILE, MEXICO))).changed


def test_renumbered_references_are_no_change() -> None:
    """Moving rows renumbers the footnotes; references and citations are matched by identity."""
    old, new = article(wikitext(MEXICO, PERU_CITED)), article(wikitext(PERU_CITED, MEXICO))
    numbers = [{r.title: r.number for r in a.references}["Embassy in Moscow"] for a in (old, new)]
    assert numbers[0] != numbers[1]
    assert not diff_articles(old, new).changed


def test_reference_field_change_is_a_changed_reference() -> None:
    """A reference whose access date changes is reported as changed, with the field, old and new."""
    text = summary(wikitext(MEXICO), wikitext(MEXICO.replace("1 May 2020", "2 June 2021")))
    assert "References changed (1):\n  “Embassy in Moscow”: access date 1 May 2020 → 2 June 2021\n" in text
    assert "References added" not in text and "References removed" not in text


def test_naming_a_reference_changes_it_rather_than_replacing_it() -> None:
    """Giving an existing reference a name= keeps its identity (matched again by URL and title)."""
    named = MEXICO.replace(
        "<ref>{{cite web|url=https://example.org/moscow",
        '<ref name="moscow">{{cite web|url=https://example.org/moscow',
    )
    diff = diff_articles(article(wikitext(MEXICO)), article(wikitext(named)))
    assert not diff.references_added and not diff.references_removed and not diff.citations_added
    assert [str(c) for c in diff.references_changed[0].changes] == ["name — → moscow"]


def test_references_added_and_removed_with_their_citations() -> None:
    """A new reference in a row is an added reference and an added citation of that row."""
    text = summary(wikitext(MEXICO, PERU), wikitext(MEXICO, PERU_CITED))
    assert "References added (1):\n  “Consul named”\n" in text
    assert "Citations added (1):\n  Peru: “Consul named” (notes, bilateral table)\n" in text
    back = summary(wikitext(MEXICO, PERU_CITED), wikitext(MEXICO, PERU))
    assert "References removed (1):\n  “Consul named”\n" in back


def test_citations_of_an_added_relation_are_implied() -> None:
    """A whole new row is one 'relation added' line, not also one line per citation in it."""
    diff = diff_articles(article(wikitext(MEXICO)), article(wikitext(MEXICO, CHILE)))
    assert [r.country for r in diff.relations_added] == ["Chile"]
    assert not diff.citations_added
    assert [str(c) for c in diff.references_changed[0].changes] == ["cited 1 → 2 times"]


def test_notes_change_is_summarised_not_dumped() -> None:
    """A notes edit shows the first changed words, not both versions of the whole cell."""
    edited = MEXICO.replace("from its embassy in Moscow", "from its embassy in Astana")
    line = next(line for line in summary(wikitext(MEXICO), wikitext(edited)).splitlines() if "notes" in line)
    assert line == "  Mexico: notes: “Moscow.” → “Astana.”"


def test_notes_with_many_edits_count_the_rest() -> None:
    """Several separate notes edits: the first is shown and the others are counted."""
    edited = MEXICO.replace("Both countries", "The two countries").replace("Moscow", "Astana")
    text = summary(wikitext(MEXICO), wikitext(edited))
    assert "Mexico: notes: “Both” → “The two” (and 1 more change)" in text


def test_identical_change_of_many_relations_is_one_line_naming_them() -> None:
    """When a section heading changes for every row, one line names all the countries."""
    old = wikitext(MEXICO, CHILE, PERU, "| {{flag|Japan}} || 1992 || Japan.\n")
    new = old.replace("== Bilateral relations ==", "== Bilateral ties ==")
    text = summary(old, new)
    assert "  section Bilateral relations → Bilateral ties: Chile, Japan, Mexico, Peru (4 relations)\n" in text


def test_source_and_diagnostics_are_not_data() -> None:
    """Revision, timestamps, licence and diagnostics may differ without the data changing."""
    old = article(wikitext(MEXICO, CHILE), 1)
    new = old.model_copy(deep=True)
    new.source.revision_id, new.source.revision_timestamp, new.source.licence = 9, "2030-01-01T00:00:00Z", "x"
    new.diagnostics = []
    old.diagnostics = [*old.diagnostics]
    assert not diff_articles(old, new).changed


def test_markdown_escapes_article_text() -> None:
    """Text from the article cannot inject Markdown or HTML into a step summary."""
    edited = MEXICO.replace("in Moscow", "in <b>*Moscow*</b>")
    markdown = summary_markdown(diff_articles(article(wikitext(MEXICO)), article(wikitext(edited))))
    assert "<b>" not in markdown and "\\*" in markdown
    assert markdown.startswith(f"### {TITLE}: revision unknown → unknown: 1 relation changed")


def test_long_markdown_lists_are_folded() -> None:
    """More than 20 items in a section fold into <details> so the step summary stays readable."""
    rows = [
        f"| {{{{flag|{c}}}}} || 1992 || x\n"
        for c in (
            "Chile",
            "Peru",
            "Japan",
            "China",
            "India",
            "Iran",
            "Iraq",
            "Italy",
            "Spain",
            "France",
            "Germany",
            "Poland",
            "Norway",
            "Sweden",
            "Finland",
            "Egypt",
            "Kenya",
            "Ghana",
            "Mali",
            "Niger",
            "Chad",
        )
    ]
    markdown = summary_markdown(diff_articles(article(wikitext(MEXICO)), article(wikitext(MEXICO, *rows))))
    assert "<details>\n<summary>Relations added (21)</summary>" in markdown


def test_seed_to_current_layout_reports_the_real_history(current_kyrgyzstan_text: str) -> None:
    """Seed → current article: 16 rows left the bilateral table, the numbered list came, dates moved."""
    text, source = load_snapshot("Foreign relations of Kyrgyzstan")
    old = extract_wikitext(text, source)
    new = extract_wikitext(current_kyrgyzstan_text, make_source("Foreign relations of Kyrgyzstan", obtained="file"))
    diff = diff_articles(old, new)
    summary = summary_text(diff)
    left_table = (
        "Argentina, Canada, Croatia, Cyprus, Dominica, Estonia, Israel, Latvia, Lesotho, Lithuania, "
        "Moldova, Romania, Solomon Islands, South Africa, Switzerland, Ukraine"
    )
    assert f"  in bilateral table yes → no: {left_table} (16 relations)\n" in summary
    assert len(diff.relations_added) == 146 and not diff.relations_removed
    assert "  in list no → yes: Argentina, Armenia, Australia," in summary
    assert "  Mexico: established 1992-01-14 → 1992-03-27\n" in summary
    assert "  Dominica: established 2016-10-18 → 2016-10-17\n" in summary
    assert "  Armenia: notes: “Nur-Sultan,” → “Astana,”\n" in summary
    assert summary.startswith(
        "Foreign relations of Kyrgyzstan: revision unknown → unknown: 146 relations added, 39 relations changed, "
    )


# ---------------------------------------------------------------------------- the command


def _store(tmp_path: Path, name: str, text: str, revision: int) -> Path:
    return write_dataset(article(text, revision), tmp_path / name)


@pytest.fixture
def diff_command(run_cli: Callable[..., CliResult]) -> Callable[..., CliResult]:
    """``python -m extractor diff ARGS``, run in-process."""
    return lambda *args: run_cli("diff", *args)


def test_diff_command_exits_1_and_prints_the_summary(tmp_path: Path, diff_command: Callable[..., CliResult]) -> None:
    """Two dataset folders that differ: exit 1, the summary on stdout, nothing on stderr."""
    old = _store(tmp_path, "a", wikitext(MEXICO, CHILE), 1)
    new = _store(tmp_path, "b", wikitext(MEXICO.replace("27 March", "28 March"), PERU), 2)
    result = diff_command(str(old), str(new / "article.json"))
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines()[0] == (
        f"{TITLE}: revision 1 → 2: 1 relation added, 1 relation removed, 1 relation changed, 1 reference changed"
    )
    assert "  Chile (established 1992)\n" in result.stdout  # its citation goes with it, not listed apart
    assert "  Mexico: established 1992-03-27 → 1992-03-28" in result.stdout


def test_diff_command_exits_0_when_equal(tmp_path: Path, diff_command: Callable[..., CliResult]) -> None:
    """Same data in two revisions: exit 0, and the summary says there is no change."""
    old = _store(tmp_path, "a", wikitext(MEXICO, CHILE), 1)
    new = _store(tmp_path, "b", wikitext(CHILE, MEXICO, lead="Other lead."), 2)
    result = diff_command(str(old), str(new))
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == f"{TITLE}: revision 1 → 2: no data changes\n"


def test_diff_command_json_is_the_whole_comparison(tmp_path: Path, diff_command: Callable[..., CliResult]) -> None:
    """--json prints every change with old and new values, and whether anything changed."""
    old = _store(tmp_path, "a", wikitext(MEXICO, CHILE), 1)
    new = _store(tmp_path, "b", wikitext(MEXICO.replace("27 March", "28 March"), CHILE), 2)
    command = diff_command(str(old), str(new), "--json")
    assert command.returncode == 1
    result = json.loads(command.stdout)
    assert result["changed"] is True
    assert result["relations_changed"][0]["changes"][0] == {
        "field": "established",
        "old": "1992-03-27",
        "new": "1992-03-28",
        "summary": "established 1992-03-27 → 1992-03-28",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "bad/article.json: no stored dataset: no such file"),
        (b"{not json", "not valid JSON"),
        (b'{"schema_version": 1}', "not a dataset this version can read (source: Field required"),
    ],
)
def test_diff_command_unreadable_dataset_is_one_line_and_exit_2(
    tmp_path: Path, content: bytes | None, message: str, diff_command: Callable[..., CliResult]
) -> None:
    """A missing, broken or foreign article.json: exit 2 and one line on stderr, no traceback."""
    good = _store(tmp_path, "a", wikitext(MEXICO), 1)
    bad = tmp_path / "bad"
    bad.mkdir()
    if content is not None:
        (bad / "article.json").write_bytes(content)
    result = diff_command(str(good), str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    with pytest.raises(DatasetError):
        load_dataset(bad)


def test_diff_command_usage_error_exits_2(diff_command: Callable[..., CliResult]) -> None:
    """A missing argument is a one-line usage error with exit 2."""
    result = diff_command("only-one")
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1


def test_a_severing_is_one_status_line_naming_the_event() -> None:
    """A date cell that gains 'severed 9 May 2023' reads 'status current → severed (severed 2023-05-09)'."""
    severed = CHILE.replace("1992", "1992, severed 9 May 2023", 1)
    text = summary(wikitext(CHILE), wikitext(severed))
    assert "  Chile: status current → severed (severed 2023-05-09)" in text
    assert "events:" not in text
