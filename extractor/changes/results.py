"""What a comparison of two datasets returns: :class:`DatasetDiff` and the changes it lists.

Plain pydantic values, no logic beyond their own wording (``MissionChange.__str__``) and
``DatasetDiff.changed``: the JSON of ``diff --json`` is their dump. :mod:`extractor.changes.diff`
fills them in; :mod:`extractor.changes.report` puts them in words. Keeping them apart from the
comparison lets the report depend on the values without depending on how they are found.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, computed_field

from extractor.models import Reference, Relation

__all__ = [
    "CitationChange",
    "DatasetDiff",
    "FieldChange",
    "MissionChange",
    "ReferenceChange",
    "RelationChange",
]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class FieldChange(_Model):
    """One field of one relation or reference that differs."""

    field: str
    old: Any = None
    new: Any = None
    summary: str

    def __str__(self) -> str:
        return self.summary


class RelationChange(_Model):
    """A partner present in both datasets whose data differs."""

    key: str
    country: str
    changes: list[FieldChange]


class ReferenceChange(_Model):
    """A reference present in both datasets whose fields differ."""

    key: str
    label: str
    old_number: int
    new_number: int
    changes: list[FieldChange]


class CitationChange(_Model):
    """A citation of a reference in a partner's row that appeared or disappeared."""

    country: str
    reference: str
    cell: str
    table: str


class MissionChange(_Model):
    """A diplomatic mission stated in a partner's notes that appeared or disappeared."""

    country: str
    sender: str
    receiver: str
    kind: str
    city: str | None = None
    accredited_from_country: str | None = None
    negated: bool = False

    def __str__(self) -> str:
        place = f" in {self.city}" if self.city else ""
        if self.accredited_from_country:
            place += f" ({self.accredited_from_country})"
        return f"{self.sender} → {self.receiver}: {'no ' if self.negated else ''}{self.kind}{place}"


class DatasetDiff(_Model):
    """The data changes between two datasets of one article (the rules: :mod:`extractor.changes.diff`).

    ``old_revision``/``new_revision`` and the titles say which datasets were compared; they are
    not part of the comparison.
    """

    title: str
    old_title: str
    old_revision: int | None = None
    new_revision: int | None = None
    relations_added: list[Relation] = []
    relations_removed: list[Relation] = []
    relations_changed: list[RelationChange] = []
    references_added: list[Reference] = []
    references_removed: list[Reference] = []
    references_changed: list[ReferenceChange] = []
    citations_added: list[CitationChange] = []
    citations_removed: list[CitationChange] = []
    missions_added: list[MissionChange] = []
    missions_removed: list[MissionChange] = []

    @computed_field  # type: ignore[prop-decorator]
    @property
    def changed(self) -> bool:
        """True when any data differs."""
        return any(
            (
                self.relations_added,
                self.relations_removed,
                self.relations_changed,
                self.references_added,
                self.references_removed,
                self.references_changed,
                self.citations_added,
                self.citations_removed,
                self.missions_added,
                self.missions_removed,
            )
        )
