"""The real MediaWiki test server (scripts/mediawiki.sh, tests/mediawiki/) does what the tests rely on."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import pytest
import requests
from bs4 import BeautifulSoup, Tag

from tests.mediawiki.server import MediaWikiError, MediaWikiServer, ensure_installed

pytestmark = pytest.mark.integration

USER_AGENT = "frx-extractor-tests/0.1 (https://example.org/frx; test@example.org) python-requests"
TITLE = "Foreign relations of Testland"
TEXT_V1 = """{{Short description|Test}}
== Bilateral relations ==
{{Main|Kazakhstan–Testland relations}}
{| class="wikitable sortable"
! Country !! Formal relations began
|-
| {{flag|Kazakhstan}} || {{dts|6 October 1992}}<ref name="a">{{cite web|url=https://example.org/x|title=X}}</ref>
|}

== References ==
{{Reflist}}
"""
TEXT_V2 = TEXT_V1.replace("|}\n", '|-\n| {{flag|China}} || {{dts|1992|1|5}}<ref name="a"/>\n|}\n')


@dataclass
class Wiki:
    server: MediaWikiServer
    rev1: int
    rev2: int


@pytest.fixture(scope="module")
def wiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wiki]:
    try:
        ensure_installed()
    except (MediaWikiError, OSError) as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"MediaWiki is not installed and could not be installed: {exc}")
    server = MediaWikiServer.start(tmp_path_factory.mktemp("mediawiki"))
    try:
        rev1 = server.edit(TITLE, TEXT_V1, summary="first")
        rev2 = server.edit(TITLE, TEXT_V2, summary="second")
        yield Wiki(server, rev1, rev2)
    finally:
        server.stop()


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        session.headers["User-Agent"] = USER_AGENT
        yield session


def api(wiki: Wiki, http: requests.Session, **params: str) -> dict[str, Any]:
    response = http.get(wiki.server.api_url, params={"format": "json", "formatversion": "2", **params}, timeout=60)
    response.raise_for_status()
    return cast(dict[str, Any], response.json())  # the API answers a JSON object


def one(root: Tag, selector: str) -> Tag:
    """The first element under ``root`` that ``selector`` finds; there must be one."""
    found = root.select_one(selector)
    assert found is not None, f"nothing matches {selector!r}"
    return found


def attribute(tag: Tag | None, name: str) -> str:
    """The value of the single-valued attribute ``name`` of ``tag``; both must be there."""
    assert tag is not None, f"no element to read {name!r} from"
    value = tag.get(name)
    assert isinstance(value, str), f"{name}={value!r}"
    return value


def test_two_revisions_are_saved_and_fetched_by_revid(wiki: Wiki, http: requests.Session) -> None:
    assert wiki.rev2 > wiki.rev1 > 0
    body = api(
        wiki,
        http,
        action="query",
        prop="revisions",
        revids=f"{wiki.rev1}|{wiki.rev2}",
        rvprop="ids|timestamp|sha1|content",
        rvslots="main",
    )
    [page] = body["query"]["pages"]
    assert page["title"] == TITLE
    contents = {rev["revid"]: rev["slots"]["main"]["content"] for rev in page["revisions"]}
    assert contents == {wiki.rev1: TEXT_V1.rstrip("\n"), wiki.rev2: TEXT_V2.rstrip("\n")}
    parents = {rev["revid"]: rev["parentid"] for rev in page["revisions"]}
    assert parents[wiki.rev2] == wiki.rev1


def test_unknown_revid_is_reported_as_badrevids(wiki: Wiki, http: requests.Session) -> None:
    body = api(wiki, http, action="query", prop="revisions", revids="999999", rvprop="ids")
    assert body["query"]["badrevids"]["999999"]["missing"] is True


def test_legacy_parser_html_has_the_enwiki_structures(wiki: Wiki, http: requests.Session) -> None:
    body = api(
        wiki,
        http,
        action="parse",
        oldid=str(wiki.rev2),
        prop="text|revid",
        disableeditsection="1",
        disablelimitreport="1",
    )
    assert body["parse"]["revid"] == wiki.rev2
    soup = BeautifulSoup(body["parse"]["text"], "lxml")
    assert soup.select_one("div.mw-parser-output")
    flags = soup.select("span.flagicon")
    assert len(flags) == 2
    assert "Flag_of_Kazakhstan.svg" in attribute(flags[0].img, "src")
    link = flags[0].find_next_sibling("a")
    assert attribute(link, "href") == "/w/index.php?title=Kazakhstan&action=edit&redlink=1"
    assert one(soup, 'span[data-sort-value="000000001992-10-06-0000"]').get_text() == "6 October 1992"
    assert len(soup.select('sup.reference[id^="cite_ref-"] > a[href^="#cite_note-a-"]')) == 2
    hatnote = one(soup, "div.hatnote[role=note]")
    assert hatnote.get_text() == "Main article: Kazakhstan–Testland relations"
    [item] = soup.select("div.reflist ol.references > li")
    assert one(item, "span.mw-cite-backlink").get_text(" ", strip=True).startswith("^ a b")
    cite = one(item, "span.reference-text cite.citation.web.cs1")
    assert attribute(cite.select_one("a.external.text"), "href") == "https://example.org/x"
    coins = attribute(item.select_one("span.Z3988"), "title")
    assert coins.startswith("ctx_ver=Z39.88-2004&") and "rft.btitle=X" in coins
    assert "rft_id=https%3A%2F%2Fexample.org%2Fx" in coins


def test_parsoid_html_of_a_revision(wiki: Wiki, http: requests.Session) -> None:
    response = http.get(f"{wiki.server.rest_url}/v1/revision/{wiki.rev1}/html", timeout=60)
    assert response.status_code == 200, response.text[:2000]
    html = response.text
    assert 'typeof="mw:Extension/ref"' in html
    assert "data-mw=" in html
    soup = BeautifulSoup(html, "lxml")
    assert attribute(soup.html, "about").endswith(f"/revision/{wiki.rev1}")
    assert soup.select_one('span.flagicon[typeof="mw:Transclusion"]')
    assert soup.select_one('div.mw-references-wrap[typeof="mw:Extension/references"] ol.mw-references')
    latest = http.get(f"{wiki.server.rest_url}/v1/page/{TITLE.replace(' ', '_')}/html", timeout=60)
    assert latest.status_code == 200
    assert f"/revision/{wiki.rev2}" in latest.text


def test_maxlag_minus_one_gives_the_maxlag_error(wiki: Wiki, http: requests.Session) -> None:
    response = http.get(
        wiki.server.api_url,
        params={"action": "query", "meta": "siteinfo", "format": "json", "maxlag": "-1"},
        timeout=60,
    )
    assert response.status_code == 200
    assert response.json()["error"]["code"] == "maxlag"
    assert response.headers["MediaWiki-API-Error"] == "maxlag"
    assert int(response.headers["Retry-After"]) >= 1


def test_simulated_lag_and_injected_responses(wiki: Wiki, http: requests.Session) -> None:
    wiki.server.set_lag(10)
    try:
        assert api(wiki, http, action="query", meta="siteinfo", maxlag="5")["error"]["code"] == "maxlag"
        assert "error" not in api(wiki, http, action="query", meta="siteinfo", maxlag="20")
    finally:
        wiki.server.set_lag(None)
    assert "error" not in api(wiki, http, action="query", meta="siteinfo", maxlag="5")

    wiki.server.inject(429, headers={"Retry-After": "3"}, path="/w/api.php", times=2)
    for _ in range(2):
        limited = http.get(wiki.server.api_url, params={"action": "query"}, timeout=60)
        assert limited.status_code == 429
        assert limited.headers["Retry-After"] == "3"
    assert wiki.server.pending_injections() == []
    assert http.get(wiki.server.api_url, params={"action": "query"}, timeout=60).status_code == 200


def test_request_log_shows_what_the_client_sent(wiki: Wiki, http: requests.Session) -> None:
    wiki.server.clear_requests()
    api(wiki, http, action="query", prop="info", titles=TITLE, maxlag="5")
    http.get(wiki.server.page_url(TITLE), timeout=60)
    logged = wiki.server.requests()
    assert [entry["path"] for entry in logged] == ["/w/api.php", "/wiki/Foreign_relations_of_Testland"]
    assert all(entry["user_agent"] == USER_AGENT for entry in logged)
    assert logged[0]["params"]["maxlag"] == ["5"]
    assert logged[0]["params"]["titles"] == [TITLE]
    # The helper's own requests are marked and left out unless asked for.
    wiki.server.latest_revid(TITLE)
    assert len(wiki.server.requests()) == 2
    assert wiki.server.requests(include_helper=True)[-1]["helper"] is True


def test_delete(wiki: Wiki, http: requests.Session) -> None:
    wiki.server.edit("Scratch page", "temporary")
    wiki.server.delete("Scratch page")
    assert wiki.server.latest_revid("Scratch page") is None
    [page] = api(wiki, http, action="query", prop="info", titles="Scratch page")["query"]["pages"]
    assert page["missing"] is True
