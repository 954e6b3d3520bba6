"""Entities against a real MediaWiki: redirects and ``wikibase_item`` page props served by its API.

The test wiki gets country pages, redirects to them (``Republic of China`` → ``Taiwan``,
``State of Palestine`` → ``Palestine``) and page props stored in its ``page_props`` table, then a
family batch resolves every partner and subject; the server's request log counts the requests.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.cli import main

pytestmark = pytest.mark.integration

# The Wikidata items of these countries (as on wikidata.org); the test wiki serves them as page props.
QIDS = {"Chile": "Q298", "Peru": "Q419", "Taiwan": "Q865", "Palestine": "Q219060"}
REDIRECTS = {"Republic of China": "Taiwan", "State of Palestine": "Palestine"}
FILLERS = 55  # partners enough that one request of 50 titles cannot hold them all


def table(*partners: str) -> str:
    rows = "".join(f"|-\n| [[{partner}]] || 1 March 2001 || Notes.\n" for partner in partners)
    return (
        "== Bilateral relations ==\n{| class=wikitable\n! Country !! Formal relations began !! Notes\n" + rows + "|}\n"
    )


ARTICLES = {
    "Foreign relations of Chile": table("Republic of China", "Peru", "State of Palestine"),
    "Foreign relations of Taiwan": table("Chile", "Peru"),
    "Foreign relations of Palestine": table("Chile"),
    "Foreign relations of Peru": table("Chile", "Taiwan", *(f"Entityland {n}" for n in range(1, FILLERS + 1))),
}


@pytest.fixture(scope="module")
def wiki(mediawiki: Any) -> Iterator[Any]:
    """The test wiki with the country pages, their redirects, page props and the four articles.

    They are deleted afterwards: other modules' articles name these countries too, and expect
    no Wikidata item for them.
    """
    for title, text in ARTICLES.items():
        mediawiki.edit(title, text, "entities test")
    for country in [*QIDS, *(f"Entityland {n}" for n in range(1, FILLERS + 1))]:
        mediawiki.edit(country, f"'''{country}''' is a country.", "entities test")
    for source, target in REDIRECTS.items():
        mediawiki.edit(source, f"#REDIRECT [[{target}]]", "entities test")
    # After every edit: saving a page recomputes its props and would drop these.
    for country, qid in QIDS.items():
        mediawiki.set_page_prop(country, "wikibase_item", qid)
    for n in range(1, FILLERS + 1):
        mediawiki.set_page_prop(f"Entityland {n}", "wikibase_item", f"Q{900000 + n}")  # stand-ins of the test wiki
    yield mediawiki
    for title in [*ARTICLES, *QIDS, *REDIRECTS, *(f"Entityland {n}" for n in range(1, FILLERS + 1))]:
        mediawiki.delete(title, "entities test done")


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def pageprops_requests(server: Any) -> list[dict[str, list[str]]]:
    return [r["params"] for r in server.requests() if r["params"].get("prop") == ["pageprops"]]


@pytest.fixture(scope="module")
def batch(wiki: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, list[str]]]]:
    """The four articles run as one `--titles-file` batch: the output folder and the pageprops requests sent."""
    folder = tmp_path_factory.mktemp("entities")
    titles = folder / "titles.txt"
    titles.write_text("\n".join(ARTICLES) + "\n", encoding="utf-8")
    wiki.clear_requests()
    assert main(["--titles-file", str(titles), "--api-url", wiki.api_url, "--out", str(folder / "out")]) == 0
    return folder / "out", pageprops_requests(wiki)


def test_the_batch_resolves_every_title_in_one_request_per_50(batch: tuple[Path, list[dict[str, list[str]]]]) -> None:
    """N distinct subject and partner titles cost ⌈N/50⌉ pageprops requests, each with ≤ 50 titles."""
    _, asked = batch
    titles = {"Chile", "Taiwan", "Palestine", "Peru", *REDIRECTS, *(f"Entityland {n}" for n in range(1, FILLERS + 1))}
    assert len(asked) == math.ceil(len(titles) / 50) == 2
    sent = [t for params in asked for t in params["titles"][0].split("|")]
    assert sorted(sent) == sorted(titles) and all(len(p["titles"][0].split("|")) <= 50 for p in asked)
    assert all(p["redirects"] == ["1"] and p["maxlag"] == ["5"] for p in asked)


def test_every_partner_with_a_page_prop_gets_its_qid(batch: tuple[Path, list[dict[str, list[str]]]]) -> None:
    """Through a redirect too: Chile's 'Republic of China' is Taiwan's Q865."""
    out, _ = batch
    chile = {r["country"]: r["country_qid"] for r in rows(out / "foreign-relations-of-chile" / "relations.csv")}
    assert chile == {"Republic of China": "Q865", "Peru": "Q419", "State of Palestine": "Q219060"}
    peru = rows(out / "foreign-relations-of-peru" / "relations.csv")
    assert all(r["country_qid"] for r in peru) and len(peru) == FILLERS + 2


def test_pairs_join_across_spellings(batch: tuple[Path, list[dict[str, list[str]]]]) -> None:
    """'Republic of China' in Chile's article and Taiwan's own article are one pair, keyed by the page."""
    out, _ = batch
    pairs = {(p["key_a"], p["key_b"]): p for p in rows(out / "all" / "pairs.csv")}
    taiwan = pairs[("Chile", "Taiwan")]
    assert (taiwan["listed_in_a"], taiwan["listed_in_b"], taiwan["qid_a"], taiwan["qid_b"]) == (
        "true",
        "true",
        "Q298",
        "Q865",
    )
    assert pairs[("Chile", "Palestine")]["listed_in_b"] == "true"
    entities = {e["key"]: e for e in rows(out / "all" / "entities.csv")}
    assert entities["Taiwan"]["names"] == "Republic of China; Taiwan"
    assert (entities["Taiwan"]["kind"], entities["Palestine"]["kind"], entities["Chile"]["kind"]) == (
        "partially-recognised",
        "un-observer",
        "un-member",
    )
    assert entities["Chile"]["articles"] == "4" and entities["Chile"]["un_member_since"] == "1945"
    combined = rows(out / "all" / "relations.csv")
    assert {r["subject_qid"] for r in combined if r["subject"] == "Palestine"} == {"Q219060"}


def test_a_recorded_batch_replays_its_qids_offline(wiki: Any, tmp_path: Path) -> None:
    """`--record` keeps the pageprops answers; `--recording` replays them to the same files."""
    titles = tmp_path / "titles.txt"
    titles.write_text("Foreign relations of Chile\nForeign relations of Taiwan\n", encoding="utf-8")
    live, replay, recording = tmp_path / "live", tmp_path / "replay", tmp_path / "rec"
    common = ["--titles-file", str(titles)]
    assert main([*common, "--api-url", wiki.api_url, "--out", str(live), "--record", str(recording)]) == 0
    assert main([*common, "--recording", str(recording), "--out", str(replay)]) == 0
    for name in ("relations.csv", "pairs.csv", "entities.csv"):
        assert (replay / "all" / name).read_bytes() == (live / "all" / name).read_bytes()
    assert "Q865" in (replay / "all" / "entities.csv").read_text(encoding="utf-8")


def test_a_single_live_run_writes_its_entities_into_article_json(wiki: Any, tmp_path: Path) -> None:
    """One article fetched alone carries the entities it used, with the wiki's items."""
    assert main(["--title", "Foreign relations of Chile", "--api-url", wiki.api_url, "--out", str(tmp_path)]) == 0
    data = json.loads((tmp_path / "foreign-relations-of-chile" / "article.json").read_text(encoding="utf-8"))
    assert {e["key"]: e["qid"] for e in data["entities"]} == {
        "Chile": "Q298",
        "Palestine": "Q219060",
        "Peru": "Q419",
        "Taiwan": "Q865",
    }


