"""``history``: fetch an article's revisions, extract each, and write ``DIR/<slug>/history/``.

What is written, in one atomic swap of ``DIR/<slug>/`` (the previous folder stays whole if the run
fails or is killed):

- the latest revision's dataset, as ``python -m extractor`` writes it;
- ``history/revisions.csv``, ``history/changes.csv``, ``history/claims.csv``
  (:mod:`extractor.history.log`);
- ``history/data/<fingerprint>.json.gz``: the dataset of the first revision having each distinct
  data, so that ``diff --history`` can compare any two revisions and a resumed run can compare
  with the last one;
- ``history/state.json``: the claims (established dates and events) after each distinct data,
  which a revert brings back.

A rerun on the same ``DIR`` asks only for the revisions after the last one written (``rvcontinue``
built from that revision's timestamp and id, see :func:`~extractor.fetch.history.after_revision`):
k new revisions cost ⌈k/50⌉ requests, and nothing new costs one. The last revision's data, which
the first new one is compared with, is read back from ``history/data/``, never fetched again.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from extractor.atomic import (
    DEFAULT_LOCK_TIMEOUT,
    atomic_write_bytes,
    output_lock,
    replace_directory,
    staging_directory,
)
from extractor.errors import DatasetError, InputError
from extractor.export.dataset import SCHEMA_FILE, csv_bytes, dataset_files, schema_json, slugify
from extractor.fetch.client import Fetcher
from extractor.fetch.history import HistoryRevision, after_revision, fetch_history
from extractor.history.incremental import IncrementalExtractor
from extractor.history.log import CHANGE_COLUMNS, CLAIM_COLUMNS, REVISION_COLUMNS, Claim, HistoryLog
from extractor.models import Article

__all__ = ["HISTORY_FOLDER", "HistoryResult", "history_article", "parse_bound", "run_history"]

HISTORY_FOLDER = "history"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$")


@dataclass(frozen=True)
class HistoryResult:
    """What a run did: where, how many revisions were new, and the extraction cache's use."""

    folder: Path
    new_revisions: int
    total_revisions: int
    reused: int
    extracted: int


def parse_bound(text: str, setting: str) -> dict[str, Any]:
    """``--since``/``--until``: a revision id or an ISO date (``2024-05-01``, ``2024-05-01T12:00:00Z``)."""
    if text.isascii() and text.isdigit():
        return {"id": int(text)}
    if _DATE.match(text):
        return {"timestamp": text if "T" in text else f"{text}T00:00:00Z"}
    raise InputError(f"{text!r} is neither a revision id nor a date (YYYY-MM-DD)", setting=setting)


