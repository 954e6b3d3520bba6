"""Invariants of the wikitext parser over every real article in ../shared/corpus.

The parser is checked against a second, deliberately simple reader of the same wikitext: it cuts
tables, rows and cells out of the text line by line, applies the same header rules
(:func:`extractor.parse.layout.table_layout`) and lists the partners each row names with a flag-like
template, and each row's date cell. Where the two disagree, the parser has lost something.

Where a header does not say which column is the partner or the date, the simple reader guesses
from the cells by its own rules (:func:`_guess`), never the parser's; tables of former relations
are read with their ended cells, and checked never to give a current relation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from extractor.countries import CODE_NAMES, iso3_for
from extractor.merge import merge_rows
from extractor.parse.document import ParsedDocument, RowRecord
from extractor.parse.layout import Layout, table_layout

if TYPE_CHECKING:
    from tests.support import CorpusArticle

# --- the simple reader -------------------------------------------------------------------------

_FLAG = re.compile(
    r"\{\{\s*(?:flag|flagu|flagcountry|flag country|#invoke:flag\s*\|[^|{}]*)"
    r"\s*\|\s*([^|{}]+?)\s*(?:\||\}\})",
    re.IGNORECASE,
)
_IMAGE_FLAG = re.compile(
    r"\{\{\s*(?:flagicon|flagdeco|flag icon)\s*\|[^{}]*\}\}\s*['\"]*\s*"
    r"(?:\[\[([^\]|#]+)|([A-Za-z][^\[\]{}<(]+))",
    re.IGNORECASE,
)
_CODE = re.compile(r"\{\{\s*([A-Z]{2,5})\s*\}\}")
_REF = re.compile(r"<ref[^>/]*/>|<ref[^>]*>.*?</ref>", re.DOTALL | re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_TEMPLATE_ARGUMENTS = re.compile(r"\{\{([^{}]*)\}\}")
_PLAIN_RUN = re.compile(r"[^{}\[\]|!\n]+")
_CONTENT_SPECIAL = re.compile(r"[{}\[\]|\n]")
_MARKUP = re.compile(r"\{\{[^{}]*\}\}|\[\[(?:[^\]|]*\|)?([^\]]*)\]\]|'{2,}|<[^>]+>")


@dataclass
class OracleRow:
    """What the simple reader sees in one row of a relation table."""

    line: int
    partners: list[str]
    date_text: str | None
    #: The country cell's text after its first parenthesis ("(severed)"), roughly.
    remark: str | None = None
    #: The ended cell of a table of former relations.
    ended_text: str | None = None


def _split_cells(chunk: str) -> list[str]:
    """A row's cells: a new cell at each line start with | or !, and at || or !! outside {{ }} and [[ ]]."""
    cells: list[str] = []
    current: list[str] = []
    depth = 0
    index = 0
    at_line_start = True
    while index < len(chunk):
        pair = chunk[index : index + 2]
        if pair in {"{{", "[["}:
            depth += 1
            current.append(pair)
            index += 2
            at_line_start = False
            continue
        if pair in {"}}", "]]"}:
            depth = max(0, depth - 1)
            current.append(pair)
            index += 2
            continue
        if depth == 0 and (pair in {"||", "!!"} or (at_line_start and chunk[index] in "|!")):
            if current or cells:
                cells.append("".join(current))
            current = []
            index += 2 if pair in {"||", "!!"} else 1
            at_line_start = False
            continue
        plain = _PLAIN_RUN.match(chunk, index)
        if plain:  # a run of characters that are none of the above: the same as one by one, faster
            current.append(plain.group())
            at_line_start = False
            index = plain.end()
            continue
        current.append(chunk[index])
        at_line_start = chunk[index] == "\n"
        index += 1
    if current:
        cells.append("".join(current))
    return [_content(cell) for cell in cells]


