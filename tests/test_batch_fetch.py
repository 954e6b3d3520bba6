"""Batch fetching against a mocked Action API (``responses``): 50 titles a request, every continuation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from extractor.batch import extract_titles
from extractor.cli import main
from extractor.errors import PageMissingError, TransportError
from extractor.fetch.batch import MAX_TITLES, discover_titles, fetch_pages, read_titles_file
from extractor.fetch.client import Fetcher

API = "http://wiki.test/w/api.php"
TEXT = "{| class=wikitable\n! Country !! Formal relations began\n|-\n| {{flag|Chile}} || 1992\n|}\n"


def page(title: str, pageid: int, *, content: str | None = TEXT) -> dict[str, Any]:
    """A page of a multi-title ``prop=revisions`` answer; without content it awaits a continuation."""
    entry: dict[str, Any] = {"pageid": pageid, "ns": 0, "title": title}
    if content is not None:
        slot = {
            "contentmodel": "wikitext",
            "contentformat": "text/x-wiki",
            "sha1": "ab" * 20,
            "content": content,
        }
        entry["revisions"] = [{"revid": 1000 + pageid, "timestamp": "2025-01-02T03:04:05Z", "slots": {"main": slot}}]
    return entry


def params_of(request: Any) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(request.url).query, keep_blank_values=True).items()}


def sent(mock: responses.RequestsMock) -> list[dict[str, str]]:
    return [params_of(call.request) for call in mock.calls]


@pytest.fixture
def api() -> Any:
    with responses.RequestsMock() as mock:
        yield mock


def fetcher() -> Fetcher:
    return Fetcher(api_url=API, sleep=lambda _: None)


def serve_pages(mock: responses.RequestsMock) -> None:
    """Answer every prop=revisions request with all its titles, pages numbered by title."""

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        titles = params_of(request)["titles"].split("|")
        if params_of(request)["prop"] == "pageprops":  # the partners' pages: none on this wiki
            pages = [{"ns": 0, "title": t, "missing": True} for t in titles]
            return 200, {}, json.dumps({"batchcomplete": True, "query": {"pages": pages}})
        pages = [page(t, int(t.rsplit(" ", 1)[1])) for t in titles]
        return 200, {}, json.dumps({"batchcomplete": True, "query": {"pages": pages}})

    mock.add_callback(responses.GET, API, callback=answer, content_type="application/json")


def test_titles_are_asked_for_50_at_a_time_in_polite_serial_requests(api: responses.RequestsMock) -> None:
    """120 titles take three requests (50, 50, 20), each a polite Action API query."""
    serve_pages(api)
    titles = [f"Foreign relations of Land {n}" for n in range(1, 121)]
    batches = list(fetch_pages(fetcher(), titles))
    assert [len(b) for b in batches] == [50, 50, 20]
    requests = sent(api)
    assert [len(r["titles"].split("|")) for r in requests] == [MAX_TITLES, MAX_TITLES, 20]
    for request in requests:
        assert (request["action"], request["prop"], request["rvslots"]) == ("query", "revisions", "main")
        assert "content" in request["rvprop"].split("|")
        assert (request["format"], request["formatversion"], request["maxlag"]) == ("json", "2", "5")
    outcomes = [o for b in batches for o in b]
    assert [o.title for o in outcomes] == titles
    assert all(o.page is not None and o.page.content == TEXT for o in outcomes)
    assert outcomes[0].page is not None and outcomes[0].page.source.revision_id == 1001


def test_pages_left_out_of_an_answer_come_with_its_continuation(api: responses.RequestsMock) -> None:
    """When content does not fit one answer, the request is repeated with `continue` until complete."""
    first = {
        "continue": {"rvcontinue": "12|34", "continue": "||"},
        "query": {"pages": [page("Foreign relations of A 1", 1), page("Foreign relations of B 2", 2, content=None)]},
    }
    second = {
        "batchcomplete": True,
        "query": {"pages": [page("Foreign relations of A 1", 1, content=None), page("Foreign relations of B 2", 2)]},
    }
    api.get(API, json=first)
    api.get(API, json=second)
    [batch] = list(fetch_pages(fetcher(), ["Foreign relations of A 1", "Foreign relations of B 2"]))
    assert [o.page is not None and o.page.content == TEXT for o in batch] == [True, True]
    requests = sent(api)
    assert "rvcontinue" not in requests[0]
    assert (requests[1]["rvcontinue"], requests[1]["continue"]) == ("12|34", "||")
    assert requests[1]["titles"] == requests[0]["titles"]


def test_normalised_redirected_and_missing_titles_each_get_their_outcome(api: responses.RequestsMock) -> None:
    """A title is followed through normalisation and redirects; a missing page fails alone."""
    api.get(
        API,
        json={
            "query": {
                "normalized": [{"from": "foreign relations of x 1", "to": "Foreign relations of x 1"}],
                "redirects": [{"from": "Foreign relations of x 1", "to": "Foreign relations of X 1"}],
                "pages": [
                    page("Foreign relations of X 1", 1),
                    {"ns": 0, "title": "Foreign relations of Nowhere", "missing": True},
                ],
            }
        },
    )
    [batch] = list(fetch_pages(fetcher(), ["foreign relations of x 1", "Foreign relations of Nowhere"]))
    found, missing = batch
    assert found.page is not None and found.page.source.title == "Foreign relations of X 1"
    assert isinstance(missing.error, PageMissingError) and "does not exist" in str(missing.error)


def test_a_title_that_cannot_be_asked_for_fails_without_a_request(api: responses.RequestsMock) -> None:
    """'|' would split the request: that title fails alone, the others are fetched."""
    serve_pages(api)
    batches = list(fetch_pages(fetcher(), ["A|B", "Foreign relations of Land 1"]))
    outcomes = {o.title: o for b in batches for o in b}
    assert isinstance(outcomes["A|B"].error, PageMissingError)
    assert outcomes["Foreign relations of Land 1"].page is not None
    assert [r["titles"] for r in sent(api)] == ["Foreign relations of Land 1"]


def test_a_request_that_fails_fails_its_titles_and_stops_asking(api: responses.RequestsMock) -> None:
    """After the fetcher's retries, a dead wiki is not asked again for the remaining titles."""
    api.get(API, status=404)
    titles = [f"Foreign relations of Land {n}" for n in range(1, 61)]
    batches = list(fetch_pages(fetcher(), titles))
    outcomes = [o for b in batches for o in b]
    assert len(outcomes) == 60 and all(isinstance(o.error, TransportError) for o in outcomes)
    assert len(api.calls) == 1


