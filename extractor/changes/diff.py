"""What changed in the *data* between two datasets of an article, not in their bytes.

:func:`diff_articles` compares two :class:`~extractor.models.Article` values and returns a
:class:`DatasetDiff`; it reads no files and never raises on data. Matching rules:

- **Relations** are matched by partner: ``iso3``, else ``country_article``, else ``country``,
  case-folded (the key :mod:`extractor.merge` merges rows by), so reordering rows is not a change.
- **References** are matched by identity: ``group`` + ``name``; else ``group`` + URL + title;
  else the reference's text (a bare link whose URL is lost has nothing else). A second pass pairs
  what is left by URL + title, so giving an existing reference a ``name=`` is a change of that
  reference, not a removal and an addition. MediaWiki's footnote numbers are not compared:
  renumbering alone is not a change.
- **Citations** are matched by (partner, reference identity, cell, table), as a multiset.
- **Missions** (``Relation.missions``) are matched by (partner, sender, receiver, kind, city,
  where a non-resident one sits, negation), as a multiset; a changed sentence or citation of the
  same mission is no mission change (the notes and citations report it). The missions of a
  relation added or removed, or of a row joining or leaving the bilateral table, are implied by it.

What counts as data: every :class:`~extractor.models.Relation` field except those derived from
another one (``established_precision``, ``year``, ``month``, ``day`` follow from ``established``;
``established_raw`` repeats the raw text of the chosen date cell; ``notes_items`` splits
``notes``); every :class:`~extractor.models.Reference` field except ``number``; citations.
Not data: ``source`` (revision, timestamps, licence — reported beside the diff, never as a change)
and ``diagnostics`` (their line numbers move with any edit above them).

This module pairs the two sides and assembles the result; the parts it builds on, each readable
alone: :mod:`~extractor.changes.keys` (the identities above, and the pairing of references),
:mod:`~extractor.changes.fields` (which fields differ, each worded in one ``summary`` line),
:mod:`~extractor.changes.multisets` (citations and missions counted), :mod:`~extractor.changes.results`
(the values returned) and :mod:`~extractor.changes.stored` (:func:`load_dataset`). The summary in
words (text and Markdown) is :mod:`extractor.changes.report`'s; the comparison knows nothing of it,
only the one-line ``summary`` of each field change, which the JSON carries.
"""

from __future__ import annotations

from extractor.changes.fields import event_label, reference_changes, relation_changes
from extractor.changes.keys import match_references, reference_key, relation_key, unique_keys
from extractor.changes.multisets import (
    citation_changes,
    citation_keys,
    mission_changes,
    mission_keys,
    reference_numbers,
)
from extractor.changes.results import (
    CitationChange,
    DatasetDiff,
    FieldChange,
    MissionChange,
    ReferenceChange,
    RelationChange,
)
from extractor.changes.stored import load_dataset
from extractor.changes.wording import reference_label
from extractor.models import Article

# The values, the keys, event_label and load_dataset are re-exported: callers compare datasets
# with them, and should not need to know which small module defines each.
__all__ = [
    "CitationChange",
    "DatasetDiff",
    "FieldChange",
    "MissionChange",
    "ReferenceChange",
    "RelationChange",
    "diff_articles",
    "event_label",
    "load_dataset",
    "reference_key",
    "relation_key",
]


def diff_articles(old: Article, new: Article) -> DatasetDiff:
    """Compare the data of two datasets of an article (see the module docstring for the rules)."""
    old_relations = unique_keys(old.relations, relation_key)
    new_relations = unique_keys(new.relations, relation_key)
    relations_changed = [
        RelationChange(key=key, country=new_relations[key].country, changes=changes)
        for key in sorted(
            old_relations.keys() & new_relations.keys(), key=lambda k: new_relations[k].country.casefold()
        )
        if (changes := relation_changes(old_relations[key], new_relations[key]))
    ]
    added_keys = new_relations.keys() - old_relations.keys()
    removed_keys = old_relations.keys() - new_relations.keys()
    # Missions are read from the bilateral table's notes: a row joining or leaving it says so.
    common = old_relations.keys() & new_relations.keys()
    joined = {k for k in common if new_relations[k].in_bilateral_table and not old_relations[k].in_bilateral_table}
    left = {k for k in common if old_relations[k].in_bilateral_table and not new_relations[k].in_bilateral_table}

    old_refs = unique_keys(old.references, reference_key)
    new_refs = unique_keys(new.references, reference_key)
    matched = match_references(old_refs, new_refs)
    references_changed = [
        ReferenceChange(
            key=new_key,
            label=reference_label(new_refs[new_key]),
            old_number=old_refs[old_key].number,
            new_number=new_refs[new_key].number,
            changes=changes,
        )
        for old_key, new_key in sorted(matched.items(), key=lambda pair: new_refs[pair[1]].number)
        if (changes := reference_changes(old_refs[old_key], new_refs[new_key]))
    ]
    matched_new = set(matched.values())

    # Citations are compared through reference identities, the old ones translated to new keys.
    old_citations = citation_keys(old, reference_numbers(old_refs, matched))
    new_citations = citation_keys(new, reference_numbers(new_refs, {}))
    countries = {key: r.country for key, r in old_relations.items()}
    countries |= {key: r.country for key, r in new_relations.items()}
    labels = {matched.get(key, key): reference_label(r) for key, r in old_refs.items()}
    labels |= {key: reference_label(r) for key, r in new_refs.items()}
    return DatasetDiff(
        title=new.source.title,
        old_title=old.source.title,
        old_revision=old.source.revision_id,
        new_revision=new.source.revision_id,
        relations_added=sorted((new_relations[k] for k in added_keys), key=lambda r: r.country.casefold()),
        relations_removed=sorted((old_relations[k] for k in removed_keys), key=lambda r: r.country.casefold()),
        relations_changed=relations_changed,
        references_added=[r for k, r in new_refs.items() if k not in matched_new],
        references_removed=[r for k, r in old_refs.items() if k not in matched],
        references_changed=references_changed,
        citations_added=citation_changes(new_citations - old_citations, added_keys, countries, labels),
        citations_removed=citation_changes(old_citations - new_citations, removed_keys, countries, labels),
        missions_added=mission_changes(
            mission_keys(new_relations, added_keys | joined) - mission_keys(old_relations, removed_keys)
        ),
        missions_removed=mission_changes(
            mission_keys(old_relations, removed_keys | left) - mission_keys(new_relations, added_keys)
        ),
    )
