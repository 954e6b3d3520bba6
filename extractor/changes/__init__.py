"""Changes: what differs between two datasets, and whether a tracked article changed."""

from __future__ import annotations

__all__: list[str] = []
