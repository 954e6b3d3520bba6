"""``check --titles-file`` against a real MediaWiki: several tracked articles, counted requests.

The request log of the test wiki shows what the batched check costs: one metadata request for
all the titles when nothing changed, one more (the content of the changed ones, by ``revids``)
when something did.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from extractor.export.dataset import slugify
from tests.test_check_mediawiki import check, cli, date_and_row_edit, lead_edit

pytestmark = pytest.mark.integration


def family(wiki: Any, titles_file: Path, out: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    """``python -m extractor check --titles-file FILE`` against the test wiki."""
    return cli("check", "--api-url", wiki.api_url, "--titles-file", str(titles_file), "--out", str(out), *args, env=env)


def track(wiki: Any, tmp_path: Path, text: str, names: list[str]) -> tuple[list[str], dict[str, int], Path]:
    """Pages for ``names`` on the wiki, a titles file listing them, and their first datasets."""
    titles = [f"Foreign relations of Kyrgyzstan (family {name})" for name in names]
    revisions = {title: wiki.edit(title, text, "current") for title in titles}
    titles_file = tmp_path / "tracked.txt"
    titles_file.write_text("# tracked\n" + "\n".join(titles) + "\n", encoding="utf-8")
    created = family(wiki, titles_file, tmp_path / "out", "--update")
    assert created.returncode == 0, created.stderr
    for title in titles:
        assert (tmp_path / "out" / slugify(title) / "article.json").is_file()
    return titles, revisions, titles_file


def parse_outputs(text: str) -> dict[str, str]:
    from tests.test_workflow import parse_outputs as parse

    return parse(text)


def test_nothing_changed_is_one_request(mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str) -> None:
    """Four tracked articles, nothing new: one metadata request for all of them, exit 0, all counted unchanged."""
    titles, _, titles_file = track(mediawiki, tmp_path, current_kyrgyzstan_text, ["a1", "a2", "a3", "a4"])
    mediawiki.clear_requests()
    output = tmp_path / "github-output"
    result = family(mediawiki, titles_file, tmp_path / "out", "--exit-code", env={"GITHUB_OUTPUT": str(output)})
    assert result.returncode == 0, result.stderr
    [request] = mediawiki.requests()
    assert request["params"]["titles"] == ["|".join(titles)]
    assert request["params"]["rvprop"] == ["ids|timestamp|sha1|contentmodel"]
    assert result.stdout == (
        "4 unchanged (the revision already known is still the latest)\n"
        "4 articles checked: 0 with data changes, 0 with a new revision only, 4 unchanged, 0 failed\n"
    )
    outputs = parse_outputs(output.read_text())
    assert (outputs["revision_changed"], outputs["data_changed"], outputs["changed_articles"]) == ("false", "false", "")
    assert (outputs["articles_count"], outputs["unchanged_count"], outputs["failed_count"]) == ("4", "4", "0")


def test_lead_and_table_edits_cost_two_requests(mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str) -> None:
    """A lead edit and a table edit: metadata then one content request for both; exit 1; only the table is data."""
    titles, first, titles_file = track(mediawiki, tmp_path, current_kyrgyzstan_text, ["b1", "b2", "b3"])
    lead, table, quiet = titles
    lead_revision = mediawiki.edit(lead, lead_edit(current_kyrgyzstan_text), "lead")
    table_revision = mediawiki.edit(table, date_and_row_edit(current_kyrgyzstan_text), "table")
    mediawiki.clear_requests()
    output, summary = tmp_path / "github-output", tmp_path / "summary.md"
    env = {"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)}
    result = family(mediawiki, titles_file, tmp_path / "out", "--exit-code", "--update", env=env)
    assert result.returncode == 1, result.stderr

    metadata, content = mediawiki.requests()
    assert metadata["params"]["rvprop"] == ["ids|timestamp|sha1|contentmodel"]
    assert sorted(content["params"]["revids"][0].split("|")) == sorted([str(lead_revision), str(table_revision)])
    assert "content" in content["params"]["rvprop"][0].split("|")

    # The data change first, with its relation lines; then the new revision alone; then the count.
    assert result.stdout == (
        f"{table}: revision {first[table]} → {table_revision}: 2 relations changed\n"
        "Relations changed (2):\n"
        "  Azerbaijan: in bilateral table yes → no\n"
        "  Mexico: established 1992-03-27 → 1992-03-28\n"
        f"{lead}: revision {first[lead]} → {lead_revision}: no data changes\n"
        "1 unchanged (the revision already known is still the latest)\n"
        "3 articles checked: 1 with data changes, 1 with a new revision only, 1 unchanged, 0 failed\n"
    )
    outputs = parse_outputs(output.read_text())
    assert outputs["changed_articles"].splitlines() == [
        f"{lead}: revision {lead_revision} checked, data unchanged since revision {first[lead]}",
        f"{table}: data of revision {table_revision} (was {first[table]})",
    ]
    assert (outputs["data_changed_count"], outputs["revision_only_count"], outputs["unchanged_count"]) == (
        "1",
        "1",
        "1",
    )
    assert "- Mexico: established 1992-03-27 → 1992-03-28" in summary.read_text()

    # --update wrote the new data of one and the checked revision of the other, as a single check does.
    article = json.loads((tmp_path / "out" / slugify(table) / "article.json").read_text())
    assert article["source"]["revision_id"] == table_revision
    record = json.loads((tmp_path / "out" / f"{slugify(lead)}.checked.json").read_text())
    assert (record["revision_id"], record["data_revision_id"]) == (lead_revision, first[lead])
    assert quiet in titles and not (tmp_path / "out" / f"{slugify(quiet)}.checked.json").exists()


def test_batched_update_writes_what_a_single_check_writes(
    mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """The dataset written by the batched check is byte for byte the one a single-title check writes."""
    [title], _, _ = track(mediawiki, tmp_path, current_kyrgyzstan_text, ["c1"])
    single = check(mediawiki, title, tmp_path / "single", "--update")
    assert single.returncode == 0, single.stderr
    folder = slugify(title)
    batched = {p.name: p.read_bytes() for p in (tmp_path / "out" / folder).iterdir()}
    assert batched == {p.name: p.read_bytes() for p in (tmp_path / "single" / folder).iterdir()}


def test_redirect_and_deleted_page_are_reported_and_the_rest_checked(
    mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """One article turned into a redirect, one deleted: both reported, the others still checked, exit 2."""
    titles, first, titles_file = track(mediawiki, tmp_path, current_kyrgyzstan_text, ["d1", "d2", "d3", "d4"])
    redirected, deleted, changed, quiet = titles
    before = (tmp_path / "out" / slugify(redirected) / "article.json").read_bytes()
    mediawiki.edit(redirected, f"#REDIRECT [[{quiet}]]", "merge")
    mediawiki.delete(deleted, "test")
    new = mediawiki.edit(changed, date_and_row_edit(current_kyrgyzstan_text), "table")
    result = family(mediawiki, titles_file, tmp_path / "out", "--exit-code", "--update")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    failed = [line for line in result.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failed) == 2
    assert f"is now a redirect to {quiet!r}" in failed[0]
    assert repr(deleted) in failed[1] and "does not exist" in failed[1]
    assert result.stdout.startswith(f"{changed}: revision {first[changed]} → {new}: 2 relations changed\n")
    assert result.stdout.endswith(
        "4 articles checked: 1 with data changes, 0 with a new revision only, 1 unchanged, 2 failed\n"
    )
    # The failures left their datasets alone; the good article was still brought up to date.
    assert (tmp_path / "out" / slugify(redirected) / "article.json").read_bytes() == before
    assert (tmp_path / "out" / slugify(deleted) / "article.json").is_file()
    assert (
        json.loads((tmp_path / "out" / slugify(changed) / "article.json").read_text())["source"]["revision_id"] == new
    )


def test_committed_recordings_reproduce_out_offline(
    mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """check --update writes out/ and recordings/; a fresh clone's ``--offline`` reproduces out/ byte for byte."""
    from tests.test_workflow import git

    title = "Foreign relations of Kyrgyzstan (family e1)"
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "tracked.txt").write_text(f"{title}\n", encoding="utf-8")
    mediawiki.edit(title, current_kyrgyzstan_text, "current")
    git(repo, "init", "--quiet", "--initial-branch=main")
    for summary, text in (("first", None), ("table", date_and_row_edit(current_kyrgyzstan_text))):
        revision = mediawiki.edit(title, text, summary) if text is not None else mediawiki.latest_revid(title)
        result = family(mediawiki, repo / "tracked.txt", repo / "out", "--update")
        assert result.returncode == 0, result.stderr
        recording = repo / "recordings" / slugify(title)
        assert (recording / "recording.json").is_file() and f"wrote {recording}" in result.stderr
        git(repo, "add", "--all")
        git(repo, "commit", "--quiet", "-m", summary)

        fresh = tmp_path / f"clone-{summary}"
        git(tmp_path, "clone", "--quiet", str(repo), str(fresh))
        replay = subprocess.run(
            [sys.executable, "-m", "extractor", "--offline", "--title", title],
            cwd=fresh,
            capture_output=True,
            text=True,
            timeout=120,
            env={k: v for k, v in os.environ.items() if k != "FRX_EXTRACTOR_CONTACT"},
        )
        assert replay.returncode == 0, replay.stderr
        assert replay.stderr.splitlines()[0] == f"replaying recordings/{slugify(title)} (revision {revision})"
        # Nothing changed in the clone: out/ was rewritten with exactly the committed bytes.
        assert git(fresh, "status", "--porcelain") == ""
        assert json.loads((fresh / "out" / slugify(title) / "article.json").read_text())["source"]["revision_id"] == (
            revision
        )


def test_update_waits_for_another_runs_lock_then_exits_2_naming_it(
    mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """check --titles-file --update with --out's lock taken: waits --lock-timeout, one line; nothing written."""
    import filelock

    from extractor.atomic import lock_path

    [title], _, titles_file = track(mediawiki, tmp_path, current_kyrgyzstan_text, ["d1"])
    mediawiki.edit(title, date_and_row_edit(current_kyrgyzstan_text), "table")
    out = tmp_path / "out"
    before = (out / slugify(title) / "article.json").read_bytes()
    with filelock.FileLock(lock_path(out)):
        result = family(mediawiki, titles_file, out, "--update", "--lock-timeout", "1")
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {lock_path(out)}: another run is writing {out} (waited 1 s for its lock);"
        " wait longer with --lock-timeout\n"
    )
    assert (out / slugify(title) / "article.json").read_bytes() == before
