"""What the tests share besides fixtures: the paths, the CI rule, golden-file diffs, result types.

A plain module, imported as ``tests.support`` (pytest puts the project root on ``sys.path``,
``pythonpath`` in pyproject.toml), by tests/conftest.py and by the tests alike: conftest.py is
pytest's to import, and holds only fixtures and hooks.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the library is imported by the fixtures that use it, so that one module
    # broken does not stop the collection of every test
    from extractor.models import Article
    from extractor.parse.document import ParsedDocument

__all__ = [
    "FIXTURES",
    "GOLDEN",
    "GOLDEN_DIFF_LINES",
    "IN_CI",
    "ROOT",
    "SHARED",
    "SHARED_READS",
    "CliResult",
    "CorpusArticle",
    "SharedReads",
    "golden_differences",
    "require",
]

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
#: How many lines of unified diff a failing golden file shows.
GOLDEN_DIFF_LINES = 40


def require(path: Path, what: str) -> Path:
    """Return ``path``; skip the test (fail under CI) when it is missing."""
    if path.exists():
        return path
    message = f"{what} not found at {path} (../shared is only present beside a project checkout)"
    if IN_CI:
        pytest.fail(f"{message}; CI=true requires it", pytrace=False)
    pytest.skip(message)


# ---------------------------------------------------------------------------- ../shared reads
class SharedReads:
    """An audit hook (PEP 578) noting what the running unmarked test opens or lists under ../shared."""

    EVENTS = frozenset({"open", "os.listdir", "os.scandir"})

    def __init__(self) -> None:
        self.watching = False
        self.reads: list[str] = []
        self.prefix = os.path.abspath(SHARED) + os.sep

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        """Note ``args[0]`` when it is a path under ../shared being read while watching."""
        # Called for every audited event of the process: stay cheap, and never raise.
        if not self.watching or event not in self.EVENTS or not args or not isinstance(args[0], str | Path):
            return
        path = os.path.abspath(args[0])
        if path.startswith(self.prefix) or path + os.sep == self.prefix:
            self.reads.append(path)

    def watch(self, item: pytest.Item) -> None:
        """Start noting reads, with none noted yet, if ``item`` is not marked ``shared``."""
        self.watching = item.get_closest_marker("shared") is None
        self.reads = []

    def stop(self) -> list[str]:
        """Stop noting, and return what was noted."""
        self.watching = False
        return self.reads


#: The one watcher: tests/conftest.py installs its hook (an audit hook cannot be removed, so once).
SHARED_READS = SharedReads()


# ---------------------------------------------------------------------------- golden files
def _text_lines(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").splitlines(keepends=True)


def golden_differences(folder: Path, files: Mapping[str, bytes]) -> list[str]:
    """What differs between ``files`` and the golden copies in ``folder``: one entry per file.

    Each entry names the file and shows the first lines of a unified diff (golden → current). A
    golden file that ``files`` no longer has is a difference too.
    """
    problems = []
    for name, data in sorted(files.items()):
        path = folder / name
        if not path.exists():
            problems.append(f"{name}: no golden copy")
            continue
        expected = path.read_bytes()
        if data == expected:
            continue
        diff = list(
            difflib.unified_diff(
                _text_lines(expected), _text_lines(data), f"golden/{folder.name}/{name}", "current", n=1
            )
        )
        if not diff:  # the same text after decoding: line endings, or bytes that are not UTF-8
            diff = [f"(same lines, different bytes: {len(expected)} golden, {len(data)} current)\n"]
        shown = "".join(line if line.endswith("\n") else line + "\n" for line in diff[:GOLDEN_DIFF_LINES])
        more = f"... ({len(diff) - GOLDEN_DIFF_LINES} more diff lines)\n" if len(diff) > GOLDEN_DIFF_LINES else ""
        problems.append(f"{name} differs:\n{shown}{more}")
    if folder.is_dir():
        problems += [
            f"{p.name}: golden copy of a file no longer written"
            for p in sorted(folder.iterdir())
            if p.name not in files
        ]
    return problems


# ---------------------------------------------------------------------------- result types
@dataclass(frozen=True)
class CorpusArticle:
    """One corpus article: its wikitext, what the wikitext parser reads, and the dataset."""

    name: str  # the file's stem, e.g. Foreign_relations_of_Kyrgyzstan
    text: str
    document: ParsedDocument
    article: Article  # as ``--input FILE`` extracts it (title from the file name)


@dataclass(frozen=True)
class CliResult:
    """What a run of the command line gave: exit code and output, as a subprocess would."""

    returncode: int
    stdout: str
    stderr: str
