"""Diplomatic missions: the reader's citations, both parsers on the seed, the files, and the diff."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx

from extractor.changes.diff import diff_articles
from extractor.changes.report import summary_text
from extractor.export.combined import article_sides, write_combined
from extractor.export.dataset import MISSION_COLUMNS, dataset_files
from extractor.extract import article_from_document, extract_wikitext
from extractor.models import Article, Mission
from extractor.parse.html.walk import parse_html
from extractor.parse.marks import CITE, Marked, decode, link_mark
from extractor.parse.missions import read_missions
from extractor.parse.sides import Party
from extractor.source import make_source

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed" / "foreign-relations-of-kyrgyzstan.wikitext"
SEED_HTML = ROOT / "fixtures" / "html" / "foreign-relations-of-kyrgyzstan.seed.legacy.html"
TITLE = "Foreign relations of Kyrgyzstan"

_TABLE = """{{| class="wikitable"
! Country !! Formal relations began !! Notes
|-
| {{{{flag|Turkey}}}} || 1992 || {notes}
|}}
== References ==
{{{{reflist}}}}
"""


def _article(notes: str) -> Article:
    return extract_wikitext(_TABLE.format(notes=notes), make_source(TITLE, obtained="file"))


def test_a_sentence_cites_only_the_footnotes_between_it_and_the_next() -> None:
    """Each mission carries the reference numbers of its own sentence's footnotes."""
    text = "Turkey has an embassy in Bishkek." + CITE + " Kyrgyzstan has an embassy in Ankara." + CITE + CITE
    found = read_missions(decode(text), Party("Kyrgyzstan", None, "KGZ"), Party("Turkey", None, "TUR"), [4, 5, 6])
    assert [(m.sender, m.city, m.citations) for m in found.missions] == [
        ("Turkey", "Bishkek", [4]),
        ("Kyrgyzstan", "Ankara", [5, 6]),
    ]


def test_an_unknown_sender_is_not_guessed() -> None:
    """A sentence whose sender is neither side of the relation is counted as unread, never read."""
    marked = Marked("Taiwan has an embassy in Bishkek.")
    found = read_missions(marked, Party("Kyrgyzstan", None, "KGZ"), Party("Turkey", None, "TUR"), [])
    assert (found.missions, found.read, found.unread) == ([], 0, ["Taiwan has an embassy in Bishkek."])


def test_a_linked_city_is_its_target() -> None:
    """The city of a linked place is the link's target; its label only when unlinked."""
    marked = decode("Turkey has an embassy in " + link_mark("Bishkek (city)", "Bishkek") + ".")
    found = read_missions(marked, Party("Kyrgyzstan", None, "KGZ"), Party("Turkey", None, "TUR"), [])
    assert [m.city for m in found.missions] == ["Bishkek (city)"]


def test_both_parsers_read_the_seeds_missions_alike() -> None:
    """The seed's wikitext and its legacy HTML give the same missions, citations included."""
    wikitext = extract_wikitext(SEED.read_text(encoding="utf-8"), make_source(TITLE, obtained="file"))
    html = article_from_document(
        parse_html(SEED_HTML.read_text(encoding="utf-8")), make_source(TITLE, obtained="file", content_format="html")
    )
    missions = [(r.country, r.missions) for r in wikitext.relations if r.missions]
    assert len(missions) >= 10
    assert [(r.country, r.missions) for r in html.relations if r.missions] == missions


def test_missions_csv_names_subject_and_country_and_joins_citations() -> None:
    """missions.csv: one row per mission, the subject and partner first, citations '; '-separated."""
    article = _article("Turkey has an embassy in Bishkek.<ref>A</ref><ref>B</ref> Kyrgyzstan has no embassy in Ankara.")
    rows = list(csv.reader(io.StringIO(dataset_files(article)["missions.csv"].decode("utf-8"))))
    assert tuple(rows[0]) == MISSION_COLUMNS
    assert rows[1:] == [
        ["Kyrgyzstan", "Turkey", "Turkey", "Kyrgyzstan", "embassy", "Bishkek", "true", "", "", "false",
         "Turkey has an embassy in Bishkek", "1; 2"],
        ["Kyrgyzstan", "Turkey", "Kyrgyzstan", "Turkey", "embassy", "Ankara", "", "", "", "true",
         "Kyrgyzstan has no embassy in Ankara", ""],
    ]  # fmt: skip


def test_combined_missions_and_their_network(tmp_path: Path) -> None:
    """all/missions.csv holds every article's missions; the GraphML has an edge per mission not denied."""
    first = _article("Turkey has an embassy in Bishkek. Kyrgyzstan has no embassy in Ankara.")
    files = dataset_files(first)
    folder = write_combined(
        tmp_path,
        [(article_sides(first), files["relations.csv"])],
        missions=[files["missions.csv"], files["missions.csv"]],
    )
    combined = (folder / "missions.csv").read_bytes()
    assert combined.count(b"\n") == 1 + 4  # one header, each article's two rows
    graph = nx.read_graphml(folder / "missions.graphml")
    assert sorted(graph.nodes) == ["KGZ", "TUR"]
    assert graph.nodes["TUR"]["label"] == "Turkey"
    edges = list(graph.edges(data=True))
    assert [(a, b, d["kind"], d["city"]) for a, b, d in edges] == [("TUR", "KGZ", "embassy", "Bishkek")] * 2
    again = write_combined(tmp_path / "again", [(article_sides(first), files["relations.csv"])],
                           missions=[files["missions.csv"], files["missions.csv"]])  # fmt: skip
    assert (again / "missions.graphml").read_bytes() == (folder / "missions.graphml").read_bytes()


def test_diff_reports_a_mission_by_its_countries() -> None:
    """A mission that appears is one line: 'sender → receiver: kind in city added'."""
    old = _article("Turkey has an embassy in Bishkek.")
    new = _article("Turkey has an embassy in Bishkek. Kyrgyzstan has an embassy in Ankara.")
    diff = diff_articles(old, new)
    assert [str(m) for m in diff.missions_added] == ["Kyrgyzstan → Turkey: embassy in Ankara"]
    assert "  Kyrgyzstan → Turkey: embassy in Ankara added" in summary_text(diff).splitlines()
    assert [str(m) for m in diff_articles(new, old).missions_removed] == ["Kyrgyzstan → Turkey: embassy in Ankara"]
    assert not diff_articles(new, new).changed


def test_a_mission_model_keeps_unknown_values_null() -> None:
    """A mission whose sentence does not say where it sits has no residence, city or third country."""
    mission = Mission(sender="A", receiver="B", kind="embassy", sentence="s")
    assert (mission.city, mission.resident, mission.accredited_from_country) == (None, None, None)
