"""Changes: what differs between two datasets, and whether a tracked article changed.

::

    diff.py       the comparison of two datasets (diff_articles): its rules, pairing, assembly
    keys.py       the identities of a partner and a reference, and the pairing of references
    fields.py     which fields of one relation or reference differ, each worded once
    multisets.py  citations and missions, counted by key on each side and subtracted
    results.py    what a comparison returns: DatasetDiff and its pydantic parts
    stored.py     reading a stored dataset back (load_dataset)
    wording.py    the words for one changed value, shared by the comparison and the report
    report.py     a DatasetDiff as text or Markdown: headline, sections, summaries
    check.py      has the article changed since the stored dataset? (check_article, apply_check)
    family.py     many tracked articles at once, 50 titles per request (check_titles, apply_family)

The command line over them is :mod:`extractor.cli.check` and :mod:`extractor.cli.diff`.
"""

from __future__ import annotations

__all__: list[str] = []
