"""``python -m extractor check``: its contract, against a stand-in wiki (the real one is tested apart)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from extractor import extract_wikitext, make_source, write_dataset
from extractor.changes.check import checked_path
from extractor.cli import main
from extractor.cli.check import run_check
from extractor.errors import PageMissingError, TransportError
from extractor.fetch import client as client_module
from extractor.fetch.client import FetchedPage, RevisionInfo

if TYPE_CHECKING:
    from tests.support import CliResult

TITLE = "Foreign relations of Testland"
SLUG = "foreign-relations-of-testland"
TABLE = (
    "{lead}\n== Bilateral relations ==\n"
    '{{| class="wikitable"\n! Country !! Formal relations began !! Notes\n|-\n'
    "| {{{{flag|Mexico}}}} || {mexico} || Mexico notes.<ref>{{{{cite web|url=https://example.org/m|title=M}}}}</ref>\n"
    "|-\n| {{{{flag|Chile}}}} || 1992 || Chile notes.\n|}}\n== References ==\n{{{{Reflist}}}}\n"
)
V1 = TABLE.format(lead="Testland.", mexico="27 March 1992")
LEAD_EDIT = TABLE.format(lead="Testland is landlocked.", mexico="27 March 1992")
DATE_EDIT = TABLE.format(lead="Testland.", mexico="28 March 1992")


class FakeWiki:
    """Stands in for :class:`extractor.fetch.Fetcher`: revisions by id, and a log of what was asked."""

    def __init__(self) -> None:
        self.revisions: dict[int, str] = {}
        self.title = TITLE
        self.calls: list[tuple[str, Any]] = []
        self.error: Exception | None = None
        self.api_url = "http://wiki.test/w/api.php"

    def save(self, text: str) -> int:
        revision = max(self.revisions, default=100) + 1
        self.revisions[revision] = text
        return revision

    # the Fetcher interface check uses
    def __call__(self, **kwargs: Any) -> FakeWiki:
        self.calls.append(("init", kwargs))
        return self

    def __enter__(self) -> FakeWiki:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def latest_revision(self, title: str) -> RevisionInfo:
        self.calls.append(("latest_revision", title))
        if self.error is not None:
            raise self.error
        revision = max(self.revisions)
        return RevisionInfo(self.title, 7, revision, f"2026-01-01T00:00:{revision % 60:02d}Z", None)

    def fetch_wikitext(self, title: str, *, revision: int) -> FetchedPage:
        self.calls.append(("fetch_wikitext", revision))
        source = make_source(self.title, obtained="api", page_id=7, revision_id=revision, api_url=self.api_url)
        return FetchedPage(self.revisions[revision], source)

    def query(self, params: dict[str, str]) -> dict[str, Any]:
        """The pageprops query: this wiki has no page for any partner (so no Wikidata item)."""
        assert params["prop"] == "pageprops"
        return {"query": {"pages": [{"title": t, "missing": True} for t in params["titles"].split("|")]}}

    def fetched(self) -> list[Any]:
        return [arg for name, arg in self.calls if name.startswith("fetch")]


@pytest.fixture
def wiki(monkeypatch: pytest.MonkeyPatch) -> FakeWiki:
    fake = FakeWiki()
    monkeypatch.setattr(client_module, "Fetcher", fake)  # what the CLI's fetcher_from_args builds
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return fake


def store(out: Path, text: str, revision: int) -> None:
    """The stored dataset of ``text`` as revision ``revision``."""
    source = make_source(TITLE, obtained="api", page_id=7, revision_id=revision)
    write_dataset(extract_wikitext(text, source), out)


def check(out: Path, *args: str) -> int:
    return run_check(["--title", TITLE, "--out", str(out), *args])


def test_unchanged_revision_asks_once_and_downloads_nothing(
    wiki: FakeWiki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same revision as stored: one metadata call, no content fetched, exit 0."""
    store(tmp_path, V1, wiki.save(V1))
    assert check(tmp_path, "--exit-code") == 0
    assert [name for name, _ in wiki.calls] == ["init", "latest_revision"]
    assert capsys.readouterr().out == f"{TITLE}: revision 101 is still the latest; no data changes\n"


