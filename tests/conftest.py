"""Shared test fixtures: ../shared and the CI rule, the corpus parsed once, golden files, the CLI.

Tests that read ``../shared`` use the ``shared_dir`` fixture (directly or through ``corpus_dir``,
``seed_dir``, ``current_kyrgyzstan_text``, ``corpus`` …): on a user's clone without it they skip
with a reason; under ``CI=true`` they fail instead, so CI can never go green by skipping. Such
tests get the ``shared`` marker automatically, and a test that reads ``../shared`` without it
fails (an audit hook watches what each unmarked test opens).
"""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Generator, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.support import (
    GOLDEN,
    IN_CI,
    ROOT,
    SHARED,
    SHARED_READS,
    CliResult,
    CorpusArticle,
    golden_differences,
    require,
)

if TYPE_CHECKING:  # the library is imported by the fixtures that use it, so that one module
    # broken does not stop the collection of every test
    from extractor.batch import BatchReport
    from tests.mediawiki.server import MediaWikiServer


# ---------------------------------------------------------------------------- ../shared
@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only ../shared folder."""
    return require(SHARED, "../shared")


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    """../shared/corpus: real wikitext of 100 'Foreign relations of X' articles."""
    return require(shared_dir / "corpus", "../shared/corpus")


@pytest.fixture(scope="session")
def current_kyrgyzstan_text(corpus_dir: Path) -> str:
    """The current (2025) wikitext of 'Foreign relations of Kyrgyzstan'."""
    return (corpus_dir / "Foreign_relations_of_Kyrgyzstan.wikitext").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_dir(shared_dir: Path) -> Path:
    """../shared/seed: the renderings the stored snapshot was reconstructed from."""
    return require(shared_dir / "seed", "../shared/seed")


def pytest_itemcollected(item: pytest.Item) -> None:
    """Mark every test that uses ``shared_dir`` (fixturenames is the whole closure) as ``shared``.

    Done as each test is collected, so that ``-m shared`` and ``-m "not shared"`` select by it.
    """
    if "shared_dir" in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.shared)


# Installed here, where pytest imports it once per session; an audit hook cannot be removed.
sys.addaudithook(SHARED_READS.hook)


def _guard_shared(item: pytest.Item) -> Generator[None, object, object]:
    SHARED_READS.watch(item)
    try:
        result = yield
    finally:
        reads = SHARED_READS.stop()
    if reads:
        pytest.fail(
            f"reads ../shared without the 'shared' marker ({reads[0]}): use the shared_dir, corpus_dir, "
            "seed_dir or current_kyrgyzstan_text fixture instead of a path",
            pytrace=False,
        )
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Generator[None, object, object]:
    """Fixtures set up for an unmarked test must not read ../shared either."""
    return (yield from _guard_shared(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, object, object]:
    """An unmarked test must not read ../shared."""
    return (yield from _guard_shared(item))


# ---------------------------------------------------------------------------- the corpus, once
# Parsing the 100 corpus articles and running them as a batch are the two costliest things the
# tests do (CPU-bound, seconds each). Both happen once per session, in one background process
# started as soon as the tests are collected, while the tests that need neither run; the tests
# that need them are moved to the end of the run.
CORPUS_FIXTURES = ("corpus", "corpus_batch")

BACKGROUND = r"""
import pickle, sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from extractor.batch import extract_folder
from extractor.parse.wikitext import parse_wikitext

corpus, results, jobs = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3].split(",")
if "corpus" in jobs:
    texts = [path.read_text(encoding="utf-8") for path in sorted(corpus.glob("*.wikitext"))]
    with ProcessPoolExecutor() as pool:  # every core, as the batch does
        (results / "corpus.pickle").write_bytes(pickle.dumps(list(pool.map(parse_wikitext, texts))))
    print("corpus", flush=True)
if "corpus_batch" in jobs:
    report = extract_folder(corpus, results / "batch")
    (results / "corpus_batch.pickle").write_bytes(pickle.dumps(report))
    print("corpus_batch", flush=True)
