"""Pausing Python's cyclic garbage collector around work that allocates much and frees nothing.

Parsing and merging an article allocate hundreds of thousands of small objects that all live
until the dataset is returned: the collector would scan them (and everything a long run holds,
such as ``history``'s cache of datasets) over and over to free nothing, a third of the time.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block; resume it after, if it was running before."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
