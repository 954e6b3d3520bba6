"""Reviewed data tables read by :mod:`extractor.entities` (see README.md beside this file)."""

__all__: list[str] = []
