"""``history`` without a wiki: the incremental extraction equals the full one, and the log's rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import pytest

from extractor import extract_wikitext, make_source
from extractor.fetch.history import HistoryRevision, history_params
from extractor.history.incremental import IncrementalExtractor
from extractor.history.log import Claim, HistoryLog
from extractor.parse.wikitext.incremental import PassageCache, passages
from extractor.parse.wikitext.walk import parse_wikitext
from tests.history_edits import realistic_history
from tests.support import CliResult

SOURCE = make_source("Foreign relations of X", obtained="file")
TABLE = (
    "{| class=wikitable\n! Country !! Formal relations began\n"
    "|-\n| {{flag|Chile}} || %s\n|-\n| {{flag|Peru}} || 1993\n|}\n"
)


def revision(number: int, **fields: object) -> HistoryRevision:
    """A revision as the API reports it, numbered ``number``."""
    values: dict[str, object] = {
        "title": "Foreign relations of X",
        "page_id": 1,
        "revision_id": number,
        "parent_id": number - 1 or None,
        "timestamp": f"2024-01-{number:02d}T00:00:00Z",
        "user": f"user{number}",
        "comment": "",
        "sha1": None,
        "content": None,
    }
    values.update(fields)
    return HistoryRevision(**values)  # type: ignore[arg-type]


def test_incremental_extraction_equals_full_extraction_on_edited_revisions(current_kyrgyzstan_text: str) -> None:
    """Over 30 revisions of the current article, each with one cell or paragraph edited, the datasets are equal."""
    extractor = IncrementalExtractor()
    for text in realistic_history(current_kyrgyzstan_text, 30):
        assert extractor.extract(text, SOURCE) == extract_wikitext(text, SOURCE)
    assert extractor.misses == 30


def test_passage_cache_equals_the_whole_parse_on_a_sample_of_the_corpus(corpus_dir: Path) -> None:
    """For every tenth article of the corpus, parsing by passages and rows gives the whole parse's document."""
    for path in sorted(corpus_dir.glob("*.wikitext"))[::10]:
        text = path.read_text(encoding="utf-8")
        assert PassageCache().parse(text) == parse_wikitext(text), path.name


def test_passage_cache_equals_the_whole_parse_over_edited_revisions_of_the_corpus(corpus_dir: Path) -> None:
    """For every tenth article, four edited revisions read by one cache (rows remembered) each equal the whole parse."""
    for path in sorted(corpus_dir.glob("*.wikitext"))[5::10]:
        cache = PassageCache()
        for text in realistic_history(path.read_text(encoding="utf-8"), 4):
            assert cache.parse(text) == parse_wikitext(text), path.name


def test_a_remembered_row_is_renumbered_when_a_reference_is_added_in_a_row_above() -> None:
    """A reference added to the first row renumbers the citations of the later, remembered rows of its table."""
    row = "|-\n| {{flag|%s}} || %s<ref name=%s>Source %s.</ref>\n"
    rows = "".join(row % (c, y, c.lower(), c) for c, y in [("Chile", 1991), ("Peru", 1992), ("Cuba", 1993)])
    table = "== Relations ==\n{| class=wikitable\n! Country !! Formal relations began\n" + rows + "|}\n"
    edited = table.replace("1991<ref", "1991<ref>A new source.</ref><ref", 1)
    cache = PassageCache()
    for text in (table, edited, table + "\nProse.\n"):
        assert cache.parse(text) == parse_wikitext(text)
    numbers = [c.reference_number for r in cache.parse(edited).rows for c in r.citations]
    assert numbers == [1, 2, 3, 4]


def test_a_row_under_a_rowspan_is_read_again_not_remembered() -> None:
    """Rows that share a cell spanning rows are read with it each time, and edits of either row show."""
    table = (
        "{| class=wikitable\n! Country !! Formal relations began\n"
        '|-\n| {{flag|Chile}} || rowspan="2" | 1991\n|-\n| {{flag|Peru}}\n|}\n'
    )
    cache = PassageCache()
    for text in (table, table.replace("1991", "1990"), table.replace("Peru", "Cuba")):
        assert cache.parse(text) == parse_wikitext(text)


def test_a_reused_passage_is_renumbered_when_a_reference_is_added_before_it() -> None:
    """A reference added in the lead renumbers the citations of an unchanged table after it."""
    table = "==Relations==\n" + TABLE % "1992<ref>A</ref>"
    cache = PassageCache()
    first, second = "Lead.\n" + table, "Lead.<ref>New</ref>\n" + table
    assert cache.parse(first) == parse_wikitext(first)
    assert cache.parse(second) == parse_wikitext(second)
    assert cache.hits == 1
    assert parse_wikitext(second).rows[0].citations[0].reference_number == 2


