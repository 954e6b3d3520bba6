"""The combined dataset of many articles: ``all/relations.csv``, ``all/pairs.csv``, ``all/entities.csv``,
the missions, and their ``datapackage.json``.

``missions.csv`` is every article's ``missions.csv`` one after the other (its rows name their
``subject`` already); ``missions.graphml`` is the network they draw (:func:`missions_graphml`).

``relations.csv`` is every article's ``relations.csv`` one after the other, each row prefixed with
the article's ``subject`` (the country the article is about: "Foreign relations of the United
States" is about "United States"), its ISO code and Wikidata item; each row ends with the
entity keys of the subject and the partner.

``pairs.csv`` has one row per unordered pair of countries {A, B} where A's article lists B or B's
article lists A, with the date each side's article gives and whether the two agree:

=================  =============================================================================
country_a/_b       the two countries (A before B alphabetically)
iso3_a/_b          their ISO 3166-1 alpha-3 codes, where they have one
listed_in_a/_b     ``true``/``false``: whether that side's article lists the other; empty when that
                   side's article is not in the batch
date_in_a/_b       the date relations began according to that side's article (ISO 8601 at its
                   precision), with ``precision_in_a/_b``
agree              ``true``/``false`` when both sides give a date: equal at the coarser precision;
                   empty otherwise
key_a/_b           the two entities' keys (see ``entities.csv``)
qid_a/_b           their Wikidata items, where the wiki gave one
=================  =============================================================================

A country is the same entity in two articles whatever the spelling (see :mod:`extractor.entities`):
the same page after redirects, the same ISO code, or the same row of the reviewed entities file.
``entities.csv`` lists each entity once (:data:`~extractor.entities.ENTITY_COLUMNS`).
"""

from __future__ import annotations

import csv
import io
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from extractor.atomic import replace_directory, staging_directory
from extractor.countries import iso3_for
from extractor.dates import ParsedDate
from extractor.entities import ENTITY_COLUMNS, EntityTable, Mention, PageIdentity, mentions_of
from extractor.export.dataset import MISSION_COLUMNS, csv_bytes, formula_safe, package_source
from extractor.export.package import PACKAGE_FILE, PackageSource, package_json, resource
from extractor.models import Article, Relation

__all__ = [
    "COMBINED_FOLDER",
    "PAIR_COLUMNS",
    "ArticleSides",
    "Pair",
    "Side",
    "article_sides",
    "combined_missions_csv",
    "combined_package_json",
    "combined_relations_csv",
    "family_table",
    "folder_missions",
    "folder_parts",
    "missions_graphml",
    "pairs_csv",
    "pairs_of",
    "stage_combined",
    "write_combined",
]

#: The combined dataset's folder inside the output folder.
COMBINED_FOLDER = "all"
PAIR_COLUMNS = (
    "country_a",
    "country_b",
    "iso3_a",
    "iso3_b",
    "listed_in_a",
    "listed_in_b",
    "date_in_a",
    "precision_in_a",
    "date_in_b",
    "precision_in_b",
    "agree",
    "key_a",
    "key_b",
    "qid_a",
    "qid_b",
    # after the existing columns: where the relation stands according to each side's article
    "status_in_a",
    "status_in_b",
)


@dataclass(frozen=True)
class Side:
    """One partner as one article gives it: who (its mention), and the date relations began."""

    mention: Mention
    date: str | None
    precision: str | None
    parsed: ParsedDate | None
    #: The date cell as the article writes it (``established_raw``), for a reader to review.
    raw: str | None = None
    status: str | None = None

    @property
    def name(self) -> str:
        """The partner's name as the article shows it."""
        return self.mention.name


@dataclass(frozen=True)
class ArticleSides:
    """The subject of one article and each of its relations in order (every row, repeats included)."""

    title: str
    subject: str
    subject_iso3: str | None
    subject_mention: Mention
    sides: tuple[Side, ...] = ()
    #: The article's revision and licence, named as a source of ``all/datapackage.json``.
    origin: PackageSource | None = None

    def mentions(self) -> list[Mention]:
        """The subject's and every partner's mention."""
        return [self.subject_mention, *(side.mention for side in self.sides)]

    def partners(self, table: EntityTable) -> dict[str, Side]:
        """The first side per partner entity, by entity key (the subject itself left out)."""
        subject = table.entity(self.subject_mention).key
        partners: dict[str, Side] = {}
        for side in self.sides:
            key = table.entity(side.mention).key
            if key != subject:
                partners.setdefault(key, side)
        return partners


