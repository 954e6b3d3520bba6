"""``check`` and ``diff`` against a real MediaWiki, replaying real edits of the article.

Each scenario uses its own page, so the scenarios do not depend on one another. The edited texts
are derived here from the seed revision (fixtures/seed) and the current article (../shared).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from extractor.export.dataset import slugify
from tests.support import ROOT

pytestmark = pytest.mark.integration

SEED = ROOT / "fixtures" / "seed" / "foreign-relations-of-kyrgyzstan.wikitext"
LEFT_THE_TABLE = (
    "Argentina, Canada, Croatia, Cyprus, Dominica, Estonia, Israel, Latvia, Lesotho, Lithuania, "
    "Moldova, Romania, Solomon Islands, South Africa, Switzerland, Ukraine"
)


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m extractor ARGS`` as a user runs it (no GitHub variables unless given)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env=environment,
    )


def check(
    wiki: Any, title: str, out: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return cli("check", "--api-url", wiki.api_url, "--title", title, "--out", str(out), *args, env=env)


def create(wiki: Any, title: str, out: Path) -> None:
    """The first dataset of ``title``, written by ``check --update`` (there is none yet)."""
    result = check(wiki, title, out, "--update")
    assert result.returncode == 0, result.stderr
    assert "(no dataset at" in result.stdout.splitlines()[0]
    assert (out / slugify(title) / "article.json").is_file()


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a failed command (asserting exit 2 and no traceback)."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr


def content_requests(wiki: Any) -> list[dict[str, Any]]:
    """The requests since the log was cleared, and whether each asked for page content."""
    return [
        r
        for r in wiki.requests()
        if "content" in r["params"].get("rvprop", [""])[0].split("|")
        or r["path"].startswith("/w/rest.php")
        or r["params"].get("action") == ["parse"]
    ]


def stored_revision(out: Path, title: str) -> int | None:
    revision: int | None = json.loads((out / slugify(title) / "article.json").read_text())["source"]["revision_id"]
    return revision


def date_and_row_edit(text: str) -> str:
    """Mexico's list date 27 → 28 March 1992, and Azerbaijan's row removed from the bilateral table."""
    edited = text.replace("|{{Flag|Mexico}}\n|{{dts|27 March 1992}}", "|{{Flag|Mexico}}\n|{{dts|28 March 1992}}")
    start = edited.index('|- valign="top"\n|{{flag|Azerbaijan}}')
    end = edited.index('|- valign="top"', start + 1)
    edited = edited[:start] + edited[end:]
    assert edited.count("28 March 1992") == text.count("28 March 1992") + 1
    return edited


def lead_edit(text: str) -> str:
    """The first lead sentence reworded; no table touched."""
    edited = text.replace("has close relations with other members", "has close ties with the other members", 1)
    assert edited != text
    return edited


def test_seed_then_current_layout_reported_by_check_and_diff(
    mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """The article's real history: 16 rows left the bilateral table, the list came, dates moved."""
    title = "Foreign relations of Kyrgyzstan (history)"
    out = tmp_path / "out"
    seed_revision = mediawiki.edit(title, SEED.read_text(encoding="utf-8"), "seed revision")
    extracted = cli("--api-url", mediawiki.api_url, "--title", title, "--out", str(out))
    assert extracted.returncode == 0, extracted.stderr
    old = tmp_path / "old"
    shutil.copytree(out / slugify(title), old)

    current_revision = mediawiki.edit(title, current_kyrgyzstan_text, "current layout")
    result = check(mediawiki, title, out, "--exit-code", "--update")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    # The relations are the article's history; reference counts are the parser's business.
    assert lines[0].startswith(
        f"{title}: revision {seed_revision} → {current_revision}: 146 relations added, 39 relations changed, "
    )
    assert f"  in bilateral table yes → no: {LEFT_THE_TABLE} (16 relations)" in lines
    assert "  Mexico: established 1992-01-14 → 1992-03-27" in lines
    assert "  Lithuania: established 1992-07-03 → 1992-07-23" in lines
    assert "  Afghanistan (established 1999-11-12)" in lines
    assert stored_revision(out, title) == current_revision

    # The same comparison from the two stored datasets.
    diffed = cli("diff", str(old), str(out / slugify(title)))
    assert diffed.returncode == 1, diffed.stderr
    assert diffed.stdout == result.stdout


