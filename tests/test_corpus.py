"""Invariants of the wikitext parser over every real article in ../shared/corpus.

The parser is checked against a second, deliberately simple reader of the same wikitext: it cuts
tables, rows and cells out of the text line by line, applies the same header rules
(:func:`extractor.parse.layout.table_layout`) and lists the partners each row names with a flag-like
template, and each row's date cell. Where the two disagree, the parser has lost something.
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
from extractor.parse.layout import table_layout

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


def oracle_rows(text: str) -> Iterator[OracleRow]:
    """Every data row of every relation table, as the simple reader sees it."""
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
        caption = next((_plain(c[1:]) for _, chunk in chunks[:1] for c in chunk.split("\n") if c.startswith("|+")), "")
        chunks = [(n, "\n".join(x for x in c.split("\n") if not x.startswith("|+"))) for n, c in chunks]
        layout, header_at = None, 0
        for index, (_, chunk) in enumerate(chunks[:5]):
            if chunk.strip().startswith("!"):
                headers = [(_plain(c), 1) for c in _split_cells(chunk.strip())]
                layout = table_layout(headers, caption, section)
                if layout is not None:
                    header_at = index
                    break
        if layout is None:
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
            country_text = _plain(cells[country_at])
            remark = country_text.split("(", 1)[1] if "(" in country_text else None
            yield OracleRow(row_line, _partners(cells[country_at]), date_text, remark)


# The simple reader's own words for what ends a relation, and for what brings it back.
_ENDING_WORDS = re.compile(r"\b(severed|suspended|broken off|broke off)\b", re.IGNORECASE)
_RESUMING_WORDS = re.compile(r"\b(restored|resumed|re-?established|renewed|normali[sz]ed)\b", re.IGNORECASE)
_FORMER = re.compile(r"\bformer(ly)?\b", re.IGNORECASE)


def former_tables(text: str) -> Iterator[tuple[int, int]]:
    """The line ranges of the tables that list former relations: under a heading or with a
    caption saying "former", or with a column of when relations ended."""
    for first_line, lines in _tables(text):
        section = _section_before(text, first_line) or ""
        head = "\n".join(lines[:4])
        caption = next((line for line in lines if line.startswith("|+")), "")
        ended = re.search(r"^!.*relations?\s+ended", head, re.IGNORECASE | re.MULTILINE)
        if _FORMER.search(section) or _FORMER.search(caption) or ended:
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
            if row.date is None or not row.date.raw:
                continue
            if row.date.year is not None:
                if not re.search(rf"(?<!\d){row.date.year}(?!\d)", row.date.raw):
                    problems.append(f"{name}:{row.line}: {row.country} {row.date.raw!r} read as {row.date.iso}")
            elif (row.line, row.country) not in reported:
                problems.append(f"{name}:{row.line}: {row.country} {row.date.raw!r} neither read nor reported")
    assert problems == [], problems[:20]


def test_no_date_cell_the_simple_reader_sees_is_lost(corpus_reads: Corpus) -> None:
    """Where the simple reader sees text in a row's date cell, the parser's row has a raw date."""
    lost = []
    for name, (oracle, document) in corpus_reads.items():
        dated = {_key for row in document.rows if row.date is not None and row.date.raw for _key in _identities(row)}
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
            fields.append(row.date.raw if row.date else None)
            leaks += [f"{name}:{row.line}: {v[:80]!r}" for v in fields if v and any(m in v for m in _LEAKS)]
        for reference in document.references:
            values = [v for v in reference.model_dump().values() if isinstance(v, str)]
            leaks += [f"{name} ref {reference.number}: {v[:80]!r}" for v in values if any(m in v for m in _LEAKS)]
    assert leaks == [], f"{len(leaks)} leaks, e.g. {leaks[:20]}"


def test_coverage_stays_at_the_figures_the_readme_reports(corpus_reads: Corpus) -> None:
    """At least 98.5 % of non-empty date cells are read; only three articles have no relation table."""
    cells = [row.date for _, document in corpus_reads.values() for row in document.rows if row.date and row.date.raw]
    read = [date for date in cells if date.iso is not None]
    assert len(read) / len(cells) >= 0.985, f"{len(read)} of {len(cells)} date cells read"
    without = sorted(name for name, (_, document) in corpus_reads.items() if not document.rows)
    assert without == [
        "Foreign_relations_of_Korea",
        "Foreign_relations_of_Northern_Cyprus",
        "Foreign_relations_of_Somaliland",
    ]


def test_no_former_relation_is_read_as_current(corpus: dict[str, CorpusArticle]) -> None:
    """A row of a table of former relations (by heading, caption or an 'ended' column) is never a
    current relation: the parser reads no row from such a table."""
    found = []
    for name, entry in corpus.items():
        ranges = list(former_tables(entry.text))
        found += [
            f"{name}:{row.line}: {row.country}"
            for row in entry.document.rows
            if row.line is not None and any(start <= row.line <= end for start, end in ranges)
        ]
    assert found == [], f"{len(found)} former-relations rows read, e.g. {found[:20]}"


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
