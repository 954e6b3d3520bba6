"""The wikitext parser: mwparserfromhell's tree, walked once in document order."""

from __future__ import annotations

from extractor.parse.wikitext.walk import parse_wikitext

__all__ = ["parse_wikitext"]
