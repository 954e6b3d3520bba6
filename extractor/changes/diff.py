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

The summary in words (text and Markdown) is :mod:`extractor.changes.report`'s; this module
knows nothing of it, only the one-line ``summary`` of each field change, which the JSON carries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, computed_field

from extractor.changes.wording import date_summary, reference_label, show, text_change
from extractor.countries import partner_key
from extractor.errors import DatasetError
from extractor.models import Article, EstablishedDate, Event, Reference, Relation

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

#: Relation fields that are data, in report order, with the words the summary uses for them.
_RELATION_FIELDS: dict[str, str] = {
    "country": "name",
    "country_article": "article",
    "iso3": "ISO code",
    "established": "established",
    "established_source": "date taken from",
    "date_conflict": "date conflict",
    "in_list": "in list",
    "list_number": "list number",
    "list_date": "list date",
    "in_bilateral_table": "in bilateral table",
    "table_date": "bilateral table date",
    "main_article": "main article",
    "notes": "notes",
    "section": "section",
    "status": "status",
    "remark": "remark",
    "events": "events",
    "in_former_table": "in former-relations table",
}
#: Reference fields that are data (``number`` is not: renumbering is not a change).
_REFERENCE_FIELDS: dict[str, str] = {
    "name": "name",
    "group": "group",
    "template": "template",
    "title": "title",
    "url": "URL",
    "work": "work",
    "publisher": "publisher",
    "date": "date",
    "access_date": "access date",
    "archive_url": "archive URL",
    "archive_date": "archive date",
    "citation_count": "citations",
    "text": "text",
}


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
    """The data changes between two datasets of one article (see the module docstring).

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


# ---------------------------------------------------------------------------- keys


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


def _unique_keys(items: Iterable[Any], key: Callable[[Any], str]) -> dict[str, Any]:
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


# ---------------------------------------------------------------------------- comparison


def _date_value(date: EstablishedDate | None) -> tuple[str, str | None] | None:
    return None if date is None else (date.raw, date.iso)


def event_label(event: Event) -> str:
    """An event in words: ``severed 2023-05-09``, ``established before 1998-12-31``, ``severed``."""
    if event.date:
        return f"{event.kind} {'c. ' if event.approximate else ''}{event.date}"
    bounds = [f"after {event.not_before}"] if event.not_before else []
    bounds += [f"before {event.not_after}"] if event.not_after else []
    return " ".join([event.kind, *bounds])


def _event_labels(events: list[Event]) -> list[str]:
    # The raw text, table and cell follow from the cells compared elsewhere: an event is its words.
    return [event_label(event) for event in events]


def _events_summary(before: list[str], after: list[str]) -> str:
    added = Counter(after) - Counter(before)
    removed = Counter(before) - Counter(after)
    parts = [f"+ {label}" for label in added.elements()] + [f"− {label}" for label in removed.elements()]
    return "events: " + ", ".join(parts) if parts else "events reordered"


def _implied(old: Relation, new: Relation) -> set[str]:
    """Fields whose loss a change of another field already says (a row left a table)."""
    implied: set[str] = set()
    if old.in_bilateral_table and not new.in_bilateral_table:
        implied |= {"table_date", "main_article", "notes"}
    if old.in_list and not new.in_list:
        implied |= {"list_date", "list_number"}
    return implied


def _relation_changes(old: Relation, new: Relation) -> list[FieldChange]:
    changes: list[FieldChange] = []
    implied = _implied(old, new)
    for field, label in _RELATION_FIELDS.items():
        before, after = getattr(old, field), getattr(new, field)
        if field in implied and after is None:
            continue
        if field in ("list_date", "table_date"):
            if _date_value(before) == _date_value(after):
                continue
            # The established date already says it when it was read from this very cell.
            table = "list" if field == "list_date" else "bilateral-table"
            if (
                old.established != new.established
                and old.established_source == new.established_source == table
                and before is not None
                and after is not None
            ):
                continue
            summary = date_summary(label, before, after)
            before = before.model_dump() if before is not None else None
            after = after.model_dump() if after is not None else None
        elif field == "events":
            if old.established != new.established:
                # The establishment's change is the ``established`` line: only the other events.
                before = [event for event in before if event.kind != "established"]
                after = [event for event in after if event.kind != "established"]
            before, after = _event_labels(before), _event_labels(after)
            if before == after:
                continue
            added, removed = Counter(after) - Counter(before), Counter(before) - Counter(after)
            if old.status != new.status and new.events and added == Counter(after[-1:]) and not removed:
                continue  # the status line names the one new event
            summary = _events_summary(before, after)
        elif before == after:
            continue
        elif field == "status":
            latest = f" ({event_label(new.events[-1])})" if new.events else ""
            summary = f"{label} {show(before)} → {show(after)}{latest}"
        elif field == "notes":
            if before is None:
                summary = f"notes added ({len(after)} characters)"
            elif after is None:
                summary = "notes removed"
            else:
                summary = f"notes: {text_change(before, after)}"
        else:
            summary = f"{label} {show(before)} → {show(after)}"
        changes.append(FieldChange(field=field, old=before, new=after, summary=summary))
    return changes


def _reference_changes(old: Reference, new: Reference) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for field, label in _REFERENCE_FIELDS.items():
        before, after = getattr(old, field), getattr(new, field)
        if before == after:
            continue
        if field == "text":
            if changes:  # the text renders the other fields: their change already says it
                continue
            summary = "text " + text_change(before or "", after or "")
        elif field == "citation_count":
            summary = f"cited {before} → {after} times"
        else:
            summary = f"{label} {show(before)} → {show(after)}"
        changes.append(FieldChange(field=field, old=before, new=after, summary=summary))
    return changes


def _match_references(old: dict[str, Reference], new: dict[str, Reference]) -> dict[str, str]:
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


def _citation_keys(article: Article, ref_keys: dict[int, str]) -> Counter[tuple[str, str, str, str]]:
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


def _reference_numbers(references: dict[str, Reference], renamed: dict[str, str]) -> dict[int, str]:
    """Footnote number → reference identity (main group first: citations carry no group)."""
    numbers: dict[int, str] = {}
    for key, reference in sorted(references.items(), key=lambda item: item[1].group is not None):
        numbers.setdefault(reference.number, renamed.get(key, key))
    return numbers


def _citation_changes(
    counts: Counter[tuple[str, str, str, str]],
    skip_partners: set[str],
    countries: dict[str, str],
    labels: dict[str, str],
) -> list[CitationChange]:
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


def _missions(relations: dict[str, Relation], skip: set[str]) -> Counter[_MissionKey]:
    found: Counter[_MissionKey] = Counter()
    for key, relation in relations.items():
        if key in skip:
            continue
        for m in relation.missions:
            found[
                (key, relation.country, m.sender, m.receiver, m.kind, m.city, m.accredited_from_country, m.negated)
            ] += 1
    return found


def _mission_changes(counts: Counter[_MissionKey]) -> list[MissionChange]:
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


def diff_articles(old: Article, new: Article) -> DatasetDiff:
    """Compare the data of two datasets of an article (see the module docstring for the rules)."""
    old_relations = _unique_keys(old.relations, relation_key)
    new_relations = _unique_keys(new.relations, relation_key)
    relations_changed = [
        RelationChange(key=key, country=new_relations[key].country, changes=changes)
        for key in sorted(
            old_relations.keys() & new_relations.keys(), key=lambda k: new_relations[k].country.casefold()
        )
        if (changes := _relation_changes(old_relations[key], new_relations[key]))
    ]
    added_keys = new_relations.keys() - old_relations.keys()
    removed_keys = old_relations.keys() - new_relations.keys()
    # Missions are read from the bilateral table's notes: a row joining or leaving it says so.
    common = old_relations.keys() & new_relations.keys()
    joined = {k for k in common if new_relations[k].in_bilateral_table and not old_relations[k].in_bilateral_table}
    left = {k for k in common if old_relations[k].in_bilateral_table and not new_relations[k].in_bilateral_table}

    old_refs = _unique_keys(old.references, reference_key)
    new_refs = _unique_keys(new.references, reference_key)
    matched = _match_references(old_refs, new_refs)
    references_changed = [
        ReferenceChange(
            key=new_key,
            label=reference_label(new_refs[new_key]),
            old_number=old_refs[old_key].number,
            new_number=new_refs[new_key].number,
            changes=changes,
        )
        for old_key, new_key in sorted(matched.items(), key=lambda pair: new_refs[pair[1]].number)
        if (changes := _reference_changes(old_refs[old_key], new_refs[new_key]))
    ]
    matched_new = set(matched.values())

    # Citations are compared through reference identities, the old ones translated to new keys.
    old_citations = _citation_keys(old, _reference_numbers(old_refs, matched))
    new_citations = _citation_keys(new, _reference_numbers(new_refs, {}))
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
        citations_added=_citation_changes(new_citations - old_citations, added_keys, countries, labels),
        citations_removed=_citation_changes(old_citations - new_citations, removed_keys, countries, labels),
        missions_added=_mission_changes(
            _missions(new_relations, added_keys | joined) - _missions(old_relations, removed_keys)
        ),
        missions_removed=_mission_changes(
            _missions(old_relations, removed_keys | left) - _missions(new_relations, added_keys)
        ),
    )


# ---------------------------------------------------------------------------- files


def load_dataset(path: Path) -> Article:
    """Read a stored dataset: an ``article.json`` file, or a dataset folder holding one.

    Raises :class:`~extractor.errors.DatasetError` when it is missing, not JSON, or not a
    dataset this version can read.
    """
    file = path / "article.json" if path.is_dir() or path.suffix != ".json" else path
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise DatasetError("no stored dataset: no such file", path=str(file)) from None
    except OSError as error:
        raise DatasetError(error.strerror or "cannot read", path=str(file)) from None
    try:
        return Article.model_validate_json(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "top level"
        if first["type"] == "json_invalid":
            raise DatasetError(f"not valid JSON ({first['msg']})", path=str(file)) from None
        raise DatasetError(
            f"not a dataset this version can read ({where}: {first['msg']}; {error.error_count()} problem(s))",
            path=str(file),
        ) from None
