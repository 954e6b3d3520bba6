"""The identities by which the two sides of a comparison are paired: partners and references.

A relation is its partner (:func:`relation_key`); a reference is its group + name, else group +
URL + title, else its text (:func:`reference_key`). :func:`unique_keys` keeps repeated keys apart
instead of losing an item, and :func:`match_references` pairs, beyond equal identities, the
references whose URL + title is unique on both sides (a reference that was given a ``name=``).
Why these keys: the matching rules in :mod:`extractor.changes.diff`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from extractor.countries import partner_key
from extractor.models import Reference, Relation

__all__ = ["match_references", "reference_key", "relation_key", "unique_keys"]


def relation_key(relation: Relation) -> str:
    """The identity of a partner, the key :mod:`extractor.merge` merges rows by: its ISO code,
    else its article link, else its name, case-folded (:func:`partner_key`)."""
    return f"iso:{relation.iso3}" if relation.iso3 else partner_key(relation.country, relation.country_article)


def reference_key(reference: Reference) -> str:
    """The identity of a reference: group + name, else group + URL + title, else its text."""
    group = reference.group or ""
    if reference.name:
        return f"name:{group}:{reference.name}"
    if reference.url or reference.title:
        return f"cite:{group}:{reference.url or ''}\n{reference.title or ''}"
    return f"text:{group}:{' '.join((reference.text or '').split())}"


def unique_keys(items: Iterable[Any], key: Callable[[Any], str]) -> dict[str, Any]:
    """Items by key; a repeated key gets ``#2``, ``#3`` … in order, so nothing is lost."""
    keyed: dict[str, Any] = {}
    for item in items:
        base = key(item)
        name, n = base, 1
        while name in keyed:
            n += 1
            name = f"{base}#{n}"
        keyed[name] = item
    return keyed


def _url_title(reference: Reference) -> tuple[str | None, str | None, str | None] | None:
    return (reference.group, reference.url, reference.title) if reference.url or reference.title else None


def match_references(old: dict[str, Reference], new: dict[str, Reference]) -> dict[str, str]:
    """Old key → new key: by identity, then leftovers by a URL + title unique on both sides."""
    pairs = {key: key for key in old if key in new}
    old_left = [key for key in old if key not in new]
    new_left = [key for key in new if key not in old]
    old_by = Counter(_url_title(old[k]) for k in old_left)
    new_by = Counter(_url_title(new[k]) for k in new_left)
    new_index = {_url_title(new[k]): k for k in new_left}
    for key in old_left:
        ident = _url_title(old[key])
        if ident is not None and old_by[ident] == 1 and new_by[ident] == 1:
            pairs[key] = new_index[ident]
    return pairs
