"""Datasets of successive revisions → the rows of ``revisions.csv``, ``changes.csv`` and ``claims.csv``.

:class:`HistoryLog` is fed one revision at a time, oldest first (:meth:`HistoryLog.add`), and keeps
what it needs to answer three questions about each:

- did the data change since the previous revision whose data is known (``data_changed``)? The
  comparison is :func:`extractor.changes.diff.diff_articles`'s, so it means what ``diff`` means;
- does it restore the data of an earlier revision (``reverted_to``, and ``reverted_by`` on the
  revisions it undoes)? Data is compared by a fingerprint of the data fields;
- since when does the article say each relation's current established date, and each of its current
  events (``claims``)? A claim starts where the date (or the event) last began to be said; a revert
  brings back the claims of the revision it restores, so a vandal's blanking and its revert do not
  reset them.

A revision whose text is hidden or cannot be parsed has no data: its data fields are empty, it is
not compared, and the next revision is compared with the last one whose data is known.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from typing import Any

from extractor.changes.diff import DatasetDiff, diff_articles, reference_key, relation_key
from extractor.fetch.history import HistoryRevision
from extractor.models import Article, Event, Relation

__all__ = [
    "CHANGE_COLUMNS",
    "CLAIM_COLUMNS",
    "REVISION_COLUMNS",
    "Claim",
    "EventClaim",
    "HistoryLog",
    "data_fingerprint",
    "event_identity",
]

REVISION_COLUMNS = (
    "revision_id",
    "parent_id",
    "timestamp",
    "user",
    "comment",
    "sha1",
    "relations",
    "data_changed",
    "reverted_to",
    # after the columns: who undid this revision, what was hidden, and why data is missing
    "reverted_by",
    "data_fingerprint",
    "hidden",
    "diagnostic",
)
CHANGE_COLUMNS = ("revision_id", "timestamp", "user", "kind", "country", "key", "change", "field", "old", "new")
CLAIM_COLUMNS = (
    "country",
    "key",
    "established",
    "first_seen_revision",
    "first_seen_timestamp",
    # after the columns: which claim a row dates (the established date, or one event)
    "claim",
    "date",
    "raw",
)


def data_fingerprint(article: Article) -> str:
    """A hash of the data (relations, references without their numbers, citations), not the source."""
    data = {
        "relations": [r.model_dump(mode="json") for r in article.relations],
        "references": [r.model_dump(mode="json", exclude={"number"}) for r in article.references],
        "citations": [c.model_dump(mode="json") for c in article.citations],
    }
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha1(encoded).hexdigest()


def event_identity(event: Event) -> str:
    """What an event states (its kind and date, bounds included), not its wording or its cell.

    Rewording "1992" as "in 1992", or moving it to another cell, does not make the article begin
    to say something new, as for the established date, which is compared by value too.
    """
    fields = ("kind", "date", "precision", "not_before", "not_after", "approximate")
    return json.dumps([getattr(event, name) for name in fields], ensure_ascii=False)


@dataclass(frozen=True)
class EventClaim:
    """When the article began to say one event of a relation (identified by :func:`event_identity`)."""

    identity: str
    #: Null when the event was already said in a stored history written before events were dated.
    first_seen_revision: int | None
    first_seen_timestamp: str | None


@dataclass(frozen=True)
class Claim:
    """When the article began to say a relation's current established date, and each current event."""

    country: str
    established: str | None
    first_seen_revision: int
    first_seen_timestamp: str
    #: In the order of the relation's events; ``None`` in a ``state.json`` written before events were dated.
    events: tuple[EventClaim, ...] | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Claim:
        """A claim as :func:`dataclasses.asdict` stored it in ``state.json``."""
        stored = data.get("events")
        events = None if stored is None else tuple(EventClaim(**event) for event in stored)
        return cls(**{**data, "events": events})


