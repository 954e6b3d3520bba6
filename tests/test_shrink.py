"""The shrink guard: a new extraction of the same article that lost its relations never silently
replaces the stored dataset."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from extractor.batch import extract_folder
from extractor.errors import ShrinkError
from extractor.export.dataset import write_dataset
from extractor.extract import extract_wikitext
from extractor.source import make_source

if TYPE_CHECKING:
    from tests.support import CliResult

TITLE = "Foreign relations of Testland"
SLUG = "foreign-relations-of-testland"


def table(*countries: str) -> str:
    rows = "".join(f"|-\n| {{{{flag|{c}}}}} || 1992\n" for c in countries)
    return f'{{| class="wikitable"\n! Country !! Formal relations began\n{rows}|}}\n'


SIX = table("Chile", "Peru", "Chad", "Laos", "Fiji", "Togo")


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    """An output folder holding Testland's dataset of six relations, and the input file beside it."""
    (tmp_path / "Foreign_relations_of_Testland.wikitext").write_text(SIX, encoding="utf-8")
    write_dataset(extract_wikitext(SIX, make_source(TITLE, obtained="file")), tmp_path / "out")
    return tmp_path


@pytest.mark.parametrize(
    ("text", "new"),
    [
        ("no table at all", 0),
        (table("Chile", "Peru"), 2),
        (SIX[: SIX.rindex("|}") - 1].replace("{|", "{{|", 1), 0),
    ],
    ids=["no-relation-table", "lost-two-thirds", "broken-table"],
)
def test_a_shrunk_extraction_keeps_the_previous_dataset(
    stored: Path, run_cli: Callable[..., CliResult], text: str, new: int
) -> None:
    """No relation table or more than half the relations lost: exit 2, one line, the dataset byte-identical."""
    before = snapshot(stored / "out" / SLUG)
    (stored / "Foreign_relations_of_Testland.wikitext").write_text(text, encoding="utf-8")
    result = run_cli("--input", str(stored / "Foreign_relations_of_Testland.wikitext"), "--out", str(stored / "out"))
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {TITLE}: 6 → {new} relations; kept the previous dataset; --allow-shrink to write it\n"
    )
    assert snapshot(stored / "out" / SLUG) == before


def test_allow_shrink_writes_it(stored: Path, run_cli: Callable[..., CliResult]) -> None:
    """--allow-shrink writes the smaller dataset."""
    (stored / "Foreign_relations_of_Testland.wikitext").write_text(table("Chile"), encoding="utf-8")
    args = ("--input", str(stored / "Foreign_relations_of_Testland.wikitext"), "--out", str(stored / "out"))
    result = run_cli(*args, "--allow-shrink")
    assert result.returncode == 0, result.stderr
    assert (stored / "out" / SLUG / "relations.csv").read_text(encoding="utf-8").count("\n") == 2


def test_losing_half_or_less_is_written(stored: Path) -> None:
    """Three of six relations kept is an edit, not a loss: it is written without being asked."""
    article = extract_wikitext(table("Chile", "Peru", "Chad"), make_source(TITLE, obtained="file"))
    folder = write_dataset(article, stored / "out")
    assert (folder / "relations.csv").read_text(encoding="utf-8").count("\n") == 4


def test_another_article_in_the_folder_is_not_compared(stored: Path) -> None:
    """The guard compares the same article only: a stored dataset of another title does not count."""
    folder = stored / "out" / SLUG
    other = extract_wikitext("nothing", make_source("Foreign relations of Other", obtained="file"))
    assert write_dataset(other, stored / "out").name == "foreign-relations-of-other"
    assert snapshot(folder)


def test_the_library_raises_with_the_setting(stored: Path) -> None:
    """The library's error names the setting, not the option."""
    article = extract_wikitext("", make_source(TITLE, obtained="file"))
    with pytest.raises(ShrinkError) as caught:
        write_dataset(article, stored / "out")
    assert caught.value.setting == "allow_shrink"
    assert (caught.value.old, caught.value.new) == (6, 0)


def test_a_batch_fails_the_shrunk_article_and_keeps_its_rows(stored: Path) -> None:
    """In a batch the shrunk article fails, keeps its folder, and the others are written."""
    folder = stored / "in"
    folder.mkdir()
    (folder / "Foreign_relations_of_Testland.wikitext").write_text("", encoding="utf-8")
    (folder / "Foreign_relations_of_Other.wikitext").write_text(table("Chile"), encoding="utf-8")
    before = snapshot(stored / "out" / SLUG)
    report = extract_folder(folder, stored / "out", workers=1)
    assert [(o.title, o.error) for o in report.failed] == [
        (TITLE, f"{TITLE}: 6 → 0 relations; kept the previous dataset")
    ]
    assert snapshot(stored / "out" / SLUG) == before
    assert (stored / "out" / "foreign-relations-of-other" / "relations.csv").is_file()


def test_the_combined_dataset_keeps_a_failed_articles_rows(stored: Path) -> None:
    """out/all/ is built from the article folders after the run: the failed article's previous rows stay in it."""
    folder = stored / "in"
    folder.mkdir()
    (folder / "Foreign_relations_of_Testland.wikitext").write_text("", encoding="utf-8")
    (folder / "Foreign_relations_of_Other.wikitext").write_text(table("Chile"), encoding="utf-8")
    report = extract_folder(folder, stored / "out", workers=1)
    assert len(report.failed) == 1
    combined = (stored / "out" / "all" / "relations.csv").read_text(encoding="utf-8").splitlines()
    assert sum(line.startswith("Testland,") for line in combined) == 6
    assert sum(line.startswith("Other,") for line in combined) == 1