def test_passages_are_not_cut_inside_an_open_construct() -> None:
    """A heading inside a template or a comment is not a cut; a heading after closed text is."""
    assert len(passages("a\n==A==\nb\n==B==\nc")) == 3
    assert len(passages("{{box|\n==A==\n}}\n==B==\nc")) == 2
    assert len(passages("<!--\n==A==\n-->\nx")) == 1


def test_a_revert_restores_the_claims_and_names_the_revision_it_restores() -> None:
    """Blanking then restoring: the revert has reverted_to, the blanking reverted_by, and claims keep their start."""
    log = HistoryLog()
    texts = [TABLE % "1992", TABLE % "1994", "vandalism", TABLE % "1994", TABLE % "1994" + "\nProse."]
    for number, text in enumerate(texts, start=1):
        log.add(revision(number, content=text), extract_wikitext(text, SOURCE))
    rows = log.revisions
    assert [r["data_changed"] for r in rows] == [True, True, True, True, False]
    assert rows[3]["reverted_to"] == 2 and rows[2]["reverted_by"] == 4
    claims = {row["country"]: row for row in log.claim_rows() if row["claim"] == "established"}
    assert (claims["Chile"]["established"], claims["Chile"]["first_seen_revision"]) == ("1994", 2)
    assert claims["Peru"]["first_seen_revision"] == 1


def _event_claims(log: HistoryLog, country: str) -> list[tuple[str, str | None, str, int | None]]:
    """The ``event:<kind>`` rows of ``country`` in claims.csv, as (claim, date, raw, first_seen_revision)."""
    return [
        (row["claim"], row["date"], row["raw"], row["first_seen_revision"])
        for row in log.claim_rows()
        if row["country"] == country and row["claim"] != "established"
    ]


def test_each_current_event_is_dated_to_the_revision_that_began_to_say_it() -> None:
    """Events added one by one start at their revisions; a blanking and its revert keep them; a rewording does not."""
    log = HistoryLog()
    texts = [
        TABLE % "1950",
        TABLE % "1950, severed 1973",
        "vandalism",
        TABLE % "1950, severed 1973",
        TABLE % "in 1950, severed 1973, restored 1990",
    ]
    for number, text in enumerate(texts, start=1):
        log.add(revision(number, content=text), extract_wikitext(text, SOURCE))
    assert _event_claims(log, "Chile") == [
        ("event:established", "1950", "in 1950", 1),
        ("event:severed", "1973", "severed 1973", 2),
        ("event:restored", "1990", "restored 1990", 5),
    ]
    rows = [row for row in log.claim_rows() if row["country"] == "Chile"]
    assert [row["claim"] for row in rows] == ["established", "event:established", "event:severed", "event:restored"]
    assert rows[0]["established"] == "1950" and "established" not in rows[1]
    assert rows[3]["first_seen_timestamp"] == "2024-01-05T00:00:00Z"
    assert _event_claims(log, "Peru") == [("event:established", "1993", "1993", 1)]


def test_an_event_whose_date_is_corrected_starts_again() -> None:
    """Correcting the severing's year is a new claim; the established date's claim keeps its start."""
    log = HistoryLog()
    for number, text in enumerate([TABLE % "1950, severed 1973", TABLE % "1950, severed 1974"], start=1):
        log.add(revision(number, content=text), extract_wikitext(text, SOURCE))
    assert _event_claims(log, "Chile") == [
        ("event:established", "1950", "1950", 1),
        ("event:severed", "1974", "severed 1974", 2),
    ]


def test_a_stored_state_without_event_claims_leaves_their_start_unknown() -> None:
    """Resuming from a state.json written before events were dated: events said then are null, new ones dated."""
    first = extract_wikitext(TABLE % "1950, severed 1973", SOURCE)
    old = HistoryLog()
    old.add(revision(1, content=TABLE % "1950, severed 1973"), first)
    stored = {
        fingerprint: {
            key: Claim.from_json({k: v for k, v in asdict(c).items() if k != "events"}) for key, c in cs.items()
        }
        for fingerprint, cs in old.claims_by_data.items()
    }
    log = HistoryLog.resume(old.revisions, old.changes, stored, first)
    assert _event_claims(log, "Chile") == [
        ("event:established", "1950", "1950", None),
        ("event:severed", "1973", "severed 1973", None),
    ]
    text = TABLE % "1950, severed 1973, restored 1990"
    log.add(revision(2, content=text), extract_wikitext(text, SOURCE))
    assert [claim[3] for claim in _event_claims(log, "Chile")] == [None, None, 2]
    assert [row["first_seen_revision"] for row in log.claim_rows() if row["claim"] == "established"] == [1, 1]


