"""Writing outputs so that a failed or killed run leaves the previous ones exactly as they were.

Files are written to a temporary sibling and renamed over the target. A dataset folder is built
whole in a temporary sibling folder, then swapped with the old one in one step with Linux's
``renameat2(RENAME_EXCHANGE)``, so that ``out/<slug>/`` is at every moment either the complete
old dataset or the complete new one. Where that call is missing, two renames are used and the
window between them is as short as a rename.

Runs writing into one output folder take turns: :func:`output_lock` holds a lock per folder (the
``filelock`` package: an OS file lock, released by the kernel if the run dies) from staging to
swap, and a killed run's temporary leftovers are removed only by the run holding that lock, and
only when they are older than the lock (a leftover newer than it belongs to a live run).

Several folders that must change together (a batch's article folders and the combined ``all/``
built from them) are swapped by :func:`swap_directories`: every new folder is staged first, then
an intent journal (``.swaps.json`` in the output folder, written atomically) lists the swaps,
they are made, and the journal is removed. A run killed among the swaps leaves the journal, and
the next run that takes the folder's lock completes them before anything else (rolls forward),
so the folders are the old ones together or, once completed, the new ones together.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import filelock

from extractor.errors import ExtractorError

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "JOURNAL_FILE",
    "TEMP_PREFIX",
    "atomic_write_bytes",
    "lock_path",
    "output_lock",
    "replace_directory",
    "staging_directory",
    "swap_directories",
]

#: Seconds a run waits for another run writing the same output folder before it gives up.
DEFAULT_LOCK_TIMEOUT = 300.0
# The locks this process holds: output folder → (lock, depth, when it was taken). Reentrant, as
# one run takes the lock around each dataset it writes and around a whole batch; a forked batch
# worker inherits it (and the lock's open file, so it holds the lock with its parent).
_HELD: dict[Path, tuple[filelock.BaseFileLock, int, float]] = {}

#: Prefix of the temporary names; leftovers of a killed run carry it and are removed next time.
TEMP_PREFIX = ".tmp-"
#: The intent journal of :func:`swap_directories`, in the output folder: present only while a run
#: swaps several folders into place, or after it was killed doing so (the next run completes it).
JOURNAL_FILE = ".swaps.json"
_RENAME_EXCHANGE = 2
_log = logging.getLogger(__name__)
_AT_FDCWD = -100


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(path.parent, path.name)  # a killed run's temporary file would stay forever
    fd, temp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", dir=path.parent)
    try:
        # mkstemp creates 0600 files; an output file gets the permissions any new file would.
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the platform cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def lock_path(out_dir: Path) -> Path:
    """The lock file of an output folder: beside it (``.out.lock`` for ``out/``), not in it, so
    that committing the folder never commits the lock."""
    resolved = out_dir.resolve()
    return resolved.parent / f".{resolved.name}.lock"


@contextlib.contextmanager
def output_lock(out_dir: Path, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold ``out_dir``'s lock for the block, waiting up to ``timeout`` seconds for another run.

    Raises :class:`~extractor.errors.ExtractorError` (``setting="lock_timeout"``) naming the lock
    file when it stays taken.
    """
    key = out_dir.resolve()
    held = _HELD.get(key)
    if held is not None:
        lock, depth, since = held
        _HELD[key] = (lock, depth + 1, since)
    else:
        path = lock_path(out_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(path, timeout=timeout)
        try:
            lock.acquire()
        except filelock.Timeout:
            raise ExtractorError(
                f"{path}: another run is writing {out_dir} (waited {timeout:g} s for its lock)",
                setting="lock_timeout",
            ) from None
        # The lock's own time, read from the file system: leftovers' times come from the same
        # (coarse) clock, which may lag time.time() by milliseconds.
        os.utime(path)
        _HELD[key] = (lock, 1, path.stat().st_mtime)
        try:
            # First of all, before any leftover is judged: a killed run's swaps are completed.
            _recover(out_dir)
            # Then every leftover of a killed run in the folder goes (older than the lock, so
            # none is a live run's), not only those of the names this run happens to write.
            _remove_leftovers(out_dir, "*")
        except BaseException:
            del _HELD[key]
            lock.release()
            raise
    try:
        yield
    finally:
        lock, depth, since = _HELD[key]
        if depth > 1:
            _HELD[key] = (lock, depth - 1, since)
        else:
            del _HELD[key]
            lock.release()


def _remove_leftovers(parent: Path, name: str) -> None:
    """Remove a killed run's temporary ``name`` files, when this process holds ``parent``'s lock
    and they are older than it: without the lock, another run's staging folder may be one."""
    held = _HELD.get(parent.resolve())
    if held is None:
        return
    since = held[2]
    for leftover in parent.glob(f"{TEMP_PREFIX}{name}.*"):
        try:
            if leftover.lstat().st_mtime >= since:
                continue
        except FileNotFoundError:
            continue
        shutil.rmtree(leftover, ignore_errors=True) if leftover.is_dir() else leftover.unlink(missing_ok=True)


@contextlib.contextmanager
def staging_directory(target: Path) -> Iterator[Path]:
    """A fresh temporary folder beside ``target``; removed if the block fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target.parent, target.name)
    staging = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{target.name}.", dir=target.parent))
    os.chmod(staging, 0o777 & ~_umask())  # mkdtemp's 0700 would make the published dataset private
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def replace_directory(staging: Path, target: Path) -> None:
    """Put the complete folder ``staging`` in the place of ``target`` in one step."""
    if target.exists() and _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the old dataset
        return
    if target.exists():
        old = target.with_name(f"{TEMP_PREFIX}{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.rename(target, old)
        os.rename(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, target)


def _inode(path: Path) -> int | None:
    try:
        return path.lstat().st_ino
    except FileNotFoundError:
        return None


def _roll_forward(out_dir: Path, swaps: Sequence[dict[str, object]]) -> int:
    """Make the swaps of a journal that are not made yet; how many were left to make.

    A staged folder is known by its inode, recorded in the journal: a swap is made when the target
    is that folder (the staging name then holds the old folder, or what is left of it, removed
    here), and still to make when the staging name is. Names alone could not tell: after an
    exchange the staging name exists too, holding the old folder.
    """
    left = 0
    for swap in swaps:
        staging, target = out_dir / str(swap["staging"]), out_dir / str(swap["target"])
        if _inode(target) == swap["inode"]:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        elif _inode(staging) == swap["inode"]:
            replace_directory(staging, target)
            left += 1
    return left


def swap_directories(out_dir: Path, swaps: Sequence[tuple[Path, Path]]) -> None:
    """Put each complete staged folder in the place of its target, all folders of ``out_dir``, as
    one change: a kill part way leaves the journal, and the next run holding ``out_dir``'s lock
    completes the swaps (:func:`output_lock`). Takes ``out_dir``'s lock (reentrant).
    """
    for staging, target in swaps:
        if staging.parent != out_dir or target.parent != out_dir:
            raise ValueError(f"{staging} → {target}: only folders of {out_dir} are swapped together")
    entries: list[dict[str, object]] = [
        {"staging": staging.name, "target": target.name, "inode": staging.lstat().st_ino} for staging, target in swaps
    ]
    journal = out_dir / JOURNAL_FILE
    with output_lock(out_dir):
        atomic_write_bytes(journal, (json.dumps({"swaps": entries}, ensure_ascii=False, indent=2) + "\n").encode())
        _roll_forward(out_dir, entries)
        journal.unlink()


def _recover(out_dir: Path) -> None:
    """Complete the swaps a killed run's journal lists (see :func:`swap_directories`), then say so."""
    journal = out_dir / JOURNAL_FILE
    try:
        data = json.loads(journal.read_bytes())
    except FileNotFoundError:
        return
    except (OSError, ValueError) as error:
        swaps = None
        reason = f"unreadable ({' '.join(str(error).split())})"
    else:
        swaps = data.get("swaps") if isinstance(data, dict) else None
        reason = "not a list of swaps"
    if not isinstance(swaps, list) or not all(
        isinstance(s, dict) and {"staging", "target", "inode"} <= s.keys() for s in swaps
    ):
        # Written atomically by swap_directories, so never half written: something else made it.
        # Nothing is guessed: the folders may be mid-change, a person has to look.
        raise ExtractorError(
            f"{journal}: the journal of an interrupted run is {reason}; nothing written "
            f"(check the folders of {out_dir}, then remove it)"
        )
    left = _roll_forward(out_dir, swaps)
    journal.unlink()
    # Why a warning: a reader of out/ saw an interrupted state until now; the log says it ended.
    _log.warning("%s: completed an interrupted run's swaps (%d of %d folders put in place)", out_dir, left, len(swaps))
