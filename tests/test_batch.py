"""Batch runs over a folder: one dataset per article, the combined dataset, failures that do not stop it."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from extractor.batch import BatchReport, extract_folder
from extractor.cli import main
from extractor.export.combined import PAIR_COLUMNS
from extractor.export.dataset import dataset_files, slugify

if TYPE_CHECKING:
    from tests.support import CorpusArticle

HEADER = "{| class=wikitable\n! Country !! Formal relations began !! Notes\n"


def article(*rows: tuple[str, str]) -> str:
    body = "".join(f"|-\n| {country} || {date} || Notes.\n" for country, date in rows)
    return f"Intro.\n== Bilateral relations ==\n{HEADER}{body}|}}\n"


ARTICLES = {
    "Foreign_relations_of_Testland.wikitext": article(
        ("{{flag|Chile}}", "1992"), ("[[Otherland]]", "1 March 2000"), ("[[Noland]]", "Unknown")
    ),
    "Foreign_relations_of_Otherland.wikitext": article(("[[Testland]]", "March 2000"), ("{{flag|Chile}}", "1995")),
    "Foreign_relations_of_Chile.wikitext": article(("[[Testland]]", "{{dts|1993}}")),
}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    source = tmp_path / "articles"
    source.mkdir()
    for name, text in ARTICLES.items():
        (source / name).write_text(text, encoding="utf-8")
    (source / "README.txt").write_text("not an article", encoding="utf-8")
    return source


def table(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def run(folder: Path, out: Path, workers: int = 2) -> BatchReport:
    return extract_folder(folder, out, workers=workers)


def test_each_article_gets_its_own_dataset_folder_and_the_batch_a_combined_one(folder: Path, tmp_path: Path) -> None:
    """Every .wikitext file becomes out/<slug>/, other files are ignored, out/all/ has the combined files."""
    out = tmp_path / "out"
    report = run(folder, out)
    assert [o.slug for o in report.outcomes] == [
        "foreign-relations-of-chile",
        "foreign-relations-of-otherland",
        "foreign-relations-of-testland",
    ]
    assert report.failed == []
    for outcome in report.outcomes:
        assert (out / outcome.slug / "article.json").is_file()
    assert sorted(p.name for p in (out / "all").iterdir()) == [
        "datapackage.json",
        "entities.csv",
        "missions.csv",
        "missions.graphml",
        "pairs.csv",
        "relations.csv",
    ]
    assert (out / "article.schema.json").is_file()


def test_the_combined_relations_are_every_articles_rows_with_its_subject(folder: Path, tmp_path: Path) -> None:
    """all/relations.csv is each article's relations.csv, sorted by article, with subject columns first
    and the two entity keys last."""
    out = tmp_path / "out"
    run(folder, out)
    combined = (out / "all" / "relations.csv").read_bytes()
    single = (out / "foreign-relations-of-testland" / "relations.csv").read_bytes()
    header = combined.decode().splitlines()[0]
    assert header == "subject,subject_iso3,subject_qid," + single.decode().splitlines()[0] + ",subject_key,country_key"
    rows = table(combined)
    assert [(r["subject"], r["subject_iso3"], r["country"]) for r in rows] == [
        ("Chile", "CHL", "Testland"),
        ("Otherland", "", "Testland"),
        ("Otherland", "", "Chile"),
        ("Testland", "", "Chile"),
        ("Testland", "", "Otherland"),
        ("Testland", "", "Noland"),
    ]


def test_pairs_give_both_sides_dates_and_whether_they_agree(folder: Path, tmp_path: Path) -> None:
    """One row per unordered pair; a side without an article in the batch is empty, not 'false';
    each side's status is where its article says the relation stands."""
    out = tmp_path / "out"
    run(folder, out)
    data = (out / "all" / "pairs.csv").read_bytes()
    assert data.decode().splitlines()[0] == ",".join(PAIR_COLUMNS)
    shown = [*PAIR_COLUMNS[:11], "status_in_a", "status_in_b"]
    rows = [tuple(r[c] for c in shown) for r in table(data)]
    assert rows == [
        ("Chile", "Otherland", "CHL", "", "false", "true", "", "", "1995", "year", "", "", "current"),
        ("Chile", "Testland", "CHL", "", "true", "true", "1993", "year", "1992", "year", "false", "current", "current"),
        ("Noland", "Testland", "", "", "", "true", "", "", "", "", "", "", "unknown"),
        (
            "Otherland",
            "Testland",
            "",
            "",
            "true",
            "true",
            "2000-03",
            "month",
            "2000-03-01",
            "day",
            "true",
            "current",
            "current",
        ),
    ]
    # keyed by entity (here each name is its page); offline no Wikidata item is known
    assert [(r["key_a"], r["key_b"], r["qid_a"], r["qid_b"]) for r in table(data)] == [
        (r[0], r[1], "", "") for r in rows
    ]


