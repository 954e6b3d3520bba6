"""The licence a dataset names: what the wiki states with the content, 'unknown' when nothing says."""

from __future__ import annotations

import json
from pathlib import Path

import frictionless
import pytest

from extractor.errors import TransportError
from extractor.export.dataset import slugify, write_dataset
from extractor.extract import extract_wikitext
from extractor.fetch.client import Fetcher
from extractor.fetch.params import RIGHTS_PARAMS, api_params, revisions_params
from extractor.fetch.recording import Exchange, Recording
from extractor.fetch.rights import WikiRights, licence_of
from extractor.source import make_source, stated_licence

TITLE = "Foreign relations of Testland"
TABLE = '{| class="wikitable"\n! Country !! Date\n|-\n| {{flag|Chile}} || 5 May 1990\n|}\n'
CC_TEXT = "Creative Commons Attribution-Share Alike 4.0"
CC_URL = "https://creativecommons.org/licenses/by-sa/4.0/"
WIKIPEDIA = "https://en.wikipedia.org/w/api.php"
OTHER_WIKI = "http://127.0.0.1:8080/w/api.php"


def recorded(
    tmp_path: Path, api_url: str, *, rightsinfo: object = None, with_rights_params: bool = True, stamp: str = ""
) -> Path:
    """A recording of one content answer (revision 7 of TITLE), as a live run writes it, or as one
    recorded before the licence was asked for (``with_rights_params=False``, no ``rightsinfo``)."""
    query: dict[str, object] = {
        "pages": [
            {
                "pageid": 3,
                "ns": 0,
                "title": TITLE,
                "revisions": [
                    {
                        "revid": 7,
                        "parentid": 6,
                        "timestamp": stamp or "2024-01-02T03:04:05Z",
                        "slots": {"main": {"contentmodel": "wikitext", "sha1": "ab", "content": TABLE}},
                    }
                ],
            }
        ]
    }
    if rightsinfo is not None:
        query["rightsinfo"] = rightsinfo
    params = api_params(revisions_params(TITLE, content=True))
    if not with_rights_params:
        params = {key: value for key, value in params.items() if key not in RIGHTS_PARAMS}
    body = json.dumps({"batchcomplete": True, "query": query}).encode("utf-8")
    recording = Recording(api_url=api_url, user_agent="frx-extractor/0 (test) python-requests/0")
    recording.add(Exchange("api.php", params, 200, "application/json; charset=utf-8", body))
    folder = tmp_path / "recording"
    recording.save(folder)
    return folder


def replayed_licence(folder: Path) -> tuple[str, str | None]:
    with Fetcher(replay_dir=folder) as fetcher:
        source = fetcher.fetch_wikitext(TITLE).source
    return source.licence, source.licence_url


def test_the_stated_licence_is_taken_as_stated() -> None:
    """The wiki's text and URL are the licence; text alone has no URL; nothing at all is 'unknown'."""
    assert stated_licence(CC_TEXT, CC_URL) == (CC_TEXT, CC_URL)
    assert stated_licence("  Some  licence ", "") == ("Some licence", None)
    assert stated_licence("", CC_URL) == (CC_URL, CC_URL)
    assert stated_licence("", "") == ("unknown", None)


def test_without_a_statement_only_wikimedia_wikis_get_the_wikipedia_rule() -> None:
    """No rightsinfo: a Wikimedia wiki (or no wiki: a file) leaves it to the date rule; another wiki is unknown."""
    assert licence_of(None, WIKIPEDIA) == (None, None)
    assert licence_of(None, None) == (None, None)
    assert licence_of(None, OTHER_WIKI) == ("unknown", None)
    assert licence_of(WikiRights("", ""), WIKIPEDIA) == ("unknown", None)  # a statement of none counts
    assert make_source(TITLE, obtained="file").licence == "CC BY-SA 4.0"
    assert make_source(TITLE, obtained="file", revision_timestamp="2020-01-01T00:00:00Z").licence == "CC BY-SA 3.0"


def test_a_replayed_answer_names_the_licence_it_holds(tmp_path: Path) -> None:
    """A recording of a content answer with rightsinfo replays to that licence, whatever the wiki."""
    folder = recorded(tmp_path, OTHER_WIKI, rightsinfo={"url": CC_URL, "text": CC_TEXT})
    assert replayed_licence(folder) == (CC_TEXT, CC_URL)


@pytest.mark.parametrize(
    ("api_url", "stamp", "expected"),
    [
        (WIKIPEDIA, "2024-01-02T03:04:05Z", ("CC BY-SA 4.0", CC_URL)),
        (WIKIPEDIA, "2019-01-02T03:04:05Z", ("CC BY-SA 3.0", "https://creativecommons.org/licenses/by-sa/3.0/")),
        (OTHER_WIKI, "2024-01-02T03:04:05Z", ("unknown", None)),
    ],
    ids=["wikipedia-2024", "wikipedia-2019", "other-wiki"],
)
def test_a_recording_made_before_the_licence_was_asked_still_replays(
    tmp_path: Path, api_url: str, stamp: str, expected: tuple[str, str | None]
) -> None:
    """An answer recorded without meta=siteinfo answers the request that now asks for it; its licence is
    English Wikipedia's by date for a Wikimedia wiki, 'unknown' for any other."""
    folder = recorded(tmp_path, api_url, with_rights_params=False, stamp=stamp)
    assert replayed_licence(folder) == expected


def test_a_rightsinfo_of_the_wrong_shape_is_one_error(tmp_path: Path) -> None:
    """rightsinfo.text that is not a string: an error naming where, not a dataset under a wrong licence."""
    folder = recorded(tmp_path, OTHER_WIKI, rightsinfo={"url": CC_URL, "text": 4})
    with pytest.raises(TransportError, match=r"not in MediaWiki's format: query\.rightsinfo\.text"):
        replayed_licence(folder)


def test_an_unknown_licence_is_said_and_the_package_still_validates(tmp_path: Path) -> None:
    """'unknown': ATTRIBUTION.txt says so without a URL, and datapackage.json names it 'notspecified', valid."""
    source = make_source(TITLE, obtained="api", api_url=OTHER_WIKI, licence="unknown")
    folder = write_dataset(extract_wikitext(TABLE, source), tmp_path)
    assert folder == tmp_path / slugify(TITLE)
    attribution = (folder / "ATTRIBUTION.txt").read_text("utf-8")
    assert "; the wiki states no licence." in attribution and "\nLicence: unknown\n" in attribution
    assert "http" not in attribution.split("Licence:", 1)[1]
    package = json.loads((folder / "datapackage.json").read_text("utf-8"))
    assert package["licenses"] == [{"name": "notspecified", "title": "unknown: the wiki states no licence"}]
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])
