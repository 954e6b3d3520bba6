"""Citations and missions: the parts of a dataset compared as multisets of keys.

Neither has an identity of its own: the same reference may be cited twice in one cell, the
same mission stated twice in one row. So each side is counted by key (:func:`citation_keys`,
:func:`mission_keys`), the two counts are subtracted, and what is left becomes
:class:`~extractor.changes.results.CitationChange`/:class:`~extractor.changes.results.MissionChange`
values, one per count (:func:`citation_changes`, :func:`mission_changes`). What a key holds,
and which changes are implied by a relation's own: :mod:`extractor.changes.diff`.
"""

from __future__ import annotations

from collections import Counter

from extractor.changes.keys import relation_key
from extractor.changes.results import CitationChange, MissionChange
from extractor.models import Article, Reference, Relation

__all__ = ["citation_changes", "citation_keys", "mission_changes", "mission_keys", "reference_numbers"]


def citation_keys(article: Article, ref_keys: dict[int, str]) -> Counter[tuple[str, str, str, str]]:
    """The article's citations counted by (partner key, reference identity, cell, table)."""
    partner = {relation.country: relation_key(relation) for relation in article.relations}
    return Counter(
        (
            partner.get(c.country, c.country.casefold()),
            ref_keys.get(c.reference_number, f"#{c.reference_number}"),
            c.cell,
            c.table,
        )
        for c in article.citations
    )


def reference_numbers(references: dict[str, Reference], renamed: dict[str, str]) -> dict[int, str]:
    """Footnote number → reference identity (main group first: citations carry no group)."""
    numbers: dict[int, str] = {}
    for key, reference in sorted(references.items(), key=lambda item: item[1].group is not None):
        numbers.setdefault(reference.number, renamed.get(key, key))
    return numbers


def citation_changes(
    counts: Counter[tuple[str, str, str, str]],
    skip_partners: set[str],
    countries: dict[str, str],
    labels: dict[str, str],
) -> list[CitationChange]:
    """One change per counted citation, sorted, leaving out the partners in ``skip_partners``."""
    changes: list[CitationChange] = []
    for (partner, ref, cell, table), n in sorted(counts.items()):
        if partner in skip_partners:  # implied by the relation's own addition or removal
            continue
        change = CitationChange(
            country=countries.get(partner, partner), reference=labels.get(ref, ref), cell=cell, table=table
        )
        changes += [change] * n
    return changes


#: A mission's identity in the comparison: (partner key, country, sender, receiver, kind, city,
#: third country, negated).
_MissionKey = tuple[str, str, str, str, str, str | None, str | None, bool]


def mission_keys(relations: dict[str, Relation], skip: set[str]) -> Counter[_MissionKey]:
    """The missions of the relations (by partner key) counted by identity, except those in ``skip``."""
    found: Counter[_MissionKey] = Counter()
    for key, relation in relations.items():
        if key in skip:
            continue
        for m in relation.missions:
            found[
                (key, relation.country, m.sender, m.receiver, m.kind, m.city, m.accredited_from_country, m.negated)
            ] += 1
    return found


def mission_changes(counts: Counter[_MissionKey]) -> list[MissionChange]:
    """One change per counted mission, sorted by partner and then by the mission in words."""
    changes = [
        MissionChange(
            country=country,
            sender=sender,
            receiver=receiver,
            kind=kind,
            city=city,
            accredited_from_country=third,
            negated=negated,
        )
        for (_, country, sender, receiver, kind, city, third, negated), n in counts.items()
        for _ in range(n)
    ]
    return sorted(changes, key=lambda change: (change.country.casefold(), str(change)))
