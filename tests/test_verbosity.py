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
