"""Shared test fixtures: paths to ../shared, the stored snapshot, and the CI rule.

Tests that read ``../shared`` use the ``shared_dir`` fixture: on a user's clone without it they
skip with a reason; under ``CI=true`` they fail instead, so CI can never go green by skipping.
"""

from __future__ import annotations

import os
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