def _side(relation: Relation, mention: Mention) -> Side:
    parsed = ParsedDate(relation.year, relation.month, relation.day) if relation.year is not None else None
    return Side(
        mention=mention,
        date=relation.established,
        precision=relation.established_precision,
        parsed=parsed,
        raw=relation.established_raw,
        status=relation.status,
    )


def article_sides(article: Article) -> ArticleSides:
    """The subject and partners of one article's dataset."""
    subject, *mentions = mentions_of(article)
    return ArticleSides(
        title=article.source.title,
        subject=subject.name,
        subject_iso3=subject.iso3,
        subject_mention=subject,
        sides=tuple(_side(r, m) for r, m in zip(article.relations, mentions, strict=True)),
        origin=package_source(article),
    )


def family_table(articles: Iterable[ArticleSides], resolved: Mapping[str, PageIdentity] | None = None) -> EntityTable:
    """The entities of a batch: every subject and partner of its articles."""
    return EntityTable([m for a in articles for m in a.mentions()], resolved or {})


@dataclass(frozen=True)
class Pair:
    """One row of ``pairs.csv``."""

    country_a: str
    country_b: str
    iso3_a: str | None
    iso3_b: str | None
    listed_in_a: bool | None
    listed_in_b: bool | None
    date_in_a: str | None
    precision_in_a: str | None
    date_in_b: str | None
    precision_in_b: str | None
    agree: bool | None
    key_a: str = ""
    key_b: str = ""
    qid_a: str | None = None
    qid_b: str | None = None
    status_in_a: str | None = None
    status_in_b: str | None = None


def pairs_of(articles: Sequence[ArticleSides], table: EntityTable | None = None) -> list[Pair]:
    """Every unordered pair of entities that at least one article of the batch links, sorted."""
    table = table or family_table(articles)
    by_subject: dict[str, tuple[ArticleSides, dict[str, Side]]] = {}
    for article in sorted(articles, key=lambda a: a.title):
        # two articles about one country: the first
        by_subject.setdefault(table.entity(article.subject_mention).key, (article, article.partners(table)))
    entities = {e.key: e for e in table.entities()}
    names = {key: entity.name for key, entity in entities.items()}
    names.update({key: article.subject for key, (article, _) in by_subject.items()})
    linked = {tuple(sorted((a, b))) for a, (_, partners) in by_subject.items() for b in partners}
    pairs = []
    for first, second in linked:
        a, b = sorted((first, second), key=lambda k: (names[k].casefold(), k))
        side_a, side_b = _given(by_subject.get(a), b), _given(by_subject.get(b), a)
        dates = (side_a.parsed if side_a else None, side_b.parsed if side_b else None)
        pairs.append(
            Pair(
                country_a=names[a],
                country_b=names[b],
                iso3_a=entities[a].iso3,
                iso3_b=entities[b].iso3,
                listed_in_a=None if a not in by_subject else side_a is not None,
                listed_in_b=None if b not in by_subject else side_b is not None,
                date_in_a=side_a.date if side_a else None,
                precision_in_a=side_a.precision if side_a else None,
                date_in_b=side_b.date if side_b else None,
                precision_in_b=side_b.precision if side_b else None,
                agree=dates[0].agrees_with(dates[1]) if dates[0] and dates[1] else None,
                key_a=a,
                key_b=b,
                qid_a=entities[a].qid,
                qid_b=entities[b].qid,
                status_in_a=side_a.status if side_a else None,
                status_in_b=side_b.status if side_b else None,
            )
        )
    return sorted(pairs, key=lambda p: (p.country_a.casefold(), p.country_b.casefold(), p.country_a, p.country_b))


def _given(article: tuple[ArticleSides, dict[str, Side]] | None, partner: str) -> Side | None:
    return article[1].get(partner) if article is not None else None


def pairs_csv(pairs: Iterable[Pair]) -> bytes:
    """``pairs.csv``: a header and one row per pair (booleans true/false, unknown empty)."""
    return csv_bytes(PAIR_COLUMNS, (asdict(pair) for pair in pairs))