def test_discovery_lists_every_article_of_the_family_across_continuations(
    api: responses.RequestsMock,
) -> None:
    """list=allpages with apprefix, main namespace, no redirects, followed through apcontinue."""
    api.get(
        API,
        json={
            "continue": {"apcontinue": "Foreign_relations_of_M", "continue": "-||"},
            "query": {"allpages": [{"pageid": 1, "ns": 0, "title": "Foreign relations of Chad"}]},
        },
    )
    api.get(API, json={"query": {"allpages": [{"pageid": 2, "ns": 0, "title": "Foreign relations of Mali"}]}})
    assert discover_titles(fetcher()) == ["Foreign relations of Chad", "Foreign relations of Mali"]
    first, second = sent(api)
    assert (first["list"], first["apprefix"], first["apnamespace"], first["apfilterredir"]) == (
        "allpages",
        "Foreign relations of",
        "0",
        "nonredirects",
    )
    assert second["apcontinue"] == "Foreign_relations_of_M"


def test_a_titles_file_skips_blanks_comments_and_repeats(tmp_path: Path) -> None:
    """One title a line; '#' starts a comment; underscores are spaces; repeats are dropped."""
    path = tmp_path / "titles.txt"
    path.write_text(
        "# the family\nForeign_relations_of_Chad\n\nForeign relations of Mali  # west\nForeign relations of Chad\n"
    )
    assert read_titles_file(path) == ["Foreign relations of Chad", "Foreign relations of Mali"]


