"""A :class:`~extractor.changes.results.DatasetDiff` in words: plain text for a terminal, Markdown for GitHub.

The comparison (:mod:`extractor.changes.diff`) decides *what* changed and words each field
change once (``FieldChange.summary``, which is part of the JSON too); this module only arranges
those words: the headline with its counts, one section per kind of change, and the two
renderings. It depends on the diff's values (:mod:`extractor.changes.results`), never the other
way round, so that the comparison can be used without any of its presentation.
"""

from __future__ import annotations

from collections.abc import Sequence

from extractor.changes.results import CitationChange, DatasetDiff, RelationChange
from extractor.changes.wording import reference_label
from extractor.models import Relation

__all__ = [
    "citation_line",
    "headline",
    "markdown_escape",
    "relation_change_lines",
    "relation_line",
    "sections",
    "summary_markdown",
    "summary_text",
]

#: A change shared by at least this many relations is reported once, naming them all.
_GROUP_AT = 4
#: Markdown folds a section longer than this into ``<details>``, so the step summary stays short.
_FOLD_AT = 20
_TABLE_WORDS = {"list": "list", "bilateral-table": "bilateral table", "former-table": "former-relations table"}


def headline(diff: DatasetDiff) -> str:
    """One line: the article, the revisions compared, and the counts of what changed."""
    revisions = f"revision {_revision(diff.old_revision)} → {_revision(diff.new_revision)}"
    renamed = f" (was {diff.old_title!r})" if diff.old_title != diff.title else ""
    if not diff.changed:
        return f"{diff.title}{renamed}: {revisions}: no data changes"
    counts = [
        _count("relation", "added", len(diff.relations_added)),
        _count("relation", "removed", len(diff.relations_removed)),
        _count("relation", "changed", len(diff.relations_changed)),
        _count("reference", "added", len(diff.references_added)),
        _count("reference", "removed", len(diff.references_removed)),
        _count("reference", "changed", len(diff.references_changed)),
        _count("citation", "added", len(diff.citations_added)),
        _count("citation", "removed", len(diff.citations_removed)),
        _count("mission", "added", len(diff.missions_added)),
        _count("mission", "removed", len(diff.missions_removed)),
    ]
    return f"{diff.title}{renamed}: {revisions}: " + ", ".join(c for c in counts if c)


def sections(diff: DatasetDiff) -> list[tuple[str, list[str]]]:
    """The summary as (heading with its count, lines) pairs, empty sections left out."""
    changed_references = [
        f"{c.label}: " + "; ".join(field.summary for field in c.changes) for c in diff.references_changed
    ]
    parts: list[tuple[str, int, list[str]]] = [
        ("Relations added", len(diff.relations_added), [relation_line(r) for r in diff.relations_added]),
        ("Relations removed", len(diff.relations_removed), [relation_line(r) for r in diff.relations_removed]),
        ("Relations changed", len(diff.relations_changed), relation_change_lines(diff.relations_changed)),
        ("References added", len(diff.references_added), [reference_label(r) for r in diff.references_added]),
        (
            "References removed",
            len(diff.references_removed),
            [reference_label(r) for r in diff.references_removed],
        ),
        ("References changed", len(diff.references_changed), changed_references),
        ("Citations added", len(diff.citations_added), [citation_line(c) for c in diff.citations_added]),
        ("Citations removed", len(diff.citations_removed), [citation_line(c) for c in diff.citations_removed]),
        ("Missions added", len(diff.missions_added), [f"{m} added" for m in diff.missions_added]),
        ("Missions removed", len(diff.missions_removed), [f"{m} removed" for m in diff.missions_removed]),
    ]
    return [(f"{heading} ({count})", lines) for heading, count, lines in parts if count]


def summary_text(diff: DatasetDiff, headline_text: str | None = None) -> str:
    """The summary as plain text: the headline (or ``headline_text``), then one indented line per change."""
    lines = [headline_text or headline(diff)]
    for heading, items in sections(diff):
        lines.append(f"{heading}:")
        lines += [f"  {item}" for item in items]
    return "\n".join(lines) + "\n"


def summary_markdown(diff: DatasetDiff, headline_text: str | None = None) -> str:
    """The summary as GitHub-flavoured Markdown (long lists folded in ``<details>``)."""
    lines = [f"### {markdown_escape(headline_text or headline(diff))}", ""]
    for heading, items in sections(diff):
        bullets = [f"- {markdown_escape(item)}" for item in items]
        if len(items) > _FOLD_AT:
            lines += ["<details>", f"<summary>{heading}</summary>", "", *bullets, "", "</details>"]
        else:
            lines += [f"**{heading}**", "", *bullets]
        lines.append("")
    return "\n".join(lines)


def markdown_escape(text: str) -> str:
    """Escape what Markdown or HTML would otherwise interpret in free text from the article."""
    for char in "\\`*_[]<>|#":
        text = text.replace(char, f"\\{char}")
    return text


# ---------------------------------------------------------------------------- lines


def relation_line(relation: Relation) -> str:
    """A relation added or removed: its partner, and when relations began if the article says."""
    established = relation.established or relation.established_raw
    return f"{relation.country}" + (f" (established {established})" if established else "")


def citation_line(change: CitationChange) -> str:
    """A citation added or removed: the partner, the reference, and the cell and table it is in."""
    table = _TABLE_WORDS.get(change.table, change.table)
    return f"{change.country}: {change.reference} ({change.cell}, {table})"


def relation_change_lines(changes: Sequence[RelationChange]) -> list[str]:
    """One line per field change; a change many partners share is one line naming them all."""
    by_summary: dict[str, list[str]] = {}
    for change in changes:
        for field in change.changes:
            by_summary.setdefault(field.summary, []).append(change.country)
    lines: list[str] = []
    grouped: set[str] = set()
    for summary, countries in by_summary.items():
        if len(countries) >= _GROUP_AT:
            grouped.add(summary)
            lines.append(f"{summary}: {', '.join(countries)} ({len(countries)} relations)")
    for change in changes:
        lines += [f"{change.country}: {field.summary}" for field in change.changes if field.summary not in grouped]
    return lines


def _revision(revision: int | None) -> str:
    return str(revision) if revision is not None else "unknown"


def _count(noun: str, verb: str, n: int) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''} {verb}" if n else ""
