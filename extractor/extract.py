"""The pipeline in one place: content + where it came from → :class:`~extractor.models.Article`."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from .errors import InputError
from .merge import merge_rows
from .models import Article, Obtained, Source
from .parse_wikitext import parse_wikitext
from .rows import ParsedDocument

__all__ = [
    "INPUT_SUFFIXES",
    "article_from_document",
    "extract_content",
    "extract_file",
    "extract_wikitext",
    "licence_for",
    "make_source",
    "page_url",
]

# English Wikipedia moved its text licence from CC BY-SA 3.0 to 4.0 on 2023-06-29.
_LICENCE_SWITCH = "2023-06-29"
_LICENCES = {
    "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC BY-SA 3.0": "https://creativecommons.org/licenses/by-sa/3.0/",
}


def licence_for(revision_timestamp: str | None) -> str:
    """The licence a revision's text was published under (4.0 when the date is unknown)."""
    if revision_timestamp is not None and revision_timestamp[:10] < _LICENCE_SWITCH:
        return "CC BY-SA 3.0"
    return "CC BY-SA 4.0"


def page_url(title: str, language: str = "en", **query: str | int) -> str:
    """``https://<language>.wikipedia.org/w/index.php?title=…`` with extra query parameters."""
    base = f"https://{language}.wikipedia.org/w/index.php?title={quote(title.replace(' ', '_'), safe='')}"
    return base + "".join(f"&{key}={value}" for key, value in query.items())


def make_source(
    title: str,
    *,
    obtained: Obtained,
    language: str = "en",
    page_id: int | None = None,
    revision_id: int | None = None,
    revision_timestamp: str | None = None,
    sha1: str | None = None,
    api_url: str | None = None,
    site_url: str | None = None,
    licence: str | None = None,
    note: str | None = None,
    content_format: str = "wikitext",
) -> Source:
    """A :class:`Source` with its permalink, history link, licence and attribution filled in.

    ``site_url`` is the wiki's ``index.php`` (for a wiki other than Wikipedia); permalinks are
    only made from a real revision id, never guessed.
    """
    index = site_url or page_url(title, language).split("?")[0]
    encoded = quote(title.replace(" ", "_"), safe="")
    permalink = f"{index}?title={encoded}&oldid={revision_id}" if revision_id is not None else None
    history = f"{index}?title={encoded}&action=history"
    licence = licence or licence_for(revision_timestamp)
    revision = f"revision {revision_id} ({permalink})" if permalink else "revision id unknown"
    attribution = (
        f'Extracted and restructured from the Wikipedia article "{title}", {revision}, '
        f"by Wikipedia contributors (history: {history}); licensed under {licence}."
    )
    return Source(
        title=title,
        language=language,
        page_id=page_id,
        revision_id=revision_id,
        revision_timestamp=revision_timestamp,
        sha1=sha1,
        permalink=permalink,
        history_url=history,
        api_url=api_url,
        obtained=obtained,
        content_format=content_format,  # type: ignore[arg-type]
        licence=licence,
        licence_url=_LICENCES.get(licence, _LICENCES["CC BY-SA 4.0"]),
        attribution=attribution,
        note=note,
    )


def article_from_document(document: ParsedDocument, source: Source) -> Article:
    """Merge what a parser read into the dataset of one article."""
    relations, citations, merge_diagnostics = merge_rows(document.rows)
    return Article(
        source=source,
        relations=relations,
        references=document.references,
        citations=citations,
        diagnostics=[*document.diagnostics, *merge_diagnostics],
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
    return article_from_document(parse_wikitext(text), source)


def extract_content(content: str, source: Source) -> Article:
    """Extract from wikitext or HTML, as ``source.content_format`` says."""
    if source.content_format == "wikitext":
        return extract_wikitext(content, source)
    from .parse_html import parse_html  # local: only HTML users pay for BeautifulSoup

    return article_from_document(parse_html(content), source)


#: File types ``extract_file`` reads: wikitext, and HTML of either kind (legacy or Parsoid).
INPUT_SUFFIXES = (".wikitext", ".html")


def extract_file(path: Path, title: str | None = None) -> Article:
    """Extract one ``.wikitext`` or ``.html`` file; the title defaults to its name (``_`` as spaces)."""
    if path.suffix not in INPUT_SUFFIXES:
        raise InputError("expected a .wikitext or .html file", path=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text ({error.reason} at byte {error.start})", path=str(path)) from None
    except OSError as error:
        raise InputError(error.strerror or "cannot read", path=str(path)) from None
    title = title or path.stem.replace("_", " ")
    if path.suffix == ".html":
        from .parse_html import detect_flavour  # local: only HTML input pays for BeautifulSoup

        return extract_content(text, make_source(title, obtained="file", content_format=detect_flavour(text)))
    return extract_wikitext(text, make_source(title, obtained="file"))
