"""The command line as a user meets it: outputs, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from extractor.cli import main
from tests.support import ROOT

if TYPE_CHECKING:
    from tests.support import CliResult

TABLE = """== Bilateral relations ==
{| class="wikitable"
! Country !! Formal relations began !! Notes
|-
| {{flag|Chile}} || 6 October 1992 || Both countries established relations.<ref>{{cite web |title=T |url=https://example.org/t}}</ref>
|}
== References ==
{{Reflist}}
"""


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``python -m extractor ARGS`` as a real process (the smoke tests; the others run it in-process)."""
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_offline_writes_the_dataset_and_the_schema(tmp_path: Path) -> None:
    """--offline reads the stored snapshot and writes the dataset's files and the schema (a real process)."""
    result = run("--offline", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    # What was replayed (no committed recordings/ beside the output: the stored snapshot), then
    # one line saying what was written and where (the data goes to files, nothing to stdout).
    replayed, written = result.stderr.splitlines()
    assert replayed.startswith("replaying the stored snapshot ") and "fixtures/recordings/" in replayed
    assert "39 relations" in written
    folder = tmp_path / "foreign-relations-of-kyrgyzstan"
    assert sorted(p.name for p in folder.iterdir()) == [
        "ATTRIBUTION.txt",
        "article.json",
        "citations.csv",
        "datapackage.json",
        "events.csv",
        "missions.csv",
        "references.csv",
        "relations.csv",
    ]
    assert (tmp_path / "article.schema.json").is_file()


def test_output_is_byte_identical_across_runs(tmp_path: Path) -> None:
    """Same input, same bytes: no timestamps or ordering noise in any file."""
    assert main(["--offline", "--out", str(tmp_path / "a")]) == 0
    assert main(["--offline", "--out", str(tmp_path / "b")]) == 0
    for file in (tmp_path / "a").rglob("*"):
        if file.is_file():
            assert file.read_bytes() == (tmp_path / "b" / file.relative_to(tmp_path / "a")).read_bytes()


def test_committed_out_folder_is_the_snapshot_dataset(tmp_path: Path) -> None:
    """Until the scheduled job first commits live data, out/ holds exactly what --offline produces."""
    stored = json.loads((ROOT / "out" / "foreign-relations-of-kyrgyzstan" / "article.json").read_text("utf-8"))
    if stored["source"]["obtained"] != "reconstruction":
        pytest.skip("out/ now holds live data committed by the change-detection job")
    assert main(["--offline", "--out", str(tmp_path)]) == 0
    for file in tmp_path.rglob("*"):
        if file.is_file():
            assert file.read_bytes() == (ROOT / "out" / file.relative_to(tmp_path)).read_bytes(), file.name


def test_input_file_takes_its_title_from_the_file_name(tmp_path: Path) -> None:
    """Foreign_relations_of_Chile_test.wikitext → 'Foreign relations of Chile test' → its slug."""
    source = tmp_path / "Foreign_relations_of_Chile_test.wikitext"
    source.write_text(TABLE, encoding="utf-8")
    assert main(["--input", str(source), "--out", str(tmp_path / "out")]) == 0
    relations = (tmp_path / "out" / "foreign-relations-of-chile-test" / "relations.csv").read_text(encoding="utf-8")
    assert relations.splitlines()[1].startswith("Chile,Chile,CHL,1992-10-06,day,6 October 1992,bilateral-table,false,")


def test_title_option_overrides_the_file_name(tmp_path: Path) -> None:
    """--title names the article (and so its folder) whatever the file is called."""
    source = tmp_path / "x.wikitext"
    source.write_text(TABLE, encoding="utf-8")
    assert main(["--input", str(source), "--title", "Foreign relations of Chile", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "foreign-relations-of-chile" / "article.json").is_file()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--input", "does-not-exist.wikitext"], "does-not-exist.wikitext"),
        (["--input", "README.md"], "README.md"),
        (["--offline", "--input", "x.wikitext"], "not allowed with"),
        (["--no-such-option"], "unrecognized arguments"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    arguments: list[str], message: str, tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """Every user error is a single stderr line naming the thing, exit code 2, nothing written."""
    result = run_cli(*arguments, "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert result.stdout == "" and not (tmp_path / "out").exists()


def test_an_error_is_exit_2_and_one_line_in_a_real_process(tmp_path: Path) -> None:
    """The same as a real process: exit code 2, one line on stderr, no traceback."""
    result = run("--input", "does-not-exist.wikitext", "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "does-not-exist.wikitext" in result.stderr and "Traceback" not in result.stderr


def test_undecodable_file_is_reported_with_its_name(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    """A file that is not UTF-8 is named in the error, and nothing is written."""
    source = tmp_path / "bad.wikitext"
    source.write_bytes(b"\xff\xfe{| broken")
    result = run_cli("--input", str(source), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and "bad.wikitext" in result.stderr and "UTF-8" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_malformed_wikitext_yields_a_dataset_with_diagnostics(tmp_path: Path) -> None:
    """Broken markup never crashes: the tool writes what it could read and says what it could not."""
    source = tmp_path / "broken.wikitext"
    source.write_text(
        "{| class=wikitable\n! Country !! Formal relations began\n|-\n| {{flag|Chile || 32 Smarch 1992\n"
        "|-\n| [[Peru]] || {{dts|1992|13|40}}\n|-\n| {{flag|Chile}} || <ref name=x>unclosed\n|}\n",
        encoding="utf-8",
    )
    assert main(["--input", str(source), "--out", str(tmp_path)]) == 0
    article = (tmp_path / "broken" / "article.json").read_text(encoding="utf-8")
    assert '"unparsed-date"' in article and '"Peru"' in article


def test_outputs_get_the_permissions_of_any_new_file(tmp_path: Path) -> None:
    """Atomic writes do not leave the dataset private (mkstemp/mkdtemp alone make 0600/0700)."""
    mask = os.umask(0o022)
    try:
        assert main(["--offline", "--out", str(tmp_path)]) == 0
    finally:
        os.umask(mask)
    folder = tmp_path / "foreign-relations-of-kyrgyzstan"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert stat.S_IMODE((folder / "relations.csv").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "article.schema.json").stat().st_mode) == 0o644


def test_seed_recording_is_the_seed_titles_folder() -> None:
    """options.SEED_RECORDING spells out slugify(SEED_TITLE), so that --help need not import the exporter."""
    from extractor.cli.options import RECORDINGS, SEED_RECORDING, SEED_TITLE
    from extractor.export.dataset import slugify

    assert SEED_RECORDING.is_dir()
    assert slugify(SEED_TITLE) == SEED_RECORDING.name and SEED_RECORDING.parent == RECORDINGS


def test_help_imports_no_library() -> None:
    """--help of every command, in a real process: it loads neither pydantic, requests, BeautifulSoup
    nor mwparserfromhell (each command's --help is checked after it ran, in one process)."""
    code = (
        "import runpy, sys\n"
        "for command in ([], ['check'], ['diff']):\n"
        "    sys.argv = ['extractor', *command, '--help']\n"
        "    try:\n        runpy.run_module('extractor', run_name='__main__')\n    except SystemExit as e:\n"
        "        assert e.code in (0, None), e.code\n"
        "    heavy = [m for m in ('pydantic', 'requests', 'bs4', 'mwparserfromhell') if m in sys.modules]\n"
        "    print(command, sorted(heavy), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["[] []", "['check'] []", "['diff'] []"]
    assert "usage: " in result.stdout and "Example: python -m extractor check" in " ".join(result.stdout.split())
