"""Regeneration is atomic: a run killed with SIGKILL at any moment leaves out/ as before or fully new.

Every run is a real process running the command line (``extractor.cli.main(["--input", …,
"--out", DIR])``) that is killed with SIGKILL, which it can neither catch nor clean up after. The
processes are forked from a server that has imported the project and made one whole run, so that
each costs the run itself (about 0.1 s) rather than an interpreter start and the imports; that is
what makes many kills affordable. Two ways of killing:

- by the step: an audit hook (PEP 578) kills the process just before its k-th file-system
  operation under DIR, for every k, so each step of the write is interrupted at least once;
- by the clock: kills at moments spread over a whole run, most of them over the stretch in which
  it writes (measured on a whole run first), so that kills also land *inside* operations the
  audit hook sees as one (a file half written, a folder half removed by ``shutil.rmtree``).

After each kill, DIR's visible files must be byte for byte the complete old dataset or the complete
new one. Hidden ``.tmp-*`` leftovers are allowed after a kill, and the next run must remove them.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.atomic import TEMP_PREFIX
from tests.forking import ForkClient
from tests.support import ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork() and SIGKILL (POSIX)")

SEED = ROOT / "fixtures" / "seed" / "foreign-relations-of-kyrgyzstan.wikitext"
TITLE = "Foreign relations of Kyrgyzstan"
#: Kills by the clock: a few while the run still parses, most while it writes, a few after.
TIMED_BEFORE, TIMED_DURING, TIMED_AFTER = 4, 24, 4
#: At most this many more kills by the clock when none of those landed inside the writing.
EXTRA_TRIES = 200

# The fork server. It reads one JSON request a line: {"argv": [...], "out": DIR, "kill_at": k}. For
# each it forks a child that runs main(argv), killing itself (SIGKILL) just before its k-th file
# operation below DIR when k > 0, and answers {"pid", "started"}. It then waits for a line from
# the test (which has meanwhile killed the child, or not) before reaping the child, so that a pid
# the test kills can never be another process's; and answers {"code", "operations", "first",
# "last"}: the exit code (-9 when killed) and, for a run that finished, how many operations it made
# and when the first and last began (time.monotonic(), the same clock in every process).
SERVER = r"""
import json, os, signal, sys, time
from extractor.cli import main

EVENTS = {"open", "os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.scandir",
          "shutil.rmtree", "tempfile.mkstemp", "tempfile.mkdtemp"}

def child(request, report):
    out, kill_at = os.path.realpath(request["out"]), request["kill_at"]
    seen, times = 0, []
    def below(arg):
        try:
            return os.path.realpath(os.fsdecode(arg)).startswith(out)
        except TypeError:
            return isinstance(arg, int)  # a directory fd: shutil.rmtree inside the output folder
    def hook(event, args):
        nonlocal seen
        if event not in EVENTS or not args or not below(args[0]):
            return
        if event == "open" and (args[1] or "r").startswith("r"):
            return
        seen += 1
        times.append(time.monotonic())
        if seen == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
    sys.addaudithook(hook)
    code = main(request["argv"])
    os.write(report, json.dumps({"operations": seen, "first": times[0], "last": times[-1]}).encode())
    return code

main(json.loads(sys.argv[1]))  # warm up: every module a run needs is loaded before the forks
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    request = json.loads(line)
    read_end, write_end = os.pipe()
    started = time.monotonic()
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
    print(json.dumps({"pid": pid, "started": started}), flush=True)
    sys.stdin.readline()
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read_end, "rb") as pipe:
        report = json.loads(pipe.read() or b"{}")
    print(json.dumps({"code": os.waitstatus_to_exitcode(status), **report}), flush=True)
