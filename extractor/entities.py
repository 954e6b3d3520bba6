"""One identity per country across the family: entities keyed by their page, with codes and a kind.

Articles spell one partner many ways ("State of Palestine", "Palestine"; "Republic of China",
"Taiwan"; "Turkish Republic of Northern Cyprus", "Northern Cyprus"). Every spelling is a
*mention*: a display name and the page it links to (or names). Mentions are one entity when any of
these ties them, transitively:

* the wiki says they are the same page: the same title after redirects (:class:`PageIdentity`,
  fetched by :mod:`extractor.fetch.pageprops`; without an answer a title stands for itself);
* the same ISO 3166-1 code (pycountry, through :func:`extractor.countries.iso3_for`);
* the same row of the reviewed ``data/entities.csv`` (states with limited recognition,
  organisations, historical states, with their other names).

An entity's ``key`` is the page title most of its mentions resolve to; ``qid`` is the Wikidata
item the wiki gave for that page (never guessed: unknown is ``None``); ``un_member_since`` comes
from the reviewed ``data/un_members.csv``. ``kind`` is decided in this order: the reviewed row,
a UN member's code, a withdrawn ISO 3166-3 name (pycountry), a name shaped like an
organisation's, a current ISO code (a territory), else ``other``.

``gw_code`` (Gleditsch–Ward) comes from the optional ``country_converter`` package by the
entity's ISO code (:mod:`extractor.codes`): null without it. Why hand-written tables for the
rest and not ``country_converter``, which has UN membership too: it is GPL-3.0, this project is
MIT, so it is only an optional extra and its data is not copied here (the tests cross-check the
tables against it).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import TypeVar, get_args

import pycountry
from pydantic import TypeAdapter, ValidationError

from extractor.codes import gw_code
from extractor.countries import iso3_for, subject_of_title
from extractor.models import Article, Entity, EntityKind, Relation

__all__ = [
    "ENTITY_COLUMNS",
    "EntityTable",
    "Mention",
    "PageIdentity",
    "ReviewedEntity",
    "classify",
    "entity_table",
    "mentions_in",
    "mentions_of",
    "page_title",
    "partner_kind",
    "partner_mentions",
    "reviewed_entities",
    "titles_to_resolve",
    "un_members",
    "with_entities",
]

_T = TypeVar("_T", bound=str)

#: The columns of ``all/entities.csv``.
ENTITY_COLUMNS = ("key", "name", "qid", "iso3", "gw_code", "un_member_since", "kind", "names", "articles")
_QID = re.compile(r"Q[1-9][0-9]*")
_ENTITIES = TypeAdapter(list[Entity])
# An organisation names itself by what it is; a state never calls itself any of these.
_ORGANISATION = re.compile(
    r"\b(?:organi[sz]ation|league|council|community|association|commission|alliance|secretariat|"
    r"bank|fund|forum|cooperation|pact|treaty)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PageIdentity:
    """What the wiki answered for a title: the page after redirects, and its Wikidata item."""

    title: str
    qid: str | None = None


@dataclass(frozen=True)
class ReviewedEntity:
    """A row of ``data/entities.csv``."""

    name: str
    kind: EntityKind
    iso3: str | None
    aliases: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Mention:
    """One spelling of a partner or subject in one article."""

    name: str
    title: str
    iso3: str | None
    article: str


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("extractor.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def un_members() -> dict[str, int]:
    """ISO 3166-1 alpha-3 → the year that UN member was admitted (``data/un_members.csv``)."""
    return {row["iso3"]: int(row["un_member_since"]) for row in _rows("un_members.csv")}


@cache
def reviewed_entities() -> tuple[ReviewedEntity, ...]:
    """The reviewed non-ISO (and ISO-overriding) entities of ``data/entities.csv``."""
    kinds = get_args(EntityKind)
    entities = []
    for row in _rows("entities.csv"):
        if row["kind"] not in kinds:
            raise ValueError(f"data/entities.csv: {row['name']}: unknown kind {row['kind']!r}")
        aliases = tuple(a.strip() for a in row["aliases"].split(";") if a.strip())
        entities.append(ReviewedEntity(row["name"], row["kind"], row["iso3"] or None, aliases, row["source"]))  # type: ignore[arg-type]
    return tuple(entities)


@cache
def _reviewed_index() -> tuple[dict[str, ReviewedEntity], dict[str, ReviewedEntity]]:
    by_name: dict[str, ReviewedEntity] = {}
    by_iso: dict[str, ReviewedEntity] = {}
    for entity in reviewed_entities():
        for name in (entity.name, *entity.aliases):
            by_name[name.casefold()] = entity
        if entity.iso3:
            by_iso[entity.iso3] = entity
    return by_name, by_iso


@lru_cache(maxsize=8192)  # pure, and the family names the same few hundred partners over and over
def page_title(name: str) -> str:
    """A name or link target as MediaWiki titles it: spaces, no fragment, first letter upper case.

    >>> page_title("state_of  Palestine#History")
    'State of Palestine'
    """
    text = " ".join(name.split("#", 1)[0].replace("_", " ").split())
    return text[:1].upper() + text[1:]


def _reviewed(mention: Mention, canonical: str) -> ReviewedEntity | None:
    return _reviewed_row(canonical, mention.title, mention.name, mention.iso3)


@lru_cache(maxsize=8192)  # pure (the reviewed tables are read once); asked for every mention of every article
def _reviewed_row(canonical: str, title: str, name: str, iso3: str | None) -> ReviewedEntity | None:
    by_name, by_iso = _reviewed_index()
    for spelling in (canonical, title, name):
        if spelling.casefold() in by_name:
            return by_name[spelling.casefold()]
    return by_iso.get(iso3 or "")


@lru_cache(maxsize=8192)  # pure, as _reviewed_row
def _single_entity(
    canonical: str, title: str, name: str, iso3: str | None
) -> tuple[str | None, EntityKind, tuple[str, ...], int | None]:
    """The ISO code, kind, spellings and UN admission of the entity of one mention alone (most
    partners of an article)."""
    code = iso3
    if not code:
        reviewed = _reviewed_row(canonical, title, name, iso3)
        code = reviewed.iso3 if reviewed else None
    spellings = sorted({name, title, canonical}, key=lambda n: (n.casefold(), n))
    kind = _mention_kind(canonical, title, name, iso3)
    since = un_members().get(code) if kind == "un-member" and code else None
    return code, kind, tuple(spellings), since


@lru_cache(maxsize=8192)  # pure, as _reviewed_row
def _ties(canonical: str, title: str, name: str, iso3: str | None) -> tuple[str, ...]:
    """What ties a mention to others: its page, its ISO code (its own or its reviewed row's), its
    reviewed row."""
    reviewed = _reviewed_row(canonical, title, name, iso3)
    code = iso3 or (reviewed.iso3 if reviewed else None)
    own: tuple[str, ...] = ("t:" + canonical,)
    if code:
        own += ("i:" + code,)
    if reviewed is not None:
        own += ("r:" + reviewed.name,)
    return own


@lru_cache(maxsize=8192)  # pure, as _reviewed_row
def _mention_kind(canonical: str, title: str, name: str, iso3: str | None) -> EntityKind:
    reviewed = _reviewed_row(canonical, title, name, iso3)
    return classify(name, iso3 or (reviewed.iso3 if reviewed else None), reviewed)


@lru_cache(maxsize=4096)  # pycountry's lookup scans its whole list of withdrawn names each time
def _historic(name: str) -> bool:
    try:
        pycountry.historic_countries.lookup(name)
    except LookupError:
        return False
    return True


def classify(name: str, iso3: str | None, reviewed: ReviewedEntity | None = None) -> EntityKind:
    """What a partner is, from the reviewed row, its ISO code and its name.

    >>> classify("Chile", "CHL"), classify("Puerto Rico", "PRI"), classify("Atlantis", None)
    ('un-member', 'territory', 'other')
    >>> classify("Caribbean Community", None), classify("German Democratic Republic", None)
    ('organisation', 'historical')
    """
    if reviewed is not None:
        return reviewed.kind
    if iso3 in un_members():
        return "un-member"
    if iso3 is None and _historic(name):
        return "historical"
    if _ORGANISATION.search(name):
        return "organisation"
    if iso3 is not None and pycountry.countries.get(alpha_3=iso3) is not None:
        return "territory"
    return "other"


def mentions_of(article: Article) -> list[Mention]:
    """The article's subject (from its title) and each partner, as mentions."""
    return mentions_in(article.source.title, article.relations)


def mentions_in(title: str, relations: Sequence[Relation]) -> list[Mention]:
    """The subject (from the article ``title``) and the partner of each of ``relations``, as mentions."""
    return partner_mentions(title, [(r.country, r.country_article, r.iso3) for r in relations])


def partner_mentions(title: str, partners: Iterable[tuple[str, str | None, str | None]]) -> list[Mention]:
    """:func:`mentions_in` of relations given as their ``country``, ``country_article`` and ``iso3``
    (the merge's, before they are models)."""
    subject = subject_of_title(title)
    mentions = [Mention(subject, page_title(subject), iso3_for(subject), title)]
    mentions.extend(
        Mention(country, _partner_title(country, country_article), iso3, title)
        for country, country_article, iso3 in partners
    )
    return mentions


def _partner_title(country: str, country_article: str | None) -> str:
    return page_title(country_article or country) or country


def partner_kind(country: str, country_article: str | None, iso3: str | None) -> EntityKind:
    """What a partner is (its relation's ``country_kind``) when the wiki was not asked: the kind
    :meth:`EntityTable.kind` gives its mention without an answer for its title."""
    title = _partner_title(country, country_article)
    return _mention_kind(title, title, country, iso3)


def titles_to_resolve(articles: Iterable[Article]) -> list[str]:
    """Every distinct page title the articles' subjects and partners name, sorted (what to ask the wiki)."""
    return sorted({m.title for a in articles for m in mentions_of(a) if m.title})


def _components(ties: list[tuple[str, ...]]) -> list[list[int]]:
    """The groups of the indices of ``ties`` that share a tie, transitively: each group in index
    order, the groups in the order of their first index.

    One pass over the mentions with dict lookups (a union-find's calls cost more, four per
    mention): most mentions share nothing with those before them, and start their own group.
    """
    owner: dict[str, int] = {}  # a tie → its group (the group's first index)
    members: dict[int, list[int]] = {}
    held: dict[int, list[str]] = {}  # a group → its ties
    for index, own in enumerate(ties):
        if owner.keys().isdisjoint(own):  # asked in C: a new group, its ties all its own
            members[index], held[index] = [index], list(own)
            owner.update(dict.fromkeys(own, index))
            continue
        found = {owner[tie] for tie in own if tie in owner}
        group = min(found)
        members[group].append(index)
        for other in found - {group}:  # this mention ties groups seen apart: they are one
            members[group].extend(members.pop(other))
            for tie in held.pop(other):
                owner[tie] = group
                held[group].append(tie)
            members[group].sort()
        for tie in own:
            if owner.get(tie) != group:
                owner[tie] = group
                held[group].append(tie)
    return list(members.values())


def _most_common(counts: Counter[_T]) -> _T:
    return min(counts, key=lambda item: (-counts[item], item))


class EntityTable:
    """The entities of a set of mentions, given what the wiki answered for their titles."""

    def __init__(self, mentions: Iterable[Mention], resolved: Mapping[str, PageIdentity]) -> None:
        self.resolved = resolved
        self.mentions = list(mentions)
        canonicals = [self.canonical(mention) for mention in self.mentions]
        ties = [
            _ties(canonical, m.title, m.name, m.iso3) for m, canonical in zip(self.mentions, canonicals, strict=True)
        ]
        self._entity_of: dict[str, Entity] = {}
        self._articles: dict[str, int] = {}
        flat = [tie for own in ties for tie in own]
        # No tie shared (every article alone): each mention is its own group, without the walk.
        groups = [[index] for index in range(len(ties))] if len(set(flat)) == len(flat) else _components(ties)
        singles = [indices[0] for indices in groups if len(indices) == 1]  # most partners of an article
        fields = [self._single(self.mentions[index], canonicals[index]) for index in singles]
        try:  # one call into pydantic's core for all of them, not one per entity
            built = _ENTITIES.validate_python(fields)
        except ValidationError:  # raise what the first invalid one raises alone
            built = [Entity.model_validate(one) for one in fields]
        for index, entity in zip(singles, built, strict=True):
            self._articles[entity.key] = 1
            self._entity_of[canonicals[index]] = entity
        for indices in groups:
            if len(indices) > 1:
                group = [self.mentions[index] for index in indices]
                entity = self._entity(group)
                self._articles[entity.key] = len({m.article for m in group})
                for index in indices:
                    self._entity_of[canonicals[index]] = entity

    def canonical(self, mention: Mention) -> str:
        """The page the mention's title is after redirects, as far as the wiki answered."""
        identity = self.resolved.get(mention.title)
        return identity.title if identity is not None else mention.title

    def qid(self, mention: Mention) -> str | None:
        """The Wikidata item of the mention's page, when the wiki gave one."""
        identity = self.resolved.get(mention.title)
        qid = identity.qid if identity is not None else None
        return qid if qid is not None and _QID.fullmatch(qid) else None

    def kind(self, mention: Mention) -> EntityKind:
        """What this mention names (its own kind, the same in a single run and in a batch)."""
        return _mention_kind(self.canonical(mention), mention.title, mention.name, mention.iso3)

    def _entity(self, group: list[Mention]) -> Entity:
        titles = Counter(self.canonical(m) for m in group)
        key = _most_common(titles)
        per_article = Counter(name for name, _ in {(m.name, m.article) for m in group})
        qids = Counter(q for m in group if (q := self.qid(m)))
        key_qids = Counter(q for m in group if self.canonical(m) == key and (q := self.qid(m)))
        isos = Counter(m.iso3 for m in group if m.iso3)
        kinds = Counter(self.kind(m) for m in group)
        iso3 = _most_common(isos) if isos else None
        if iso3 is None:
            reviewed = next((r for m in group if (r := _reviewed(m, self.canonical(m)))), None)
            iso3 = reviewed.iso3 if reviewed else None
        kind = _most_common(kinds)
        spellings = {m.name for m in group} | {m.title for m in group} | set(titles)
        return Entity(
            key=key,
            name=_most_common(per_article),
            qid=_most_common(key_qids) if key_qids else (_most_common(qids) if qids else None),
            iso3=iso3,
            gw_code=gw_code(iso3),  # null unless the optional country_converter is installed
            un_member_since=un_members().get(iso3) if kind == "un-member" and iso3 else None,
            kind=kind,
            names=sorted(spellings, key=lambda n: (n.casefold(), n)),
        )

    def _single(self, mention: Mention, key: str) -> dict[str, object]:
        """The fields of ``_entity`` of a group of one mention (most partners of one article),
        without its counting: every count is one, so each choice is that mention's own value;
        ``key`` is its canonical page."""
        iso3, kind, names, since = _single_entity(key, mention.title, mention.name, mention.iso3)
        return {
            "key": key,
            "name": mention.name,
            "qid": self.qid(mention),
            "iso3": iso3,
            "gw_code": gw_code(iso3),  # not cached: whether country_converter is there may change
            "un_member_since": since,
            "kind": kind,
            "names": list(names),
        }

    def entity(self, mention: Mention) -> Entity:
        """The entity a mention belongs to."""
        return self._entity_of[self.canonical(mention)]

    def entities(self) -> list[Entity]:
        """Every entity once, sorted by key."""
        unique = {entity.key: entity for entity in self._entity_of.values()}
        return [unique[key] for key in sorted(unique, key=lambda k: (k.casefold(), k))]

    def articles(self, entity: Entity) -> int:
        """How many articles name the entity (as a partner or as their subject)."""
        return self._articles[entity.key]

    def rows(self) -> list[dict[str, object]]:
        """The rows of ``all/entities.csv``."""
        return [
            {**entity.model_dump(), "names": "; ".join(entity.names), "articles": self.articles(entity)}
            for entity in self.entities()
        ]


def with_entities(
    article: Article,
    resolved: Mapping[str, PageIdentity],
    *,
    tables: MutableMapping[tuple[Mention, ...], EntityTable] | None = None,
) -> Article:
    """The article with ``country_qid``/``country_kind`` on each relation and its ``entities``.

    ``tables``, when given, remembers the entity table of each list of mentions, for calls that
    all pass the same ``resolved``: successive revisions of one article (``history``) mostly name
    the same partners, and building the table is most of this function's time.
    """
    mentions = mentions_of(article)
    table = entity_table(mentions, resolved, tables=tables)
    relations = [
        relation.model_copy(update={"country_qid": table.qid(mention), "country_kind": table.kind(mention)})
        for relation, mention in zip(article.relations, mentions[1:], strict=True)
    ]
    return article.model_copy(update={"relations": relations, "entities": table.entities()})


def entity_table(
    mentions: list[Mention],
    resolved: Mapping[str, PageIdentity],
    *,
    tables: MutableMapping[tuple[Mention, ...], EntityTable] | None = None,
) -> EntityTable:
    """The entity table of ``mentions``, taken from ``tables`` when it holds one for them (see
    :func:`with_entities`), else built (and remembered there)."""
    key = tuple(mentions)
    table = tables.get(key) if tables is not None else None
    if table is None:
        table = EntityTable(mentions, resolved)
        if tables is not None:
            tables[key] = table
    return table