def _read_csv(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except (OSError, csv.Error, UnicodeDecodeError) as error:
        raise DatasetError(f"cannot read the stored history ({error})", path=str(path)) from None


def _data_name(fingerprint: str) -> str:
    return f"{fingerprint}.json.gz"


def _article_bytes(article: Article) -> bytes:
    # mtime=0: the same dataset gives the same bytes, run after run.
    return gzip.compress(article.model_dump_json(indent=2).encode("utf-8"), mtime=0)


def _load_article(path: Path) -> Article:
    try:
        return Article.model_validate_json(gzip.decompress(path.read_bytes()))
    except Exception as error:  # a damaged file: one line naming it, not a traceback
        raise DatasetError(f"cannot read the stored dataset ({type(error).__name__})", path=str(path)) from None


def history_article(history_dir: Path, revision_id: int) -> Article:
    """The dataset of ``revision_id`` from a stored history folder (``DIR/<slug>/history``)."""
    rows = _read_csv(history_dir / "revisions.csv")
    row = next((r for r in rows if r["revision_id"] == str(revision_id)), None)
    if row is None:
        raise DatasetError(f"revision {revision_id} is not in the history", path=str(history_dir))
    if not row.get("data_fingerprint"):
        why = row.get("diagnostic") or "no data"
        raise DatasetError(f"revision {revision_id} has no data ({why})", path=str(history_dir))
    article = _load_article(history_dir / "data" / _data_name(row["data_fingerprint"]))
    return article.model_copy(
        update={
            "source": article.source.model_copy(
                update={
                    "revision_id": revision_id,
                    "permalink": None,
                    "revision_timestamp": row["timestamp"] or None,
                    "sha1": row["sha1"] or None,
                }
            )
        }
    )


def _stored_log(history_dir: Path) -> HistoryLog | None:
    if not (history_dir / "revisions.csv").exists():
        return None
    revisions = _read_csv(history_dir / "revisions.csv")
    changes = _read_csv(history_dir / "changes.csv")
    try:
        state = json.loads((history_dir / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DatasetError(f"cannot read the stored history state ({error})", path=str(history_dir)) from None
    claims_by_data = {
        fingerprint: {key: Claim.from_json(claim) for key, claim in claims.items()}
        for fingerprint, claims in state.get("claims_by_data", {}).items()
    }
    last = next((r for r in reversed(revisions) if r.get("data_fingerprint")), None)
    article = _load_article(history_dir / "data" / _data_name(last["data_fingerprint"])) if last else None
    return HistoryLog.resume(revisions, changes, claims_by_data, article)


def _state_json(log: HistoryLog) -> bytes:
    state = {
        "claims_by_data": {
            fingerprint: {key: asdict(claim) for key, claim in sorted(claims.items())}
            for fingerprint, claims in sorted(log.claims_by_data.items())
        }
    }
    return (json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _extract(
    extractor: IncrementalExtractor, fetcher: Fetcher, revision: HistoryRevision
) -> tuple[Article | None, str | None]:
    if revision.content is None:
        return None, "text hidden (revision-deleted)" if revision.text_hidden else "no content in the answer"
    source = fetcher.source_of(
        revision.title,
        page_id=revision.page_id,
        revision_id=revision.revision_id,
        timestamp=revision.timestamp,
        sha1=revision.sha1,
    )
    try:
        return extractor.extract(revision.content, source), None
    except Exception as error:  # the parser promises not to raise; a bug must not stop the history
        return None, f"content could not be parsed: {type(error).__name__}: {error}"


def run_history(
    fetcher: Fetcher,
    title: str,
    out_dir: Path,
    *,
    since: dict[str, Any] | None = None,
    until: dict[str, Any] | None = None,
    extractor: IncrementalExtractor | None = None,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> HistoryResult:
    """Fetch ``title``'s revisions (oldest first, newer than those already in ``out_dir``), log and write them.

    ``out_dir``'s lock is held from reading the stored history to the swap, as every run writing
    there holds it: a second run waits (up to ``lock_timeout`` seconds) rather than resume from a
    history the first is about to replace.
    """
    with output_lock(out_dir, lock_timeout):
        return _run_history(fetcher, title, out_dir, since, until, extractor or IncrementalExtractor())


def _run_history(
    fetcher: Fetcher,
    title: str,
    out_dir: Path,
    since: dict[str, Any] | None,
    until: dict[str, Any] | None,
    extractor: IncrementalExtractor,
) -> HistoryResult:
    target = out_dir / slugify(title)
    history_dir = target / HISTORY_FOLDER
    log = _stored_log(history_dir) or HistoryLog()
    bounds: dict[str, Any] = {}
    if log.revisions:
        bounds["after"] = _after_last(log, history_dir)
    elif since is not None:
        bounds["start_id" if "id" in since else "start"] = since.get("id", since.get("timestamp"))
    if until is not None:
        bounds["end_id" if "id" in until else "end"] = until.get("id", until.get("timestamp"))
    new_data: dict[str, bytes] = {}
    new = 0
    written = {int(row["revision_id"]) for row in log.revisions}
    for revision in fetch_history(fetcher, title, **bounds):
        if revision.revision_id in written:
            continue  # never logged twice, whatever the API answers
        written.add(revision.revision_id)
        article, diagnostic = _extract(extractor, fetcher, revision)
        log.add(revision, article, diagnostic)
        new += 1
        fingerprint = log.revisions[-1].get("data_fingerprint")
        if article is not None and fingerprint and not (history_dir / "data" / _data_name(fingerprint)).exists():
            new_data.setdefault(_data_name(fingerprint), _article_bytes(article))
    result = HistoryResult(target, new, len(log.revisions), extractor.hits, extractor.misses)
    if new == 0 and history_dir.exists():
        return result  # nothing new: leave every file as it is
    _write(log, target, history_dir, new_data)
    atomic_write_bytes(out_dir / SCHEMA_FILE, schema_json())
    return result


def _after_last(log: HistoryLog, history_dir: Path) -> tuple[int, str]:
    """The last revision written (id and timestamp): a resumed run asks for what came after it."""
    row = log.revisions[-1]
    revision_id, timestamp = int(row["revision_id"]), str(row.get("timestamp") or "")
    try:
        after_revision(revision_id, timestamp)
    except InputError:
        raise DatasetError(
            f"revision {revision_id} has no valid timestamp ({timestamp!r}); cannot resume after it",
            path=str(history_dir / "revisions.csv"),
        ) from None
    return revision_id, timestamp


def _write(log: HistoryLog, target: Path, history_dir: Path, new_data: dict[str, bytes]) -> None:
    with staging_directory(target) as staging:
        if log.last_article is not None:
            for name, data in dataset_files(log.last_article).items():
                (staging / name).write_bytes(data)
        history = staging / HISTORY_FOLDER
        (history / "data").mkdir(parents=True)
        if (history_dir / "data").is_dir():
            for old in sorted((history_dir / "data").iterdir()):
                os.link(old, history / "data" / old.name)  # data files are only ever added, never edited
        for name, data in new_data.items():
            (history / "data" / name).write_bytes(data)
        (history / "revisions.csv").write_bytes(csv_bytes(REVISION_COLUMNS, log.revisions))
        (history / "changes.csv").write_bytes(csv_bytes(CHANGE_COLUMNS, log.changes))
        (history / "claims.csv").write_bytes(csv_bytes(CLAIM_COLUMNS, log.claim_rows()))
        (history / "state.json").write_bytes(_state_json(log))
        replace_directory(staging, target)
