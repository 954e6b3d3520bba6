"""Where a dataset's text came from: the article, its revision, permalink and licence.

Every dataset carries its attribution (the article, its authors, its licence), made here once for
every way in: a live fetch, a replayed recording, a local file.

The licence is the one the wiki states with the content (``meta=siteinfo&siprop=rightsinfo``,
read by :mod:`extractor.fetch`, handed in as ``licence``/``licence_url``), :data:`UNKNOWN_LICENCE`
when it states none. Without a statement at all (a local file, or an answer recorded before the
licence was asked for) :func:`licence_for` applies: English Wikipedia's licence by revision date.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from extractor.errors import InputError
from extractor.models import Obtained, Source

__all__ = ["UNKNOWN_LICENCE", "licence_for", "make_source", "page_url", "stated_licence"]

# What MediaWiki never has in a title, and UTF-8 cannot write.
_NOT_IN_TITLES = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")

# English Wikipedia moved its text licence from CC BY-SA 3.0 to 4.0 on 2023-06-29.
_LICENCE_SWITCH = "2023-06-29"


#: The licence of text from a wiki that states none (its URL stays null: never invented).
UNKNOWN_LICENCE = "unknown"

_LICENCES = {
    "CC BY-SA 4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "CC BY-SA 3.0": "https://creativecommons.org/licenses/by-sa/3.0/",
}


def licence_for(revision_timestamp: str | None) -> str:
    """The licence a revision's text was published under (4.0 when the date is unknown)."""
    if revision_timestamp is not None and revision_timestamp[:10] < _LICENCE_SWITCH:
        return "CC BY-SA 3.0"
    return "CC BY-SA 4.0"


def stated_licence(text: str, url: str) -> tuple[str, str | None]:
    """The licence and its URL as a wiki states them (``rightsinfo``); :data:`UNKNOWN_LICENCE` for none.

    >>> stated_licence("Creative Commons Attribution-Share Alike 4.0", "https://creativecommons.org/licenses/by-sa/4.0/")
    ('Creative Commons Attribution-Share Alike 4.0', 'https://creativecommons.org/licenses/by-sa/4.0/')
    >>> stated_licence("", "")
    ('unknown', None)
    """
    text, url = " ".join(text.split()), url.strip()
    # A wiki with only a URL is named by it: the URL is what it states, and no name is made up.
    return (text or url or UNKNOWN_LICENCE), (url or None)


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
    licence_url: str | None = None,
    note: str | None = None,
    content_format: str = "wikitext",
) -> Source:
    """A :class:`Source` with its permalink, history link, licence and attribution filled in.

    ``site_url`` is the wiki's ``index.php`` (for a wiki other than Wikipedia); permalinks are
    only made from a real revision id, never guessed. A title holding a control character (a
    line break) or an undecodable byte of a file name (a lone surrogate) names no article and
    could not be written: :class:`~extractor.errors.InputError` with ``setting="title"``.

    ``licence`` (with ``licence_url``) is the licence the wiki stated; ``None`` means it stated
    nothing, and :func:`licence_for` decides. A licence named without a URL gets the URL of the
    CC BY-SA version it names, else none.
    """
    if _NOT_IN_TITLES.search(title):
        raise InputError(f"{title!r} is not a usable title (control characters or undecodable bytes)", setting="title")
    index = site_url or page_url(title, language).split("?")[0]
    encoded = quote(title.replace(" ", "_"), safe="")
    permalink = f"{index}?title={encoded}&oldid={revision_id}" if revision_id is not None else None
    history = f"{index}?title={encoded}&action=history"
    licence = licence or licence_for(revision_timestamp)
    licence_url = licence_url or _LICENCES.get(licence)
    revision = f"revision {revision_id} ({permalink})" if permalink else "revision id unknown"
    terms = "the wiki states no licence" if licence == UNKNOWN_LICENCE else f"licensed under {licence}"
    attribution = (
        f'Extracted and restructured from the Wikipedia article "{title}", {revision}, '
        f"by Wikipedia contributors (history: {history}); {terms}."
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
        licence_url=licence_url,
        attribution=attribution,
        note=note,
    )
