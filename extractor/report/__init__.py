"""The HTML report: ``DIR/<slug>/index.html`` per dataset, ``DIR/all/index.html`` and its disagreements.

Static pages that open from ``file://`` with no network: the charts are inline SVG drawn by
pygal (:mod:`extractor.report.charts`), the map's outlines come from a PyPI package, and the one
script (sorting and searching the tables) is inline. The report reads the datasets as written
(each folder's ``article.json``) and writes each page atomically; the same datasets give the
same bytes. Run it after extracting: re-extracting an article replaces its folder, page included.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from extractor.atomic import DEFAULT_LOCK_TIMEOUT, atomic_write_bytes, output_lock
from extractor.countries import iso3_for, subject_of_title
from extractor.errors import DatasetError
from extractor.export.combined import COMBINED_FOLDER, ArticleSides, article_sides, family_table
from extractor.export.sqlite import dataset_folders
from extractor.models import Article
from extractor.report.charts import PERIODS, alpha2, period_of, timeline_svg, world_map_svg
from extractor.report.pages import Disagreement, article_page, disagreements_page, family_page

__all__ = ["PAGE_FILE", "disagreements", "write_report"]

PAGE_FILE = "index.html"
_UNKNOWN = "listed, date unknown"
_SUBJECT = "the article's subject"
_SIZES = (("fewer than 50", 0, 49), ("50–99", 50, 99), ("100–149", 100, 149), ("150 or more", 150, 10**9))


def _article_map(article: Article) -> str:
    classes: dict[str, dict[str, int]] = {}
    for relation in article.relations:
        code = alpha2(relation.iso3)
        if code is None:
            continue
        label = period_of(relation.year) if relation.year is not None else _UNKNOWN
        value = relation.year or 1
        if all(code not in members for members in classes.values()):  # the first row of a partner
            classes.setdefault(label, {})[code] = value
    subject = alpha2(iso3_for(subject_of_title(article.source.title)))
    if subject is not None:
        for members in classes.values():
            members.pop(subject, None)
        classes[_SUBJECT] = {subject: 1}
    order = [label for label, _, _ in PERIODS] + [_UNKNOWN, _SUBJECT]
    return world_map_svg(classes, order, title="Coloured by the year relations began")


def _family_map(articles: Sequence[Article]) -> str:
    classes: dict[str, dict[str, int]] = {}
    for article in articles:
        code = alpha2(iso3_for(subject_of_title(article.source.title)))
        if code is None:
            continue
        count = len(article.relations)
        label = next(label for label, low, high in _SIZES if low <= count <= high)
        classes.setdefault(label, {})[code] = count
    return world_map_svg(classes, [label for label, _, _ in _SIZES], title="Partners listed by each article")


def disagreements(articles: Sequence[tuple[str, Article]]) -> list[Disagreement]:
    """Every pair of countries whose two articles (both in ``articles``) give dates that disagree."""
    ordered = sorted(articles, key=lambda item: item[1].source.title)
    found_sides = [(slug, article, article_sides(article)) for slug, article in ordered]
    table = family_table(found for _, _, found in found_sides)  # one entity per country, whatever the spelling
    sides: dict[str, tuple[str, Article, ArticleSides]] = {}
    for slug, article, found in found_sides:
        key = table.entity(found.subject_mention).key
        sides.setdefault(key, (slug, article, found))  # two articles about one country: the first
    found_pairs = []
    for key_a, (slug_a, article_a, a) in sides.items():
        for key_b, says_b in a.partners(table).items():
            if key_b not in sides or key_b < key_a:  # not both in the batch, or seen from B's side
                continue
            slug_b, article_b, b = sides[key_b]
            says_a = b.partners(table).get(key_a)  # what B's article says about A (says_b: A's about B)
            if says_a is None or says_a.parsed is None or says_b.parsed is None:
                continue
            if says_a.parsed.agrees_with(says_b.parsed):
                continue
            first = (a.subject, slug_a, says_b.raw, says_b.date, article_a.source.permalink)
            second = (b.subject, slug_b, says_a.raw, says_a.date, article_b.source.permalink)
            if second[0].casefold() < first[0].casefold():  # A before B alphabetically, as in pairs.csv
                first, second = second, first
            found_pairs.append(
                Disagreement(
                    country_a=first[0],
                    country_b=second[0],
                    slug_a=first[1],
                    slug_b=second[1],
                    raw_a=first[2],
                    raw_b=second[2],
                    date_a=first[3],
                    date_b=second[3],
                    permalink_a=first[4],
                    permalink_b=second[4],
                )
            )
    return sorted(found_pairs, key=lambda d: (d.country_a.casefold(), d.country_b.casefold()))


def _load(folder: Path) -> Article:
    path = folder / "article.json"
    try:
        return Article.model_validate_json(path.read_bytes())
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise DatasetError("not a dataset (article.json does not validate)", path=str(path)) from error


#: The events the timeline draws beside the relations established, in the legend's order.
_TIMELINE_EVENTS = ("severed", "suspended", "restored", "ended")


def _event_years(articles: Sequence[Article]) -> dict[str, list[int]]:
    """The years of the articles' dated severed/suspended/restored/ended events, by kind."""
    years: dict[str, list[int]] = {kind: [] for kind in _TIMELINE_EVENTS}
    for article in articles:
        for relation in article.relations:
            for event in relation.events:
                if event.kind in years and event.date and event.date[:4].isdigit():  # bounded ones have no year
                    years[event.kind].append(int(event.date[:4]))
    return years


def write_report(root: Path, *, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> list[Path]:
    """Write every dataset's page under ``root`` and ``root/all/``; return the pages written.

    Holds ``root``'s lock (:func:`~extractor.atomic.output_lock`, waiting up to ``lock_timeout``
    seconds): the pages go into the dataset folders, which a batch may be swapping, and an
    interrupted batch's swaps are completed first, so the pages are of consistent folders.
    """
    if not root.is_dir():  # nothing to lock (and no lock file to leave beside a missing folder)
        return _write_report(root)
    with output_lock(root, lock_timeout):
        return _write_report(root)


def _write_report(root: Path) -> list[Path]:
    folders = dataset_folders(root)
    if not folders:
        raise DatasetError("no dataset folders (no */article.json)", path=str(root))
    articles = [(folder.name, _load(folder)) for folder in folders]
    pages = []
    for slug, article in articles:
        years = [r.year for r in article.relations if r.year is not None]
        timeline = timeline_svg(years, title="Relations established per year", events=_event_years([article]))
        page = root / slug / PAGE_FILE
        atomic_write_bytes(page, article_page(article, timeline, _article_map(article)))
        pages.append(page)
    every_year = [r.year for _, a in articles for r in a.relations if r.year is not None]
    timeline = timeline_svg(
        every_year,
        title="Relations established per year, as each article gives them",
        events=_event_years([a for _, a in articles]),
    )
    found = disagreements(articles)
    family = root / COMBINED_FOLDER / PAGE_FILE
    atomic_write_bytes(family, family_page(articles, timeline, _family_map([a for _, a in articles]), len(found)))
    atomic_write_bytes(root / COMBINED_FOLDER / "disagreements.html", disagreements_page(found))
    return [*pages, family, root / COMBINED_FOLDER / "disagreements.html"]
