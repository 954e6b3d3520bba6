"""Export: an :class:`~extractor.models.Article` → files under ``out/`` (one article, or the family)."""

from __future__ import annotations

from extractor.export.dataset import dataset_files, slugify, write_dataset

__all__ = ["dataset_files", "slugify", "write_dataset"]
