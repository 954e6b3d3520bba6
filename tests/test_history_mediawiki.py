"""``history`` against a real MediaWiki: a scripted history of 55+ revisions by several users.

The history is built once (module fixture) with ``maintenance/edit.php`` from the seed revision:
rows added and removed, dates corrected (Mexico's among them), the numbered list introduced, a
vandal's blanking and its revert, prose-only edits, a null edit, revisions hidden with
RevisionDelete (MediaWiki's ``RevisionDeleter``, run by ``maintenance/eval.php``), and one deleted
outright (``deleteRevisions.php``'s code, ``NukePage::deleteRevisions``).
Each test reads what ``python -m extractor history`` wrote.
"""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.support import ROOT

pytestmark = pytest.mark.integration

SEED = ROOT / "fixtures" / "seed" / "foreign-relations-of-kyrgyzstan.wikitext"
TITLE = "Foreign relations of Historia"
SLUG = "foreign-relations-of-historia"
LIST = """== Diplomatic relations ==
{| class="wikitable sortable"
!#
!Country
!Date
|-
|1
|{{Flag|Australia}}
|{{dts|26 December 1991}}
|-
|2
|{{Flag|United States}}
|{{dts|27 December 1991}}
|-
|3
|{{Flag|Albania}}
|{{dts|4 January 1992}}
|}

"""


@dataclass
class Script:
    """The scripted history: every revision id with what it did, by whom."""

    revisions: list[int] = field(default_factory=list)
    marks: dict[str, int] = field(default_factory=dict)
    users: dict[int, str] = field(default_factory=dict)
    text: str = ""


def _edit(wiki: Any, script: Script, text: str, user: str, summary: str, mark: str | None = None) -> int:
    subprocess.run(
        [
            "bash",
            str(ROOT / "scripts" / "mediawiki.sh"),
            "maint",
            str(wiki.workdir),
            "edit",
            "--user",
            user,
            "--summary",
            summary,
            TITLE,
        ],
        input=text,
        text=True,
        check=True,
        capture_output=True,
        timeout=120,
    )
    revision = wiki.latest_revid(TITLE)
    assert revision is not None
    if not script.revisions or revision != script.revisions[-1]:
        script.revisions.append(revision)
        script.users[revision] = user
    if mark:
        script.marks[mark] = revision
    script.text = text
    return int(revision)


def _row(country: str, date: str, note: str) -> str:
    return f'|- valign="top"\n|{{{{flag|{country}}}}}||<!--Date started-->{date}||\n\n* {note}\n'


def _build(wiki: Any) -> Script:
    script = Script()
    text = SEED.read_text(encoding="utf-8")
    _edit(wiki, script, text, "Alice", "seed layout", "seed")
    for country, date in [
        ("Chile", "1 March 1993"),
        ("Peru", "5 May 1994"),
        ("Cuba", "6 June 1995"),
        ("Fiji", "7 July 1996"),
        ("Laos", "8 August 1997"),
    ]:
        end = text.rindex("\n|}\n", 0, text.index("==See also=="))
        text = text[: end + 1] + _row(country, date, f"Relations with {country}.") + text[end + 1 :]
        _edit(wiki, script, text, "Bob", f"add {country}", f"add-{country}")
    for country in ("Moldova", "Malta"):
        start = text.index(f"|{{{{flag|{country}}}}}")
        start = text.rindex("|- valign", 0, start)
        end = text.index("|- valign", start + 1)
        text = text[:start] + text[end:]
        _edit(wiki, script, text, "Carol", f"remove {country}", f"remove-{country}")
    text = text.replace(
        "|{{flag|Mexico}}||<!--Date started-->14 January 1992||", "|{{flag|Mexico}}||<!--Date started-->27 March 1992||"
    )
    _edit(wiki, script, text, "Dave", "Mexico: date corrected", "mexico")
    for country, old, new in [
        ("Chile", "1 March 1993", "2 March 1993"),
        ("Peru", "5 May 1994", "6 May 1994"),
        ("Japan", "26 January 1992", "26 January 1993"),
    ]:
        text = text.replace(
            f"|{{{{flag|{country}}}}}||<!--Date started-->{old}||",
            f"|{{{{flag|{country}}}}}||<!--Date started-->{new}||",
        )
        _edit(wiki, script, text, "Erin", f"{country}: date", f"date-{country}")
    text = text.replace("==Illegal drugs==", LIST + "==Illegal drugs==")
    _edit(wiki, script, text, "Frank", "the numbered list", "list")
    text = text.replace("Kyrgyzstan favors close relations", "Kyrgyzstan has long favored close relations")
    _edit(wiki, script, text, "Grace", "copyedit of the lead", "prose")
    _edit(wiki, script, text, "Grace", "null edit")  # the same text: MediaWiki makes no revision
    script.marks["null"] = script.revisions[-1]
    before_vandal = text
    _edit(wiki, script, "lol this article is boring", "Mallory", "", "vandal")
    _edit(wiki, script, before_vandal, "Alice", "Undo vandalism", "revert")
    for number in range(37):  # ordinary prose edits, to pass one request's 50 revisions
        text = (
            text.replace("the som,", f"the som (edit {number}),", 1)
            if number == 0
            else text.replace(f"(edit {number - 1})", f"(edit {number})")
        )
        _edit(wiki, script, text, "Heidi", f"wording {number}", f"filler-{number}")
    # RevisionDelete, as an administrator does it (MediaWiki's RevisionDeleter): one revision's text
    # is hidden, and another's user and comment.
    wiki.hide_revision(TITLE, script.marks["filler-3"], text=True)
    wiki.hide_revision(TITLE, script.marks["filler-4"], user=True, comment=True)
    # And one revision deleted outright: it is gone from the history, as from MediaWiki's answers.
    wiki.delete_revision(script.marks["filler-6"])
    script.revisions.remove(script.marks["filler-6"])
    return script