def _content(cell: str) -> str:
    """A cell's content without its ``attributes |`` prefix (the first | outside {{ }} and [[ ]])."""
    depth = 0
    for special in _CONTENT_SPECIAL.finditer(cell):  # no other character changes anything
        index, char = special.start(), special.group()
        pair = cell[index : index + 2]
        if pair in {"{{", "[["}:
            depth += 1
        elif pair in {"}}", "]]"}:
            depth = max(0, depth - 1)
        elif char == "|" and depth == 0:
            return cell[index + 1 :]
        elif char == "\n":
            break
    return cell


def _arguments(match: re.Match[str]) -> str:
    return " ".join(a for a in match.group(1).split("|")[1:] if "=" not in a)


def _plain(cell: str) -> str:
    """The cell's text, roughly: refs and comments gone, a template replaced by its unnamed arguments."""
    text = _COMMENT.sub("", _REF.sub("", cell))
    text = _TEMPLATE_ARGUMENTS.sub(_arguments, text)
    for _ in range(3):
        text = _MARKUP.sub(lambda m: m.group(1) or "", text)
    return " ".join(text.split())


def _tables(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each outermost-level table's first line number and lines (nested tables kept inside)."""
    lines = text.split("\n")
    start = None
    depth = 0
    for number, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("{|"):
            if depth == 0:
                start = number
            depth += 1
        elif stripped.startswith("|}") and depth:
            depth -= 1
            if depth == 0 and start is not None:
                yield start + 1, lines[start : number + 1]


def _partners(cell: str) -> list[str]:
    cell = _COMMENT.sub("", _REF.sub("", cell))
    outside = []
    depth = 0
    for part in re.split(r"(\{\{(?:[^{}]|\{\{[^{}]*\}\})*\}\}|\[\[[^\]]*\]\])", cell):
        if part.startswith(("{{", "[[")):
            if depth == 0:
                outside.append(part)
        else:
            depth = max(0, depth + part.count("(") - part.count(")"))
            if depth == 0 and outside and outside[-1].lower().startswith(("{{flagicon", "{{flagdeco")):
                outside.append(part)
    joined = "".join(outside)
    names = [m.group(1) for m in _FLAG.finditer(joined)]
    names += [(m.group(1) or m.group(2)).strip() for m in _IMAGE_FLAG.finditer(joined)]
    names += [CODE_NAMES[m.group(1)] for m in _CODE.finditer(joined) if m.group(1) in CODE_NAMES]
    names = [CODE_NAMES.get(name.strip(), name) if name.strip().isupper() else name for name in names]
    return [" ".join(name.split()) for name in names if name.strip()]


_HEADING = re.compile(r"^(=+)\s*(.*?)\s*\1\s*$", re.MULTILINE)


def _section_before(text: str, line: int) -> str | None:
    """The title of the last heading above a 1-based line."""
    offset = len("\n".join(text.split("\n")[: line - 1]))
    titles = [m.group(2) for m in _HEADING.finditer(text, 0, offset)]
    return _plain(titles[-1]) if titles else None


# The simple reader's own guesses for a column its header does not name (it never asks the
# parser's content rules): a column of empty header whose cells hold a flag template is the
# partner; a column whose cells' text starts with a year (or a day and month, then a year) is the
# date, unless some column of the table dates something else (a treaty signed, a stamp issued, a
# member joined), when its years are those things'.
_STARTS_WITH_YEAR = re.compile(r"^(\d{1,2}\s+[A-Za-z]+\.?\s+|[A-Za-z]+\.?\s+(\d{1,2},?\s+)?)?(1[5-9]\d\d|20\d\d)\b")
_DATES_ELSEWHERE = re.compile(r"\b(signed|signature|treaty|agreement|issue|admission|joined|accession)\b", re.I)
_GUESS_ROWS = 12


@dataclass
class OracleTable:
    """One table as the simple reader lays it out: where it is, how its layout was found (by the
    header rules, or by the reader's own guess from the cells), and its rows."""

    first_line: int
    last_line: int
    how: str  # "header", "content" or "none"
    layout: Layout | None
    rows: list[OracleRow]


def _guess(headers: list[tuple[str, int]], known: set[int], body: list[list[str]]) -> list[tuple[str, int]] | None:
    """The headers with a guessed "Country" or "Date" where the cells say so (never for a column
    the header rules placed, in ``known``), or ``None`` when nothing is guessed."""
    labels = [text for text, _ in headers]
    guessed = list(labels)
    dated_elsewhere = any(_DATES_ELSEWHERE.search(text) for text in labels)
    for position, text in enumerate(labels):
        cells = [row[position] for row in body if position < len(row) and row[position].strip()]
        if position in known or not cells:
            continue
        enough = max(min(len(cells), 2), 0.6 * len(cells))
        if not re.search(r"\w", text) and "Country" not in guessed and sum(bool(_partners(c)) for c in cells) >= enough:
            guessed[position] = "Country"
        elif (
            not dated_elsewhere
            and "Date" not in guessed
            and sum(bool(_STARTS_WITH_YEAR.match(_plain(c))) for c in cells) >= enough
        ):
            guessed[position] = "Date"
    return None if guessed == labels else [(label, 1) for label in guessed]


def oracle_tables(text: str) -> Iterator[OracleTable]:
    """Every outermost table, laid out by the header rules or else by the reader's own guess."""
    for first_line, lines in _tables(text):
        section = _section_before(text, first_line)
        chunks: list[tuple[int, str]] = [(first_line + 1, "")]
        nested = 0
        for offset, line in enumerate(lines[1:-1], start=first_line + 1):
            stripped = line.strip()
            nested += stripped.startswith("{|") - stripped.startswith("|}")
            if nested == 0 and re.match(r"^\|-", stripped):
                chunks.append((offset + 1, ""))
            else:
                chunks[-1] = (chunks[-1][0], chunks[-1][1] + line + "\n")
        caption = next((_plain(c[2:]) for _, chunk in chunks[:1] for c in chunk.split("\n") if c.startswith("|+")), "")
        chunks = [(n, "\n".join(x for x in c.split("\n") if not x.startswith("|+"))) for n, c in chunks]
        layout, header_at, how = None, 0, "none"
        for index, (_, chunk) in enumerate(chunks[:5]):
            if chunk.strip().startswith("!"):
                if index + 1 < len(chunks) and chunks[index + 1][1].strip().startswith("!"):
                    continue  # a header of two rows: the lower one names the columns
                headers = [(_plain(c), 1) for c in _split_cells(chunk.strip())]
                layout = table_layout(headers, caption, section)
                how = "header"
                if layout is None or "date" not in layout.columns:
                    body = [_split_cells(c.strip()) for _, c in chunks[index + 1 : index + 1 + _GUESS_ROWS]]
                    known = set(layout.columns.values()) if layout is not None else set()
                    guessed = _guess(headers, known, [row for row in body if row])
                    by_guess = table_layout(guessed, caption, section) if guessed else None
                    if by_guess is not None and (layout is None or "date" in by_guess.columns):
                        layout, how = by_guess, "content"
                if layout is not None:
                    header_at = index
                    break
        rows: list[OracleRow] = []
        if layout is None:
            yield OracleTable(first_line, first_line + len(lines) - 1, "none", None, rows)
            continue
        for row_line, chunk in chunks[header_at + 1 :]:
            cells = _split_cells(chunk.strip())
            if not cells or (chunk.strip().startswith("!") and "!!" not in chunk and len(cells) == 1):
                continue
            country_at = layout.columns["country"]
            if country_at >= len(cells):
                continue
            date_at = layout.columns.get("date")
            date_text = _plain(cells[date_at]) if date_at is not None and date_at < len(cells) else None
            ended_at = layout.columns.get("ended")
            ended_text = _plain(cells[ended_at]) if ended_at is not None and ended_at < len(cells) else None
            country_text = _plain(cells[country_at])
            remark = country_text.split("(", 1)[1] if "(" in country_text else None
            rows.append(OracleRow(row_line, _partners(cells[country_at]), date_text, remark, ended_text))
        yield OracleTable(first_line, first_line + len(lines) - 1, how, layout, rows)


def oracle_rows(text: str) -> Iterator[OracleRow]:
    """Every data row of every relation table, as the simple reader sees it."""
    for table in oracle_tables(text):
        yield from table.rows


# The simple reader's own words for what ends a relation, and for what brings it back.
_ENDING_WORDS = re.compile(r"\b(severed|suspended|broken off|broke off)\b", re.IGNORECASE)
_RESUMING_WORDS = re.compile(r"\b(restored|resumed|re-?established|renewed|normali[sz]ed)\b", re.IGNORECASE)
_FORMER = re.compile(
    r"\b(former(ly)?|historical|severed|defunct|suspended( diplomatic)? relations|relations suspended)\b", re.IGNORECASE
)
_ENDED_HEADER = re.compile(
    r"^!.*(relations?\s+(ended|severed|suspended)|\b(ended|until|to)\s*$)", re.IGNORECASE | re.MULTILINE
)


def former_tables(text: str) -> Iterator[tuple[int, int]]:
    """The line ranges of the tables that list former relations: under a heading or with a
    caption saying "former" (or historical, severed, defunct, "suspended relations"), or with a
    column of when relations ended or were suspended ("Formal relations ended", "Relations
    suspended", a last "To" or "Until")."""
    for first_line, lines in _tables(text):
        section = _section_before(text, first_line) or ""
        head = "\n".join(line for line in lines[:12] if line.startswith("!"))
        caption = next((line for line in lines if line.startswith("|+")), "")
        if _FORMER.search(section) or _FORMER.search(caption) or _ENDED_HEADER.search(head):
            yield first_line, first_line + len(lines) - 1


_YEAR_WORD = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def ends_the_relation(row: OracleRow) -> bool:
    """Whether the row's date cell or remark says the relation was severed or suspended last:
    nothing after that says it was restored, and the severing's year (the nearest after the word,
    else before it) is the latest year the text gives ("1993 (… until 1954, when relations were
    broken off)" is a relation since 1993)."""
    text = " ".join(t for t in (row.remark, row.date_text) if t)
    ending = [m.end() for m in _ENDING_WORDS.finditer(text)]
    resuming = [m.end() for m in _RESUMING_WORDS.finditer(text)]
    if not ending or (resuming and max(resuming) > max(ending)):
        return False
    years = [(m.start(), int(m.group(1))) for m in _YEAR_WORD.finditer(text)]
    if not years:
        return True
    after = [year for start, year in years if start >= ending[-1]]
    before = [year for start, year in years if start < ending[-1]]
    return (after[0] if after else before[-1]) == max(year for _, year in years)


# --- the checks --------------------------------------------------------------------------------


Corpus = dict[str, tuple[list[OracleRow], ParsedDocument]]


@pytest.fixture(scope="module")
def corpus_reads(corpus: dict[str, CorpusArticle]) -> Corpus:
    """Every corpus article: what the simple reader sees in it, and what the parser read from it."""
    return {name: (list(oracle_rows(entry.text)), entry.document) for name, entry in corpus.items()}


def _identities(row: RowRecord) -> set[str]:
    names = {row.country, row.country_article or ""}
    keys = {" ".join(n.split()).casefold() for n in names if n}
    keys |= {code for n in names if n and (code := iso3_for(n))}
    return keys


def _identity(name: str) -> set[str]:
    return {" ".join(name.split()).casefold()} | ({code} if (code := iso3_for(name)) else set())


def test_every_article_parses_and_has_rows_or_says_it_has_no_relation_table(corpus_reads: Corpus) -> None:
    """No article crashes the parser; an article without rows carries the 'no-relation-table' diagnostic."""
    for name, (_, document) in corpus_reads.items():
        codes = {d.code for d in document.diagnostics}
        assert document.rows or "no-relation-table" in codes, name
        assert "unreadable-table" not in codes, name


def test_every_flagged_partner_in_a_relation_table_is_extracted(corpus_reads: Corpus) -> None:
    """Each partner a flag-like template names in a relation table's country cell is a parsed row."""
    missing = []
    for name, (oracle, document) in corpus_reads.items():
        known: set[str] = set()
        for row in document.rows:
            known |= _identities(row)
        for seen in oracle:
            for partner in seen.partners:
                if not _identity(partner) & known:
                    missing.append(f"{name}:{seen.line}: {partner}")
    assert missing == [], f"{len(missing)} partners missing, e.g. {missing[:20]}"


def test_every_date_cell_is_read_with_its_year_or_reported(corpus_reads: Corpus) -> None:
    """A non-empty date cell is parsed to a year the cell shows, or carries an 'unparsed-date' diagnostic."""
    problems = []
    for name, (_, document) in corpus_reads.items():
        reported = {(d.line, d.country) for d in document.diagnostics if d.code == "unparsed-date"}
        for row in document.rows:
            if row.date is None or not row.date["raw"]:
                continue
            if row.date["year"] is not None:
                if not re.search(rf"(?<!\d){row.date['year']}(?!\d)", row.date["raw"]):
                    problems.append(f"{name}:{row.line}: {row.country} {row.date['raw']!r} read as {row.date['iso']}")
            elif (row.line, row.country) not in reported:
                problems.append(f"{name}:{row.line}: {row.country} {row.date['raw']!r} neither read nor reported")
    assert problems == [], problems[:20]


def test_no_date_cell_the_simple_reader_sees_is_lost(corpus_reads: Corpus) -> None:
    """Where the simple reader sees text in a row's date cell, the parser's row has a raw date."""
    lost = []
    for name, (oracle, document) in corpus_reads.items():
        dated = {_key for row in document.rows if row.date is not None and row.date["raw"] for _key in _identities(row)}
        for seen in oracle:
            if seen.date_text and re.search(r"\d", seen.date_text):
                for partner in seen.partners:
                    if not _identity(partner) & dated:
                        lost.append(f"{name}:{seen.line}: {partner} {seen.date_text!r}")
    assert lost == [], f"{len(lost)} dates lost, e.g. {lost[:20]}"


_LEAKS = ("{{", "}}", "[[", "]]", "<ref", "</ref")


def test_no_wiki_markup_leaks_into_any_text_field(corpus_reads: Corpus) -> None:
    """Countries, dates, notes, main articles and reference fields are plain text."""
    leaks = []
    for name, (_, document) in corpus_reads.items():
        for row in document.rows:
            fields = [row.country, row.country_article, row.notes, row.main_article, *row.notes_items]
            fields.append(row.date["raw"] if row.date else None)
            leaks += [f"{name}:{row.line}: {v[:80]!r}" for v in fields if v and any(m in v for m in _LEAKS)]
        for reference in document.references:
            values = [v for v in reference.model_dump().values() if isinstance(v, str)]
            leaks += [f"{name} ref {reference.number}: {v[:80]!r}" for v in values if any(m in v for m in _LEAKS)]
    assert leaks == [], f"{len(leaks)} leaks, e.g. {leaks[:20]}"


def test_coverage_stays_at_the_figures_the_readme_reports(corpus_reads: Corpus) -> None:
    """At least 98.5 % of non-empty date cells are read; only three articles have no relation table."""
    cells = [row.date for _, document in corpus_reads.values() for row in document.rows if row.date and row.date["raw"]]
    read = [date for date in cells if date["iso"] is not None]
    assert len(read) / len(cells) >= 0.985, f"{len(read)} of {len(cells)} date cells read"
    without = sorted(name for name, (_, document) in corpus_reads.items() if not document.rows)
    assert without == [
        "Foreign_relations_of_Korea",
        "Foreign_relations_of_Northern_Cyprus",
        "Foreign_relations_of_Somaliland",
    ]


def _in(line: int | None, ranges: list[tuple[int, int]]) -> bool:
    return line is not None and any(start <= line <= end for start, end in ranges)


def test_former_relations_are_read_and_never_current(corpus_reads: Corpus, corpus: dict[str, CorpusArticle]) -> None:
    """A table of former relations (by heading, caption or an ended column) is the one the simple
    reader lays out as former; every row the parser reads from it is a former-relations row; a
    partner only such tables name is ended, severed or suspended, never current; and each year the reader
    sees in an ended cell is an end of that partner's timeline."""
    wrong = []
    for name, entry in corpus.items():
        ranges = list(former_tables(entry.text))
        laid_out = [
            (t.first_line, t.last_line)
            for t in oracle_tables(entry.text)
            if t.layout and t.layout.kind == "former-table"
        ]
        assert laid_out == ranges, name
        wrong += [
            f"{name}:{row.line}: {row.country} read as {row.table}"
            for row in entry.document.rows
            if _in(row.line, ranges) != (row.table == "former-table")
        ]
        relations, _, _ = merge_rows(entry.document.rows)
        wrong += [
            f"{name}: {relation.country} is {relation.status}"
            for relation in relations
            if relation.in_former_table
            and not (relation.in_list or relation.in_bilateral_table)
            and relation.status not in ("ended", "severed", "suspended")
        ]
        ends = {
            key: {e.date[:4] for e in relation.events if e.kind in ("ended", "severed") and e.date}
            for relation in relations
            for key in _identity(relation.country) | _identity(relation.country_article or relation.country)
        }
        for seen in corpus_reads[name][0]:
            year = _YEAR_WORD.search(seen.ended_text or "")
            if year is None:
                continue
            for partner in seen.partners:
                if not any(year.group(1) in ends.get(key, set()) for key in _identity(partner)):
                    wrong.append(f"{name}:{seen.line}: {partner} ended {seen.ended_text!r} not an end")
    assert wrong == [], f"{len(wrong)} former-relations rows misread, e.g. {wrong[:20]}"


def test_columns_found_by_content_agree_with_the_simple_readers_guess(corpus: dict[str, CorpusArticle]) -> None:
    """Where a table's header does not say which column is the partner or the date, the simple
    reader guesses from the cells by its own rules; in those tables each partner it sees is a
    parser row of that table, with the year the reader sees first in its date cell; and the parser
    reads no row from a table the reader could lay out neither way."""
    wrong = []
    for name, entry in corpus.items():
        tables = list(oracle_tables(entry.text))
        unread = [(t.first_line, t.last_line) for t in tables if t.how == "none"]
        wrong += [
            f"{name}:{row.line}: {row.country} from an unread table"
            for row in entry.document.rows
            if _in(row.line, unread)
        ]
        for table in (t for t in tables if t.how == "content"):
            rows = [row for row in entry.document.rows if _in(row.line, [(table.first_line, table.last_line)])]
            for seen in table.rows:
                year = _STARTS_WITH_YEAR.match(seen.date_text or "")
                for partner in seen.partners:
                    same = [row for row in rows if _identity(partner) & _identities(row)]
                    if not same:
                        wrong.append(f"{name}:{seen.line}: {partner} not read")
                    elif year and not any(row.date and year.group(3) in row.date["raw"] for row in same):
                        wrong.append(f"{name}:{seen.line}: {partner} date {seen.date_text!r} not read")
    assert wrong == [], f"{len(wrong)} disagreements, e.g. {wrong[:20]}"


def test_a_row_saying_severed_or_suspended_is_not_current(corpus_reads: Corpus) -> None:
    """Where the simple reader sees 'severed' or 'suspended' last in a row's date cell or remark,
    the parser's relation is not 'current'."""
    wrong = []
    for name, (oracle, document) in corpus_reads.items():
        relations, _, _ = merge_rows(document.rows)
        status: dict[str, str] = {}
        for relation in relations:
            for key in _identity(relation.country) | _identity(relation.country_article or relation.country):
                status.setdefault(key, relation.status)
        for seen in oracle:
            if not ends_the_relation(seen):
                continue
            for partner in seen.partners:
                given = {status[key] for key in _identity(partner) if key in status}
                if "current" in given:
                    wrong.append(f"{name}:{seen.line}: {partner} {seen.remark or ''} {seen.date_text!r}")
    assert wrong == [], f"{len(wrong)} severed relations read as current, e.g. {wrong[:20]}"
