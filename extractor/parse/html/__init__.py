"""The HTML parser: legacy (``action=parse``) and Parsoid HTML, with BeautifulSoup and lxml."""

from __future__ import annotations

from extractor.parse.html.walk import Flavour, detect_flavour, parse_html

__all__ = ["Flavour", "detect_flavour", "parse_html"]
