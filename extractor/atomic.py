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
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import filelock

from extractor.errors import ExtractorError

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "TEMP_PREFIX",
    "atomic_write_bytes",
    "lock_path",
    "output_lock",
    "replace_directory",
    "staging_directory",
]

#: Seconds a run waits for another run writing the same output folder before it gives up.
DEFAULT_LOCK_TIMEOUT = 300.0
# The locks this process holds: output folder → (lock, depth, when it was taken). Reentrant, as
# one run takes the lock around each dataset it writes and around a whole batch; a forked batch
# worker inherits it (and the lock's open file, so it holds the lock with its parent).
_HELD: dict[Path, tuple[filelock.BaseFileLock, int, float]] = {}

#: Prefix of the temporary names; leftovers of a killed run carry it and are removed next time.
TEMP_PREFIX = ".tmp-"
_RENAME_EXCHANGE = 2
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