def test_the_sqlite_export_joins_every_spelling_to_its_entity(
    batch: tuple[Path, list[dict[str, list[str]]]], tmp_path: Path
) -> None:
    """`export --sqlite` of the batch: Chile's 'Republic of China' and Peru's 'Taiwan' carry the key
    Taiwan, and join the entity with the wiki's item; every key is one of the entities table."""
    import sqlite3

    out, _ = batch
    database = tmp_path / "frx.db"
    assert main(["export", "--sqlite", str(database), str(out)]) == 0
    with sqlite3.connect(database) as connection:
        taiwan = connection.execute(
            "select a.subject, r.country, e.qid from relations r join entities e on e.key = r.country_key "
            "join articles a on a.id = r.article where r.country_key = 'Taiwan' order by a.subject"
        ).fetchall()
        assert taiwan == [("Chile", "Republic of China", "Q865"), ("Peru", "Taiwan", "Q865")]
        assert connection.execute("pragma foreign_key_check").fetchall() == []
        subjects = connection.execute("select subject_key from articles order by subject_key").fetchall()
        assert subjects == [("Chile",), ("Palestine",), ("Peru",), ("Taiwan",)]
        loaded = [row[0] for row in connection.execute("select country_key from relations order by id")]
    assert loaded == [r["country_key"] for r in rows(out / "all" / "relations.csv")]
