"""Entities: the reviewed tables, the kind of a partner, one identity per spelling, and the corpus."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pycountry
import pytest

from extractor import article_from_document, extract_wikitext, make_source
from extractor.countries import iso3_for, subject_of_title
from extractor.entities import (
    EntityTable,
    Mention,
    PageIdentity,
    classify,
    reviewed_entities,
    un_members,
    with_entities,
)
from extractor.fetch.pageprops import resolve_titles
from extractor.merge import merge_rows
from extractor.models import Article
from extractor.parse.wikitext.walk import parse_wikitext

if TYPE_CHECKING:
    from extractor.batch import BatchReport


def mention(name: str, title: str | None = None, iso3: str | None = None, article: str = "A") -> Mention:
    return Mention(name, title or name, iso3, article)


def test_the_un_table_has_193_members_each_a_current_iso_code() -> None:
    """193 members, each a pycountry alpha-3 code, admitted between 1945 and 2011 (South Sudan)."""
    members = un_members()
    assert len(members) == 193
    assert all(pycountry.countries.get(alpha_3=code) is not None for code in members)
    assert min(members.values()) == 1945 and max(members.values()) == members["SSD"] == 2011


def test_the_reviewed_entities_name_their_source_and_no_un_member() -> None:
    """Every row has a source; none of them is a UN member (those are the UN table's)."""
    rows = reviewed_entities()
    assert all(row.source for row in rows)
    assert not {row.iso3 for row in rows if row.iso3} & set(un_members())
    assert {"Kosovo", "Abkhazia", "Taiwan", "Holy See", "Sovereign Military Order of Malta", "European Union"} <= {
        row.name for row in rows
    }


@pytest.mark.parametrize(
    ("name", "iso3", "kind"),
    [
        ("Chile", "CHL", "un-member"),
        ("Holy See", "VAT", "un-observer"),
        ("Puerto Rico", "PRI", "territory"),
        ("Caribbean Community", None, "organisation"),
        ("German Democratic Republic", None, "historical"),
        ("Atlantis", None, "other"),
    ],
)
def test_the_kind_comes_from_the_tables_and_the_name(name: str, iso3: str | None, kind: str) -> None:
    """A UN member's code, an ISO code of no member (a territory), an organisation's name, ISO 3166-3."""
    reviewed = next((row for row in reviewed_entities() if row.iso3 == iso3 and iso3), None)
    assert classify(name, iso3, reviewed) == kind


def test_spellings_of_one_entity_are_one_entity() -> None:
    """A redirect, an ISO code or a reviewed alias ties spellings; the key is the page most use."""
    table = EntityTable(
        [
            mention("Republic of China", iso3="TWN"),
            mention("Taiwan", iso3="TWN", article="B"),
            mention("Turkish Republic of Northern Cyprus"),
            mention("Northern Cyprus", article="B"),
            mention("Northern Cyprus", article="C"),
            mention("Palestine", "State of Palestine", "PSE"),
        ],
        {"State of Palestine": PageIdentity("Palestine", "Q219060")},
    )
    entities = {e.key: e for e in table.entities()}
    assert sorted(entities) == ["Northern Cyprus", "Palestine", "Republic of China"]
    assert entities["Northern Cyprus"].names == ["Northern Cyprus", "Turkish Republic of Northern Cyprus"]
    assert entities["Northern Cyprus"].kind == "partially-recognised"
    assert table.articles(entities["Northern Cyprus"]) == 3
    assert (entities["Palestine"].qid, entities["Palestine"].kind) == ("Q219060", "un-observer")
    assert entities["Republic of China"].qid is None  # no answer: never a guessed item


def test_spellings_a_later_mention_ties_are_one_entity() -> None:
    """Ties are transitive, whatever the order: two spellings that share nothing are one entity
    when a third mention shares a tie with each (here a page with one, an ISO code with the other)."""
    table = EntityTable(
        [
            mention("Ruritania"),
            mention("Kingdom of Ruritania", iso3="RRT", article="B"),
            mention("Elbonia"),
            mention("Ruritania", iso3="RRT", article="C"),
        ],
        {},
    )
    entities = {e.key: e for e in table.entities()}
    assert sorted(entities) == ["Elbonia", "Ruritania"]
    assert entities["Ruritania"].names == ["Kingdom of Ruritania", "Ruritania"]
    assert table.articles(entities["Ruritania"]) == 3
    assert table.entity(mention("Kingdom of Ruritania")) is table.entity(mention("Ruritania"))


def test_an_article_carries_its_entities_and_each_row_its_kind() -> None:
    """article.json's entities include the subject; offline the QIDs are null."""
    text = (
        "{| class=wikitable\n! Country !! Formal relations began\n"
        "|-\n| {{flag|Chile}} || 1992\n|-\n| [[Kosovo]] || 2008\n|}"
    )
    article = extract_wikitext(text, make_source("Foreign relations of Peru", obtained="file"))
    assert [(r.country, r.country_kind, r.country_qid) for r in article.relations] == [
        ("Chile", "un-member", None),
        ("Kosovo", "partially-recognised", None),
    ]
    assert [(e.key, e.un_member_since) for e in article.entities] == [("Chile", 1945), ("Kosovo", None), ("Peru", 1945)]
    resolved = with_entities(article, {"Kosovo": PageIdentity("Kosovo", "Q1246")})
    assert [r.country_qid for r in resolved.relations] == [None, "Q1246"]


@pytest.mark.parametrize("name", ["Kyrgyzstan", "the_United_Kingdom", "the_Holy_See", "India"])
def test_an_extracted_article_has_the_entities_with_entities_would_add(name: str, corpus_dir: Path) -> None:
    """The pipeline gives each relation its kind and the article its entities as it builds them: the
    same as with_entities(article, {}) on the merge alone (kinds and entities left empty)."""
    path = corpus_dir / f"Foreign_relations_of_{name}.wikitext"
    source = make_source(path.stem.replace("_", " "), obtained="file")
    document = parse_wikitext(path.read_text(encoding="utf-8"))
    relations, citations, diagnostics = merge_rows(document.rows, subject_of_title(source.title))
    assert {r.country_kind for r in relations} == {None}
    plain = Article(
        source=source,
        relations=relations,
        references=document.references,
        citations=citations,
        diagnostics=[*document.diagnostics, *diagnostics],
    )
    assert article_from_document(document, source) == with_entities(plain, {})


class _Fetcher:
    """Answers pageprops queries as MediaWiki does (normalised, redirected, missing, disambiguation)."""

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def query(self, params: dict[str, str]) -> dict[str, Any]:
        titles = params["titles"].split("|")
        self.asked.append(titles)
        pages: list[dict[str, Any]] = []
        for title in titles:
            if title == "Nowhere":
                pages.append({"title": title, "missing": True})
            elif title == "Georgia":
                pages.append({"title": title, "pageprops": {"wikibase_item": "Q1", "disambiguation": ""}})
            elif title != "ROC":
                pages.append({"title": title, "pageprops": {"wikibase_item": f"Q{len(title)}"}})
        pages.append({"title": "Taiwan", "pageprops": {"wikibase_item": "Q865"}})
        return {"query": {"redirects": [{"from": "ROC", "to": "Taiwan"}], "pages": pages}}


def test_titles_resolve_50_a_request_and_unknown_stays_unknown() -> None:
    """120 titles are 3 requests; a missing page has no entry, a disambiguation page no item."""
    fetcher = _Fetcher()
    titles = [f"Land {n:03d}" for n in range(117)] + ["Nowhere", "Georgia", "ROC"]
    found = resolve_titles(fetcher, titles)  # type: ignore[arg-type]
    assert [len(batch) for batch in fetcher.asked] == [50, 50, 20]
    assert "Nowhere" not in found
    assert found["Georgia"] == PageIdentity("Georgia", None)
    assert found["ROC"] == PageIdentity("Taiwan", "Q865")


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_over_the_corpus_every_entity_is_one_row_and_every_partner_has_a_kind(
    corpus_batch: tuple[BatchReport, Path],
) -> None:
    """Offline: no two entities share an ISO code or a name, no pair repeats, every row has a kind,
    every UN member has its ISO and GW codes, and Northern Cyprus's two spellings are one entity."""
    _, out = corpus_batch
    entities = rows(out / "all" / "entities.csv")
    isos = [e["iso3"] for e in entities if e["iso3"]]
    assert len(isos) == len(set(isos))
    spellings = [name for e in entities for name in {n.casefold() for n in e["names"].split("; ")}]
    assert len(spellings) == len(set(spellings))
    assert all(r["country_kind"] for r in rows(out / "all" / "relations.csv"))
    members = [e for e in entities if e["kind"] == "un-member"]
    assert len(members) == 193 and {e["iso3"] for e in members} == set(un_members())
    assert all(e["gw_code"] for e in members)  # country_converter is in the test extra (tests/test_codes.py)
    pairs = rows(out / "all" / "pairs.csv")
    assert len({frozenset((p["key_a"], p["key_b"])) for p in pairs}) == len(pairs)
    cyprus = next(e for e in entities if e["key"] == "Northern Cyprus")
    assert cyprus["names"] == "Northern Cyprus; Turkish Republic of Northern Cyprus"
    assert all(e["qid"] == "" for e in entities)  # offline: no wiki answered


# "Iceland has been a member of the United Nations since 1946", "joined the United Nations on 17 September 1991"
_JOINED = re.compile(
    r"\b(?:joined|was admitted to|became a member of|has been a member of|was a founding member of|admission to) "
    r"the (?:\[\[)?United Nations(?:\]\])?(?: on (?:\d{1,2} )?[A-Z][a-z]+ (?:\d{1,2}, )?| in | since )(\d{4})\b"
)


def test_where_an_article_says_when_its_country_joined_the_un_the_table_agrees(corpus_dir: Path) -> None:
    """The UN table, written from the UN's list, against what the corpus articles say of their own country."""
    said = {}
    for path in sorted(corpus_dir.glob("*.wikitext")):
        years = {int(m.group(1)) for m in _JOINED.finditer(path.read_text(encoding="utf-8"))}
        if years:
            said[iso3_for(subject_of_title(path.stem))] = years
    assert len(said) >= 10
    assert {iso3: years for iso3, years in said.items() if un_members().get(iso3 or "") not in years} == {}