def combined_relations_csv(parts: Iterable[tuple[ArticleSides, bytes]], table: EntityTable | None = None) -> bytes:
    """Each article's ``relations.csv`` rows, prefixed with ``subject``, ``subject_iso3``, ``subject_qid``.

    Two columns follow each row, so that rows join ``pairs.csv`` and ``entities.csv`` whatever the
    spelling: ``subject_key`` and ``country_key``, the entities' keys.
    """
    parts = list(parts)
    table = table or family_table(sides for sides, _ in parts)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header_written = False
    for sides, relations in parts:
        rows = csv.reader(io.StringIO(relations.decode("utf-8"), newline=""))
        header = next(rows, None)
        if header is None:
            continue
        if not header_written:
            writer.writerow(["subject", "subject_iso3", "subject_qid", *header, "subject_key", "country_key"])
            header_written = True
        subject = table.entity(sides.subject_mention)
        for row, side in zip(rows, sides.sides, strict=True):
            partner = table.entity(side.mention).key
            writer.writerow(
                [formula_safe(sides.subject), sides.subject_iso3 or "", subject.qid or "", *row, subject.key, partner]
            )
    return buffer.getvalue().encode("utf-8")


def _article_folders(out_dir: Path, staged: Mapping[str, Path] | None) -> list[Path]:
    """The article folders of ``out_dir``, sorted by slug, each replaced by its staged new folder
    when ``staged`` (slug → staged folder) has one: the folders as they will stand after a swap."""
    folders = {
        folder.name: folder
        for folder in (out_dir.iterdir() if out_dir.is_dir() else [])
        if folder.name != COMBINED_FOLDER and not folder.name.startswith(".") and folder.is_dir()
    }
    folders.update(staged or {})
    return [folders[name] for name in sorted(folders)]


def folder_parts(out_dir: Path, staged: Mapping[str, Path] | None = None) -> list[tuple[ArticleSides, bytes]]:
    """Every article folder of ``out_dir`` as it stands (sorted by slug): its sides and its
    ``relations.csv``. The combined dataset is built from these, not from one run's outcomes, so
    that an article that failed keeps its rows (its folder kept the previous dataset). With
    ``staged`` (slug → a staged new folder), the folders as they will stand once swapped in."""
    parts = []
    for folder in _article_folders(out_dir, staged):
        try:
            article = Article.model_validate_json((folder / "article.json").read_bytes())
            relations = (folder / "relations.csv").read_bytes()
        except (OSError, ValueError):  # not a dataset folder (or a damaged one): nothing to combine
            continue
        parts.append((article_sides(article), relations))
    return parts


def combined_package_json(
    parts: Sequence[tuple[ArticleSides, bytes]], relations_csv: bytes, *, missions: bool = False
) -> bytes:
    """``all/datapackage.json``: the CSV files (``missions.csv`` when written), and every article
    of the batch as a source."""
    header = next(csv.reader(io.StringIO(relations_csv.decode("utf-8"), newline="")), [])
    resources = [
        resource("all/pairs.csv", "pairs.csv", PAIR_COLUMNS),
        resource("all/entities.csv", "entities.csv", ENTITY_COLUMNS),
    ]
    if missions:
        resources.append(resource("all/missions.csv", "missions.csv", MISSION_COLUMNS, keys=False))
    if header:  # an empty batch writes an empty relations.csv, which has no columns to describe
        resources.insert(0, resource("all/relations.csv", "relations.csv", header))
    sources = [sides.origin for sides, _ in parts if sides.origin is not None]
    title = 'Diplomatic relations from Wikipedia\'s "Foreign relations of …" articles, combined'
    return package_json(COMBINED_FOLDER, title, resources, sources)


def combined_missions_csv(parts: Iterable[bytes]) -> bytes:
    """Each article's ``missions.csv`` rows one after the other, under one header."""
    header: bytes | None = None
    body: list[bytes] = []
    for data in parts:
        first, _, rows = data.partition(b"\n")
        header = header or first
        body.append(rows)
    if header is None:
        header = csv_bytes(MISSION_COLUMNS, []).rstrip(b"\n")
    return header + b"\n" + b"".join(body)


