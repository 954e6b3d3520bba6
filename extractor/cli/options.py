"""The stored snapshot that ``--offline`` replays: a recording of the seed revision.

The snapshot is a recording (:mod:`extractor.recording`) under ``fixtures/recordings/``, replayed
by the same :class:`~extractor.fetch.Fetcher` that fetches live. The seed's recording is built by
``scripts/make_seed_recording.py`` from the reviewed ``fixtures/seed/`` files.
"""

from __future__ import annotations

from pathlib import Path

from extractor.export.dataset import slugify
from extractor.fetch.client import Fetcher
from extractor.models import Source

__all__ = ["FIXTURES", "RECORDINGS", "SEED_RECORDING", "SEED_TITLE", "load_snapshot"]

#: The repository's fixtures folder (the snapshot ships with a clone, not with a wheel).
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
RECORDINGS = FIXTURES / "recordings"
SEED_TITLE = "Foreign relations of Kyrgyzstan"
#: What ``python -m extractor --offline`` replays when no ``--recording`` is given.
SEED_RECORDING = RECORDINGS / slugify(SEED_TITLE)


def load_snapshot(title: str = SEED_TITLE, directory: Path = SEED_RECORDING) -> tuple[str, Source]:
    """The recorded wikitext of ``title`` and its source; :class:`RecordingError` when not recorded."""
    with Fetcher(replay_dir=directory) as fetcher:
        page = fetcher.fetch_wikitext(title)
    return page.content, page.source