def test_the_output_does_not_depend_on_the_number_of_workers(folder: Path, tmp_path: Path) -> None:
    """Parallel and serial runs write byte-identical files."""
    one, two = tmp_path / "one", tmp_path / "two"
    run(folder, one, workers=1)
    run(folder, two, workers=2)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)


def test_a_failing_article_does_not_stop_the_batch(folder: Path, tmp_path: Path) -> None:
    """An unreadable file is one failed outcome; the others and the combined dataset are still written."""
    (folder / "Foreign_relations_of_Broken.wikitext").write_bytes(b"\xff\xfe not UTF-8")
    out = tmp_path / "out"
    report = run(folder, out)
    assert [(o.title, (o.error or "")[:40]) for o in report.failed] == [
        ("Foreign relations of Broken", f"{folder / 'Foreign_relations_of_Broken.wikitext'}: not UTF-8"[:40])
    ]
    assert len(report.outcomes) == 4
    assert "Chile" in {r["subject"] for r in table((out / "all" / "relations.csv").read_bytes())}
    assert report.summary().startswith("4 articles: 3 written, 1 failed")


def test_an_article_without_a_relation_table_is_written_and_counted(folder: Path, tmp_path: Path) -> None:
    """A disambiguation page is no failure: its dataset is empty and the summary says so."""
    (folder / "Foreign_relations_of_Korea.wikitext").write_text("may refer to:\n* [[A]]\n", encoding="utf-8")
    report = run(folder, tmp_path / "out")
    assert report.failed == []
    assert "1 without a relation table" in report.summary()


def test_two_files_for_one_article_fail_the_second_instead_of_overwriting(folder: Path, tmp_path: Path) -> None:
    """X.wikitext and X.html would write the same folder: the second is reported, not silently lost."""
    (folder / "Foreign_relations_of_Chile.html").write_text("<p>x</p>", encoding="utf-8")
    report = run(folder, tmp_path / "out")
    assert [o.title for o in report.failed] == ["Foreign relations of Chile"]
    assert "same article as Foreign_relations_of_Chile.wikitext" in (report.failed[0].error or "")


