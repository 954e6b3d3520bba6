"""The golden-file check itself: it compares every file, names each that differs, and shows how."""

from __future__ import annotations

from pathlib import Path

from tests.support import GOLDEN_DIFF_LINES, golden_differences


def _golden(tmp_path: Path, files: dict[str, bytes]) -> Path:
    folder = tmp_path / "seed"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def test_equal_files_are_no_difference(tmp_path: Path) -> None:
    """The same bytes: nothing to report."""
    folder = _golden(tmp_path, {"a.csv": b"x\n1\n", "b.txt": b"t"})
    assert golden_differences(folder, {"a.csv": b"x\n1\n", "b.txt": b"t"}) == []


def test_every_differing_file_is_named_with_a_diff_of_its_first_changes(tmp_path: Path) -> None:
    """Two files differ and one is missing: three entries, each naming its file; diffs show the lines."""
    folder = _golden(tmp_path, {"a.csv": b"h\nold\nsame\n", "b.csv": b"1\n2\n", "stale.txt": b"gone"})
    problems = golden_differences(folder, {"a.csv": b"h\nnew\nsame\n", "b.csv": b"1\n3\n", "new.csv": b"n"})
    assert [problem.split("\n", 1)[0] for problem in problems] == [
        "a.csv differs:",
        "b.csv differs:",
        "new.csv: no golden copy",
        "stale.txt: golden copy of a file no longer written",
    ]
    assert "\n-old\n+new\n" in problems[0] and "--- golden/seed/a.csv\n+++ current\n" in problems[0]
    assert "\n-2\n+3\n" in problems[1]


def test_a_long_diff_is_cut_and_says_how_much_is_left(tmp_path: Path) -> None:
    """Only the first lines of a long diff are shown, and the rest is counted."""
    folder = _golden(tmp_path, {"a.csv": b"".join(b"%d\n" % n for n in range(200))})
    [problem] = golden_differences(folder, {"a.csv": b"".join(b"%d!\n" % n for n in range(200))})
    lines = problem.splitlines()
    assert len(lines) == 1 + GOLDEN_DIFF_LINES + 1
    assert lines[-1].startswith("... (") and lines[-1].endswith(" more diff lines)")


def test_bytes_that_decode_alike_still_differ(tmp_path: Path) -> None:
    """Line endings are data too: a CRLF file is not its LF golden copy."""
    folder = _golden(tmp_path, {"a.csv": b"x\n"})
    [problem] = golden_differences(folder, {"a.csv": b"x\r\n"})
    assert problem.startswith("a.csv differs:")
