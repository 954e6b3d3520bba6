"""-v/--verbose and -q/--quiet on every command, and waits that say why."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from extractor.cli.check import check_parser
from extractor.cli.diff import diff_parser
from extractor.cli.extract import extract_parser
from extractor.cli.options import configure_output
from extractor.fetch.client import Fetcher
from tests.support import CliResult


@pytest.mark.parametrize("make", [extract_parser, check_parser, diff_parser], ids=["extract", "check", "diff"])
def test_every_command_takes_verbose_and_quiet(make: Callable[[], argparse.ArgumentParser]) -> None:
    """-v (repeatable), --verbose, -q and --quiet parse on every command; -v with -q is a usage error."""
    parser = make()
    rest = ["old", "new"] if make is diff_parser else []
    assert parser.parse_args(["-vv", *rest]).verbose == 2
    assert parser.parse_args(["--quiet", *rest]).quiet is True
    with pytest.raises(SystemExit):
        parser.parse_args(["-v", "-q", *rest])


def test_quiet_offline_run_prints_nothing(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    """-q: the dataset is written, and stderr stays empty (no replay line, no summary)."""
    result = run_cli("--offline", "-q", "--out", str(tmp_path))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert (tmp_path / "foreign-relations-of-kyrgyzstan" / "article.json").is_file()


@pytest.mark.integration
def test_a_wait_says_why_unless_quiet(
    mediawiki: Any, capsys: pytest.CaptureFixture[str], current_kyrgyzstan_text: str
) -> None:
    """A 503 from the real wiki: 'waiting 5 s before retry 1/5: HTTP 503 … from …' on stderr; nothing with -q."""
    title = "Foreign relations of Kyrgyzstan (waits)"
    mediawiki.edit(title, current_kyrgyzstan_text, "current")
    for quiet in (False, True):
        configure_output(argparse.Namespace(verbose=0, quiet=quiet))
        capsys.readouterr()
        mediawiki.inject(503, body="Service Unavailable", path="/w/api.php")
        sleeps: list[float] = []
        with Fetcher(api_url=mediawiki.api_url, sleep=sleeps.append) as fetcher:
            fetcher.fetch_wikitext(title)
        assert sleeps == [5.0]
        err = capsys.readouterr().err
        host = mediawiki.api_url.split("://", 1)[1]
        expected = f"waiting 5 s before retry 1/5: HTTP 503 Service Unavailable from {host}\n"
        assert err == ("" if quiet else expected)
    configure_output(argparse.Namespace(verbose=0, quiet=False))


def test_quiet_batch_prints_only_the_failed_lines(
    run_cli: Callable[..., CliResult], tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """-q on a folder with one bad file: stderr holds that article's failed: line and no summary."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "Foreign_relations_of_Kyrgyzstan.wikitext").write_text(current_kyrgyzstan_text, encoding="utf-8")
    (folder / "Foreign_relations_of_Bad.wikitext").write_bytes(b"\xff\xfe not UTF-8")
    loud = run_cli("--input", str(folder), "--out", str(tmp_path / "loud"))
    quiet = run_cli("--input", str(folder), "--out", str(tmp_path / "quiet"), "-q")
    assert (loud.returncode, quiet.returncode) == (2, 2)
    [failed] = quiet.stderr.splitlines()
    assert failed.startswith("failed: Foreign relations of Bad: ") and "not UTF-8" in failed
    assert loud.stderr.splitlines()[0] == failed and len(loud.stderr.splitlines()) == 2  # + the summary
    assert quiet.stdout == "" and (tmp_path / "quiet" / "foreign-relations-of-kyrgyzstan" / "article.json").is_file()


@pytest.mark.integration
def test_quiet_family_check_prints_only_the_failed_lines(
    mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str
) -> None:
    """check --titles-file --update -q against the real wiki: one failed: line per failed article, no wrote lines."""
    from tests.test_check_family_mediawiki import family

    title = "Foreign relations of Kyrgyzstan (quiet check)"
    mediawiki.edit(title, current_kyrgyzstan_text, "current")
    titles_file = tmp_path / "tracked.txt"
    titles_file.write_text(f"{title}\nForeign relations of Nowhere (quiet check)\n", encoding="utf-8")
    loud = family(mediawiki, titles_file, tmp_path / "loud" / "out", "--update")
    quiet = family(mediawiki, titles_file, tmp_path / "quiet" / "out", "--update", "-q")
    assert (loud.returncode, quiet.returncode) == (2, 2)
    assert any(line.startswith("wrote ") for line in loud.stderr.splitlines())
    [failed] = quiet.stderr.splitlines()
    assert failed.startswith("failed: 'Foreign relations of Nowhere (quiet check)': ")
    assert (tmp_path / "quiet" / "recordings").is_dir()  # written all the same, only not said


@pytest.mark.integration
def test_quiet_history_prints_nothing(mediawiki: Any, tmp_path: Path, current_kyrgyzstan_text: str) -> None:
    """history -q: the history is written and stderr stays empty (no summary line)."""
    from tests.test_check_mediawiki import cli

    title = "Foreign relations of Kyrgyzstan (quiet history)"
    mediawiki.edit(title, current_kyrgyzstan_text, "current")
    result = cli("history", "--api-url", mediawiki.api_url, "--title", title, "--out", str(tmp_path), "-q")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert any((tmp_path).rglob("revisions.csv"))