def _node(name: str) -> str:
    """A country's node: its ISO code, else its name (as :func:`_key` identifies a country)."""
    return iso3_for(name) or "name:" + " ".join(name.split())


def missions_graphml(missions_csv: bytes) -> bytes:
    """The mission network as GraphML: a node per country, an edge sender → receiver per mission.

    Nodes carry ``label`` (the name articles use most) and ``iso3``; edges ``kind``, ``city``,
    ``resident`` and ``subject`` (the article that states it). Missions a sentence denies
    (``negated``) are no edge. Nodes and edges are added in a sorted order, so the file is the
    same for the same missions.
    """
    import networkx as nx  # local: only the combined dataset pays for networkx

    rows = list(csv.DictReader(io.StringIO(missions_csv.decode("utf-8"), newline="")))
    names: dict[str, Counter[str]] = {}
    edges: list[tuple[str, str, dict[str, str]]] = []
    for row in rows:
        if row["negated"] == "true":
            continue
        sender, receiver = _node(row["sender"]), _node(row["receiver"])
        names.setdefault(sender, Counter())[row["sender"]] += 1
        names.setdefault(receiver, Counter())[row["receiver"]] += 1
        attributes = {key: row[key] for key in ("kind", "city", "resident", "subject")}
        edges.append((sender, receiver, attributes))
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for node in sorted(names):
        counts = names[node]
        label = min(counts, key=lambda n: (-counts[n], n))
        graph.add_node(node, label=label, iso3="" if node.startswith("name:") else node)
    for sender, receiver, attributes in sorted(edges, key=lambda e: (e[0], e[1], sorted(e[2].items()))):
        graph.add_edge(sender, receiver, **attributes)
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue()


def folder_missions(out_dir: Path, staged: Mapping[str, Path] | None = None) -> list[bytes]:
    """The ``missions.csv`` of every article folder of ``out_dir`` as it stands (sorted by slug),
    as :func:`folder_parts` reads the relations (and ``staged`` overlays them): a failed article
    keeps its missions too."""
    found = []
    for folder in _article_folders(out_dir, staged):
        try:
            found.append((folder / "missions.csv").read_bytes())
        except OSError:  # not a dataset folder, or one written before missions were read
            continue
    return found


def write_combined(
    out_dir: Path,
    parts: Sequence[tuple[ArticleSides, bytes]],
    *,
    titles: Sequence[str] | None = None,
    resolved: Mapping[str, PageIdentity] | None = None,
    missions: Sequence[bytes] | None = None,
) -> Path:
    """Write ``out_dir/all/`` (relations.csv, pairs.csv, entities.csv, the missions when given,
    titles.txt when given) in one step.

    ``resolved`` is what the wiki answered for the titles (:mod:`extractor.fetch.pageprops`).
    """
    target = out_dir / COMBINED_FOLDER
    staging = stage_combined(out_dir, parts, titles=titles, resolved=resolved, missions=missions)
    try:
        replace_directory(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def stage_combined(
    out_dir: Path,
    parts: Sequence[tuple[ArticleSides, bytes]],
    *,
    titles: Sequence[str] | None = None,
    resolved: Mapping[str, PageIdentity] | None = None,
    missions: Sequence[bytes] | None = None,
) -> Path:
    """The new ``out_dir/all/`` of :func:`write_combined`, staged beside it and not yet in place:
    the caller swaps it in, with the article folders it was built from (or removes it)."""
    target = out_dir / COMBINED_FOLDER
    table = family_table((sides for sides, _ in parts), resolved)
    with staging_directory(target) as staging:
        relations = combined_relations_csv(parts, table)
        (staging / "relations.csv").write_bytes(relations)
        (staging / PACKAGE_FILE).write_bytes(combined_package_json(parts, relations, missions=missions is not None))
        (staging / "pairs.csv").write_bytes(pairs_csv(pairs_of([sides for sides, _ in parts], table)))
        (staging / "entities.csv").write_bytes(csv_bytes(ENTITY_COLUMNS, table.rows()))
        if missions is not None:
            combined = combined_missions_csv(missions)
            (staging / "missions.csv").write_bytes(combined)
            (staging / "missions.graphml").write_bytes(missions_graphml(combined))
        if titles is not None:
            (staging / "titles.txt").write_bytes("".join(f"{t}\n" for t in titles).encode("utf-8"))
    return staging