"""


class CorpusWork:
    """The background process parsing the corpus and running its batch; :meth:`result` waits for it."""

    def __init__(self, corpus: Path, jobs: list[str]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="frx-tests-corpus-"))
        self.log = self.folder / "background.log"
        self.done: set[str] = set()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-c", BACKGROUND, str(corpus), str(self.folder), ",".join(jobs)],
                cwd=ROOT,
                stdout=subprocess.PIPE,  # the name of each job as it is done
                stderr=log,
                text=True,
                start_new_session=True,  # its own process group: stopped whole, pool workers included
            )

    def result(self, job: str) -> Any:
        """What ``job`` (one of CORPUS_FIXTURES) computed, once it is done."""
        assert self.process.stdout is not None
        while job not in self.done and (line := self.process.stdout.readline()):
            self.done.add(line.strip())
        if job not in self.done:
            self.process.wait()
            pytest.fail(f"the corpus background process failed:\n{self.log.read_text(errors='replace')[-3000:]}")
        return pickle.loads((self.folder / f"{job}.pickle").read_bytes())

    def stop(self) -> None:
        if self.process.poll() is None:  # the session ended early (-x, Ctrl-C): do not wait for it
            os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)


_CORPUS_WORK = pytest.StashKey[dict[str, CorpusWork]]()  # by job


def _corpus_jobs(item: pytest.Item) -> list[str]:
    return [name for name in CORPUS_FIXTURES if name in getattr(item, "fixturenames", ())]


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Move the tests on the whole corpus to the end, and start its parsing and batch now."""
    late = [item for item in items if _corpus_jobs(item)]
    if not late:
        return
    ids = {id(item) for item in late}
    late.sort(key=lambda item: "corpus_batch" in _corpus_jobs(item))  # in the order they are done
    items[:] = [item for item in items if id(item) not in ids] + late
    corpus = SHARED / "corpus"
    if corpus.is_dir() and not config.option.collectonly:  # else the fixtures skip (or fail under CI)
        jobs = sorted({job for item in late for job in _corpus_jobs(item)})
        work = CorpusWork(corpus, jobs)
        config.stash[_CORPUS_WORK] = dict.fromkeys(jobs, work)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the corpus background process if the session did not need all it does."""
    for work in set(config.stash.get(_CORPUS_WORK, {}).values()):
        work.stop()


def _corpus_work(request: pytest.FixtureRequest, corpus_dir: Path, job: str) -> CorpusWork:
    works = request.config.stash.setdefault(_CORPUS_WORK, {})
    if job not in works:  # not started at collection (a test asked for it another way): start it now
        works[job] = CorpusWork(corpus_dir, [job])
    return works[job]


@pytest.fixture(scope="session")
def corpus(request: pytest.FixtureRequest, corpus_dir: Path) -> dict[str, CorpusArticle]:
    """Every corpus article parsed once for the whole session, by file stem (in file-name order)."""
    from extractor.extract import article_from_document
    from extractor.source import make_source

    documents = _corpus_work(request, corpus_dir, "corpus").result("corpus")
    paths = sorted(corpus_dir.glob("*.wikitext"))
    articles = {}
    for path, document in zip(paths, documents, strict=True):
        article = article_from_document(document, make_source(path.stem.replace("_", " "), obtained="file"))
        articles[path.stem] = CorpusArticle(path.stem, path.read_text(encoding="utf-8"), document, article)
    assert len(articles) == 100
    return articles


@pytest.fixture(scope="session")
def corpus_batch(request: pytest.FixtureRequest, corpus_dir: Path) -> tuple[BatchReport, Path]:
    """The whole corpus run once as one batch (``extract_folder``, both cores): its report and output folder."""
    work = _corpus_work(request, corpus_dir, "corpus_batch")
    report: BatchReport = work.result("corpus_batch")
    return report, work.folder / "batch"


# ---------------------------------------------------------------------------- golden files
def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites golden files from the current output (review the diff!)."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="regenerate tests/golden/ from the current output instead of comparing",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, Mapping[str, bytes]], None]:
    """Compare files with ``tests/golden/<folder>/``, all of them, or rewrite it under ``--update-golden``."""
    update = bool(request.config.getoption("--update-golden"))

    def check(folder_name: str, files: Mapping[str, bytes]) -> None:
        folder = GOLDEN / folder_name
        if update:
            folder.mkdir(parents=True, exist_ok=True)
            for stale in (p for p in folder.iterdir() if p.name not in files):
                stale.unlink()
            for name, data in files.items():
                (folder / name).write_bytes(data)
            return
        problems = golden_differences(folder, files)
        if problems:
            names = ", ".join(problem.split(":", 1)[0].split(" differs", 1)[0] for problem in problems)
            pytest.fail(
                f"{len(problems)} of tests/golden/{folder_name}/ differ ({names}); if the change is right, run "
                "pytest --update-golden and review `git diff tests/golden`\n\n" + "\n".join(problems),
                pytrace=False,
            )

    return check


# ---------------------------------------------------------------------------- the command line
@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run ``python -m extractor ARGS`` in-process (``extractor.cli.main``), in the project folder.

    An exception escaping ``main`` fails the test with its traceback, which is what a traceback on
    a real process's stderr would be. argparse's usage errors and ``--help`` exit through
    ``SystemExit``; its code is the exit code, as for the real process.
    """
    from extractor.cli import main

    monkeypatch.chdir(ROOT)  # where a user runs it, and where relative paths of the tests point

    def run(*args: str) -> CliResult:
        capsys.readouterr()  # only this run's output
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


# ---------------------------------------------------------------------------- MediaWiki
@pytest.fixture(scope="session")
def mediawiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MediaWikiServer]:
    """A real MediaWiki on 127.0.0.1 for the whole session (tests/mediawiki/server.py), templates loaded.

    Installed with apt when missing. Where it cannot be installed the tests skip with the reason;
    under ``CI=true`` they fail instead. A wiki that is installed but will not start always fails.
    """
    from tests.mediawiki import server as mw

    try:
        mw.ensure_installed()
    except (mw.MediaWikiError, OSError, subprocess.TimeoutExpired) as error:
        lines = str(error).strip().splitlines() or [type(error).__name__]
        reason = lines[0] if len(lines) == 1 else f"{lines[0]} ... {lines[-1]}"  # the script's last word
        message = f"MediaWiki is not installed and could not be installed: {reason}"
        if IN_CI:
            pytest.fail(f"{message}; CI=true requires it", pytrace=False)
        pytest.skip(message)
    try:
        server = mw.MediaWikiServer.start(tmp_path_factory.mktemp("mediawiki"))  # start loads the templates
    except (mw.MediaWikiError, OSError, subprocess.TimeoutExpired) as error:
        pytest.fail(f"the MediaWiki test server did not start: {error}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()
