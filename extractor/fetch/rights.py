"""The licence a wiki states for its text: ``query.rightsinfo`` of ``meta=siteinfo&siprop=rightsinfo``.

Every content request asks for it (:data:`~extractor.fetch.params.RIGHTS_PARAMS`), in the same
request as the content, so that a dataset names the licence its text was served under. MediaWiki
answers ``{"url": …, "text": …}`` from the wiki's ``$wgRightsUrl``/``$wgRightsText`` (or
``$wgRightsPage``), both empty strings when the wiki states none: the licence is then
:data:`~extractor.source.UNKNOWN_LICENCE`, with no URL.

An answer without ``rightsinfo`` — recorded before the licence was asked for, or an
``action=parse``/REST answer, which cannot carry it — says nothing either way. For a Wikimedia
wiki (and a reconstruction, which names no wiki and whose links point at Wikipedia) the licence
then follows English Wikipedia's published rule by revision date
(:func:`~extractor.source.licence_for`), as it did before the wiki was asked, so that committed
data and stored recordings keep their meaning; for any other wiki it is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from extractor.fetch.params import is_wikimedia
from extractor.source import UNKNOWN_LICENCE, stated_licence

__all__ = ["WikiRights", "licence_of", "read_rights"]


@dataclass(frozen=True)
class WikiRights:
    """What a wiki states about the licence of its text (empty strings: nothing)."""

    text: str
    url: str

    def as_answer(self) -> dict[str, str]:
        """As MediaWiki answers it (``query.rightsinfo``)."""
        return {"url": self.url, "text": self.text}


def read_rights(answers: Mapping[str, Any] | Iterable[Mapping[str, Any]]) -> WikiRights | None:
    """The ``rightsinfo`` of an answer (or of the first of several that has it); ``None`` when absent.

    The answer's shape was checked on reading (:mod:`extractor.fetch.shapes`): url and text are
    strings when present.
    """
    for data in [answers] if isinstance(answers, Mapping) else answers:
        query = data.get("query")
        info = query.get("rightsinfo") if isinstance(query, Mapping) else None
        if isinstance(info, Mapping):
            return WikiRights(text=str(info.get("text") or ""), url=str(info.get("url") or ""))
    return None


def licence_of(rights: WikiRights | None, api_url: str | None) -> tuple[str | None, str | None]:
    """The licence and URL for :func:`~extractor.source.make_source` (``None``: its date rule decides)."""
    if rights is not None:
        return stated_licence(rights.text, rights.url)
    if api_url is None or is_wikimedia(api_url):
        return None, None
    return UNKNOWN_LICENCE, None