def _value(value: Any) -> str | None:
    """A changed value as one CSV cell: scalars as they are, dates and lists as sorted JSON."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value  # type: ignore[return-value]
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@dataclass
class HistoryLog:
    """The three tables of a history, built one revision at a time (see the module docstring)."""

    revisions: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    #: The claims after each distinct data, by fingerprint: what a revert brings back.
    claims_by_data: dict[str, dict[str, Claim]] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    last_article: Article | None = None
    #: The latest revision having each fingerprint, for ``reverted_to``.
    _seen: dict[str, int] = field(default_factory=dict)

    @classmethod
    def resume(
        cls,
        revisions: list[dict[str, Any]],
        changes: list[dict[str, Any]],
        claims_by_data: dict[str, dict[str, Claim]],
        last_article: Article | None,
    ) -> HistoryLog:
        """A log that continues a stored one (rows as read back from the CSV files)."""
        log = cls(revisions=revisions, changes=changes, claims_by_data=claims_by_data, last_article=last_article)
        for row in revisions:
            if row.get("data_fingerprint"):
                log._seen[row["data_fingerprint"]] = int(row["revision_id"])
                log.claims = claims_by_data.get(row["data_fingerprint"], log.claims)
        if last_article is not None:
            log.claims = log._with_undated_events(last_article)
        return log

    def _with_undated_events(self, article: Article) -> dict[str, Claim]:
        """The claims, those of a state written before events were dated given ``article``'s events, undated.

        Those events were said before the stored revision, at an unknown one (null, never invented);
        an event added later is then recognised as new and dated.
        """
        claims = dict(self.claims)
        for relation in article.relations:
            key = relation_key(relation)
            known = claims.get(key)
            if known is not None and known.events is None:
                undated = tuple(EventClaim(event_identity(event), None, None) for event in relation.events)
                claims[key] = replace(known, events=undated)
        return claims

    @property
    def last_revision_id(self) -> int | None:
        """The newest revision logged."""
        return int(self.revisions[-1]["revision_id"]) if self.revisions else None

    def add(self, revision: HistoryRevision, article: Article | None, diagnostic: str | None = None) -> None:
        """Log ``revision``, whose dataset is ``article`` (``None``: hidden or unreadable, see ``diagnostic``)."""
        hidden = [
            name
            for name, flag in (
                ("text", revision.text_hidden),
                ("user", revision.user_hidden),
                ("comment", revision.comment_hidden),
                ("sha1", revision.sha1_hidden),
            )
            if flag
        ]
        row: dict[str, Any] = {
            "revision_id": revision.revision_id,
            "parent_id": revision.parent_id,
            "timestamp": revision.timestamp,
            "user": revision.user,
            "comment": revision.comment,
            "sha1": revision.sha1,
            "hidden": " ".join(hidden) or None,
            "diagnostic": diagnostic,
        }
        self.revisions.append(row)
        if article is None:
            return
        fingerprint = data_fingerprint(article)
        row["relations"] = len(article.relations)
        row["data_fingerprint"] = fingerprint
        previous = self.last_article
        diff = diff_articles(previous, article) if previous is not None else None
        row["data_changed"] = True if diff is None else diff.changed
        earlier = self._seen.get(fingerprint)
        # Data with no relation at all (a blanking, an early stub) is not "restored": a blanking
        # would otherwise be read as a revert to the article's first stub.
        if diff is not None and diff.changed and earlier is not None and article.relations:
            row["reverted_to"] = earlier
            self._mark_reverted(earlier, revision.revision_id)
            self.claims = dict(self.claims_by_data.get(fingerprint, self.claims))
        if diff is not None:
            self._log_changes(revision, diff)
        self._update_claims(revision, article)
        self.claims_by_data[fingerprint] = dict(self.claims)
        self._seen[fingerprint] = revision.revision_id
        self.last_article = article

    def _mark_reverted(self, restored: int, by: int) -> None:
        for row in reversed(self.revisions[:-1]):
            if int(row["revision_id"]) == restored:
                break
            if not row.get("reverted_by"):
                row["reverted_by"] = by

    def _log_changes(self, revision: HistoryRevision, diff: DatasetDiff) -> None:
        base = {"revision_id": revision.revision_id, "timestamp": revision.timestamp, "user": revision.user}
        add = self.changes.append
        for relation in diff.relations_added:
            add(
                {
                    **base,
                    "kind": "relation",
                    "country": relation.country,
                    "key": relation_key(relation),
                    "change": "added",
                    "new": relation.established,
                }
            )
        for relation in diff.relations_removed:
            add(
                {
                    **base,
                    "kind": "relation",
                    "country": relation.country,
                    "key": relation_key(relation),
                    "change": "removed",
                    "old": relation.established,
                }
            )
        for changed in diff.relations_changed:
            for change in changed.changes:
                add(
                    {
                        **base,
                        "kind": "relation",
                        "country": changed.country,
                        "key": changed.key,
                        "change": "changed",
                        "field": change.field,
                        "old": _value(change.old),
                        "new": _value(change.new),
                    }
                )
        for reference in diff.references_added:
            add(
                {
                    **base,
                    "kind": "reference",
                    "key": reference_key(reference),
                    "change": "added",
                    "new": reference.title or reference.text,
                }
            )
        for reference in diff.references_removed:
            add(
                {
                    **base,
                    "kind": "reference",
                    "key": reference_key(reference),
                    "change": "removed",
                    "old": reference.title or reference.text,
                }
            )
        for changed_reference in diff.references_changed:
            for change in changed_reference.changes:
                add(
                    {
                        **base,
                        "kind": "reference",
                        "key": changed_reference.key,
                        "change": "changed",
                        "field": change.field,
                        "old": _value(change.old),
                        "new": _value(change.new),
                    }
                )
        for kind, citations in (("added", diff.citations_added), ("removed", diff.citations_removed)):
            for citation in citations:
                add(
                    {
                        **base,
                        "kind": "citation",
                        "country": citation.country,
                        "key": citation.reference,
                        "change": kind,
                        "field": f"{citation.table} {citation.cell}",
                    }
                )

    def _update_claims(self, revision: HistoryRevision, article: Article) -> None:
        claims: dict[str, Claim] = {}
        for relation in article.relations:
            key = relation_key(relation)
            known = self.claims.get(key)
            events = self._event_claims(revision, relation, known)
            if known is not None and known.established == relation.established:
                claims[key] = Claim(
                    relation.country, known.established, known.first_seen_revision, known.first_seen_timestamp, events
                )
            else:
                claims[key] = Claim(
                    relation.country, relation.established, revision.revision_id, revision.timestamp, events
                )
        self.claims = claims

    @staticmethod
    def _event_claims(revision: HistoryRevision, relation: Relation, known: Claim | None) -> tuple[EventClaim, ...]:
        """Each current event keeps the start of an equal event said before, else starts at ``revision``.

        Equal events are matched one to one, in order, so a second "severed 1973" added beside a
        first one starts at the revision that added it.
        """
        if known is not None and known.events is None:
            # A revert to data stored before events were dated: its events are that data's, said
            # from an unknown revision (null, never invented).
            return tuple(EventClaim(event_identity(event), None, None) for event in relation.events)
        earlier: dict[str, list[EventClaim]] = {}
        previous = known.events if known is not None and known.events is not None else ()
        for claim in previous:
            earlier.setdefault(claim.identity, []).append(claim)
        events = []
        for event in relation.events:
            identity = event_identity(event)
            same = earlier.get(identity)
            events.append(same.pop(0) if same else EventClaim(identity, revision.revision_id, revision.timestamp))
        return tuple(events)

    def claim_rows(self) -> list[dict[str, Any]]:
        """``claims.csv``: every relation of the latest known data, in the article's order.

        Each relation has its ``established`` row, then one ``event:<kind>`` row per current event, in
        the relation's order, with the event's ``date`` and ``raw`` text.
        """
        if self.last_article is None:
            return []
        rows = []
        for relation in self.last_article.relations:
            key = relation_key(relation)
            claim = self.claims[key]
            rows.append(
                {
                    "country": relation.country,
                    "key": key,
                    "established": claim.established,
                    "first_seen_revision": claim.first_seen_revision,
                    "first_seen_timestamp": claim.first_seen_timestamp,
                    "claim": "established",
                }
            )
            # A state.json written before events were dated has none for this data: unknown stays null.
            dated: tuple[EventClaim | None, ...] = claim.events or ()
            if len(dated) != len(relation.events):
                dated = (None,) * len(relation.events)
            for event, event_claim in zip(relation.events, dated, strict=True):
                rows.append(
                    {
                        "country": relation.country,
                        "key": key,
                        "first_seen_revision": event_claim.first_seen_revision if event_claim else None,
                        "first_seen_timestamp": event_claim.first_seen_timestamp if event_claim else None,
                        "claim": f"event:{event.kind}",
                        "date": event.date,
                        "raw": event.raw,
                    }
                )
        return rows
