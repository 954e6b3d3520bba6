"""A country cell that is one flag template is read in one pass, as the renderer and the
partner reader read it in two."""

from __future__ import annotations

import mwparserfromhell
import pytest

from extractor.parse.wikitext.cells import Partner, read_countries, read_flag_cell
from extractor.parse.wikitext.render import Renderer


@pytest.mark.parametrize(
    "cell",
    [
        "{{flag|Australia}}\n",
        " {{Flag|Chile}} ",
        "{{flagu|Côte d'Ivoire}}",
        "{{flagcountry|CAR}}\n",
        "{{flag|People's Republic of China|name=China}}\n",
        "{{#invoke:flag||Peru}}",
        "{{flag| Holy  See }}",
    ],
)
def test_a_lone_flag_reads_as_renderer_and_partner_reader_read_it(cell: str) -> None:
    code = mwparserfromhell.parse(cell)
    assert read_flag_cell(code) == (Renderer().text(code), read_countries(code)[0])


@pytest.mark.parametrize(
    "cell",
    [
        "{{flagicon|France}} [[France]]",  # the name is beside an image-only flag
        "{{flag|A}}{{pb}}{{flag|B}}",  # two partners
        "{{flag|Taiwan}} (suspended)",  # a remark
        "{{flag|X<ref>r</ref>}}",  # a ref to number
        "{{flag|[[Chile]]}}",  # markup, not plain text
        "{{flag|}}",  # no partner named
        "[[Chile]]",
        "",
    ],
)
def test_any_other_cell_is_left_to_the_two_readers(cell: str) -> None:
    assert read_flag_cell(mwparserfromhell.parse(cell)) is None


def test_the_partner_is_the_flags_country_named_as_shown() -> None:
    code = mwparserfromhell.parse("{{flag|People's Republic of China|name=China}}")
    assert read_flag_cell(code) == ("China", Partner("China", "People's Republic of China"))
