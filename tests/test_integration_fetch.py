"""The fetcher and the command line against a real MediaWiki (the session's ``mediawiki`` fixture).

The article's real history is replayed on the test wiki: the seed revision (the stored snapshot's
wikitext) is saved first and the current layout (``../shared/corpus``, read at test time) on top,
so the wiki holds an old and a latest revision with real ids. The CLI runs as a subprocess, as a
user runs it; the server's request log shows what the client really sent.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from extractor import __version__, extract_wikitext, make_source
from extractor.errors import ApiError
from extractor.fetch.client import Fetcher
from extractor.fetch.params import CONTACT_ENV, LOCAL_CONTACT
from tests.support import ROOT

pytestmark = pytest.mark.integration

TITLE = "Foreign relations of Kyrgyzstan"
SLUG = "foreign-relations-of-kyrgyzstan"
REDIRECT = "Kyrgyz foreign relations"
LOOP = ("Kyrgyzstan loop A", "Kyrgyzstan loop B")
SEED_TEXT = (ROOT / "fixtures" / "seed" / f"{SLUG}.wikitext").read_text(encoding="utf-8")
DEFAULT_AGENT = re.compile(
    rf"frx-extractor/{re.escape(__version__)} \({re.escape(LOCAL_CONTACT)}\) python-requests/\d+\.\d+(\.\d+)?"
)


@dataclass(frozen=True)
class Wiki:
    server: Any  # tests.mediawiki.server.MediaWikiServer
    seed_revision: int
    current_revision: int
    current_text: str

    def revision(self, revid: int) -> dict[str, Any]:
        """The wiki's own record of a revision (asked by the helper, not by the code under test)."""
        answer = self.server.api(
            {"action": "query", "prop": "revisions", "revids": revid, "rvprop": "ids|timestamp|sha1"}
        )
        page = answer["query"]["pages"][0]
        return {"pageid": page["pageid"], "title": page["title"], **page["revisions"][0]}


@pytest.fixture(scope="module")
def wiki(mediawiki: Any, current_kyrgyzstan_text: str) -> Wiki:
    seed = mediawiki.edit(TITLE, SEED_TEXT, summary="seed revision (fixtures/seed)")
    current = mediawiki.edit(TITLE, current_kyrgyzstan_text, summary="current layout (../shared/corpus)")
    mediawiki.edit(REDIRECT, f"#REDIRECT [[{TITLE}]]", summary="redirect")
    mediawiki.edit(LOOP[0], f"#REDIRECT [[{LOOP[1]}]]", summary="loop")
    mediawiki.edit(LOOP[1], f"#REDIRECT [[{LOOP[0]}]]", summary="loop")
    assert current > seed
    return Wiki(mediawiki, seed, current, current_kyrgyzstan_text)


