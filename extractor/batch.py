"""Many articles in one run: a folder of files, a list of titles, or the whole family.

Each article is extracted and written to its own ``out/<slug>/`` exactly as a single run writes
it; the articles are parsed in worker processes (one per CPU core) while the next titles are
fetched, one request at a time. One article failing does not stop the others: it becomes a line
of the summary, and the run's exit code says that something failed. At the end the combined
dataset is written to ``out/all/`` (see :mod:`extractor.export.combined`). Outcomes are sorted by
slug, so that the same inputs always give the same files and the same summary.

Nothing is put in place until every article is staged: each article's new folder is built beside
its old one, then the new ``all/`` from the staged folders and the untouched old ones, and only
then are they all swapped in, through an intent journal (:func:`~extractor.atomic.swap_directories`),
so that a batch killed at any moment leaves ``all/`` consistent with the article folders: the old
ones together, or (the journal left behind, completed by the next run) the new ones together.

The library's batch takes plain arguments (a folder, or a fetcher and titles) and returns a
:class:`BatchReport`; the command line's batch modes (:mod:`extractor.cli.extract`) call it.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

from extractor.atomic import DEFAULT_LOCK_TIMEOUT, atomic_write_bytes, output_lock, swap_directories
from extractor.entities import PageIdentity, titles_to_resolve, with_entities
from extractor.errors import ExtractorError, FetchError, InputError
from extractor.export.combined import (
    COMBINED_FOLDER,
    ArticleSides,
    article_sides,
    folder_missions,
    folder_parts,
    stage_combined,
)
from extractor.export.dataset import (
    SCHEMA_FILE,
    dataset_files,
    guard_folder,
    guard_shrink,
    schema_json,
    slugify,
    stage_dataset,
)
from extractor.extract import INPUT_SUFFIXES, MAX_INPUT_BYTES, extract_content, extract_file
from extractor.fetch.batch import fetch_pages
from extractor.fetch.client import Fetcher
from extractor.fetch.pageprops import resolve_titles
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
    #: The new folder staged beside ``folder``, until the batch swaps it in (then ``None``).
    staged: Path | None = None


@dataclass(frozen=True)
class BatchReport:
    """Every article's outcome (sorted by slug) and where the combined dataset went."""

    outcomes: list[BatchOutcome]
    combined: Path | None
    #: Why the partners' pages could not be resolved (the wiki stopped answering); their QIDs are then null.
    entities_error: str | None = None

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
        if self.entities_error is not None:
            parts.append(f"Wikidata items not resolved ({self.entities_error})")
        where = f" -> {self.combined}" if self.combined is not None else ""
        return ", ".join(parts) + where


class _Progress:
    """A progress bar (tqdm: count, rate, ETA) on ``stream`` when given — the CLI gives stderr only
    when it is a terminal — and nothing otherwise, so that logs never hold one."""

    def __init__(self, total: int, stream: TextIO | None) -> None:
        self._lock = threading.Lock()  # advanced from the pool's callback thread and the main one
        self._bar = None if stream is None else tqdm(total=total, file=stream, unit="article", dynamic_ncols=True)

    def advance(self, label: str) -> None:
        with self._lock:
            if self._bar is not None:
                self._bar.set_postfix_str(label, refresh=False)
                self._bar.update(1)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _finish(
    article: Article,
    out_dir: Path,
    allow_shrink: bool = False,
    resolved: Mapping[str, PageIdentity] | None = None,
) -> BatchOutcome:
    # export.write_dataset, less the schema file: the batch writes that once, not once per article.
    if resolved:
        article = with_entities(article, resolved)
    folder = out_dir / slugify(article.source.title)
    guard_folder(article, folder)  # another title with the same slug fails rather than overwrite it
    guard_shrink(article, folder, allow_shrink=allow_shrink)  # a shrunk article fails, keeping its folder
    files = dataset_files(article)
    staged = stage_dataset(files, folder)  # swapped in with all the others at the end (_report)
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
        staged=staged,
    )


def _failure(title: str, error: BaseException) -> BatchOutcome:
    message = str(error) if isinstance(error, ExtractorError | OSError) else f"internal error: {error!r}"
    return BatchOutcome(title=title, slug=slugify(title), error=" ".join(message.split()))


