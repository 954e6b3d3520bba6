"""A batch killed at any moment leaves ``out/all/`` consistent with the article folders.

Every run is a real batch (``extractor.cli.main(["--input", FOLDER, "--out", DIR])``) of three
articles, replacing a batch output in which every article differs, killed with SIGKILL (the
run's whole process group: its worker processes too) by an audit hook (PEP 578) just before the
k-th file-system operation under DIR made by any of its processes, for every k. The processes
are forked from a warm server, as in ``tests/test_atomic_kill.py``, so that a run costs the run.

After each kill, either DIR holds exactly the old batch output (article folders and ``all/``), or
the kill came after the new one was complete, or the intent journal is present: then the next
run that takes DIR's lock completes the swaps, and DIR holds exactly the new output. Whichever,
``all/relations.csv`` is what a fresh combination of the article folders gives.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from extractor.atomic import JOURNAL_FILE, TEMP_PREFIX, output_lock
from extractor.export.combined import folder_missions, folder_parts, write_combined
from tests.forking import ForkClient
from tests.support import ROOT

if TYPE_CHECKING:
    from tests.support import CliResult

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() and SIGKILL (POSIX)")

#: A small article (the batch's steps, not its parsing, are what is tested): every row cited, a date to change.
ARTICLE = (
    "{subject} has relations.\n== Bilateral relations ==\n"
    '{{| class="wikitable"\n! Country !! Formal relations began !! Notes\n'
    "|-\n| {{{{flag|Mexico}}}} || {date} || Mexico notes.<ref>{{{{cite web|url=https://example.org/m|title=M}}}}</ref>\n"
    "|-\n| {{{{flag|Chile}}}} || 1992 || Chile notes.<ref>{{{{cite web|url=https://example.org/c|title=C}}}}</ref>\n"
    "|-\n| {{{{flag|Peru}}}} || 1993 || Peru notes. An embassy in Lima.\n"
    "|}}\n== References ==\n{{{{Reflist}}}}\n"
)
TITLES = ("Foreign relations of Kyrgyzstan", "Foreign relations of Kazakhstan", "Foreign relations of Tajikistan")

# The fork server: as in tests/test_atomic_kill.py, but each child is the leader of its own process
# group, the operations of all its processes (the batch's workers are forked from it) are counted
# on one shared counter, and the kill is the whole group's, workers included.
SERVER = r"""
import ctypes, json, multiprocessing, os, signal, sys, time
from extractor.cli import main

EVENTS = {"open", "os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.scandir",
          "shutil.rmtree", "tempfile.mkstemp", "tempfile.mkdtemp"}

def child(request, report):
    os.setpgid(0, 0)
    out, kill_at = os.path.realpath(request["out"]), request["kill_at"]
    seen = multiprocessing.RawValue(ctypes.c_long, 0)  # shared with the forked workers
    guard = multiprocessing.Lock()
    def below(arg):
        try:
            return os.path.realpath(os.fsdecode(arg)).startswith(out)
        except TypeError:
            return isinstance(arg, int)  # a directory fd: shutil.rmtree inside the output folder
    def hook(event, args):
        if event not in EVENTS or not args or not below(args[0]):
            return
        if event == "open" and (args[1] or "r").startswith("r"):
            return
        with guard:
            seen.value += 1
            now = seen.value
        if now == kill_at:
            os.killpg(0, signal.SIGKILL)
    sys.addaudithook(hook)
    code = main(request["argv"])
    os.write(report, json.dumps({"operations": seen.value}).encode())
    return code

main(json.loads(sys.argv[1]))  # warm up: every module a run needs is loaded before the forks
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.close(read_end)
            os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # stdout is the server's answers
            code = child(request, write_end)
        finally:
            os._exit(code)  # never back into the server's loop
    os.close(write_end)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as pipe:
        report = json.loads(pipe.read() or b"{}")
    print(json.dumps({"code": os.waitstatus_to_exitcode(status), **report}), flush=True)
