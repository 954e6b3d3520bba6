"""The pipeline in one place: content + where it came from → :class:`~extractor.models.Article`."""

from __future__ import annotations

import stat
from collections.abc import MutableMapping
from pathlib import Path

from extractor.collector import collector_paused
from extractor.countries import subject_of_title
from extractor.entities import EntityTable, Mention, entity_table, partner_kind, partner_mentions
from extractor.errors import InputError
from extractor.merge import merged_rows
from extractor.models import Article, Source
from extractor.parse.document import ParsedDocument
from extractor.parse.wikitext.walk import parse_wikitext
from extractor.source import make_source

__all__ = [
    "INPUT_SUFFIXES",
    "MAX_INPUT_BYTES",
    "article_from_document",
    "extract_content",
    "extract_file",
    "extract_html",
    "extract_wikitext",
]


def article_from_document(
    document: ParsedDocument,
    source: Source,
    *,
    entity_tables: MutableMapping[tuple[Mention, ...], EntityTable] | None = None,
) -> Article:
    """Merge what a parser read into the dataset of one article.

    Its entities are those the reviewed tables give; what needs the wiki's answer (the Wikidata
    items, redirects) is added by :func:`extractor.entities.with_entities` where it was fetched.
    ``entity_tables`` is that function's cache of entity tables (``history`` passes one).
    """
    # What with_entities(article, {}) would add, given at once: each relation and the article are
    # built once, not built and then copied with the partners' kinds and the entities.
    merged = merged_rows(document.rows, subject_of_title(source.title), kind_of=partner_kind)
    table = entity_table(partner_mentions(source.title, merged.partners), {}, tables=entity_tables)
    # The relations and citations are still their fields: validated here with the article, in one
    # call into pydantic's core, not one call per model.
    return Article.model_validate(
        {
            "source": source,
            "relations": merged.relations,
            "references": document.references,
            "citations": merged.citations,
            "diagnostics": [*document.diagnostics, *merged.diagnostics],
            "entities": table.entities(),
        }
    )


def extract_wikitext(text: str, source: Source) -> Article:
    """Extract the dataset of one article from its wikitext.

    >>> from extractor import extract_wikitext, make_source
    >>> article = extract_wikitext(
    ...     "{| class=wikitable\\n! Country !! Formal relations began\\n|-\\n| {{flag|Chile}} || 1992\\n|}",
    ...     make_source("Foreign relations of X", obtained="file"),
    ... )
    >>> article.relations[0].country, article.relations[0].established
    ('Chile', '1992')
    """
    # The collector stays paused from the parse (parse_wikitext pauses it too) through the merge,
    # and so while the parse tree is freed between the two.
    with collector_paused():
        return article_from_document(parse_wikitext(text), source)


def extract_content(content: str, source: Source) -> Article:
    """Extract from wikitext or HTML, as ``source.content_format`` says."""
    if source.content_format == "wikitext":
        return extract_wikitext(content, source)
    from extractor.parse.html.walk import parse_html  # local: only HTML users pay for BeautifulSoup

    return article_from_document(parse_html(content), source)


def extract_html(html: str, source: Source) -> Article:
    """Extract the dataset of one article from its HTML, legacy (``action=parse``) or Parsoid.

    A source that still says ``wikitext`` (``make_source``'s default) gets the flavour the HTML
    shows (``html`` or ``parsoid``); one that names an HTML flavour is kept as it is.
    """
    from extractor.parse.html.walk import detect_flavour, parse_html  # local: only HTML users load BeautifulSoup

    if source.content_format == "wikitext":
        source = source.model_copy(update={"content_format": detect_flavour(html)})
    return article_from_document(parse_html(html), source)


#: File types ``extract_file`` reads: wikitext, and HTML of either kind (legacy or Parsoid).
INPUT_SUFFIXES = (".wikitext", ".html")
#: The largest input read (bytes): 50 MB of wikitext took minutes and gigabytes; the largest real
#: article is well under 1 MB.
MAX_INPUT_BYTES = 20 * 2**20


def extract_file(path: Path, title: str | None = None, *, max_bytes: int = MAX_INPUT_BYTES) -> Article:
    """Extract one ``.wikitext`` or ``.html`` file; the title defaults to its name (``_`` as spaces).

    Only a regular file is read (a FIFO or a device would block forever), and none over
    ``max_bytes`` (:class:`InputError` with ``setting="max_bytes"``).
    """
    if path.suffix not in INPUT_SUFFIXES:
        raise InputError("expected a .wikitext or .html file", path=str(path))
    try:
        mode = path.stat()
        if not stat.S_ISREG(mode.st_mode):
            raise InputError("not a regular file (a FIFO, device or socket is not read)", path=str(path))
        if mode.st_size > max_bytes:
            raise InputError(
                f"{mode.st_size} bytes, over the {max_bytes}-byte limit", path=str(path), setting="max_bytes"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
        if len(data) > max_bytes:  # it grew since stat
            raise InputError(f"over the {max_bytes}-byte limit", path=str(path), setting="max_bytes")
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text ({error.reason} at byte {error.start})", path=str(path)) from None
    except OSError as error:
        raise InputError(error.strerror or "cannot read", path=str(path)) from None
    title = title or path.stem.replace("_", " ")
    if path.suffix == ".html":
        from extractor.parse.html.walk import detect_flavour  # local: only HTML input pays for BeautifulSoup

        return extract_content(text, make_source(title, obtained="file", content_format=detect_flavour(text)))
    return extract_wikitext(text, make_source(title, obtained="file"))