def test_unchanged_revision_is_one_metadata_request(
    mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """Nothing new on the wiki: one small request, no content, exit 0 with --exit-code."""
    title = "Foreign relations of Kyrgyzstan (unchanged)"
    revision = mediawiki.edit(title, current_kyrgyzstan_text, "current")
    create(mediawiki, title, tmp_path)
    mediawiki.clear_requests()
    result = check(mediawiki, title, tmp_path, "--exit-code")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{title}: revision {revision} is still the latest; no data changes\n"
    [request] = mediawiki.requests()
    assert request["params"]["rvprop"] == ["ids|timestamp|sha1|contentmodel"]
    assert content_requests(mediawiki) == []


def test_null_edit_changes_nothing(mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str) -> None:
    """Saving the same text makes no revision: the check stays one request and reports nothing."""
    title = "Foreign relations of Kyrgyzstan (null edit)"
    revision = mediawiki.edit(title, current_kyrgyzstan_text, "current")
    create(mediawiki, title, tmp_path)
    assert mediawiki.edit(title, current_kyrgyzstan_text, "null edit") == revision
    mediawiki.clear_requests()
    result = check(mediawiki, title, tmp_path, "--exit-code", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["revision_changed"], report["data_changed"], report["new_revision"]) == (
        False,
        False,
        revision,
    )
    assert len(mediawiki.requests()) == 1 and content_requests(mediawiki) == []


def test_lead_edit_is_a_new_revision_without_data_change(
    mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """Only the lead changed: the revision did, the data not: exit 0; --update records just the revision."""
    title = "Foreign relations of Kyrgyzstan (lead edit)"
    first = mediawiki.edit(title, current_kyrgyzstan_text, "current")
    create(mediawiki, title, tmp_path)
    dataset = {p.name: p.read_bytes() for p in (tmp_path / slugify(title)).iterdir()}
    second = mediawiki.edit(title, lead_edit(current_kyrgyzstan_text), "reword the lead")
    output = tmp_path / "github-output"
    result = check(mediawiki, title, tmp_path, "--exit-code", "--update", env={"GITHUB_OUTPUT": str(output)})
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{title}: revision {first} → {second}: no data changes\n"
    assert output.read_text().splitlines()[:4] == [
        "revision_changed=true",
        "data_changed=false",
        f"old_revision={first}",
        f"new_revision={second}",
    ]
    # The dataset still says, truthfully, that its data came from the first revision.
    assert {p.name: p.read_bytes() for p in (tmp_path / slugify(title)).iterdir()} == dataset
    record = json.loads((tmp_path / f"{slugify(title)}.checked.json").read_text())
    assert (record["revision_id"], record["data_revision_id"]) == (second, first)
    # And the next check knows the second revision: one request, no content.
    mediawiki.clear_requests()
    again = check(mediawiki, title, tmp_path, "--exit-code")
    assert again.stdout == f"{title}: revision {second} is still the latest; no data changes\n"
    assert len(mediawiki.requests()) == 1 and content_requests(mediawiki) == []


def test_date_change_and_row_removal_exit_1_naming_both(
    mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """One date changed and one bilateral row removed: exit 1, and both countries are named."""
    title = "Foreign relations of Kyrgyzstan (date and row)"
    first = mediawiki.edit(title, current_kyrgyzstan_text, "current")
    create(mediawiki, title, tmp_path)
    second = mediawiki.edit(title, date_and_row_edit(current_kyrgyzstan_text), "date and row")
    output, summary = tmp_path / "github-output", tmp_path / "summary.md"
    result = check(
        mediawiki,
        title,
        tmp_path,
        "--exit-code",
        env={"GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == (
        f"{title}: revision {first} → {second}: 2 relations changed\n"
        "Relations changed (2):\n"
        "  Azerbaijan: in bilateral table yes → no\n"
        "  Mexico: established 1992-03-27 → 1992-03-28\n"
    )
    assert output.read_text().splitlines()[:4] == [
        "revision_changed=true",
        "data_changed=true",
        f"old_revision={first}",
        f"new_revision={second}",
    ]
    assert "- Mexico: established 1992-03-27 → 1992-03-28" in summary.read_text()
    assert stored_revision(tmp_path, title) == first  # without --update nothing is written


def test_page_turned_into_a_redirect_is_exit_2(mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str) -> None:
    """A page replaced by a redirect: exit 2 naming the target; the stored dataset is left alone."""
    title = "Foreign relations of Kyrgyzstan (redirected)"
    target = "Foreign relations of Kyrgyzstan (redirect target)"
    mediawiki.edit(target, current_kyrgyzstan_text, "target")
    mediawiki.edit(title, current_kyrgyzstan_text, "current")
    create(mediawiki, title, tmp_path)
    before = (tmp_path / slugify(title) / "article.json").read_bytes()
    mediawiki.edit(title, f"#REDIRECT [[{target}]]", "merge")
    error = one_line_error(check(mediawiki, title, tmp_path, "--exit-code", "--update"))
    assert f"is now a redirect to {target!r}" in error
    assert (tmp_path / slugify(title) / "article.json").read_bytes() == before
    assert not (tmp_path / slugify(target)).exists()

    mediawiki.edit(title, "#REDIRECT [[Foreign relations of Nowhere]]", "broken redirect")
    assert "'Foreign relations of Nowhere' does not exist" in one_line_error(
        check(mediawiki, title, tmp_path, "--exit-code")
    )


def test_deleted_page_is_exit_2(mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str) -> None:
    """A deleted page: exit 2 with one line saying it does not exist, even with --exit-code."""
    title = "Foreign relations of Kyrgyzstan (deleted)"
    mediawiki.edit(title, current_kyrgyzstan_text, "current")
    create(mediawiki, title, tmp_path)
    mediawiki.delete(title, "test")
    error = one_line_error(check(mediawiki, title, tmp_path, "--exit-code", "--update"))
    assert "does not exist" in error
    assert (tmp_path / slugify(title) / "article.json").is_file()