"""


class ForkServer(ForkClient):
    """Batches run as processes forked from one warm server (see SERVER)."""

    def __init__(self, folder: Path, source: Path) -> None:
        super().__init__(folder, SERVER, ["--input", str(source), "--out", str(folder / "warm-up")])

    def run(self, source: Path, out: Path, *, kill_at: int = 0) -> dict[str, Any]:
        """The batch of ``source`` into ``out``, killed before its ``kill_at``-th file operation."""
        argv = ["--input", str(source), "--out", str(out), "-q"]
        self._send(json.dumps({"argv": argv, "out": str(out), "kill_at": kill_at}))
        return self._answer()

    def whole(self, source: Path, out: Path) -> dict[str, Any]:
        """A batch that is not killed; it must succeed."""
        answer = self.run(source, out)
        assert answer["code"] == 0, self.log.read_text(errors="replace")[-2000:]
        return answer


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two folders of the same three articles, each article's data differing between them (a date)."""
    base = tmp_path_factory.mktemp("inputs")
    folders = {"old": base / "old", "new": base / "new"}
    for name, folder in folders.items():
        folder.mkdir()
        for number, title in enumerate(TITLES):
            date = "6 October 1992" if name == "old" else f"{7 + number} October 1992"
            text = ARTICLE.format(subject=title.rsplit(" ", 1)[-1], date=date)
            (folder / f"{title.replace(' ', '_')}.wikitext").write_text(text, encoding="utf-8")
    return folders


@pytest.fixture(scope="module")
def server(inputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    fork_server = ForkServer(tmp_path_factory.mktemp("server"), inputs["old"])
    yield fork_server
    fork_server.close()


def _snapshot(out: Path) -> dict[str, bytes]:
    """Every visible file under ``out`` (hidden files: leftovers, the journal excluded), by relative path."""
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(out).parts)
    }


@pytest.fixture(scope="module")
def references(
    inputs: dict[str, Path], server: ForkServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, bytes]]:
    """The complete old and new batch outputs, each written fresh and then over the other."""
    base = tmp_path_factory.mktemp("references")
    datasets: dict[str, dict[str, bytes]] = {}
    for name, other in (("old", "new"), ("new", "old")):
        server.whole(inputs[name], base / name)
        server.whole(inputs[other], base / name)
        server.whole(inputs[name], base / name)  # a replacing batch gives a fresh batch's bytes
        datasets[name] = _snapshot(base / name)
    differing = {f.split("/")[0] for f in datasets["old"] if datasets["old"][f] != datasets["new"].get(f)}
    assert set(datasets["old"]) == set(datasets["new"]) and len(differing) == len(TITLES) + 1, differing
    return datasets


def _state(out: Path, references: dict[str, dict[str, bytes]]) -> str:
    """'old' or 'new' when out/ holds exactly that complete batch output; fails the test otherwise."""
    files = _snapshot(out)
    for name, reference in references.items():
        if files == reference:
            return name
    mixed = {f: [n for n, r in references.items() if r.get(f) == data] for f, data in files.items()}
    pytest.fail(f"out/ is neither the old nor the new batch output: {mixed}", pytrace=False)


def _combined_from_folders(out: Path, scratch: Path) -> bytes:
    """``all/relations.csv`` as a fresh combination of ``out``'s article folders builds it."""
    write_combined(scratch, folder_parts(out), missions=folder_missions(out))
    return (scratch / "all" / "relations.csv").read_bytes()


