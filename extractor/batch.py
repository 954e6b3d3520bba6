"""Many articles in one run: a folder of files, a list of titles, or the whole family.

Each article is extracted and written to its own ``out/<slug>/`` exactly as a single run writes
it; the articles are parsed in worker processes (one per CPU core) while the next titles are
fetched, one request at a time. One article failing does not stop the others: it becomes a line
of the summary, and the run's exit code says that something failed. At the end the combined
dataset is written to ``out/all/`` (see :mod:`extractor.export.combined`). Outcomes are sorted by
slug, so that the same inputs always give the same files and the same summary.

The library's batch takes plain arguments (a folder, or a fetcher and titles) and returns a
:class:`BatchReport`; the command line's batch modes (:mod:`extractor.cli.extract`) call it.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from extractor.atomic import atomic_write_bytes, replace_directory, staging_directory
from extractor.errors import ExtractorError, FetchError, InputError
from extractor.export.combined import ArticleSides, article_sides, write_combined
from extractor.export.dataset import SCHEMA_FILE, dataset_files, schema_json, slugify
from extractor.extract import INPUT_SUFFIXES, extract_content, extract_file
from extractor.fetch.batch import fetch_pages
from extractor.fetch.client import Fetcher
from extractor.models import Article, Obtained, Source

__all__ = ["BatchOutcome", "BatchReport", "extract_folder", "extract_titles"]


@dataclass(frozen=True)
class BatchOutcome:
    """What became of one article of the batch."""

    title: str
    slug: str
    folder: Path | None = None
    relations: int = 0
    references: int = 0
    no_relation_table: bool = False
    error: str | None = None
    sides: ArticleSides | None = None
    relations_csv: bytes = b""
    missions_csv: bytes = b""


@dataclass(frozen=True)
class BatchReport:
    """Every article's outcome (sorted by slug) and where the combined dataset went."""

    outcomes: list[BatchOutcome]
    combined: Path | None

    @property
    def failed(self) -> list[BatchOutcome]:
        """The articles that could not be extracted."""
        return [outcome for outcome in self.outcomes if outcome.error is not None]

    def summary(self) -> str:
        """One line: how many were written, failed, and had no relation table."""
        written = len(self.outcomes) - len(self.failed)
        empty = sum(outcome.no_relation_table for outcome in self.outcomes)
        parts = [f"{len(self.outcomes)} articles: {written} written", f"{len(self.failed)} failed"]
        if empty:
            parts.append(f"{empty} without a relation table")
        where = f" -> {self.combined}" if self.combined is not None else ""
        return ", ".join(parts) + where


class _Progress:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self.total = total
        self.done = 0
        self.stream = stream
        self._lock = threading.Lock()

    def advance(self, label: str) -> None:
        with self._lock:
            self.done += 1
            if self.stream is None:
                return
            width = shutil.get_terminal_size((80, 20)).columns
            filled = 20 * self.done // max(self.total, 1)
            line = f"{self.done}/{self.total} [{'#' * filled}{'-' * (20 - filled)}] {label}"
            self.stream.write("\r" + line[: width - 1].ljust(width - 1))
            self.stream.flush()

    def close(self) -> None:
        if self.stream is not None and self.done:
            self.stream.write("\n")
            self.stream.flush()


def _finish(article: Article, out_dir: Path) -> BatchOutcome:
    # export.write_dataset, less the schema file: the batch writes that once, not once per article.
    folder = out_dir / slugify(article.source.title)
    files = dataset_files(article)
    with staging_directory(folder) as staging:
        for name, data in files.items():
            (staging / name).write_bytes(data)
        replace_directory(staging, folder)
    return BatchOutcome(
        title=article.source.title,
        slug=folder.name,
        folder=folder,
        relations=len(article.relations),
        references=len(article.references),
        no_relation_table=any(d.code == "no-relation-table" for d in article.diagnostics),
        sides=article_sides(article),
        relations_csv=files["relations.csv"],
        missions_csv=files["missions.csv"],
    )


def _failure(title: str, error: BaseException) -> BatchOutcome:
    message = str(error) if isinstance(error, ExtractorError | OSError) else f"internal error: {error!r}"
    return BatchOutcome(title=title, slug=slugify(title), error=" ".join(message.split()))


def _extract_file(path: Path, out_dir: Path) -> BatchOutcome:
    """Worker: one file to one dataset folder; every failure is the outcome, never an exception."""
    title = path.stem.replace("_", " ")
    try:
        return _finish(extract_file(path, title), out_dir)
    except Exception as error:  # one article's failure, whatever it is, must not stop the batch
        return _failure(title, error)


