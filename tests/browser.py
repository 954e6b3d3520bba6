"""Headless Chromium for the report's tests and screenshots (Playwright driving Debian's chromium).

Playwright's own browser download is not used: it fetches a browser build from outside the
package registries. Playwright drives the system's ``chromium`` (Debian's package, installed by
.ci/run) through ``executable_path`` instead.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["CHROMIUM", "FLAGS", "PageVisit", "chromium_path", "sort_and_search", "visit"]

CHROMIUM = ("chromium", "chromium-browser")
#: No background traffic of the browser's own, so that every request seen is the page's.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@dataclass
class PageVisit:
    """What loading one page gave: console errors, requested URLs, and the sizes of its figures."""

    url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    figures: dict[str, tuple[int, float, float]] = field(default_factory=dict)  # id → (shapes, width, height)


def chromium_path() -> str | None:
    """The system's Chromium, if installed."""
    return next((found for name in CHROMIUM if (found := shutil.which(name))), None)


def visit(pages: Sequence[Path], figures: Sequence[str], screenshots: Sequence[Path]) -> list[PageVisit]:
    """Load each page from file:// in one headless Chromium; screenshot it; measure its figures' SVG."""
    from playwright.sync_api import ConsoleMessage, Error, Request, sync_playwright

    executable = chromium_path()
    assert executable is not None
    visits = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(FLAGS))
        try:
            for path, screenshot in zip(pages, screenshots, strict=True):
                seen = PageVisit(path.resolve().as_uri())
                page = browser.new_page(viewport={"width": 1200, "height": 1500})

                def console(message: ConsoleMessage, seen: PageVisit = seen) -> None:
                    if message.type == "error":
                        seen.errors.append(message.text)

                def page_error(error: Error, seen: PageVisit = seen) -> None:
                    seen.errors.append(str(error))

                def request(request: Request, seen: PageVisit = seen) -> None:
                    seen.requests.append(request.url)

                page.on("console", console)
                page.on("pageerror", page_error)
                page.on("request", request)
                page.goto(seen.url, wait_until="load")
                for figure in figures:
                    svg = page.locator(f"#{figure} svg").first
                    box = svg.bounding_box() or {"width": 0.0, "height": 0.0}
                    shapes = page.locator(f"#{figure} svg path, #{figure} svg rect").count()
                    seen.figures[figure] = (shapes, box["width"], box["height"])
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot))
                page.close()
                visits.append(seen)
        finally:
            browser.close()
    return visits


def sort_and_search(path: Path, table: str, column: int, words: str) -> tuple[list[str], list[str], int]:
    """Click a column's header twice and type in the table's search box: that column's cells after each
    click (ascending, then descending), and how many rows stay visible."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    assert executable is not None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=list(FLAGS))
        try:
            page = browser.new_page()
            page.goto(path.resolve().as_uri(), wait_until="load")
            header = page.locator(f"#{table} thead th").nth(column)
            cells = f"#{table} tbody tr td:nth-child({column + 1})"
            header.click()
            ascending = page.locator(cells).all_text_contents()
            header.click()
            descending = page.locator(cells).all_text_contents()
            page.fill(f'input[data-table="{table}"]', words)
            visible = page.locator(f"#{table} tbody tr:visible").count()
        finally:
            browser.close()
    return ascending, descending, visible
