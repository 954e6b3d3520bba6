"""The combined dataset of many articles: ``all/relations.csv``, ``all/pairs.csv`` and the missions.

``missions.csv`` is every article's ``missions.csv`` one after the other (its rows name their
``subject`` already); ``missions.graphml`` is the network they draw (:func:`missions_graphml`).

``relations.csv`` is every article's ``relations.csv`` one after the other, each row prefixed with
the article's ``subject`` (the country the article is about: "Foreign relations of the United
States" is about "United States") and its ISO code.

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
=================  =============================================================================

A country is the same country in two articles when their ISO codes match, or, for a country
without a code (Abkhazia, the Sahrawi Republic, the European Union), when their names match.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from extractor.atomic import replace_directory, staging_directory
from extractor.countries import iso3_for, partner_key, subject_of_title
from extractor.dates import ParsedDate
from extractor.export.dataset import MISSION_COLUMNS, csv_bytes
from extractor.models import Article, Relation

__all__ = [
    "COMBINED_FOLDER",
    "PAIR_COLUMNS",
    "ArticleSides",
    "Pair",
    "Side",
    "article_sides",
    "combined_missions_csv",
    "combined_relations_csv",
    "missions_graphml",
    "pairs_csv",
    "pairs_of",
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
)


def _key(country: str, article: str | None, iso3: str | None) -> str:
    """The identity of a country across the articles of a batch: its ISO code, else its name.

    Not the within-article :func:`~extractor.countries.partner_key` alone: two articles link one
    country differently ("[[China]]", "[[People's Republic of China]]"), and an article's subject
    has no link at all, so the ISO code decides first. A country without a code (Abkhazia, the
    European Union) falls back to the within-article key, whitespace runs made one space, since
    different editors wrote the two articles.
    """
    return iso3 or "name:" + " ".join(partner_key(country, article).split())


@dataclass(frozen=True)
class Side:
    """One partner as one article gives it: who, and the date relations began."""

    key: str
    name: str
    iso3: str | None
    date: str | None
    precision: str | None
    parsed: ParsedDate | None


@dataclass(frozen=True)
class ArticleSides:
    """The subject of one article and every partner it lists (the first row per partner)."""

    title: str
    subject: str
    subject_iso3: str | None
    partners: dict[str, Side] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The subject's identity across articles."""
        return _key(self.subject, None, self.subject_iso3)


def _side(relation: Relation) -> Side:
    iso3 = relation.iso3
    parsed = ParsedDate(relation.year, relation.month, relation.day) if relation.year is not None else None
    return Side(
        key=_key(relation.country, relation.country_article, iso3),
        name=relation.country,
        iso3=iso3,
        date=relation.established,
        precision=relation.established_precision,
        parsed=parsed,
    )


def article_sides(article: Article) -> ArticleSides:
    """The subject and partners of one article's dataset."""
    subject = subject_of_title(article.source.title)
    sides = ArticleSides(article.source.title, subject, iso3_for(subject))
    for relation in article.relations:
        side = _side(relation)
        if side.key != sides.key:
            sides.partners.setdefault(side.key, side)
    return sides


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


def _names(articles: Sequence[ArticleSides]) -> dict[str, str]:
    """A display name per country: its article's subject, else the name articles use most."""
    seen: dict[str, Counter[str]] = {}
    for article in articles:
        for side in article.partners.values():
            seen.setdefault(side.key, Counter())[side.name] += 1
    names = {key: min(counts, key=lambda n: (-counts[n], n)) for key, counts in seen.items()}
    names.update({article.key: article.subject for article in articles})
    return names


def pairs_of(articles: Sequence[ArticleSides]) -> list[Pair]:
    """Every unordered pair of countries that at least one article of the batch links, sorted."""
    by_subject: dict[str, ArticleSides] = {}
    for article in sorted(articles, key=lambda a: a.title):
        by_subject.setdefault(article.key, article)  # two articles about one country: the first
    names = _names(list(by_subject.values()))
    codes = {side.key: side.iso3 for a in by_subject.values() for side in a.partners.values()}
    codes.update({a.key: a.subject_iso3 for a in by_subject.values()})
    linked = {tuple(sorted((a.key, b))) for a in by_subject.values() for b in a.partners}
    pairs = []
    for first, second in linked:
        a, b = sorted((first, second), key=lambda k: (names[k].casefold(), k))
        side_a, side_b = _given(by_subject.get(a), b), _given(by_subject.get(b), a)
        dates = (side_a.parsed if side_a else None, side_b.parsed if side_b else None)
        pairs.append(
            Pair(
                country_a=names[a],
                country_b=names[b],
                iso3_a=codes.get(a),
                iso3_b=codes.get(b),
                listed_in_a=None if a not in by_subject else side_a is not None,
                listed_in_b=None if b not in by_subject else side_b is not None,
                date_in_a=side_a.date if side_a else None,
                precision_in_a=side_a.precision if side_a else None,
                date_in_b=side_b.date if side_b else None,
                precision_in_b=side_b.precision if side_b else None,
                agree=dates[0].agrees_with(dates[1]) if dates[0] and dates[1] else None,
            )
        )
    return sorted(pairs, key=lambda p: (p.country_a.casefold(), p.country_b.casefold(), p.country_a, p.country_b))


def _given(article: ArticleSides | None, partner: str) -> Side | None:
    return article.partners.get(partner) if article is not None else None


def pairs_csv(pairs: Iterable[Pair]) -> bytes:
    """``pairs.csv``: a header and one row per pair (booleans true/false, unknown empty)."""
    return csv_bytes(PAIR_COLUMNS, (asdict(pair) for pair in pairs))


def combined_relations_csv(parts: Iterable[tuple[ArticleSides, bytes]]) -> bytes:
    """Each article's ``relations.csv`` rows, prefixed with ``subject`` and ``subject_iso3``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header_written = False
    for sides, relations in parts:
        rows = csv.reader(io.StringIO(relations.decode("utf-8"), newline=""))
        header = next(rows, None)
        if header is None:
            continue
        if not header_written:
            writer.writerow(["subject", "subject_iso3", *header])
            header_written = True
        for row in rows:
            writer.writerow([sides.subject, sides.subject_iso3 or "", *row])
    return buffer.getvalue().encode("utf-8")


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


def write_combined(
    out_dir: Path,
    parts: Sequence[tuple[ArticleSides, bytes]],
    *,
    titles: Sequence[str] | None = None,
    missions: Sequence[bytes] | None = None,
) -> Path:
    """Write ``out_dir/all/`` (relations.csv, pairs.csv, the missions when given, and titles.txt
    when given) in one step."""
    target = out_dir / COMBINED_FOLDER
    with staging_directory(target) as staging:
        (staging / "relations.csv").write_bytes(combined_relations_csv(parts))
        (staging / "pairs.csv").write_bytes(pairs_csv(pairs_of([sides for sides, _ in parts])))
        if missions is not None:
            combined = combined_missions_csv(missions)
            (staging / "missions.csv").write_bytes(combined)
            (staging / "missions.graphml").write_bytes(missions_graphml(combined))
        if titles is not None:
            (staging / "titles.txt").write_bytes("".join(f"{t}\n" for t in titles).encode("utf-8"))
        replace_directory(staging, target)
    return target
