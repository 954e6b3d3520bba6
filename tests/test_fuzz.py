"""Fuzzing: mutated slices of real articles through both parsers and the export never raise.

A short, deadlined hypothesis run (well under 30 s); ``scripts/fuzz.py`` runs the same mutations
for as long as one likes.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import PIECES, mutate, run_html, run_wikitext, slice_of
from tests.support import ROOT

HTML = sorted((ROOT / "fixtures" / "html").glob("*.html"))
FUZZ = settings(
    max_examples=150,
    deadline=5000,  # milliseconds: no input may take over 5 s
    derandomize=True,  # the same inputs every run: a failure is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def corpus_texts(corpus_dir: Path) -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(corpus_dir.glob("*.wikitext"))]


@FUZZ
@given(seed=st.integers(0, 2**32), extra=st.lists(st.sampled_from(PIECES), max_size=5))
def test_mutated_corpus_wikitext_never_raises(corpus_texts: list[str], seed: int, extra: list[str]) -> None:
    """A corpus slice, mutated (cut, spans dropped or doubled, markup, NUL, surrogates, RTL marks), is read."""
    rng = random.Random(seed)
    text = mutate(slice_of(rng.choice(corpus_texts), rng), rng)
    run_wikitext(text + "".join(extra))


@FUZZ
@given(seed=st.integers(0, 2**32), extra=st.lists(st.sampled_from(PIECES), max_size=5))
def test_mutated_html_never_raises(seed: int, extra: list[str]) -> None:
    """A slice of the stored seed HTML, mutated the same way, parses and exports."""
    rng = random.Random(seed)
    text = mutate(slice_of(rng.choice(HTML).read_text(encoding="utf-8"), rng), rng)
    run_html(text + "".join(extra))


@FUZZ
@given(pieces=st.lists(st.sampled_from([*PIECES, "a", " ", "\n", "|", "!", "{", "}", "<", ">"]), max_size=120))
def test_markup_soup_never_raises(pieces: list[str]) -> None:
    """Any soup of the constructs the parsers read parses and exports, as wikitext and as HTML."""
    text = "".join(pieces)
    run_wikitext(text)
    run_html(text)