"""


class ForkServer(ForkClient):
    """Runs of the command line as processes forked from one warm server (see SERVER)."""

    def __init__(self, folder: Path, source: Path) -> None:
        super().__init__(folder, SERVER, ["--input", str(source), "--title", TITLE, "--out", str(folder / "warm-up")])

    def run(self, source: Path, out: Path, *, kill_at: int = 0, kill_after: float | None = None) -> dict[str, Any]:
        """Extract ``source`` to ``out`` in a new process; kill it before its ``kill_at``-th file
        operation, or ``kill_after`` seconds after it started. The server's answer."""
        argv = ["--input", str(source), "--title", TITLE, "--out", str(out)]
        self._send(json.dumps({"argv": argv, "out": str(out), "kill_at": kill_at}))
        started = self._answer()
        if kill_after is not None:
            time.sleep(max(0.0, started["started"] + kill_after - time.monotonic()))
            os.kill(started["pid"], signal.SIGKILL)  # not reaped yet: still that process, or its zombie
        self._send("")
        return {**started, **self._answer()}

    def whole(self, source: Path, out: Path) -> dict[str, Any]:
        """A run that is not killed; it must succeed."""
        answer = self.run(source, out)
        assert answer["code"] == 0, self.log.read_text(errors="replace")[-2000:]
        return answer


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two inputs whose datasets differ (a date changed, a row with its citations removed)."""
    base = tmp_path_factory.mktemp("inputs")
    old_text = SEED.read_text(encoding="utf-8")
    new_text = old_text.replace("6 October 1992", "7 October 1992", 1)
    start = new_text.index("{{flag|Armenia}}")
    row_start = new_text.rindex("|-", 0, start)
    new_text = new_text[:row_start] + new_text[new_text.index("|-", start) :]
    sources = {"old": base / "old.wikitext", "new": base / "new.wikitext"}
    sources["old"].write_text(old_text, encoding="utf-8")
    sources["new"].write_text(new_text, encoding="utf-8")
    return sources


@pytest.fixture(scope="module")
def server(inputs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[ForkServer]:
    fork_server = ForkServer(tmp_path_factory.mktemp("server"), inputs["old"])
    yield fork_server
    fork_server.close()


@pytest.fixture(scope="module")
def references(
    inputs: dict[str, Path], server: ForkServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, bytes]]:
    """The complete old and new datasets, each written whole into a fresh folder and then over the other."""
    base = tmp_path_factory.mktemp("references")
    datasets: dict[str, dict[str, bytes]] = {}
    for name in ("old", "new"):
        server.whole(inputs[name], base / name)
        server.whole(inputs[_other(name)], base / name)  # a replacing run gives the same bytes
        server.whole(inputs[name], base / name)
        datasets[name] = _snapshot(base / name)
    differing = [f for f in datasets["old"] if datasets["old"][f] != datasets["new"].get(f)]
    assert set(datasets["old"]) == set(datasets["new"]) and len(differing) >= 3, differing
    return datasets


def _snapshot(out: Path) -> dict[str, bytes]:
    """Every visible file under ``out`` (hidden ``.tmp-*`` leftovers excluded), by relative path."""
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not any(part.startswith(TEMP_PREFIX) for part in path.relative_to(out).parts)
    }


def _leftovers(out: Path) -> list[str]:
    return sorted(path.name for path in out.iterdir() if path.name.startswith(TEMP_PREFIX))


def _state(out: Path, references: dict[str, dict[str, bytes]]) -> str:
    """'old' or 'new' when out/ holds exactly that complete dataset; fails the test otherwise."""
    files = _snapshot(out)
    for name, reference in references.items():
        if files == reference:
            return name
    mixed = {f: [n for n, r in references.items() if r.get(f) == data] for f, data in files.items()}
    pytest.fail(f"out/ is neither the old nor the new dataset: {mixed}", pytrace=False)


def _other(state: str) -> str:
    return "new" if state == "old" else "old"


def test_sigkill_before_each_file_operation_leaves_old_or_new(
    inputs: dict[str, Path], server: ForkServer, references: dict[str, dict[str, bytes]], tmp_path: Path
) -> None:
    """Killed just before its k-th file operation, for every k: old or new, and the next run cleans up."""
    out = tmp_path / "out"
    server.whole(inputs["old"], out)
    # How many operations a whole replacing run makes (k beyond that is never reached).
    operations = server.whole(inputs["new"], out)["operations"]
    assert operations >= 10 and _state(out, references) == "new"

    state, seen, cleaned = "new", set(), 0
    for k in range(1, operations + 1):
        target = _other(state)
        result = server.run(inputs[target], out, kill_at=k)
        assert result["code"] == -signal.SIGKILL, (k, result)
        state = _state(out, references)
        seen.add(state == target)
        if _leftovers(out):  # the next whole run removes what the killed one left behind
            server.whole(inputs[_other(state)], out)
            state = _state(out, references)
            assert _leftovers(out) == [], (k, _leftovers(out))
            cleaned += 1
    assert seen == {True, False}  # some kills came before the swap, some after it
    assert cleaned >= 3


def test_sigkill_at_any_moment_leaves_old_or_new(
    inputs: dict[str, Path], server: ForkServer, references: dict[str, dict[str, bytes]], tmp_path: Path
) -> None:
    """Runs killed at moments spread over a whole run, most while it writes: out/ is always complete."""
    out = tmp_path / "out"
    server.whole(inputs["old"], out)
    # When a run writes, from three whole replacing runs (old → new → old → new): one may be slowed.
    wholes = [server.whole(inputs[name], out) for name in ("new", "old", "new")]
    first = min(whole["first"] - whole["started"] for whole in wholes)
    last = max(whole["last"] - whole["started"] for whole in wholes)
    # The writing stretch, widened a little on both sides: a run varies from one to the next.
    begin, end = first * 0.8, last + (last - first) * 0.5 + 0.002
    moments = (
        [first * 0.8 * i / TIMED_BEFORE for i in range(TIMED_BEFORE)]
        + [begin + (end - begin) * i / (TIMED_DURING - 1) for i in range(TIMED_DURING)]
        + [end * (1.2 + 0.4 * i) for i in range(TIMED_AFTER)]  # runs that may get through
    )
    state, outcomes = "new", Counter[str]()

    def kill_after(moment: float) -> None:
        nonlocal state
        target = _other(state)  # every run replaces the dataset with the other one
        result = server.run(inputs[target], out, kill_after=moment)
        killed = result["code"] == -signal.SIGKILL
        assert killed or result["code"] == 0, result
        state = _state(out, references)
        outcomes["killed, kept" if killed and state != target else "killed, replaced" if killed else "finished"] += 1
        outcomes["left leftovers"] += bool(_leftovers(out))

    for moment in moments:
        kill_after(moment)
    # A loaded machine shifts a run's writing stretch from one run to the next, so the moments above
    # may all miss it: then more kills, at random moments over the widened stretch, until one lands
    # inside the writing (it leaves leftovers). Each of these kills is checked like the others.
    spread = random.Random(0)
    for _ in range(EXTRA_TRIES):
        if outcomes["left leftovers"]:
            break
        kill_after(spread.uniform(first * 0.5, end * 1.5))
    # Kills came before the new dataset was in place, and inside the writing (leftovers); runs got through.
    assert outcomes["killed, kept"] >= TIMED_BEFORE and outcomes["finished"] >= 1, outcomes
    assert outcomes["left leftovers"] >= 1, outcomes
    server.whole(inputs[_other(state)], out)
    assert _leftovers(out) == []