def test_claims_survive_the_state_json_round_trip() -> None:
    """A claim stored with dataclasses.asdict and read back with Claim.from_json is the same claim."""
    log = HistoryLog()
    log.add(revision(1, content=TABLE % "1950, severed 1973"), extract_wikitext(TABLE % "1950, severed 1973", SOURCE))
    for claim in log.claims.values():
        assert Claim.from_json(json.loads(json.dumps(asdict(claim)))) == claim


def test_a_hidden_revision_has_no_data_and_the_next_is_compared_with_the_last_known() -> None:
    """Hidden text leaves relations and data_changed empty; the next revision is compared with the one before."""
    log = HistoryLog()
    log.add(revision(1, content=TABLE % "1992"), extract_wikitext(TABLE % "1992", SOURCE))
    log.add(revision(2, text_hidden=True, sha1_hidden=True, user=None, user_hidden=True), None, "text hidden")
    log.add(revision(3, content=TABLE % "1992"), extract_wikitext(TABLE % "1992", SOURCE))
    hidden, after = log.revisions[1], log.revisions[2]
    assert (hidden["hidden"], hidden.get("relations"), hidden.get("data_changed")) == ("text user sha1", None, None)
    assert after["data_changed"] is False


def test_the_history_query_asks_for_fifty_revisions_oldest_first_with_content() -> None:
    """The query is prop=revisions with ids, user, comment, SHA-1 and content, 50 a request, rvdir=newer."""
    params = history_params("Foreign relations of X", start_id=7, end="2024-01-01T00:00:00Z")
    assert params["rvprop"] == "ids|timestamp|user|comment|sha1|content"
    assert (params["rvlimit"], params["rvdir"], params["rvstartid"], params["rvend"]) == (
        "50",
        "newer",
        "7",
        "2024-01-01T00:00:00Z",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["history", "--since", "yesterday", "--offline", "--recording", "nowhere"], "--since"),
        (["diff", "--history", "nowhere", "a", "b"], "revision ids"),
    ],
)
def test_bad_history_arguments_are_one_line_errors(
    run_cli: Callable[..., CliResult], args: list[str], message: str
) -> None:
    """A --since that is neither a revision nor a date, or non-numeric revisions for diff --history: exit 2."""
    result = run_cli(*args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_a_new_dataset_keeps_the_history_folder(tmp_path: Path) -> None:
    """Writing the dataset again (``python -m extractor``, ``check --update``) leaves ``history/`` in place."""
    from extractor import write_dataset

    folder = write_dataset(extract_wikitext(TABLE % "1992", SOURCE), tmp_path)
    (folder / "history").mkdir()
    (folder / "history" / "revisions.csv").write_text("revision_id\n1\n", encoding="utf-8")
    write_dataset(extract_wikitext(TABLE % "1993", SOURCE), tmp_path)
    assert (folder / "history" / "revisions.csv").read_text(encoding="utf-8") == "revision_id\n1\n"
    assert "1993" in (folder / "relations.csv").read_text(encoding="utf-8")


class _StubWiki:
    """Answers history queries from a list of revision texts; fails once ``fail_after`` requests were answered."""

    def __init__(self, texts: list[str], fail_after: int | None = None) -> None:
        self.texts = texts
        self.fail_after = fail_after
        self.queries: list[dict[str, str]] = []

    def query(self, params: dict[str, str]) -> dict[str, object]:
        from extractor.errors import TransportError

        self.queries.append(params)
        if self.fail_after is not None and len(self.queries) > self.fail_after:
            raise TransportError("connection reset")
        # MediaWiki's continuation is "<timestamp>|<first revision id to give>".
        first = int(params.get("rvcontinue", params.get("rvstartid", "1")).split("|")[-1])
        numbers = list(range(first, min(first + 2, len(self.texts) + 1)))  # two a batch, to continue
        revisions = [
            {
                "revid": n,
                "parentid": n - 1,
                "timestamp": f"2024-01-{n:02d}T00:00:00Z",
                "user": f"u{n}",
                "comment": "",
                "sha1": f"{n:040x}",
                "slots": {"main": {"content": self.texts[n - 1]}},
            }
            for n in numbers
        ]
        answer: dict[str, object] = {
            "query": {"pages": [{"pageid": 1, "title": "Foreign relations of X", "revisions": revisions}]}
        }
        if numbers and numbers[-1] < len(self.texts):
            after = numbers[-1] + 1
            answer["continue"] = {"rvcontinue": f"202401{after:02d}000000|{after}", "continue": "||"}
        return answer

    def source_of(self, title: str, **ids: object) -> object:
        return make_source(title, obtained="api", revision_id=ids["revision_id"])  # type: ignore[arg-type]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_interrupted_run_leaves_the_previous_history_whole_and_a_rerun_resumes(tmp_path: Path) -> None:
    """A run failing mid-way changes no file; the rerun asks for what follows the last revision written."""
    from extractor.errors import TransportError
    from extractor.history.run import run_history

    texts = [TABLE % "1992", TABLE % "1993", TABLE % "1993" + "\nProse.", TABLE % "1994", TABLE % "1995"]
    run_history(_StubWiki(texts[:2]), "Foreign relations of X", tmp_path)  # type: ignore[arg-type]
    before = _files(tmp_path)
    with pytest.raises(TransportError):
        run_history(_StubWiki(texts, fail_after=1), "Foreign relations of X", tmp_path)  # type: ignore[arg-type]
    assert _files(tmp_path) == before
    wiki = _StubWiki(texts)
    result = run_history(wiki, "Foreign relations of X", tmp_path)  # type: ignore[arg-type]
    assert wiki.queries[0]["rvcontinue"] == "20240102000000|3" and "rvstartid" not in wiki.queries[0]
    assert result.new_revisions == 3
    rows = (tmp_path / "foreign-relations-of-x" / "history" / "revisions.csv").read_text(encoding="utf-8")
    assert [line.split(",")[0] for line in rows.splitlines()[1:]] == ["1", "2", "3", "4", "5"]
    assert [line.split(",")[7] for line in rows.splitlines()[1:]] == ["true", "true", "false", "true", "true"]


def test_a_resumed_run_with_nothing_new_costs_one_request_and_rewrites_nothing(tmp_path: Path) -> None:
    """When no revision follows the last one written, the rerun sends one query and leaves every file as it was."""
    from extractor.history.run import run_history

    texts = [TABLE % "1992", TABLE % "1993", TABLE % "1994"]
    run_history(_StubWiki(texts), "Foreign relations of X", tmp_path)  # type: ignore[arg-type]
    before = _files(tmp_path)
    wiki = _StubWiki(texts)
    result = run_history(wiki, "Foreign relations of X", tmp_path)  # type: ignore[arg-type]
    assert [q["rvcontinue"] for q in wiki.queries] == ["20240103000000|4"]
    assert result.new_revisions == 0 and _files(tmp_path) == before


def test_the_continuation_after_a_revision_is_mediawikis_own_format() -> None:
    """after_revision gives rvcontinue "<YYYYMMDDHHMMSS>|<id + 1>"; a timestamp of another shape is an error."""
    from extractor.errors import InputError
    from extractor.fetch.history import after_revision

    assert after_revision(41, "2024-05-01T12:03:09Z") == "20240501120309|42"
    params = history_params("Foreign relations of X", after=(41, "2024-05-01T12:03:09Z"), end_id=90)
    assert (params["rvcontinue"], params["rvendid"]) == ("20240501120309|42", "90")
    assert "rvstartid" not in params and "rvstart" not in params
    with pytest.raises(InputError, match="not an API timestamp"):
        after_revision(41, "1 May 2024")


def test_a_revision_the_parser_fails_on_is_a_diagnostic_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When extraction raises, the revision is logged with its diagnostic and no data, and the run goes on."""
    from extractor.history.run import run_history

    def broken(self: IncrementalExtractor, text: str, source: object) -> object:
        raise RecursionError("too deep")

    monkeypatch.setattr(IncrementalExtractor, "extract", broken)
    run_history(_StubWiki([TABLE % "1992"]), "Foreign relations of X", tmp_path)  # type: ignore[arg-type]
    rows = (tmp_path / "foreign-relations-of-x" / "history" / "revisions.csv").read_text(encoding="utf-8")
    assert "content could not be parsed: RecursionError: too deep" in rows


def test_a_run_waits_for_another_runs_lock_then_stops_naming_it(tmp_path: Path) -> None:
    """history holds --out's lock as every writing run does: taken by another, it gives up after the timeout."""
    import filelock

    from extractor.atomic import lock_path
    from extractor.errors import ExtractorError
    from extractor.history.run import run_history

    wiki = _StubWiki([TABLE % "1992"])
    with filelock.FileLock(lock_path(tmp_path)), pytest.raises(ExtractorError) as raised:
        run_history(wiki, "Foreign relations of X", tmp_path, lock_timeout=0.5)  # type: ignore[arg-type]
    assert raised.value.setting == "lock_timeout" and str(lock_path(tmp_path)) in str(raised.value)
    assert wiki.queries == [] and list(tmp_path.iterdir()) == []