@pytest.fixture
def log(wiki: Wiki) -> Any:
    """The server's request log, emptied before the test; faults and lag reset after it."""
    wiki.server.clear_requests()
    yield wiki.server
    wiki.server.clear_injections()
    wiki.server.set_lag(None)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m extractor ARGS`` as a separate process, without a contact in its environment."""
    env = {k: v for k, v in os.environ.items() if k != CONTACT_ENV}
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def article(out: Path, slug: str = SLUG) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((out / slug / "article.json").read_text(encoding="utf-8"))
    return data


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr


# ---------------------------------------------------------------------------- the article, end to end
def test_latest_by_title_is_the_current_layout_with_the_wikis_real_ids(wiki: Wiki, log: Any, tmp_path: Path) -> None:
    """By title: the latest revision; 185 list rows merged with 23 bilateral rows; real ids and permalink."""
    result = run("--api-url", wiki.server.api_url, "--title", TITLE, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    data = article(tmp_path)
    source, relations = data["source"], data["relations"]
    truth = wiki.revision(wiki.current_revision)
    assert (source["title"], source["page_id"], source["revision_id"]) == (
        TITLE,
        truth["pageid"],
        truth["revid"],
    )
    assert (source["revision_timestamp"], source["sha1"]) == (truth["timestamp"], truth["sha1"])
    assert source["permalink"] == wiki.server.permalink(wiki.current_revision, TITLE)
    assert source["api_url"] == wiki.server.api_url and source["obtained"] == "api"
    assert sum(r["in_list"] for r in relations) == 185
    assert sum(r["in_bilateral_table"] for r in relations) == 23
    expected = extract_wikitext(wiki.current_text, make_source(TITLE, obtained="file"))
    assert len(relations) == len(expected.relations) == 185


def test_regeneration_is_one_polite_request(wiki: Wiki, log: Any, tmp_path: Path) -> None:
    """One regeneration = one content request, with the User-Agent, format=json, formatversion=2, maxlag=5,
    then ⌈N/50⌉ pageprops requests for the N distinct pages its subject and partners name."""
    assert run("--api-url", wiki.server.api_url, "--out", str(tmp_path)).returncode == 0
    content, *pageprops = log.requests()
    titles = {r["country_article"] or r["country"] for r in article(tmp_path)["relations"]} | {"Kyrgyzstan"}
    assert [r["params"]["prop"] for r in pageprops] == [["pageprops"]] * math.ceil(len(titles) / 50)
    params = {key: values[0] for key, values in content["params"].items()}
    assert (params["format"], params["formatversion"], params["maxlag"]) == ("json", "2", "5")
    assert (params["action"], params["prop"], params["titles"]) == ("query", "revisions", TITLE)
    assert all(DEFAULT_AGENT.fullmatch(r["user_agent"]) for r in [content, *pageprops])
    assert "gzip" in {k.lower(): v for k, v in content["headers"].items()}["accept-encoding"]


def test_the_old_revision_by_revision_is_the_seed(wiki: Wiki, log: Any, tmp_path: Path) -> None:
    """--revision N: the seed's 39 relations, pinned to the real revision id; tables equal the snapshot's."""
    result = run("--api-url", wiki.server.api_url, "--revision", str(wiki.seed_revision), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    data = article(tmp_path)
    assert len(data["relations"]) == 39
    assert data["source"]["revision_id"] == wiki.seed_revision
    assert data["source"]["permalink"] == wiki.server.permalink(wiki.seed_revision, TITLE)
    assert [p["params"]["revids"] for p in log.requests() if p["params"]["prop"] != ["pageprops"]] == [
        [str(wiki.seed_revision)]
    ]
    snapshot = ROOT / "out" / SLUG  # what --offline writes from the stored snapshot of the same text
    for name in ("relations.csv", "references.csv", "citations.csv"):
        assert (tmp_path / SLUG / name).read_bytes() == (snapshot / name).read_bytes(), name


def test_a_redirect_title_resolves_to_the_canonical_article(wiki: Wiki, log: Any, tmp_path: Path) -> None:
    """A redirect's title yields the target's dataset, named and filed under the canonical title."""
    result = run("--api-url", wiki.server.api_url, "--title", REDIRECT, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == [SLUG]
    source = article(tmp_path)["source"]
    assert (source["title"], source["revision_id"]) == (TITLE, wiki.current_revision)


# ---------------------------------------------------------------------------- errors from a real wiki
@pytest.mark.parametrize(
    ("arguments", "needles"),
    [
        (["--title", "Foreign relations of Atlantis"], ["'Foreign relations of Atlantis'", "does not exist"]),
        (
            ["--title", "Foreign relations of [Kyrgyzstan]"],
            ["Foreign relations of [Kyrgyzstan]", "invalid title"],
        ),
        (["--revision", "987654"], ["revision 987654", "no such revision"]),
        (["--title", LOOP[0]], [LOOP[0], "redirect loop"]),
        (["--title", "Module:Dates"], ["Module:Dates", "content model 'Scribunto'"]),
    ],
    ids=["missing-page", "invalid-title", "unknown-revision", "redirect-loop", "content-model"],
)
def test_what_is_not_the_article_is_one_line_and_writes_nothing(
    wiki: Wiki, log: Any, tmp_path: Path, arguments: list[str], needles: list[str]
) -> None:
    """Each is exit 2 with one stderr line naming the title or revision, one request, nothing written."""
    result = run("--api-url", wiki.server.api_url, *arguments, "--out", str(tmp_path / "out"))
    assert_one_line_error(result, *needles)
    assert not (tmp_path / "out").exists()
    assert len(log.requests()) == 1


def test_maxlag_minus_one_is_retried_honouring_retry_after_then_fails(wiki: Wiki, log: Any) -> None:
    """maxlag=-1 makes the real wiki answer 'maxlag' (HTTP 200, Retry-After): retried, then an ApiError."""
    sleeps: list[float] = []
    fetcher = Fetcher(api_url=wiki.server.api_url, maxlag=-1, max_retries=2, sleep=sleeps.append)
    with pytest.raises(ApiError, match="maxlag") as caught:
        fetcher.fetch_wikitext(TITLE)
    assert caught.value.code == "maxlag" and caught.value.title == TITLE
    requests = log.requests()
    assert len(requests) == 3 and all(r["params"]["maxlag"] == ["-1"] for r in requests)
    assert sleeps == [5.0, 10.0]


def test_maxlag_clears_and_the_article_arrives(wiki: Wiki, log: Any) -> None:
    """A lagging wiki (maxlag=5 fails) that catches up during the wait: the second try succeeds."""
    log.set_lag(10)
    sleeps: list[float] = []

    def wait(seconds: float) -> None:
        sleeps.append(seconds)
        log.set_lag(None)  # the replicas catch up while we wait

    page = Fetcher(api_url=wiki.server.api_url, sleep=wait).fetch_wikitext(TITLE)
    assert page.source.revision_id == wiki.current_revision
    assert sleeps == [5.0] and len(log.requests()) == 2


def test_a_lagging_wiki_is_a_one_line_error_on_the_command_line(wiki: Wiki, log: Any, tmp_path: Path) -> None:
    """Lag beyond maxlag with no retries left: exit 2, one line with the API code."""
    log.set_lag(10)
    result = run("--api-url", wiki.server.api_url, "--max-retries", "0", "--out", str(tmp_path / "out"))
    assert_one_line_error(result, TITLE, "maxlag")
    assert not (tmp_path / "out").exists()


def test_429_from_the_server_waits_for_retry_after(wiki: Wiki, log: Any) -> None:
    """An injected 429 with Retry-After: 30 waits 30 s (injected sleep), then the article arrives."""
    log.inject(429, headers={"Retry-After": "30"}, path="/w/api.php")
    sleeps: list[float] = []
    page = Fetcher(api_url=wiki.server.api_url, sleep=sleeps.append).fetch_wikitext(TITLE)
    assert page.source.revision_id == wiki.current_revision
    assert sleeps == [30.0] and [r.get("injected") for r in log.requests()] == [429, None]


def test_a_failed_run_leaves_the_previous_dataset_byte_identical(wiki: Wiki, log: Any, tmp_path: Path) -> None:
    """A 503 that outlasts the retries: exit 2, and the dataset of the previous run is untouched."""
    assert run("--api-url", wiki.server.api_url, "--out", str(tmp_path)).returncode == 0
    before = files(tmp_path)
    log.inject(503, body="Service Unavailable", path="/w/api.php", times=5)
    result = run("--api-url", wiki.server.api_url, "--max-retries", "0", "--out", str(tmp_path))
    assert_one_line_error(result, TITLE, "HTTP 503")
    assert files(tmp_path) == before


def test_every_call_of_every_kind_is_polite(wiki: Wiki, log: Any) -> None:
    """wikitext, HTML, Parsoid, the cheap check: each request has the User-Agent, API calls maxlag=5 &c."""
    with Fetcher(api_url=wiki.server.api_url, user_agent="frx-extractor-tests/1 (integration)") as fetcher:
        fetcher.fetch_wikitext(TITLE)
        fetcher.fetch_html(TITLE)
        fetcher.fetch_parsoid(TITLE)
        info = fetcher.latest_revision(TITLE)
    assert info.revision_id == wiki.current_revision
    requests = log.requests()
    assert [r["path"] for r in requests] == [
        "/w/api.php",
        "/w/api.php",
        "/w/api.php",
        f"/w/rest.php/v1/revision/{wiki.current_revision}/html",
        "/w/api.php",
    ]
    assert all(r["user_agent"] == "frx-extractor-tests/1 (integration)" for r in requests)
    for request in (r for r in requests if r["path"] == "/w/api.php"):
        params = {key: values[0] for key, values in request["params"].items()}
        assert (params["format"], params["formatversion"], params["maxlag"]) == ("json", "2", "5")


def test_html_and_parsoid_are_pinned_to_the_revision(wiki: Wiki, log: Any) -> None:
    """fetch_html and fetch_parsoid of the seed revision return that revision's HTML with its ids."""
    with Fetcher(api_url=wiki.server.api_url) as fetcher:
        html = fetcher.fetch_html(revision=wiki.seed_revision)
        parsoid = fetcher.fetch_parsoid(revision=wiki.seed_revision)
    for page, kind in ((html, "html"), (parsoid, "parsoid")):
        assert page.source.content_format == kind and page.source.revision_id == wiki.seed_revision
        assert 'class="wikitable' in page.content and "Kazakhstan" in page.content
    assert parsoid.source.revision_timestamp == wiki.revision(wiki.seed_revision)["timestamp"]
    # Parsoid names the revision it rendered in the document's "about" IRI.
    assert f'Special:Redirect/revision/{wiki.seed_revision}"' in parsoid.content


# ---------------------------------------------------------------------------- record and replay
def test_offline_replay_of_a_recording_is_byte_identical_to_the_live_run(wiki: Wiki, log: Any, tmp_path: Path) -> None:
    """--record during a live run, then --offline --recording: the same files, and no request at all."""
    live, replay, recording = tmp_path / "live", tmp_path / "replay", tmp_path / "recording"
    result = run("--api-url", wiki.server.api_url, "--title", TITLE, "--out", str(live), "--record", str(recording))
    assert result.returncode == 0, result.stderr
    index = json.loads((recording / "recording.json").read_text(encoding="utf-8"))
    assert index["api_url"] == wiki.server.api_url and DEFAULT_AGENT.fullmatch(index["user_agent"])
    first, *pageprops = index["exchanges"]
    assert first["params"]["titles"] == TITLE and {e["params"]["prop"] for e in pageprops} == {"pageprops"}
    log.clear_requests()
    result = run("--offline", "--recording", str(recording), "--out", str(replay))
    assert result.returncode == 0, result.stderr
    assert log.requests() == []
    assert files(replay) == files(live)