def _extract_file(
    path: Path, out_dir: Path, allow_shrink: bool = False, max_bytes: int = MAX_INPUT_BYTES
) -> BatchOutcome:
    """Worker: one file to one dataset folder; every failure is the outcome, never an exception."""
    title = path.stem.replace("_", " ")
    try:
        return _finish(extract_file(path, title, max_bytes=max_bytes), out_dir, allow_shrink)
    except Exception as error:  # one article's failure, whatever it is, must not stop the batch
        return _failure(title, error)


def _extract_page(content: str, source: Source) -> Article | BatchOutcome:
    """Worker: one fetched page to its dataset (written later, once the entities are resolved)."""
    try:
        return extract_content(content, source)
    except Exception as error:  # one article's failure, whatever it is, must not stop the batch
        return _failure(source.title, error)


def _ignore_interrupts() -> None:
    """Worker initializer: Ctrl-C is the main process's to handle (it stops the workers itself);
    a worker taking it would print a traceback and carry on with the next article."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _executor(workers: int | None) -> Iterator[Executor]:
    """A pool of worker processes that, on Ctrl-C or any error, stops at once instead of finishing its queue.

    Parsing is CPU-bound Python: processes, not threads, to use every core. Nothing of the batch
    is in place yet when the workers stop (the folders are swapped in together at the end); an
    article a worker was staging is left as a temporary folder, removed by the next run.
    """
    pool = ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, initializer=_ignore_interrupts)
    try:
        yield pool
    except BaseException:
        # The executor has no public way to stop a running task; its processes are the way. They
        # are taken first: shutdown() forgets them.
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        # Gone before the caller goes on (the command line then exits at once, see cli.run):
        # a worker still running would outlive the run.
        for process in processes:
            process.join(timeout=1.0)
            if process.is_alive():
                process.kill()
                process.join(timeout=1.0)
        raise
    pool.shutdown()


def _collect(futures: list[tuple[str, Future[BatchOutcome]]]) -> list[BatchOutcome]:
    outcomes = []
    for title, future in futures:
        try:
            outcomes.append(future.result())
        except Exception as error:  # a worker that died (BrokenProcessPool) fails its article
            outcomes.append(_failure(title, error))
    return outcomes


def _watch(future: Future[Any], title: str, progress: _Progress) -> None:
    future.add_done_callback(lambda _: progress.advance(title))


def _report(
    outcomes: Iterable[BatchOutcome],
    out_dir: Path,
    titles: list[str] | None,
    resolved: Mapping[str, PageIdentity] | None = None,
) -> BatchReport:
    ordered = sorted(outcomes, key=lambda o: (o.slug, o.title))
    staged: dict[str, Path] = {}
    try:
        for index, outcome in enumerate(ordered):
            if outcome.staged is None:
                continue
            if outcome.slug in staged:  # two new titles with one slug: the first keeps the folder
                shutil.rmtree(outcome.staged, ignore_errors=True)
                ordered[index] = _failure(outcome.title, InputError("same folder as another title", path=outcome.slug))
                continue
            staged[outcome.slug] = outcome.staged
        atomic_write_bytes(out_dir / SCHEMA_FILE, schema_json())  # the same bytes for every run of a version
        # From the folders as they will stand, not this run's outcomes: a failed article keeps its rows.
        combined = stage_combined(
            out_dir,
            folder_parts(out_dir, staged),
            titles=titles,
            resolved=resolved,
            missions=folder_missions(out_dir, staged),
        )
        staged[COMBINED_FOLDER] = combined
    except BaseException:
        for folder in staged.values():  # nothing was put in place: the old folders stay, together
            shutil.rmtree(folder, ignore_errors=True)
        raise
    swap_directories(out_dir, [(staged[name], out_dir / name) for name in sorted(staged)])
    done = [replace(o, staged=None) if o.staged is not None else o for o in ordered]
    return BatchReport(done, out_dir / COMBINED_FOLDER)


def extract_folder(
    folder: Path,
    out_dir: Path,
    *,
    workers: int | None = None,
    progress: TextIO | None = None,
    allow_shrink: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    max_bytes: int = MAX_INPUT_BYTES,
) -> BatchReport:
    """Extract every ``.wikitext``/``.html`` file of ``folder`` to ``out_dir/<slug>/``, then ``all/``.

    An article that shrank (:func:`~extractor.export.dataset.guard_shrink`) fails and keeps its
    folder, unless ``allow_shrink``.
    """
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
    with output_lock(out_dir, lock_timeout):  # from the first staging folder to all/
        bar = _Progress(len(todo), progress)
        futures: list[tuple[str, Future[BatchOutcome]]] = []
        try:
            with _executor(workers) as pool:
                for path in todo:
                    future = pool.submit(_extract_file, path, out_dir, allow_shrink, max_bytes)
                    _watch(future, path.stem.replace("_", " "), bar)
                    futures.append((path.stem.replace("_", " "), future))
                outcomes += _collect(futures)
        except KeyboardInterrupt:
            # Ctrl-C keeps every finished article: the ones already staged are swapped in, with an
            # all/ built from the folders as they then stand, as at the end of a whole run; the
            # others keep their old folders (and rows). Then the interrupt goes on to the caller.
            bar.close()
            _report(outcomes + _finished(futures), out_dir, None)
            raise
        bar.close()
        return _report(outcomes, out_dir, None)


def _finished(futures: list[tuple[str, Future[BatchOutcome]]]) -> list[BatchOutcome]:
    """The outcomes of the articles whose worker had finished (its staged folder complete)."""
    return [
        future.result()
        for _, future in futures
        if future.done() and not future.cancelled() and future.exception() is None
    ]


def extract_titles(
    fetcher: Fetcher,
    titles: list[str],
    out_dir: Path,
    *,
    workers: int | None = None,
    progress: TextIO | None = None,
    obtained: Obtained = "api",
    record_titles: bool = False,
    allow_shrink: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
) -> BatchReport:
    """Fetch ``titles`` (50 a request, serial) and extract each to ``out_dir/<slug>/``, then ``out_dir/all/``.

    With ``record_titles`` the titles are kept in ``out_dir/all/titles.txt`` (the list a discovery found).
    Once every article is parsed, the pages their subjects and partners name are resolved (redirects,
    Wikidata items) in ⌈N/50⌉ more requests for N distinct titles, before anything is written.
    """
    with output_lock(out_dir, lock_timeout):  # from the first staging folder to all/
        bar = _Progress(len(titles), progress)
        outcomes: list[BatchOutcome] = []
        futures: list[tuple[str, Future[Article | BatchOutcome]]] = []
        # A redirect and its target (or two spellings of one title) are one article: the page the
        # wiki answered with, its canonical title, is extracted once.
        seen: set[str] = set()
        with _executor(workers) as pool:
            for batch in fetch_pages(fetcher, titles, obtained=obtained):
                for outcome in batch:
                    if outcome.page is None:
                        outcomes.append(_failure(outcome.title, outcome.error or FetchError("not fetched")))
                        bar.advance(outcome.title)
                        continue
                    if outcome.page.source.title in seen:
                        bar.advance(outcome.title)
                        continue
                    seen.add(outcome.page.source.title)
                    future = pool.submit(_extract_page, outcome.page.content, outcome.page.source)
                    _watch(future, outcome.page.source.title, bar)
                    futures.append((outcome.page.source.title, future))
            articles: list[Article] = []
            for title, parsed in futures:
                try:
                    result = parsed.result()
                except Exception as error:  # a worker that died (BrokenProcessPool) fails its article
                    result = _failure(title, error)
                if isinstance(result, Article):
                    articles.append(result)
                else:
                    outcomes.append(result)
        bar.close()
        entities_error = None
        try:
            resolved = resolve_titles(fetcher, titles_to_resolve(articles))
        except ExtractorError as error:
            # The articles are fetched and parsed: write them, with their QIDs unknown, and say so,
            # rather than lose the whole run to the last requests.
            resolved, entities_error = {}, " ".join(str(error).split())
        for article in articles:
            try:
                outcomes.append(_finish(article, out_dir, allow_shrink, resolved))
            except (ExtractorError, OSError) as error:  # a shrunk article or a full disk fails alone
                outcomes.append(_failure(article.source.title, error))
        report = _report(outcomes, out_dir, titles if record_titles else None, resolved)
        return BatchReport(report.outcomes, report.combined, entities_error)
