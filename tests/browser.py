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

__all__ = ["CHROMIUM", "FLAGS", "PageVisit", "chromium_path", "visit"]

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
                page = browser.new_page(viewport={"width": 1200, "height": 1000})

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