def _extract_page(content: str, source: Source, out_dir: Path) -> BatchOutcome:
    """Worker: one fetched page to one dataset folder."""
    try:
        return _finish(extract_content(content, source), out_dir)
    except Exception as error:  # one article's failure, whatever it is, must not stop the batch
        return _failure(source.title, error)


def _executor(workers: int | None) -> Executor:
    # Parsing is CPU-bound Python: processes, not threads, to use every core.
    return ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1)


def _collect(futures: list[tuple[str, Future[BatchOutcome]]]) -> list[BatchOutcome]:
    outcomes = []
    for title, future in futures:
        try:
            outcomes.append(future.result())
        except Exception as error:  # a worker that died (BrokenProcessPool) fails its article
            outcomes.append(_failure(title, error))
    return outcomes


def _watch(future: Future[BatchOutcome], title: str, progress: _Progress) -> None:
    future.add_done_callback(lambda _: progress.advance(title))


def _report(outcomes: Iterable[BatchOutcome], out_dir: Path, titles: list[str] | None) -> BatchReport:
    ordered = sorted(outcomes, key=lambda o: (o.slug, o.title))
    atomic_write_bytes(out_dir / SCHEMA_FILE, schema_json())
    parts = [(o.sides, o.relations_csv) for o in ordered if o.error is None and o.sides is not None]
    missions = [o.missions_csv for o in ordered if o.error is None and o.sides is not None]
    combined = write_combined(out_dir, parts, titles=titles, missions=missions)
    return BatchReport(ordered, combined)


def extract_folder(
    folder: Path, out_dir: Path, *, workers: int | None = None, progress: TextIO | None = None
) -> BatchReport:
    """Extract every ``.wikitext``/``.html`` file of ``folder`` to ``out_dir/<slug>/``, then ``all/``."""
    if not folder.is_dir():
        raise InputError("not a folder", path=str(folder))
    # For one article given twice, the wikitext comes first and is the one extracted.
    files = sorted(
        (p for p in folder.iterdir() if p.suffix in INPUT_SUFFIXES and p.is_file()),
        key=lambda p: (p.stem, INPUT_SUFFIXES.index(p.suffix)),
    )
    if not files:
        raise InputError(f"no {' or '.join(INPUT_SUFFIXES)} files in the folder", path=str(folder))
    outcomes: list[BatchOutcome] = []
    by_slug: dict[str, Path] = {}
    todo = []
    for path in files:
        title = path.stem.replace("_", " ")
        first = by_slug.setdefault(slugify(title), path)
        if first is not path:  # X.wikitext and X.html would write the same folder
            outcomes.append(_failure(title, InputError(f"same article as {first.name}", path=str(path))))
        else:
            todo.append(path)
    bar = _Progress(len(todo), progress)
    with _executor(workers) as pool:
        futures = []
        for path in todo:
            future = pool.submit(_extract_file, path, out_dir)
            _watch(future, path.stem.replace("_", " "), bar)
            futures.append((path.stem.replace("_", " "), future))
        outcomes += _collect(futures)
    bar.close()
    return _report(outcomes, out_dir, None)


def extract_titles(
    fetcher: Fetcher,
    titles: list[str],
    out_dir: Path,
    *,
    workers: int | None = None,
    progress: TextIO | None = None,
    obtained: Obtained = "api",
    record_titles: bool = False,
) -> BatchReport:
    """Fetch ``titles`` (50 a request, serial) and extract each to ``out_dir/<slug>/``, then ``out_dir/all/``.

    With ``record_titles`` the titles are kept in ``out_dir/all/titles.txt`` (the list a discovery found).
    """
    bar = _Progress(len(titles), progress)
    outcomes: list[BatchOutcome] = []
    futures: list[tuple[str, Future[BatchOutcome]]] = []
    with _executor(workers) as pool:
        for batch in fetch_pages(fetcher, titles, obtained=obtained):
            for outcome in batch:
                if outcome.page is None:
                    outcomes.append(_failure(outcome.title, outcome.error or FetchError("not fetched")))
                    bar.advance(outcome.title)
                    continue
                future = pool.submit(_extract_page, outcome.page.content, outcome.page.source, out_dir)
                _watch(future, outcome.page.source.title, bar)
                futures.append((outcome.page.source.title, future))
        outcomes += _collect(futures)
    bar.close()
    return _report(outcomes, out_dir, titles if record_titles else None)
