"""The README's examples work as written."""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

from tests.support import ROOT


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.DOTALL)


def test_library_example_prints_what_the_readme_says(tmp_path: Path) -> None:
    """The example runs as in a clean clone (the stored snapshot, no ../shared) and prints the lines after '# '."""
    block = _python_blocks()[0]
    expected = [line[2:] for line in block.splitlines() if line.startswith("# ")]
    snapshot = Path("fixtures/seed/foreign-relations-of-kyrgyzstan.wikitext")
    (tmp_path / snapshot).parent.mkdir(parents=True)
    (tmp_path / snapshot).write_bytes((ROOT / snapshot).read_bytes())  # the clone's file, in a scratch folder
    output = io.StringIO()
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        with contextlib.redirect_stdout(output):
            exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    assert output.getvalue().splitlines() == expected
    assert (tmp_path / "my-data" / "foreign-relations-of-kyrgyzstan" / "relations.csv").is_file()


def test_quick_start_is_two_commands() -> None:
    """The quick start shows exactly two commands: set up and run offline, then the tests."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start\n\n```sh\n(.*?)```", readme, re.DOTALL)
    assert block is not None
    commands = block.group(1).strip().splitlines()
    assert len(commands) == 2
    assert commands[0].endswith("python -m extractor --offline")
    assert commands[1] == "python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\npython -m pytest\n" in ci
