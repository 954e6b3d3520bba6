"""Regeneration is atomic: a run killed with SIGKILL at any moment leaves out/ as before or fully new.

Two ways of killing, on real subprocesses of ``python -m extractor --input … --out DIR``:
- by the clock: at least 50 runs killed after delays spread over a whole run;
- by the step: an audit hook (PEP 578) kills the process just before its k-th file-system
  operation under DIR, for every k, so each step of the write is interrupted at least once.

After each kill, DIR's visible files must be byte for byte the complete old dataset or the complete
new one. Hidden ``.tmp-*`` leftovers are allowed after a kill, and the next run must remove them.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from extractor.atomic import TEMP_PREFIX

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "seed" / "foreign-relations-of-kyrgyzstan.wikitext"
TITLE = "Foreign relations of Kyrgyzstan"
TIMED_RUNS = 56

# Runs the CLI in-process after installing an audit hook that SIGKILLs the process right before
# its k-th file-system operation below DIR (a kill the process cannot catch or clean up after).
KILLER = """
import os, signal, sys
out, k = os.path.realpath(sys.argv[1]), int(sys.argv[2])
events = {"open", "os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.scandir",
          "shutil.rmtree", "tempfile.mkstemp", "tempfile.mkdtemp"}
seen = 0
def below(arg):
    try:
        return os.path.realpath(os.fsdecode(arg)).startswith(out)
    except TypeError:
        return isinstance(arg, int)  # a directory fd: shutil.rmtree inside the output folder
def hook(event, args):
    global seen
    if event not in events or not args or not below(args[0]):
        return
    if event == "open" and (args[1] or "r").startswith("r"):
        return
    seen += 1
    if seen == k:
        os.kill(os.getpid(), signal.SIGKILL)
sys.addaudithook(hook)
from extractor.cli import main
code = main(sys.argv[3:])
print("operations", seen, file=sys.stderr)
sys.exit(code)
"""


def _command(source: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "extractor", "--input", str(source), "--title", TITLE, "--out", str(out)]


def _snapshot(out: Path) -> dict[str, bytes]:
    """Every visible file under ``out`` (hidden ``.tmp-*`` leftovers excluded), by relative path."""
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not any(part.startswith(TEMP_PREFIX) for part in path.relative_to(out).parts)
    }


def _leftovers(out: Path) -> list[str]:
    return sorted(path.name for path in out.iterdir() if path.name.startswith(TEMP_PREFIX))


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Two inputs whose datasets differ (a date changed, a row with its citations removed), run whole once."""
    base = tmp_path_factory.mktemp("inputs")
    old_text = SEED.read_text(encoding="utf-8")
    new_text = old_text.replace("6 October 1992", "7 October 1992", 1)
    start = new_text.index("{{flag|Armenia}}")
    row_start = new_text.rindex("|-", 0, start)
    new_text = new_text[:row_start] + new_text[new_text.index("|-", start) :]
    sources = {"old": base / "old.wikitext", "new": base / "new.wikitext"}
    sources["old"].write_text(old_text, encoding="utf-8")
    sources["new"].write_text(new_text, encoding="utf-8")
    references: dict[str, dict[str, bytes]] = {}
    durations = []
    for name, source in [*sources.items(), *sources.items()]:  # twice: the second run replaces
        out = base / f"reference-{name}"
        started = time.monotonic()
        subprocess.run(_command(source, out), check=True, capture_output=True, timeout=120)
        durations.append(time.monotonic() - started)
        references[name] = _snapshot(out)
    differing = [f for f in references["old"] if references["old"][f] != references["new"].get(f)]
    assert set(references["old"]) == set(references["new"]) and len(differing) >= 3, differing
    return {"sources": sources, "references": references, "duration": max(durations)}


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


def test_sigkill_at_any_moment_leaves_old_or_new(datasets: dict[str, object], tmp_path: Path) -> None:
    """56 runs killed after delays spread over a whole run: out/ is always complete, old or new."""
    sources: dict[str, Path] = datasets["sources"]  # type: ignore[assignment]
    references: dict[str, dict[str, bytes]] = datasets["references"]  # type: ignore[assignment]
    duration: float = datasets["duration"]  # type: ignore[assignment]
    out = tmp_path / "out"
    subprocess.run(_command(sources["old"], out), check=True, capture_output=True, timeout=120)
    state, outcomes = "old", Counter[str]()
    for run in range(TIMED_RUNS):
        target = _other(state)  # every run replaces the dataset with the other one
        # Up to twice a whole run: the machine may be busy, and the last moments matter most.
        delay = duration * 2 * run / (TIMED_RUNS - 1)
        process = subprocess.Popen(
            _command(sources[target], out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
        state = _state(out, references)
        outcomes["replaced" if state == target else "kept"] += 1
    # Many kills came before the new dataset was in place, and some runs got through.
    assert outcomes["kept"] >= 10 and outcomes["replaced"] >= 1, outcomes
    subprocess.run(_command(sources[_other(state)], out), check=True, capture_output=True, timeout=120)
    assert _leftovers(out) == []


def test_sigkill_before_each_file_operation_leaves_old_or_new(
    datasets: dict[str, object], tmp_path: Path
) -> None:
    """Killed just before its k-th file operation, for every k: old or new, and the next run cleans up."""
    sources: dict[str, Path] = datasets["sources"]  # type: ignore[assignment]
    references: dict[str, dict[str, bytes]] = datasets["references"]  # type: ignore[assignment]
    out = tmp_path / "out"
    subprocess.run(_command(sources["old"], out), check=True, capture_output=True, timeout=120)

    def run_killed_at(k: int, target: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", KILLER, str(out), str(k), *_command(sources[target], out)[3:]],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )

    # How many operations a whole replacing run makes (k beyond that is never reached).
    whole = run_killed_at(0, "new")
    assert whole.returncode == 0, whole.stderr
    operations = int(whole.stderr.split("operations")[-1])
    assert operations >= 10 and _state(out, references) == "new"

    state, seen, cleaned = "new", set(), 0
    for k in range(1, operations + 1):
        target = _other(state)
        result = run_killed_at(k, target)
        assert result.returncode == -signal.SIGKILL, (k, result.stderr)
        state = _state(out, references)
        seen.add(state == target)
        if _leftovers(out):  # the next whole run removes what the killed one left behind
            clean = run_killed_at(0, _other(state))
            assert clean.returncode == 0, clean.stderr
            state = _state(out, references)
            assert _leftovers(out) == [], (k, _leftovers(out))
            cleaned += 1
    assert seen == {True, False}  # some kills came before the swap, some after it
    assert cleaned >= 3