def test_the_cli_runs_a_folder_and_exits_2_with_a_summary_when_one_failed(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--input DIR` writes every article; failures are one line each, then a summary; no traceback."""
    out = tmp_path / "out"
    assert main(["--input", str(folder), "--out", str(out)]) == 0
    assert capsys.readouterr().err == f"3 articles: 3 written, 0 failed -> {out / 'all'}\n"
    (folder / "Foreign_relations_of_Broken.wikitext").write_bytes(b"\xff")
    assert main(["--input", str(folder), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith("failed: Foreign relations of Broken: ")
    assert err.splitlines()[-1] == f"4 articles: 3 written, 1 failed -> {out / 'all'}"
    assert "Traceback" not in err and "\r" not in err  # no progress bar when stderr is no terminal


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--title", "X"], "--title names one article"),
        (["--revision", "5"], "--revision pins one article"),
    ],
)
def test_single_article_options_are_refused_for_a_batch(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    """Options about one article are a one-line usage error (exit 2) with a folder."""
    with pytest.raises(SystemExit) as exit_info:
        main(["--input", str(folder), "--out", str(tmp_path / "out"), *extra])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_an_empty_folder_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A folder without .wikitext or .html files is an input error, exit 2."""
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["--input", str(empty), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"error: {empty}: no .wikitext or .html files in the folder\n"


def test_the_whole_corpus_runs_as_one_batch(corpus_batch: tuple[BatchReport, Path]) -> None:
    """All 100 articles are written; the three without a relation table are the ones that have none."""
    report, out = corpus_batch
    assert len(report.outcomes) == 100 and report.failed == []
    assert sorted(o.title for o in report.outcomes if o.no_relation_table) == [
        "Foreign relations of Korea",
        "Foreign relations of Northern Cyprus",
        "Foreign relations of Somaliland",
    ]
    assert len(table((out / "all" / "relations.csv").read_bytes())) == sum(o.relations for o in report.outcomes)


def test_a_batch_writes_what_a_single_run_writes(
    corpus_batch: tuple[BatchReport, Path], corpus: dict[str, CorpusArticle], corpus_dir: Path, tmp_path: Path
) -> None:
    """Every article's folder of the batch holds exactly the files of its dataset extracted alone,
    and the Kyrgyzstan folder is byte-identical to `--input` on that one file."""
    report, out = corpus_batch
    differing = []
    for entry in corpus.values():
        folder = out / slugify(entry.article.source.title)
        written = {path.name: path.read_bytes() for path in folder.iterdir()}
        if written != dataset_files(entry.article):
            differing.append(folder.name)
    assert differing == []
    assert {outcome.slug for outcome in report.outcomes} == {slugify(e.article.source.title) for e in corpus.values()}
    single = tmp_path / "single"
    source = corpus_dir / "Foreign_relations_of_Kyrgyzstan.wikitext"
    assert main(["--input", str(source), "--out", str(single)]) == 0
    slug = "foreign-relations-of-kyrgyzstan"
    assert sorted(path.name for path in (single / slug).iterdir()) == sorted(
        path.name for path in (out / slug).iterdir()
    )
    for path in (single / slug).iterdir():
        assert (out / slug / path.name).read_bytes() == path.read_bytes(), path.name


def test_pairs_over_the_corpus_join_both_sides_by_iso_code(corpus_batch: tuple[BatchReport, Path]) -> None:
    """Kyrgyzstan–Kazakhstan: both articles list each other, so the pair has both sides and a verdict."""
    _, out = corpus_batch
    pairs = {(r["country_a"], r["country_b"]): r for r in table((out / "all" / "pairs.csv").read_bytes())}
    pair = pairs[("Kazakhstan", "Kyrgyzstan")]
    assert (pair["iso3_a"], pair["iso3_b"], pair["listed_in_a"], pair["listed_in_b"]) == (
        "KAZ",
        "KGZ",
        "true",
        "true",
    )
    assert pair["date_in_a"] and pair["date_in_b"] and pair["agree"] in {"true", "false"}
    assert len({tuple(sorted(key)) for key in pairs}) == len(pairs)  # unordered: never both (A, B) and (B, A)


def test_progress_bar_counts_with_rate_and_eta(folder: Path, tmp_path: Path) -> None:
    """Given a stream, the batch draws tqdm's bar on it: the count of articles, the rate, the ETA."""
    stream = io.StringIO()
    extract_folder(folder, tmp_path / "out", workers=1, progress=stream)
    drawn = stream.getvalue()
    assert "3/3" in drawn and "article/s" in drawn and "<" in drawn  # tqdm's "[elapsed<remaining, rate]"
    assert "100%" in drawn