@pytest.fixture(scope="module")
def history(
    mediawiki: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Script, Path, Path, list[dict[str, Any]]]:
    """The scripted history, and one recorded ``history`` run over it: (script, out, recording, requests)."""
    script = _build(mediawiki)
    out = tmp_path_factory.mktemp("history-out")
    recording = tmp_path_factory.mktemp("history-recording")
    mediawiki.clear_requests()
    result = cli(
        "history", "--api-url", mediawiki.api_url, "--title", TITLE, "--out", str(out), "--record", str(recording)
    )
    assert result.returncode == 0, result.stderr
    return script, out, recording, _revision_requests(mediawiki)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m extractor ARGS`` as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args], cwd=ROOT, capture_output=True, text=True, timeout=600, check=False
    )


def _revision_requests(wiki: Any) -> list[dict[str, Any]]:
    return [r for r in wiki.requests() if "prop=revisions" in str(r.get("query", r.get("uri", "")))]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _files(out: Path) -> dict[Path, bytes]:
    return {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _revisions(out: Path) -> dict[int, dict[str, str]]:
    return {int(r["revision_id"]): r for r in _rows(out / SLUG / "history" / "revisions.csv")}


def test_every_revision_is_fetched_in_ceil_r_over_50_requests(history: Any) -> None:
    """All R revisions are in revisions.csv, oldest first, fetched in ⌈R/50⌉ requests."""
    script, out, _, requests = history
    revisions = _revisions(out)
    assert list(revisions) == script.revisions
    assert len(script.revisions) > 50
    assert len(requests) == math.ceil(len(script.revisions) / 50)


def test_each_scripted_change_is_logged_at_its_revision_with_its_user_and_field(history: Any) -> None:
    """Rows added and removed, and dates corrected, appear at their revision, by their user, with old and new."""
    script, out, _, _ = history
    changes = _rows(out / SLUG / "history" / "changes.csv")

    def at(mark: str) -> list[dict[str, str]]:
        return [c for c in changes if int(c["revision_id"]) == script.marks[mark] and c["kind"] == "relation"]

    added = at("add-Chile")
    assert [(c["country"], c["change"], c["user"], c["new"]) for c in added] == [
        ("Chile", "added", "Bob", "1993-03-01")
    ]
    removed = at("remove-Moldova")
    assert [(c["country"], c["change"], c["user"]) for c in removed] == [("Moldova", "removed", "Carol")]
    mexico = [c for c in at("mexico") if c["field"] == "established"]
    assert [(c["country"], c["user"], c["old"], c["new"]) for c in mexico] == [
        ("Mexico", "Dave", "1992-01-14", "1992-03-27")
    ]
    listed = at("list")
    assert {c["country"] for c in listed} == {"Australia", "United States", "Albania"}
    assert {c["user"] for c in listed} == {"Frank"}


def test_prose_only_and_null_edits_are_not_data_changes(history: Any) -> None:
    """A copyedit of the lead has data_changed=false; a null edit makes no revision at all."""
    script, out, _, _ = history
    revisions = _revisions(out)
    assert revisions[script.marks["prose"]]["data_changed"] == "false"
    assert revisions[script.marks["filler-10"]]["data_changed"] == "false"
    assert script.marks["null"] == script.marks["prose"]


def test_vandalism_is_flagged_and_its_revert_names_the_revision_it_restores(history: Any) -> None:
    """The blanking is reverted_by the revert, and the revert is reverted_to the revision before the vandal."""
    script, out, _, _ = history
    revisions = _revisions(out)
    vandal, revert, before = script.marks["vandal"], script.marks["revert"], script.marks["prose"]
    assert revisions[vandal]["data_changed"] == "true"
    assert revisions[vandal]["relations"] == "0"
    assert revisions[vandal]["reverted_by"] == str(revert)
    assert revisions[revert]["reverted_to"] == str(before)
    assert revisions[revert]["user"] == "Alice"


def test_claims_date_mexico_to_the_revision_that_introduced_its_date(history: Any) -> None:
    """claims.csv says the article began to say 1992-03-27 for Mexico at Dave's revision, despite the vandal."""
    script, out, _, _ = history
    rows = _rows(out / SLUG / "history" / "claims.csv")
    claims = {c["country"]: c for c in rows if c["claim"] == "established"}
    assert claims["Mexico"]["established"] == "1992-03-27"
    assert claims["Mexico"]["first_seen_revision"] == str(script.marks["mexico"])
    assert claims["Chile"]["first_seen_revision"] == str(script.marks["date-Chile"])


def test_claims_date_each_current_event_of_a_relation(history: Any) -> None:
    """claims.csv has an event:established row for Mexico's 1992-03-27, dated to the revision that said it."""
    script, out, _, _ = history
    rows = _rows(out / SLUG / "history" / "claims.csv")
    events = [(c["claim"], c["date"], c["first_seen_revision"]) for c in rows if c["country"] == "Mexico"]
    assert ("event:established", "1992-03-27", str(script.marks["mexico"])) in events
    assert all(c["claim"] == "established" or c["established"] == "" for c in rows)


def test_hidden_revisions_have_null_fields_and_are_not_errors(history: Any) -> None:
    """A revision whose text is hidden has no data and says so; one whose user is hidden has no user."""
    script, out, _, _ = history
    revisions = _revisions(out)
    text_hidden = revisions[script.marks["filler-3"]]
    assert (text_hidden["hidden"], text_hidden["sha1"], text_hidden["relations"]) == ("text sha1", "", "")
    assert text_hidden["data_changed"] == ""
    assert text_hidden["diagnostic"].startswith("text hidden")
    user_hidden = revisions[script.marks["filler-4"]]
    assert (user_hidden["hidden"], user_hidden["user"], user_hidden["comment"]) == ("user comment", "", "")
    assert user_hidden["data_changed"] == "false"


def test_a_deleted_revision_is_absent_and_its_successor_still_names_it(history: Any) -> None:
    """A revision deleted outright is no row of revisions.csv; the next one's parent_id is its id, and no error."""
    script, out, _, _ = history
    revisions = _revisions(out)
    deleted = script.marks["filler-6"]
    assert deleted not in revisions
    assert revisions[script.marks["filler-7"]]["parent_id"] == str(deleted)
    assert revisions[script.marks["filler-7"]]["diagnostic"] == ""


def test_offline_replay_of_the_recording_writes_byte_identical_files(history: Any, tmp_path: Path) -> None:
    """``history --offline --recording DIR`` writes exactly the files of the live run."""
    _, out, recording, _ = history
    result = cli("history", "--offline", "--recording", str(recording), "--title", TITLE, "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    live = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    replay = {p.relative_to(tmp_path): p.read_bytes() for p in sorted(tmp_path.rglob("*")) if p.is_file()}
    assert replay == live


def test_diff_history_compares_two_revisions_of_the_folder(history: Any) -> None:
    """``diff --history DIR OLD NEW`` reports Mexico's date change between the revisions around Dave's edit."""
    script, out, _, _ = history
    before = script.revisions[script.revisions.index(script.marks["mexico"]) - 1]
    result = cli("diff", "--history", str(out / SLUG), str(before), str(script.marks["mexico"]))
    assert result.returncode == 1, result.stderr
    assert "Mexico: established 1992-01-14 → 1992-03-27" in result.stdout


@pytest.mark.parametrize("k", [50, 51])
def test_a_resumed_run_after_k_revisions_costs_ceil_k_over_50_requests(
    history: Any, mediawiki: Any, tmp_path: Path, k: int
) -> None:
    """A history written up to the k-th last revision resumes in ⌈k/50⌉ requests, and equals the full run's."""
    script, out, _, _ = history
    resumed = tmp_path / "out"
    until = script.revisions[-k - 1]
    result = cli(
        "history", "--api-url", mediawiki.api_url, "--title", TITLE, "--out", str(resumed), "--until", str(until)
    )
    assert result.returncode == 0, result.stderr
    assert list(_revisions(resumed))[-1] == until
    mediawiki.clear_requests()
    result = cli("history", "--api-url", mediawiki.api_url, "--title", TITLE, "--out", str(resumed))
    assert result.returncode == 0, result.stderr
    requests = _revision_requests(mediawiki)
    assert len(requests) == math.ceil(k / 50)
    first = requests[0]["params"]
    assert "rvstartid" not in first and first["rvcontinue"][0].endswith(f"|{until + 1}")
    assert _files(resumed) == _files(out)


def test_a_resumed_run_with_nothing_new_costs_one_request(history: Any, mediawiki: Any, tmp_path: Path) -> None:
    """Rerunning on a folder holding the latest revision sends one query, answered with no revision."""
    _, out, _, _ = history
    resumed = tmp_path / "out"
    subprocess.run(["cp", "-a", str(out), str(resumed)], check=True)
    mediawiki.clear_requests()
    result = cli("history", "--api-url", mediawiki.api_url, "--title", TITLE, "--out", str(resumed))
    assert result.returncode == 0, result.stderr
    assert len(_revision_requests(mediawiki)) == 1
    assert _revisions(resumed) == _revisions(out)


def test_a_resumed_run_fetches_only_the_new_revisions(history: Any, mediawiki: Any, tmp_path: Path) -> None:
    """After two more edits, a rerun on the same folder asks for what follows the last revision, logs only the two."""
    script, out, _, _ = history
    resumed = tmp_path / "out"
    subprocess.run(["cp", "-a", str(out), str(resumed)], check=True)
    last = script.revisions[-1]
    text = script.text.replace("Kyrgyzstan has long favored", "Kyrgyzstan has always favored")
    _edit(mediawiki, script, text, "Ivan", "more wording")
    _edit(mediawiki, script, text.replace("{{flag|Laos}}", "{{flag|Nepal}}"), "Ivan", "Laos was Nepal", "nepal")
    mediawiki.clear_requests()
    result = cli("history", "--api-url", mediawiki.api_url, "--title", TITLE, "--out", str(resumed))
    assert result.returncode == 0, result.stderr
    requests = _revision_requests(mediawiki)
    assert len(requests) == math.ceil(2 / 50)
    first = requests[0]["params"]
    assert "rvstartid" not in first and first["rvcontinue"][0].endswith(f"|{last + 1}")
    revisions = _revisions(resumed)
    assert list(revisions) == script.revisions
    changes = _rows(resumed / SLUG / "history" / "changes.csv")
    nepal = {(c["country"], c["change"]) for c in changes if c["revision_id"] == str(script.marks["nepal"])}
    assert nepal == {("Laos", "removed"), ("Nepal", "added")}
    old_changes = _rows(out / SLUG / "history" / "changes.csv")
    assert changes[: len(old_changes)] == old_changes


def test_incremental_extraction_equals_full_extraction_on_every_revision(history: Any) -> None:
    """Replaying the recorded history, each revision's incremental dataset is its full extraction's."""
    from extractor import extract_wikitext
    from extractor.fetch.client import Fetcher
    from extractor.fetch.history import fetch_history
    from extractor.history.incremental import IncrementalExtractor

    _, out, recording, _ = history
    extractor = IncrementalExtractor()
    compared = 0
    with Fetcher(replay_dir=recording) as fetcher:
        for revision in fetch_history(fetcher, TITLE):
            if revision.content is None:
                continue
            source = fetcher.source_of(
                revision.title,
                page_id=revision.page_id,
                revision_id=revision.revision_id,
                timestamp=revision.timestamp,
                sha1=revision.sha1,
            )
            assert extractor.extract(revision.content, source) == extract_wikitext(revision.content, source)
            compared += 1
    assert compared == len(_revisions(out)) - 1  # every revision the run wrote, but the one whose text is hidden
