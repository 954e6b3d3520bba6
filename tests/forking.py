"""The test side of a fork server: a warm Python process that runs the command line in forked children.

The SIGKILL tests (``tests/test_atomic_kill.py``, ``tests/test_batch_kill.py``) each give it their
own server script, which reads one JSON request a line on stdin and answers one JSON line on
stdout; this class starts it (its children's stderr in ``server.log``), reads and sends those lines,
and stops it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import ROOT

__all__ = ["ForkClient"]


class ForkClient:
    """A server script started with ``warm`` (the argv of a first, warming run) as its argument."""

    def __init__(self, folder: Path, script: str, warm: list[str]) -> None:
        self.log = folder / "server.log"  # the children's stderr: what a failing run said
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", script, json.dumps(warm)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=ROOT,
                text=True,
            )
        assert self._answer() == {"ready": True}

    def _answer(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            pytest.fail(f"the fork server stopped: {self.log.read_text(errors='replace')[-2000:]}", pytrace=False)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _send(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def close(self) -> None:
        """End the server's loop and wait for it."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()
