"""Recordings: the seed's recording agrees with the reviewed seed files, and the format holds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.cli.options import SEED_RECORDING, SEED_TITLE, load_snapshot
from extractor.errors import RecordingError, TransportError
from extractor.fetch.client import Fetcher
from extractor.fetch.recording import FORMAT, INDEX, Exchange, Recording
from tests.support import ROOT

SEED = ROOT / "fixtures" / "seed"


def test_the_seed_recording_replays_exactly_the_seed_wikitext() -> None:
    """Replaying the seed recording yields the reviewed fixtures/seed wikitext, character for character."""
    text, _ = load_snapshot(SEED_TITLE)
    assert text == (SEED / "foreign-relations-of-kyrgyzstan.wikitext").read_text(encoding="utf-8")


def test_the_seed_recording_says_it_is_a_reconstruction() -> None:
    """The replayed source is source.json's: a reconstruction, ids null, no API URL, no permalink."""
    meta = json.loads((SEED / "source.json").read_text(encoding="utf-8"))
    _, source = load_snapshot(SEED_TITLE)
    assert source.obtained == "reconstruction" == meta["obtained"]
    assert (source.page_id, source.revision_id, source.revision_timestamp) == (None, None, None)
    assert (source.title, source.licence, source.note) == (meta["title"], meta["licence"], meta["note"])
    assert source.api_url is None and source.permalink is None and source.sha1 is None
    index = json.loads((SEED_RECORDING / INDEX).read_text(encoding="utf-8"))
    assert index["api_url"] is None and index["user_agent"] is None
    assert index["source"]["obtained"] == "reconstruction"


def test_the_committed_seed_recording_is_what_the_script_makes() -> None:
    """make_seed_recording.py --check: the recording is regenerated from fixtures/seed, byte for byte."""
    result = subprocess.run(
        [sys.executable, "scripts/make_seed_recording.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def test_a_live_answer_without_ids_is_refused(tmp_path: Path) -> None:
    """Only a recording marked as a reconstruction may lack ids; an 'api' one without them is an error."""
    index = json.loads((SEED_RECORDING / INDEX).read_text(encoding="utf-8"))
    index["source"] = {"obtained": "api"}
    for entry in index["exchanges"]:
        (tmp_path / entry["file"]).write_bytes((SEED_RECORDING / entry["file"]).read_bytes())
    (tmp_path / INDEX).write_text(json.dumps(index), encoding="utf-8")
    with pytest.raises(TransportError, match="no valid page id"):
        Fetcher(replay_dir=tmp_path).fetch_wikitext(SEED_TITLE)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    """A saved recording loads back with the same requests and the same raw bytes."""
    recording = Recording(api_url="http://127.0.0.1:1/w/api.php", user_agent="ua")
    recording.add(Exchange("api.php", {"action": "query", "titles": "T"}, 200, "application/json", b'{"x": 1}'))
    recording.add(Exchange("rest.php/v1/revision/5/html", {}, 200, "text/html; charset=utf-8", b"<html></html>"))
    recording.save(tmp_path / "rec")
    assert sorted(p.name for p in (tmp_path / "rec").iterdir()) == ["001-api.json", "002-rest.html", INDEX]
    loaded = Recording.load(tmp_path / "rec")
    assert loaded == recording
    assert json.loads((tmp_path / "rec" / INDEX).read_text(encoding="utf-8"))["format"] == FORMAT


def test_a_page_cut_out_of_a_batch_says_what_it_was_cut_from(tmp_path: Path) -> None:
    """page_recording: filed as the answer to revids=N alone, with the batch request it came from kept."""
    from extractor.fetch.recording import page_recording

    batch = {"action": "query", "revids": "5|7", "meta": "siteinfo"}
    page = {"pageid": 1, "title": "T", "revisions": [{"revid": 7, "slots": {"main": {"content": "x"}}}]}
    rights = {"url": "", "text": ""}
    cut = page_recording(page, 7, api_url=None, language="en", user_agent="ua", rightsinfo=rights, cut_from=batch)
    cut.save(tmp_path / "rec")
    [entry] = json.loads((tmp_path / "rec" / INDEX).read_text(encoding="utf-8"))["exchanges"]
    assert (entry["params"]["revids"], entry["cut_from"]) == ("7", batch)
    body = json.loads((tmp_path / "rec" / entry["file"]).read_text(encoding="utf-8"))
    assert body == {"batchcomplete": True, "query": {"pages": [page], "rightsinfo": rights}}
    assert Recording.load(tmp_path / "rec") == cut
    whole = Recording(api_url=None)
    whole.add(Exchange("api.php", {"a": "1"}, 200, None, b"{}"))
    assert "cut_from" not in whole.index()["exchanges"][0]  # a whole answer's entry is as before


def test_the_same_request_recorded_twice_keeps_the_latest_answer() -> None:
    """Recording a request again replaces its earlier answer."""
    recording = Recording(api_url=None)
    recording.add(Exchange("api.php", {"a": "1"}, 200, None, b"old"))
    recording.add(Exchange("api.php", {"a": "1"}, 200, None, b"new"))
    assert [e.body for e in recording.exchanges] == [b"new"]


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ("{not json", "unreadable recording index"),
        ('{"format": "something else", "version": 1}', "not a"),
        (
            '{"format": "frx-extractor recording", "version": 1, "source": {"obtained": "api"}, '
            '"exchanges": [{"endpoint": "api.php", "params": {}, "status": 200, "file": "gone.json"}]}',
            "missing",
        ),
    ],
    ids=["not-json", "wrong-format", "missing-answer-file"],
)
def test_a_broken_recording_is_a_one_line_recording_error(tmp_path: Path, index: str, message: str) -> None:
    """A malformed recording is a RecordingError naming the file, never a crash."""
    (tmp_path / INDEX).write_text(index, encoding="utf-8")
    with pytest.raises(RecordingError, match=message) as caught:
        Recording.load(tmp_path)
    assert "\n" not in str(caught.value) and str(tmp_path) in str(caught.value)
