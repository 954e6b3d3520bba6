"""What a country or notes cell says, read the way MediaWiki renders it."""

from __future__ import annotations

import mwparserfromhell

from extractor.parse.wikitext.cells import main_article, read_countries


def test_a_lone_flag_icon_names_its_country() -> None:
    """{{flagicon|X}} with no name beside it still names X (the page shows X's flag, linked to X)."""
    partners = read_countries(mwparserfromhell.parse("{{flagicon|Kazakhstan}}"))
    assert [(p.name, p.article) for p in partners] == [("Kazakhstan", "Kazakhstan")]


def test_a_flag_icon_beside_a_link_is_named_by_the_link() -> None:
    """The link's label and target win over the icon's argument."""
    partners = read_countries(mwparserfromhell.parse("{{flagdeco|China}} [[People's Republic of China|China]]"))
    assert [(p.name, p.article) for p in partners] == [("China", "People's Republic of China")]


def test_main_article_is_the_page_title_mediawiki_links() -> None:
    """A link target's first letter is upper case in MediaWiki, whatever the editor typed."""
    see_line = mwparserfromhell.parse("See [[greece–Kyrgyzstan relations]]\n")
    assert main_article(see_line) == "Greece–Kyrgyzstan relations"
    hatnote = mwparserfromhell.parse("{{Main|kyrgyzstan_Russia relations}}")
    assert main_article(hatnote) == "Kyrgyzstan Russia relations"
