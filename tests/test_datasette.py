"""The database and metadata ``export --sqlite`` writes, opened in Datasette as a user opens them.

Datasette's own test client (``Datasette(...).client``) serves the files in process, without a
port; the metadata file is read by ``parse_metadata``, the function ``datasette serve --metadata``
reads it with.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette
from datasette.utils import parse_metadata

from extractor.cli.options import load_snapshot
from extractor.export.combined import article_sides, write_combined
from extractor.export.dataset import dataset_files, write_dataset
from extractor.export.sqlite import TABLES, write_sqlite
from extractor.extract import extract_wikitext

Get = Callable[[str], Awaitable[Any]]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The stored snapshot's dataset with its all/ folder, exported: the database and its metadata file."""
    out = tmp_path_factory.mktemp("out")
    article = extract_wikitext(*load_snapshot("Foreign relations of Kyrgyzstan"))
    write_dataset(article, out)
    write_combined(out, [(article_sides(article), dataset_files(article)["relations.csv"])])
    database = tmp_path_factory.mktemp("db") / "frx.db"
    _, metadata = write_sqlite(out, database)
    return database, metadata


def _served(files: tuple[Path, Path], check: Callable[[Get], Awaitable[None]]) -> None:
    """Run ``check`` against a Datasette serving the database with its metadata."""
    database, metadata = files

    async def run() -> None:
        datasette = Datasette(files=[str(database)], metadata=parse_metadata(metadata.read_text(encoding="utf-8")))
        await datasette.invoke_startup()

        async def get(path: str) -> Any:
            response = await datasette.client.get(path)
            assert response.status_code == 200, (path, response.text[:500])
            return response

        await check(get)

    asyncio.run(run())


def test_every_table_is_listed_and_every_table_page_renders(files: tuple[Path, Path]) -> None:
    """Datasette lists the articles, the dataset tables, pairs and entities, and renders each table's page."""
    wanted = {"articles", *TABLES, "pairs", "entities"}

    async def check(get: Get) -> None:
        listed = (await get("/frx.json")).json()
        assert wanted <= {table["name"] for table in listed["tables"]}
        for table in sorted(wanted):
            page = html.unescape((await get(f"/frx/{table}")).text)
            assert "Wikipedia contributors" in page  # the source is on every page, not only the index

    _served(files, check)


def test_the_title_licence_and_source_show(files: tuple[Path, Path]) -> None:
    """The index page shows the metadata's title, the licence linked to its deed, and the source."""

    async def check(get: Get) -> None:
        page = html.unescape((await get("/")).text)
        assert 'Diplomatic relations from Wikipedia\'s "Foreign relations of …" articles' in page
        assert '<a href="https://creativecommons.org/licenses/by-sa/3.0/">CC BY-SA 3.0</a>' in page
        assert "Data source: Wikipedia contributors" in page
        relations = html.unescape((await get("/frx/relations")).text)
        assert "One row per partner country of an article." in relations
        assert "The partner's entity (entities.csv `key`)." in relations  # country_key's column description

    _served(files, check)


def test_full_text_search_on_the_notes_finds_a_known_row(files: tuple[Path, Path]) -> None:
    """Datasette finds the FTS5 index of the notes: searching 'protocol' returns Armenia's row."""

    async def check(get: Get) -> None:
        rows = (await get("/frx/relations.json?_search=protocol&_shape=array&_col=country")).json()
        assert {"id": 2, "country": "Armenia"} in rows
        found = (await get("/frx/relations.json?_search=protocol&_shape=array")).json()
        assert all("protocol" in row["notes"].lower() for row in found)

    _served(files, check)


def test_a_filter_and_a_facet_on_the_country_work_and_the_entity_key_links(files: tuple[Path, Path]) -> None:
    """Filtering on `country`, faceting on its kind and on its entity key work; the key links the entity by name."""

    async def check(get: Get) -> None:
        filtered = (await get("/frx/relations.json?country=Armenia&_shape=array&_labels=on")).json()
        assert len(filtered) == 1
        assert filtered[0]["country_key"] == {"value": "Armenia", "label": "Armenia"}
        assert filtered[0]["article"] == {"value": 1, "label": "Foreign relations of Kyrgyzstan"}
        facets = (await get("/frx/relations.json?_facet=country_kind&_facet=country_key&_size=0")).json()
        kinds = {result["value"]: result["count"] for result in facets["facet_results"]["country_kind"]["results"]}
        assert kinds == {"un-member": 39}
        keys = facets["facet_results"]["country_key"]["results"]
        armenia = next(result for result in keys if result["value"] == "Armenia")
        assert (armenia["count"], armenia["label"]) == (1, "Armenia")

    _served(files, check)
