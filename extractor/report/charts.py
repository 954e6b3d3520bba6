"""The report's pictures as inline SVG: a timeline of relations per year (with their severings and
restorations where known) and a world map.

pygal draws both in Python, to SVG, with no JavaScript and no network: the world map's outlines
come from the ``pygal_maps_world`` package (Kozea's, on PyPI), so a page drawn offline shows
the same as one drawn online. pygal's tooltip script, which it would load from a CDN, is left
out (``js=[]``); its random chart id and the dated comment it writes are made fixed, so that the
same data gives the same bytes.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pycountry
import pygal
from pygal.style import Style
from pygal_maps_world.maps import World  # not pygal.maps.world: its import hook warns on 3.11+

# Importing pygal puts a legacy import hook (for its ``pygal.maps.*`` plugins) on sys.meta_path that
# implements only find_module, so that every later import of the process, anywhere, warns
# (ImportWarning) on Python 3.10+. The map plugin is imported directly above; the hook is removed.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

__all__ = ["PERIODS", "alpha2", "period_of", "timeline_svg", "world_map_svg"]

#: The map's colour classes, by the year relations began: (label, first year, last year).
PERIODS: tuple[tuple[str, int, int], ...] = (
    ("before 1945", -9999, 1944),
    ("1945–1969", 1945, 1969),
    ("1970–1989", 1970, 1989),
    ("1990–1999", 1990, 1999),
    ("2000 or later", 2000, 9999),
)

#: The timeline's series: established, then severed, suspended, restored and ended where drawn.
_STYLE = Style(
    background="white",
    plot_background="white",
    font_family="sans-serif",
    colors=("#21918c", "#d62728", "#ff7f0e", "#2ca02c", "#7f7f7f"),
)
#: The map's classes in order: the periods from dark (early) to light (late, viridis), then grey for
#: "date unknown" and red for the subject; the family map's sizes use the first colours.
_MAP_STYLE = Style(
    background="white",
    plot_background="white",
    font_family="sans-serif",
    colors=("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725", "#9e9e9e", "#d62728"),
)


def alpha2(iso3: str | None) -> str | None:
    """The lower-case ISO 3166-1 alpha-2 code the world map names a country by (``XKX`` → ``xk``)."""
    if not iso3:
        return None
    if iso3 == "XKX":  # Kosovo's user-assigned code, which pycountry does not list
        return "xk"
    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2.lower() if country is not None else None


def period_of(year: int) -> str:
    """The label of the map's period holding ``year``."""
    return next(label for label, first, last in PERIODS if first <= year <= last)


def _fixed(svg: str, name: str) -> str:
    """pygal's output made deterministic: a fixed chart id, no generator comment with the date."""
    match = re.search(r'id="chart-([0-9a-f-]+)"', svg)
    if match:  # the random id names the chart's CSS rules and its config, with and without "chart-"
        svg = svg.replace(match.group(1), name)
    return re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)


def _render(chart: Any, name: str) -> str:
    svg: str = chart.render(is_unicode=True, disable_xml_declaration=True)
    return _fixed(svg, name)


def _bins(series: Sequence[Counter[int]]) -> tuple[list[str], list[list[int]], list[str]]:
    """Labels, each series' counts and major labels: one bar a year, or a decade over long spans."""
    every = [year for counts in series for year in counts]
    first, last = min(every), max(every)
    if last - first <= 120:
        years = range(first, last + 1)
        labels = [str(year) for year in years]
        values = [[counts.get(year, 0) for year in years] for counts in series]
        return labels, values, [str(y) for y in years if y % 10 == 0]
    # Over centuries (a few articles date relations back to the 10th century) a bar a year is too thin
    decades = range(first // 10 * 10, last // 10 * 10 + 10, 10)
    labels = [f"{decade}s" for decade in decades]
    values = [[sum(counts.get(decade + offset, 0) for offset in range(10)) for decade in decades] for counts in series]
    return labels, values, [f"{decade}s" for decade in decades if decade % 50 == 0]


def timeline_svg(years: Iterable[int], *, title: str, events: Mapping[str, Iterable[int]] | None = None) -> str:
    """A bar chart of how many relations began in each year (or decade), every one of the span on the axis.

    ``events`` adds a series per other kind of event (``"severed"``: the years relations were
    severed, …), drawn beside the established bars in the same bins; a kind with no year is
    left out, and the legend shows only when there is more than one series.
    """
    series = [("relations established", Counter(years))]
    series += [(f"relations {kind}", Counter(found)) for kind, found in (events or {}).items()]
    series = [series[0], *((label, counts) for label, counts in series[1:] if counts)]
    chart = pygal.Bar(
        js=[],
        style=_STYLE,
        title=title,
        width=900,
        height=320,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        x_label_rotation=0,
        show_minor_x_labels=False,
        truncate_label=-1,
        margin=10,
    )
    if any(counts for _, counts in series):
        labels, values, major = _bins([counts for _, counts in series])
        chart.x_labels = labels
        chart.x_labels_major = major or labels[:1]
        for (label, _), counts in zip(series, values, strict=True):
            chart.add(label, counts)
    else:
        chart.add("relations established", [])
    return _render(chart, "timeline")


def world_map_svg(classes: Mapping[str, Mapping[str, int]], order: Sequence[str], *, title: str) -> str:
    """A world map: each class (legend entry, in ``order``) colours its countries (alpha-2 → value)."""
    chart = World(js=[], style=_MAP_STYLE, title=title, width=900, height=460, legend_at_bottom=True, margin=10)
    for label in order:  # every class, even an empty one, so that a class has one colour on every page
        chart.add(label, dict(sorted(classes.get(label, {}).items())))
    return _render(chart, "map")
