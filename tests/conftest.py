"""Shared test fixtures: paths to ../shared, the stored snapshot, and the CI rule.

Tests that read ``../shared`` use the ``shared_dir`` fixture: on a user's clone without it they
skip with a reason; under ``CI=true`` they fail instead, so CI can never go green by skipping.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "fixtures"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(path: Path, what: str) -> Path:
    """Return ``path``; skip the test (fail under CI) when it is missing."""
    if path.exists():
        return path
    message = f"{what} not found at {path} (../shared is only present beside a project checkout)"
    if IN_CI:
        pytest.fail(f"{message}; CI=true requires it", pytrace=False)
    pytest.skip(message)


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


GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites golden files from the current output (review the diff!)."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="regenerate tests/golden/ from the current output instead of comparing",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """Compare bytes with ``tests/golden/<name>``, or rewrite it under ``--update-golden``."""
    update = bool(request.config.getoption("--update-golden"))

    def check(name: str, data: bytes) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        if not path.exists():
            pytest.fail(f"no golden file {path}; run pytest --update-golden and review it", pytrace=False)
        expected = path.read_bytes()
        if data != expected:
            pytest.fail(f"{name} differs from its golden file; if the change is right, run "
                        f"pytest --update-golden and review `git diff tests/golden`", pytrace=False)

    return check


@pytest.fixture(scope="session")
def mediawiki(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A real MediaWiki on 127.0.0.1 for the whole session (tests/mediawiki/server.py), templates loaded.

    Installed with apt when missing. Where it cannot be installed the tests skip with the reason;
    under ``CI=true`` they fail instead. A wiki that is installed but will not start always fails.
    """
    try:
        from tests.mediawiki import server as mw
    except ImportError:  # tests/ itself on sys.path (pytest's default rootdir-relative import)
        from mediawiki import server as mw  # type: ignore[no-redef]

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
