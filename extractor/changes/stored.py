"""Reading a stored dataset back: the side of a comparison that was written earlier.

:func:`load_dataset` turns every way of failing (missing, unreadable, not JSON, a shape this
version cannot read) into one :class:`~extractor.errors.DatasetError` naming the file: a caller
(``diff``, ``check``) handles one error, and the user learns which file to fix.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from extractor.errors import DatasetError
from extractor.models import Article

__all__ = ["load_dataset"]


def load_dataset(path: Path) -> Article:
    """Read a stored dataset: an ``article.json`` file, or a dataset folder holding one.

    Raises :class:`~extractor.errors.DatasetError` when it is missing, not JSON, or not a
    dataset this version can read.
    """
    file = path / "article.json" if path.is_dir() or path.suffix != ".json" else path
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise DatasetError("no stored dataset: no such file", path=str(file)) from None
    except OSError as error:
        raise DatasetError(error.strerror or "cannot read", path=str(file)) from None
    try:
        return Article.model_validate_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        if first["type"] == "json_invalid":
            raise DatasetError(f"not valid JSON ({first['msg']})", path=str(file)) from None
        raise DatasetError(
            f"not a dataset this version can read ({where}: {first['msg']}; {error.error_count()} problem(s))",
            path=str(file),
        ) from None
