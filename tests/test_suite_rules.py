"""The suite's own rules (tests/conftest.py): what marks a test ``shared``, and what catches one that
reads ../shared without the mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import SHARED, SHARED_READS, SharedReads


def test_a_test_using_a_shared_fixture_is_marked_shared(corpus_dir: Path, request: pytest.FixtureRequest) -> None:
    """corpus_dir (and so shared_dir) in a test's fixtures: the 'shared' marker, so -m can select it."""
    assert request.node.get_closest_marker("shared") is not None


def test_a_test_without_one_is_not(request: pytest.FixtureRequest) -> None:
    """No shared fixture, no marker."""
    assert request.node.get_closest_marker("shared") is None


def test_reading_shared_without_the_marker_is_caught(request: pytest.FixtureRequest) -> None:
    """This unmarked test opens and lists ../shared: the audit hook notes both (and its wrapper would
    fail the test); what it notes is taken here, so that this test passes."""
    if not SHARED.is_dir():
        pytest.skip("../shared not found")
    [first] = sorted(SHARED.iterdir())[:1]  # os.scandir
    readable = next(path for path in sorted(SHARED.rglob("*")) if path.is_file())
    readable.read_bytes()  # open
    reads = SHARED_READS.stop()
    SHARED_READS.watch(request.node)  # watch again, with nothing noted
    assert str(SHARED) in reads and str(readable) in reads, reads
    assert first.exists()


def test_only_paths_inside_shared_are_noted() -> None:
    """../shared itself and what is under it, however spelled; not a sibling whose name starts alike."""
    reads = SharedReads()
    reads.watching = True
    for path in (f"{SHARED}2/x.txt", "/tmp/x", f"{SHARED}/corpus/a.wikitext", f"{SHARED}/../shared/seed", SHARED):
        reads.hook("open", (path, "r", 0))
    reads.hook("os.mkdir", (f"{SHARED}/new", 0o777, -1))  # not a read
    assert reads.stop() == [f"{SHARED}/corpus/a.wikitext", f"{SHARED}/seed", str(SHARED)]
