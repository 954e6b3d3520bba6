"""Footnotes and references of rendered HTML: each inline citation resolved to its reference.

The walk (:mod:`extractor.parse.html.walk`) records every inline citation (legacy
``sup.reference``, Parsoid ``mw:Extension/ref``) and every reference list it meets; the lists
come after the tables, so a row's citations wait as :class:`Pending` until the document is read.
Then :class:`Resolver` tells which list is the main group's (a list's declared group, else the
groups its citations declare in Parsoid's ``data-mw`` or show in their labels: ``[1]`` is the
main group's, ``[a]`` a footnote group's) and the reference number of each note id;
:func:`resolve_citations` links each row to the references it cites (what it cannot is an
``unresolved-citation`` diagnostic), and :func:`main_references` gives the main group's
references with their names and use counts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Protocol

from bs4 import Tag

from extractor.models import CellKind, Diagnostic, Reference
from extractor.parse.document import CitationUse, RowRecord
from extractor.parse.html.references import NoteList, reference_from_item, reference_name
from extractor.text import clean_spaces

__all__ = ["CitedWalk", "Pending", "Resolver", "main_references", "resolve_citations"]

_LABEL_NUMBER = re.compile(r"^\[(\d+)\]$")


@dataclass
class Pending:
    """An inline citation met in a row, resolved to a reference number once the lists are read."""

    row: RowRecord
    cell: CellKind
    sup: Tag


class CitedWalk(Protocol):
    """What the resolution reads of a walk over the document (and the diagnostics it adds to)."""

    @property
    def flavour(self) -> str:
        """``html`` or ``parsoid``: only Parsoid's citations carry their reference's name (``data-mw``)."""

    @property
    def diagnostics(self) -> list[Diagnostic]:
        """The document's diagnostics, which unresolved citations are added to."""

    @property
    def lists(self) -> list[NoteList]:
        """Every reference list of the document, in order."""

    @property
    def sups(self) -> list[Tag]:
        """Every inline citation of the document, in order."""

    @property
    def pending(self) -> list[Pending]:
        """The relation rows' citations, waiting for their reference numbers."""

    @property
    def notes_sups(self) -> list[tuple[RowRecord, list[Tag]]]:
        """Each record's notes citations in order."""


def _note_fragment(sup: Tag) -> str | None:
    a = next((c for c in sup.contents if isinstance(c, Tag) and c.name == "a"), None)
    href = a.attrs.get("href") if a is not None else None
    if not isinstance(href, str) or "#" not in href:
        return None
    return href.rsplit("#", 1)[1]


def _label(sup: Tag) -> str:
    return clean_spaces(sup.get_text())


def _ref_attrs(sup: Tag) -> dict[str, object] | None:
    """The ``attrs`` of a Parsoid citation's ``data-mw`` (``{"name": …, "group": …}``), else ``None``."""
    raw = sup.attrs.get("data-mw")
    if not isinstance(raw, str):
        return None
    try:
        attrs = json.loads(raw).get("attrs", {})
    except (ValueError, AttributeError):
        return None
    return attrs if isinstance(attrs, dict) else {}


def _sup_group(sup: Tag) -> str | None:
    """The group a Parsoid citation declares in ``data-mw`` (``""`` = main), else ``None``."""
    attrs = _ref_attrs(sup)
    if attrs is None:
        return None
    group = attrs.get("group", "")
    return group if isinstance(group, str) else ""


def _sup_name(sup: Tag) -> str | None:
    attrs = _ref_attrs(sup)
    name = attrs.get("name") if attrs is not None else None
    return clean_spaces(name) or None if isinstance(name, str) else None


@dataclass
class Resolver:
    """Which list is the main group's, and the reference number of each note id."""

    walk: CitedWalk
    main: NoteList | None = None
    numbers: dict[str, int] = field(default_factory=dict)
    groups: dict[str, bool] = field(default_factory=dict)  # note id → in the main group

    def __post_init__(self) -> None:
        by_id: dict[str, NoteList] = {}
        for notes in self.walk.lists:
            for item in notes.items:
                by_id.setdefault(item.note_id, notes)
        evidence: dict[int, set[bool]] = {id(n): set() for n in self.walk.lists}
        for sup in self.walk.sups:
            fragment = _note_fragment(sup)
            target = by_id.get(fragment or "")
            if target is None:
                continue
            group = _sup_group(sup)
            is_main = group == "" if group is not None else bool(_LABEL_NUMBER.match(_label(sup)))
            evidence[id(target)].add(is_main)
        for notes in self.walk.lists:
            declared = notes.group
            if declared is not None:
                main = declared == ""
            elif evidence[id(notes)]:
                main = evidence[id(notes)] == {True}
            else:
                main = len(self.walk.lists) == 1
            if main and self.main is None:
                self.main = notes
        if self.main is not None:
            for item in self.main.items:
                self.numbers[item.note_id] = item.number
        for notes in self.walk.lists:
            for item in notes.items:
                self.groups.setdefault(item.note_id, notes is self.main)

    def number(self, sup: Tag) -> int | None:
        """The main-group reference number a citation points to; ``None`` for footnote groups."""
        fragment = _note_fragment(sup)
        if fragment in self.numbers:
            return self.numbers[fragment]
        if fragment in self.groups:  # in a footnote group's list
            return None
        group = _sup_group(sup)
        match = _LABEL_NUMBER.match(_label(sup))
        if match and group in (None, ""):
            return int(match.group(1))  # no list holds it (a truncated page): the reader's [n]
        return None


def main_references(walk: CitedWalk, resolver: Resolver) -> list[Reference]:
    if resolver.main is None:
        return []
    names: dict[str, str] = {}
    uses: dict[str, int] = {}
    for sup in walk.sups:
        fragment = _note_fragment(sup)
        if fragment is None:
            continue
        uses[fragment] = uses.get(fragment, 0) + 1
        name = _sup_name(sup)
        if name and fragment not in names:
            names[fragment] = name
    references = []
    for item in resolver.main.items:
        name = names.get(item.note_id) if walk.flavour == "parsoid" else None
        references.append(
            reference_from_item(item, name=name or reference_name(item.note_id), uses=uses.get(item.note_id, 0))
        )
    return references


def resolve_citations(walk: CitedWalk, resolver: Resolver) -> None:
    unresolved: set[str] = set()
    for pending in walk.pending:
        number = resolver.number(pending.sup)
        fragment = _note_fragment(pending.sup) or _label(pending.sup)
        if number is None:
            if fragment not in resolver.groups and _sup_group(pending.sup) in (None, ""):
                unresolved.add(fragment)
            continue
        if fragment not in resolver.numbers:
            unresolved.add(fragment)
        pending.row.citations.append(CitationUse(reference_number=number, cell=pending.cell))
    for record, sups in walk.notes_sups:
        record.notes_cites = [resolver.number(sup) for sup in sups]
    for fragment in sorted(unresolved):
        walk.diagnostics.append(
            Diagnostic(
                severity="warning",
                code="unresolved-citation",
                message=f"citation {fragment!r} points to no item of the reference list",
            )
        )