def test_new_revision_same_data_is_exit_0_even_with_exit_code(
    wiki: FakeWiki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A lead edit: the revision changed, the data did not, so --exit-code still exits 0."""
    store(tmp_path, V1, wiki.save(V1))
    wiki.save(LEAD_EDIT)
    assert check(tmp_path, "--exit-code", "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["revision_changed"], result["data_changed"]) == (True, False)
    assert (result["old_revision"], result["new_revision"]) == (101, 102)
    assert wiki.fetched() == [102]  # the very revision just seen, pinned by id


def test_data_change_is_exit_1_with_exit_code_and_0_without(
    wiki: FakeWiki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A changed date: exit 1 with --exit-code (0 without), and the summary names the country."""
    store(tmp_path, V1, wiki.save(V1))
    wiki.save(DATE_EDIT)
    assert check(tmp_path, "--exit-code") == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{TITLE}: revision 101 → 102: 1 relation changed\n")
    assert "  Mexico: established 1992-03-27 → 1992-03-28\n" in out
    assert check(tmp_path) == 0


def test_json_is_the_whole_comparison(wiki: FakeWiki, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--json holds both flags, the revisions, the dataset, the summary and every change."""
    store(tmp_path, V1, wiki.save(V1))
    wiki.save(DATE_EDIT)
    check(tmp_path, "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["revision_changed"] is True and result["data_changed"] is True
    assert result["dataset"] == str(tmp_path / SLUG)
    assert result["diff"]["relations_changed"][0]["changes"][0]["new"] == "1992-03-28"
    assert result["summary"] == f"{TITLE}: revision 101 → 102: 1 relation changed"


def test_github_outputs_and_step_summary(
    wiki: FakeWiki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Under Actions: the four outputs (and the summary as a multi-line value) and a Markdown summary."""
    output, step_summary = tmp_path / "output", tmp_path / "summary.md"
    output.write_text("earlier=1\n")
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(step_summary))
    store(tmp_path, V1, wiki.save(V1))
    wiki.save(DATE_EDIT)
    assert check(tmp_path, "--exit-code") == 1
    text = output.read_text()
    assert text.startswith(
        "earlier=1\nrevision_changed=true\ndata_changed=true\nold_revision=101\nnew_revision=102\ndata_revision=101\n"
    )
    delimiter = re.search(r"^summary<<(EOF_[0-9a-f]{32})$", text, re.M)
    assert delimiter is not None
    body = text.split(delimiter.group(0) + "\n")[1]
    assert body.endswith(f"\n{delimiter.group(1)}\n")
    assert "  Mexico: established 1992-03-27 → 1992-03-28\n" in body
    assert step_summary.read_text().startswith(f"### {TITLE}: revision 101 → 102: 1 relation changed\n")
    assert "- Mexico: established 1992-03-27 → 1992-03-28" in step_summary.read_text()


def test_github_outputs_when_unchanged(wiki: FakeWiki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unchanged: both flags false and old and new revision the same."""
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "output"))
    store(tmp_path, V1, wiki.save(V1))
    assert check(tmp_path, "--exit-code") == 0
    lines = (tmp_path / "output").read_text().splitlines()
    assert lines[:4] == [
        "revision_changed=false",
        "data_changed=false",
        "old_revision=101",
        "new_revision=101",
    ]


def test_update_writes_the_new_dataset_when_the_data_changed(wiki: FakeWiki, tmp_path: Path) -> None:
    """--update replaces the dataset with the new revision's; the next check is unchanged."""
    store(tmp_path, V1, wiki.save(V1))
    wiki.save(DATE_EDIT)
    assert check(tmp_path, "--update", "--exit-code") == 1
    stored = json.loads((tmp_path / SLUG / "article.json").read_text())
    assert stored["source"]["revision_id"] == 102
    assert stored["relations"][0]["established"] == "1992-03-28"
    assert not checked_path(tmp_path, TITLE).exists()
    wiki.calls.clear()
    assert check(tmp_path, "--exit-code") == 0 and wiki.fetched() == []


def test_update_records_a_revision_with_the_same_data_beside_the_dataset(wiki: FakeWiki, tmp_path: Path) -> None:
    """Revision only: the dataset stays byte for byte (still naming revision 101); the new one is recorded."""
    store(tmp_path, V1, wiki.save(V1))
    before = {p.name: p.read_bytes() for p in (tmp_path / SLUG).iterdir()}
    wiki.save(LEAD_EDIT)
    assert check(tmp_path, "--update", "--exit-code") == 0
    assert {p.name: p.read_bytes() for p in (tmp_path / SLUG).iterdir()} == before
    record = json.loads(checked_path(tmp_path, TITLE).read_text())
    assert (record["revision_id"], record["data_revision_id"]) == (102, 101)
    # The next check knows revision 102 already: one small request again, nothing downloaded.
    wiki.calls.clear()
    assert check(tmp_path, "--exit-code") == 0 and wiki.fetched() == []
    # Recording the same revision again writes the same bytes (no time of check): no noise in git.
    recorded = checked_path(tmp_path, TITLE).read_bytes()
    checked_path(tmp_path, TITLE).unlink()
    assert check(tmp_path, "--update") == 0
    assert checked_path(tmp_path, TITLE).read_bytes() == recorded


def test_a_record_of_an_older_dataset_is_ignored(wiki: FakeWiki, tmp_path: Path) -> None:
    """A checked-revision record that names another data revision does not mask a change."""
    store(tmp_path, V1, wiki.save(V1))
    wiki.save(DATE_EDIT)
    checked_path(tmp_path, TITLE).write_text(
        json.dumps(
            {
                "title": TITLE,
                "revision_id": 102,
                "revision_timestamp": "x",
                "data_revision_id": 55,
            }
        )
    )
    assert check(tmp_path, "--exit-code") == 1


def test_missing_dataset_is_an_error_unless_updating(
    wiki: FakeWiki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No stored dataset: exit 2 naming the path, before any request; --update creates it instead."""
    wiki.save(V1)
    assert main(["check", "--title", TITLE, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"error: {tmp_path / SLUG / 'article.json'}: no stored dataset of {TITLE!r} to compare with; "
        "create it with --update\n"
    )
    assert wiki.calls == []
    assert check(tmp_path, "--update", "--exit-code") == 1
    assert "no dataset at" in capsys.readouterr().out.splitlines()[0]
    assert (tmp_path / SLUG / "relations.csv").is_file()


def test_unreadable_dataset_is_exit_2_before_any_request(
    wiki: FakeWiki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A stored article.json that is not a dataset: exit 2, one line, and the wiki is not asked."""
    wiki.save(V1)
    (tmp_path / SLUG).mkdir()
    (tmp_path / SLUG / "article.json").write_text("[]")
    assert main(["check", "--title", TITLE, "--out", str(tmp_path), "--update"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "not a dataset this version can read" in err
    assert wiki.calls == []


@pytest.mark.parametrize(
    "error",
    [
        PageMissingError("'Foreign relations of Testland': page does not exist on http://wiki.test/w/api.php"),
        TransportError("'Foreign relations of Testland': connection to wiki.test failed: refused"),
    ],
)
def test_fetch_errors_are_exit_2_even_with_exit_code(
    wiki: FakeWiki, tmp_path: Path, capsys: pytest.CaptureFixture[str], error: Exception
) -> None:
    """Missing page, network failure: exit 2 with the fetcher's one-line message (never 1)."""
    store(tmp_path, V1, wiki.save(V1))
    wiki.error = error
    assert main(["check", "--title", TITLE, "--out", str(tmp_path), "--exit-code"]) == 2
    assert capsys.readouterr().err == f"error: {error}\n"


def test_redirect_is_reported_not_followed(wiki: FakeWiki, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A title that now leads to another page: exit 2 naming the target, nothing downloaded or written."""
    store(tmp_path, V1, wiki.save(V1))
    wiki.title = "Foreign relations of Newland"
    assert main(["check", "--title", TITLE, "--out", str(tmp_path), "--update"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {TITLE!r} is now a redirect to 'Foreign relations of Newland'")
    assert wiki.fetched() == [] and not checked_path(tmp_path, TITLE).exists()


def test_title_spelling_is_normalised_like_mediawiki(wiki: FakeWiki, tmp_path: Path) -> None:
    """Underscores and a lower-case first letter name the same page, not a redirect."""
    store(tmp_path, V1, wiki.save(V1))
    assert run_check(["--title", "foreign_relations_of_Testland", "--out", str(tmp_path)]) == 0


def test_usage_errors_exit_2(wiki: FakeWiki, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown option is one line on stderr and exit 2."""
    with pytest.raises(SystemExit) as exit_info:
        run_check(["--bogus"])
    assert exit_info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_check_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    """--help says what the command does and shows an example."""
    with pytest.raises(SystemExit):
        run_check(["--help"])
    assert "Example: python -m extractor check" in " ".join(capsys.readouterr().out.split())


def test_unreachable_wiki_is_exit_2(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    """A wiki that refuses the connection (a real socket on 127.0.0.1): exit 2 and one line."""
    store(tmp_path, V1, 101)
    before = {p.name: p.read_bytes() for p in (tmp_path / SLUG).iterdir()}
    result = run_cli(
        *("check", "--title", TITLE, "--out", str(tmp_path), "--exit-code"),
        *("--api-url", "http://127.0.0.1:9/w/api.php", "--max-retries", "0"),
    )
    assert {p.name: p.read_bytes() for p in (tmp_path / SLUG).iterdir()} == before
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert "connection to 127.0.0.1:9/w/api.php failed" in result.stderr


def test_a_revision_that_lost_its_relation_table_is_refused(wiki: FakeWiki, tmp_path: Path) -> None:
    """check --update on a revision without a relation table: exit 2, one line, the dataset kept byte for byte."""
    store(tmp_path, V1, wiki.save(V1))
    before = {p.name: p.read_bytes() for p in (tmp_path / SLUG).iterdir()}
    wiki.save("Testland.\n== Bilateral relations ==\nBlanked.\n")
    code = main(["check", "--title", TITLE, "--out", str(tmp_path), "--exit-code", "--update"])
    assert code == 2
    assert {p.name: p.read_bytes() for p in (tmp_path / SLUG).iterdir()} == before


def test_check_reports_the_shrink_in_one_line(
    wiki: FakeWiki, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """The shrink is one line naming the counts and the option, with or without --update."""
    store(tmp_path, V1, wiki.save(V1))
    wiki.save("Testland.\n")
    result = run_cli("check", "--title", TITLE, "--out", str(tmp_path), "--exit-code")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"error: {TITLE}: 2 → 0 relations; kept the previous dataset; --allow-shrink to write it\n"
    written = run_cli("check", "--title", TITLE, "--out", str(tmp_path), "--update", "--allow-shrink")
    assert written.returncode == 0, written.stderr
    assert json.loads((tmp_path / SLUG / "article.json").read_text(encoding="utf-8"))["relations"] == []


def test_update_waits_for_another_runs_lock_then_exits_2_naming_it(
    wiki: FakeWiki, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """check --update waits --lock-timeout seconds for the run holding --out's lock, then one line; nothing written."""
    import filelock

    from extractor.atomic import lock_path

    store(tmp_path, V1, wiki.save(V1))
    before = (tmp_path / SLUG / "article.json").read_bytes()
    wiki.save(DATE_EDIT)
    capsys.readouterr()
    with filelock.FileLock(lock_path(tmp_path)):
        code = main(["check", "--title", TITLE, "--out", str(tmp_path), "--update", "--lock-timeout", "1"])
    assert code == 2
    assert capsys.readouterr().err == (
        f"error: {lock_path(tmp_path)}: another run is writing {tmp_path} (waited 1 s for its lock);"
        " wait longer with --lock-timeout\n"
    )
    assert (tmp_path / SLUG / "article.json").read_bytes() == before
