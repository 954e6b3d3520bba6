"""The stored snapshot that ``--offline`` reads: the project's copy of an article revision."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import RecordingError
from .export import slugify
from .extract import make_source
from .models import Source

__all__ = ["FIXTURES", "load_snapshot"]

#: The repository's fixtures folder (the snapshot ships with a clone, not with a wheel).
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def load_snapshot(title: str, directory: Path = FIXTURES / "seed") -> tuple[str, Source]:
    """The stored wikitext of ``title`` and its source metadata."""
    text_path = directory / f"{slugify(title)}.wikitext"
    meta_path = directory / "source.json"
    try:
        text = text_path.read_text(encoding="utf-8")
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise RecordingError(f"no stored snapshot of {title!r}", path=str(error.filename)) from None
    except (OSError, ValueError) as error:
        raise RecordingError(f"unreadable snapshot: {error}", path=str(meta_path)) from None
    source = make_source(
        meta["title"],
        obtained=meta.get("obtained", "reconstruction"),
        page_id=meta.get("page_id"),
        revision_id=meta.get("revision_id"),
        revision_timestamp=meta.get("revision_timestamp"),
        licence=meta.get("licence"),
        note=meta.get("note"),
    )
    return text, source