def test_sigkill_before_each_file_operation_leaves_all_consistent_with_the_folders(
    inputs: dict[str, Path],
    server: ForkServer,
    references: dict[str, dict[str, bytes]],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Killed before its k-th file operation, for every k: old with old, or (journal) completed to new with new;
    the next lock holder leaves no leftover."""
    out = tmp_path / "out"
    server.whole(inputs["old"], out)
    operations = server.whole(inputs["new"], out)["operations"]
    assert operations >= 20 and _state(out, references) == "new"
    outcomes = Counter[str]()
    state = "new"
    for k in range(1, operations + 1):
        target = "old" if state == "new" else "new"
        result = server.run(inputs[target], out, kill_at=k)
        assert result["code"] == -signal.SIGKILL, (k, result)
        journal = (out / JOURNAL_FILE).exists()  # interrupted among the swaps: a reader can tell
        if not journal:
            after = _state(out, references)
            outcomes["kept" if after == state else "replaced"] += 1
        outcomes["left leftovers"] += any(p.name.startswith(TEMP_PREFIX) for p in out.iterdir())
        # The next run that takes the lock (here the library's, in this process) completes the
        # swaps and removes the leftovers, all older than its lock (a coarse clock: a tick apart).
        time.sleep(0.02)
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="extractor"), output_lock(out):
            pass
        lines = [record.getMessage() for record in caplog.records]
        if journal:
            assert len(lines) == 1 and lines[0].startswith(f"{out}: completed an interrupted run's swaps"), lines
            assert _state(out, references) == target, k
            outcomes["journal, completed"] += 1
        else:
            assert lines == [], lines
        assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [], k
        state = _state(out, references)
        assert (out / "all" / "relations.csv").read_bytes() == _combined_from_folders(out, tmp_path / f"fresh-{k}")
    # Kills came while staging (old kept), among the swaps (journal) and after them.
    assert outcomes["kept"] >= 10 and outcomes["journal, completed"] >= len(TITLES), outcomes
    assert outcomes["left leftovers"] >= 1, outcomes


#: Commands that take the lock of an output folder (``{out}``, ``{article}``, ``{db}`` filled in).
LOCKING_COMMANDS = {
    "single-article": ["--input", "{article}", "--out", "{out}"],
    "export": ["export", "--sqlite", "{db}", "{out}"],
    "report": ["report", "{out}"],
}


@pytest.mark.parametrize("command", list(LOCKING_COMMANDS.values()), ids=list(LOCKING_COMMANDS))
def test_a_run_that_finds_a_journal_completes_it_and_says_so(tmp_path: Path, command: list[str]) -> None:
    """A batch killed among its swaps: the next command taking --out's lock completes them first, one line on stderr."""
    articles = tmp_path / "articles"
    articles.mkdir()
    for title in TITLES:
        text = ARTICLE.format(subject=title.rsplit(" ", 1)[-1], date="6 October 1992")
        (articles / f"{title.replace(' ', '_')}.wikitext").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    batch = [sys.executable, "-m", "extractor", "--input", str(articles), "--out", str(out)]
    assert subprocess.run(batch, cwd=ROOT, capture_output=True).returncode == 0
    # The state a kill among the swaps leaves: the journal written, its swaps staged, none made yet
    # (the staged copies as old as the folders: older than the next lock, yet not taken for leftovers).
    staged = {}
    for name in ("all", "foreign-relations-of-kazakhstan"):
        copy = out / f"{TEMP_PREFIX}{name}.staged"
        subprocess.run(["cp", "-a", str(out / name), str(copy)], check=True)
        (copy / "marker").write_text(name)
        staged[name] = copy
    journal = [
        {"staging": path.name, "target": name, "inode": path.lstat().st_ino} for name, path in sorted(staged.items())
    ]
    (out / JOURNAL_FILE).write_text(json.dumps({"swaps": journal}))
    fill = {"out": str(out), "article": str(articles / "Foreign_relations_of_Tajikistan.wikitext")}
    fill["db"] = str(tmp_path / "frx.db")
    argv = [part.format(**fill) for part in command]
    run = subprocess.run([sys.executable, "-m", "extractor", *argv], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[0] == f"{out}: completed an interrupted run's swaps (2 of 2 folders put in place)"
    assert not (out / JOURNAL_FILE).exists()
    assert (out / "all" / "marker").read_text() == "all"
    assert (out / "foreign-relations-of-kazakhstan" / "marker").read_text() == "foreign-relations-of-kazakhstan"
    assert [p.name for p in out.iterdir() if p.name.startswith(TEMP_PREFIX)] == []


def test_a_journal_that_is_not_one_is_one_line_and_touches_nothing(
    tmp_path: Path, run_cli: Callable[..., CliResult]
) -> None:
    """A journal this tool did not write (it writes them whole) stops the next run: exit 2, one line, no write."""
    out = tmp_path / "out"
    out.mkdir()
    (out / JOURNAL_FILE).write_text('{"swaps": "all"')
    source = tmp_path / "Foreign_relations_of_Testland.wikitext"
    source.write_text(ARTICLE.format(subject="Testland", date="1992"), encoding="utf-8")
    result = run_cli("--input", str(source), "--out", str(out))
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"error: {out / JOURNAL_FILE}: the journal of an interrupted run is unreadable")
    assert sorted(p.name for p in out.iterdir()) == [JOURNAL_FILE]
