"""The dataset through time: every revision of an article as a change log per relation.

:mod:`extractor.history.incremental` extracts a run of revisions without redoing what an earlier
revision already gave; :mod:`extractor.history.log` turns the datasets into ``revisions.csv``,
``changes.csv`` and ``claims.csv``; :mod:`extractor.history.run` fetches, resumes and writes.
"""

__all__: list[str] = []
