"""Batch fetching against a real MediaWiki (the session's ``mediawiki`` fixture).

Sixty small "Foreign relations of Batchland N" pages make the 50-titles limit matter, and a few
pages near MediaWiki's 2 MB page limit overflow its 8 MB answer limit, so that the wiki itself
asks to continue (``rvcontinue``). The server's request log shows what the client really sent.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from extractor.cli import main
from extractor.fetch.batch import fetch_pages
from extractor.fetch.client import Fetcher

pytestmark = pytest.mark.integration

SMALL = 60
TEXT = (
    "== Bilateral relations ==\n{| class=wikitable\n! Country !! Formal relations began !! Notes\n"
    "|-\n| [[Batchland OTHER]] || DAY March 2001 || Notes.\n|}\n"
)


def article(other: int, day: int) -> str:
    return TEXT.replace("OTHER", str(other)).replace("DAY", str(day))


def small_title(number: int) -> str:
    return f"Foreign relations of Batchland {number}"


@pytest.fixture(scope="module")
def wiki(mediawiki: Any) -> Any:
    """The test wiki holding the Batchland family: each article lists the next one."""
    for number in range(1, SMALL + 1):
        other = number % SMALL + 1
        mediawiki.edit(small_title(number), article(other, min(number, 28)), "batch test page")
    return mediawiki


def revision_requests(server: Any) -> list[dict[str, list[str]]]:
    return [r["params"] for r in server.requests() if r["params"].get("prop") == ["revisions"]]


def test_all_discovers_the_family_and_fetches_it_50_titles_at_a_time(wiki: Any, tmp_path: Path) -> None:
    """`--all` lists every 'Foreign relations of' page, then asks for them in requests of at most 50."""
    wiki.clear_requests()
    out = tmp_path / "out"
    assert main(["--all", "--api-url", wiki.api_url, "--out", str(out)]) == 0
    found = (out / "all" / "titles.txt").read_text().splitlines()
    assert {small_title(n) for n in range(1, SMALL + 1)} <= set(found)
    asked = revision_requests(wiki)
    assert all(len(params["titles"][0].split("|")) <= 50 for params in asked)
    assert sorted(t for params in asked for t in params["titles"][0].split("|")) == sorted(found)
    assert all(params["maxlag"] == ["5"] for params in asked)
    pairs = list(csv.DictReader(io.StringIO((out / "all" / "pairs.csv").read_text())))
    first = next(p for p in pairs if {p["country_a"], p["country_b"]} == {"Batchland 1", "Batchland 2"})
    assert (first["listed_in_a"], first["listed_in_b"]) == ("true", "false")


def test_a_titles_file_fetches_exactly_its_titles_and_reports_a_missing_one(
    wiki: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two requests for 52 titles; the one page that does not exist is the only failure."""
    titles = [small_title(n) for n in range(1, 52)] + ["Foreign relations of Nowhere at all"]
    path = tmp_path / "titles.txt"
    path.write_text("\n".join(titles) + "\n")
    wiki.clear_requests()
    assert main(["--titles-file", str(path), "--api-url", wiki.api_url, "--out", str(tmp_path / "out")]) == 2
    assert [len(p["titles"][0].split("|")) for p in revision_requests(wiki)] == [50, 2]
    err = capsys.readouterr().err.splitlines()
    assert [line.split(":")[0] for line in err[:-1]] == ["failed"]
    assert "Foreign relations of Nowhere at all" in err[0]
    assert err[-1].startswith("52 articles: 51 written, 1 failed")


def test_answers_too_big_for_one_response_are_completed_by_continuation(mediawiki: Any) -> None:
    """Five pages of ~1.9 MB exceed MediaWiki's 8 MB answer: it sends `rvcontinue`, and every page arrives."""
    line = "Filler text for a very long article about relations. " * 20 + "\n\n"
    body = article(1, 1) + line * (1_900_000 // len(line))
    titles = [f"Foreign relations of Bigland {n}" for n in range(1, 6)]
    for title in titles:
        mediawiki.edit(title, body, "batch continuation test")
    mediawiki.clear_requests()
    with Fetcher(api_url=mediawiki.api_url) as fetcher:
        [batch] = list(fetch_pages(fetcher, titles))
    assert [(o.error, o.page is not None and o.page.content == body.rstrip()) for o in batch] == [(None, True)] * 5
    asked = revision_requests(mediawiki)
    assert len(asked) > 1 and "rvcontinue" in asked[1]


def test_a_redirect_and_its_target_are_one_article(wiki: Any, tmp_path: Path) -> None:
    """A titles file naming a page, a redirect to it and another spelling: one dataset, its rows once."""
    target = "Foreign relations of Dupland"
    wiki.edit(target, article(1, 3), "dedupe test page")
    wiki.edit("Foreign relations of Dupland (old name)", f"#REDIRECT [[{target}]]", "moved")
    titles = tmp_path / "titles.txt"
    titles.write_text(f"{target}\nForeign relations of Dupland (old name)\nForeign_relations_of_Dupland\n")
    out = tmp_path / "out"
    assert main(["--titles-file", str(titles), "--api-url", wiki.api_url, "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["all", "foreign-relations-of-dupland"]
    rows = list(csv.DictReader(io.StringIO((out / "all" / "relations.csv").read_text())))
    assert [row["subject"] for row in rows] == ["Dupland"]