def test_fetched_articles_are_extracted_and_the_found_list_recorded(
    api: responses.RequestsMock, tmp_path: Path
) -> None:
    """Each fetched page becomes out/<slug>/ with its revision in the source; titles.txt keeps the list."""
    serve_pages(api)
    titles = ["Foreign relations of Land 1", "Foreign relations of Land 2"]
    report = extract_titles(fetcher(), titles, tmp_path, record_titles=True)
    assert report.failed == []
    data = json.loads((tmp_path / "foreign-relations-of-land-1" / "article.json").read_text())
    assert (data["source"]["revision_id"], data["source"]["obtained"]) == (1001, "api")
    assert data["relations"][0]["country"] == "Chile"
    assert (tmp_path / "all" / "titles.txt").read_text() == "".join(f"{t}\n" for t in titles)


def test_the_cli_fetches_a_titles_file_and_reports_a_missing_page(
    api: responses.RequestsMock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--titles-file` runs the batch; a missing page is one failure line and exit 2."""
    api.get(
        API,
        json={
            "query": {
                "pages": [
                    page("Foreign relations of Land 1", 1),
                    {"title": "Foreign relations of Gone", "missing": True},
                ]
            }
        },
    )
    titles = tmp_path / "titles.txt"
    titles.write_text("Foreign relations of Land 1\nForeign relations of Gone\n")
    out = tmp_path / "out"
    assert main(["--titles-file", str(titles), "--api-url", API, "--out", str(out)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("failed: Foreign relations of Gone: ") and "does not exist" in err[0]
    assert err[-1] == f"2 articles: 1 written, 1 failed -> {out / 'all'}"
    assert (out / "foreign-relations-of-land-1" / "relations.csv").is_file()


def test_the_cli_all_discovers_then_fetches(api: responses.RequestsMock, tmp_path: Path) -> None:
    """`--all` asks allpages first, then the pages it found, then their partners' pages, and records the list."""
    api.get(API, json={"query": {"allpages": [{"title": "Foreign relations of Land 1"}]}})
    serve_pages(api)
    out = tmp_path / "out"
    assert main(["--all", "--api-url", API, "--out", str(out)]) == 0
    assert [r.get("list") or r.get("prop") for r in sent(api)] == ["allpages", "revisions", "pageprops"]
    assert (out / "all" / "titles.txt").read_text() == "Foreign relations of Land 1\n"


def test_a_recorded_batch_replays_to_the_same_files(api: responses.RequestsMock, tmp_path: Path) -> None:
    """`--record DIR` keeps every answer of the batch; `--recording DIR` writes the same bytes offline."""
    serve_pages(api)
    titles = tmp_path / "titles.txt"
    titles.write_text("".join(f"Foreign relations of Land {n}\n" for n in range(1, 4)))
    live, replay, recording = tmp_path / "live", tmp_path / "replay", tmp_path / "recording"
    assert main(["--titles-file", str(titles), "--api-url", API, "--record", str(recording), "--out", str(live)]) == 0
    calls = len(api.calls)
    assert main(["--titles-file", str(titles), "--recording", str(recording), "--out", str(replay)]) == 0
    assert len(api.calls) == calls  # nothing sent
    files = sorted(p.relative_to(live) for p in live.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(replay) for p in replay.rglob("*") if p.is_file())
    assert all((live / f).read_bytes() == (replay / f).read_bytes() for f in files)


def test_a_wiki_failing_to_resolve_the_partners_still_gets_the_articles_written(
    api: responses.RequestsMock, tmp_path: Path
) -> None:
    """The pageprops request failing leaves the QIDs empty, writes the articles, and says so in the summary."""

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        params = params_of(request)
        if params["prop"] == "pageprops":
            return 404, {}, "not here"
        pages = [page(t, int(t.rsplit(" ", 1)[1])) for t in params["titles"].split("|")]
        return 200, {}, json.dumps({"batchcomplete": True, "query": {"pages": pages}})

    api.add_callback(responses.GET, API, callback=answer, content_type="application/json")
    report = extract_titles(fetcher(), ["Foreign relations of Land 1"], tmp_path / "out", workers=1)
    assert report.failed == [] and report.entities_error is not None and "404" in report.entities_error
    assert "Wikidata items not resolved (" in report.summary()
    assert (tmp_path / "out" / "foreign-relations-of-land-1" / "relations.csv").is_file()
