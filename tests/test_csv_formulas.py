"""CSV injection (OWASP): no written CSV cell begins with a character a spreadsheet reads as a formula."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.export.dataset import FORMULA_TRIGGERS, write_dataset
from extractor.extract import extract_wikitext
from extractor.source import make_source

if TYPE_CHECKING:
    from extractor.batch import BatchReport

HOSTILE = """{| class="wikitable"
! Country !! Formal relations began !! Notes
|-
| [[=HYPERLINK("http://evil.example","x")]] || @SUM(1) || +1+1<ref>{{cite web|title=-2+3|url=https://example.org/=x}}</ref>
* one
* two
|}
{{Reflist}}
"""


def cells_of(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8"), newline="")) for cell in row]


def triggered(folder: Path) -> list[str]:
    """Every cell of every CSV under ``folder`` that begins with a formula trigger."""
    return [
        f"{path.relative_to(folder)}: {cell[:40]!r}"
        for path in sorted(folder.rglob("*.csv"))
        for cell in cells_of(path.read_bytes())
        if cell.startswith(FORMULA_TRIGGERS)
    ]


def test_hostile_cells_are_written_as_text_in_csv_and_exactly_in_json(tmp_path: Path) -> None:
    """Cells starting = + - @ get a leading ' in CSV; the JSON keeps the values; bullets are '• '."""
    article = extract_wikitext(HOSTILE, make_source("Foreign relations of Testland", obtained="file"))
    folder = write_dataset(article, tmp_path)
    assert triggered(tmp_path) == []
    relations = list(csv.DictReader(io.StringIO((folder / "relations.csv").read_text(encoding="utf-8"))))
    assert relations[0]["country"] == '\'=HYPERLINK("http://evil.example","x")'
    assert relations[0]["established_raw"] == "'@SUM(1)"
    assert relations[0]["notes"] == "'+1+1\n• one\n• two"
    references = list(csv.DictReader(io.StringIO((folder / "references.csv").read_text(encoding="utf-8"))))
    assert references[0]["title"] == "'-2+3"
    data = json.loads((folder / "article.json").read_text(encoding="utf-8"))
    assert data["relations"][0]["country"] == '=HYPERLINK("http://evil.example","x")'
    assert data["relations"][0]["notes"] == "+1+1\n• one\n• two"
    assert data["references"][0]["title"] == "-2+3"


def test_no_csv_cell_of_the_corpus_batch_starts_with_a_trigger(corpus_batch: tuple[BatchReport, Path]) -> None:
    """Every CSV the corpus batch wrote (articles and all/) has 0 cells beginning with = + - @ tab CR."""
    _, out = corpus_batch
    assert len(list(out.rglob("*.csv"))) > 300
    assert triggered(out) == []
