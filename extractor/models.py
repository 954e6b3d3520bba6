"""The dataset's data model: pydantic v2, strict, and the source of ``article.schema.json``.

An :class:`Article` is everything extracted from one revision of one article: where it came
from (:class:`Source`, with its licence), one :class:`Relation` per partner country, the
:class:`Reference` list numbered as MediaWiki numbers it, every :class:`Citation` of a reference
inside a relation row, and :class:`Diagnostic` records for what could not be read.
Unknown values are ``None`` (``null`` in JSON, an empty CSV cell), never guessed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "CellKind",
    "Citation",
    "ContentFormat",
    "DatePrecision",
    "Diagnostic",
    "EstablishedDate",
    "Mission",
    "MissionKind",
    "Obtained",
    "Reference",
    "Relation",
    "Source",
    "TableKind",
]

SCHEMA_VERSION = 1

DatePrecision = Literal["day", "month", "year"]
#: Which relation table a value came from: the numbered "Diplomatic relations" list or the
#: "Bilateral relations" table with notes.
TableKind = Literal["list", "bilateral-table"]
CellKind = Literal["country", "date", "notes"]
Obtained = Literal["api", "recording", "file", "reconstruction"]
ContentFormat = Literal["wikitext", "html", "parsoid"]
#: What a diplomatic mission is: ``office`` is a trade, liaison or representative office,
#: ``mission`` one to an organisation.
MissionKind = Literal[
    "embassy", "high-commission", "consulate-general", "consulate", "honorary-consulate", "office", "mission"
]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=False)


class Source(_Model):
    """Where the data came from, and the licence and attribution it carries."""

    title: str = Field(description="Canonical article title, e.g. 'Foreign relations of Kyrgyzstan'.")
    language: str = Field(default="en", description="Wikipedia language code.")
    page_id: int | None = Field(default=None, description="MediaWiki page id; null when unknown.")
    revision_id: int | None = Field(default=None, description="Revision id; null when unknown.")
    revision_timestamp: str | None = Field(default=None, description="ISO 8601 UTC time of the revision.")
    sha1: str | None = Field(default=None, description="SHA-1 of the revision's content, from the API.")
    permalink: str | None = Field(
        default=None, description="Permanent link of the revision (…/w/index.php?title=…&oldid=N)."
    )
    history_url: str | None = Field(default=None, description="The article's history page (its authors).")
    api_url: str | None = Field(default=None, description="The api.php the content was fetched from.")
    obtained: Obtained = Field(
        description="How the content was obtained: live from the API, replayed from a recording, "
        "read from a local file, or a documented reconstruction."
    )
    content_format: ContentFormat = Field(default="wikitext", description="What was parsed.")
    licence: str = Field(description="Licence of the article text and so of this dataset.")
    licence_url: str = Field(description="Link to the licence text.")
    attribution: str = Field(description="Attribution statement for reuse of this dataset.")
    note: str | None = Field(default=None, description="Anything a reuser must know about the source.")


class Diagnostic(_Model):
    """Something the parser could not read, or read with a caveat. Never fatal."""

    severity: Literal["warning", "error"]
    code: str = Field(description="Stable machine-readable code, e.g. 'unparsed-date'.")
    message: str
    table: TableKind | None = None
    country: str | None = Field(default=None, description="The row's country, when known.")
    line: int | None = Field(default=None, description="1-based line in the source text, when known.")


class EstablishedDate(_Model):
    """A date as a cell gives it: raw text, parsed value and precision."""

    raw: str = Field(description="The cell as a reader sees it (markup removed); '' when empty.")
    iso: str | None = Field(default=None, description="ISO 8601 at its precision: 1992-10-06, 1993-01, 1992.")
    precision: DatePrecision | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None


class Mission(_Model):
    """A diplomatic mission a notes sentence states between the article's subject and a partner."""

    sender: str = Field(description="Whose mission it is: the subject or the partner, as the dataset names it.")
    receiver: str = Field(description="The side it serves: the other of the two.")
    kind: MissionKind
    city: str | None = Field(default=None, description="Where it is: the city's link target, else as written.")
    resident: bool | None = Field(
        default=None,
        description="False when the mission serving the receiver sits in a third country (then "
        "accredited_from_* say where); null when the sentence does not tell.",
    )
    accredited_from_city: str | None = Field(default=None, description="The city of a non-resident mission.")
    accredited_from_country: str | None = Field(
        default=None, description="The third country of a non-resident mission, as written."
    )
    negated: bool = Field(default=False, description="True for 'X does not have an embassy in Y'.")
    sentence: str = Field(description="The notes sentence it was read from.")
    citations: list[int] = Field(default_factory=list, description="Reference numbers the sentence cites.")


class Relation(_Model):
    """One partner country of the article's subject, merged from every relation table."""

    country: str = Field(description="Partner's display name as the article shows it.")
    country_article: str | None = Field(default=None, description="Link target of the country cell.")
    iso3: str | None = Field(default=None, description="ISO 3166-1 alpha-3 code where one resolves.")
    established: str | None = Field(default=None, description="ISO 8601 date at its precision.")
    established_precision: DatePrecision | None = None
    established_raw: str | None = Field(default=None, description="The cell text the date was read from.")
    established_source: TableKind | None = Field(
        default=None, description="Which table gave `established` (the list wins over the bilateral table)."
    )
    year: int | None = None
    month: int | None = None
    day: int | None = None
    date_conflict: bool = Field(
        default=False,
        description="True when the list and the bilateral table give dates that disagree at the "
        "coarser of their two precisions.",
    )
    list_number: int | None = Field(default=None, description="The '#' of the numbered list ('—' is null).")
    list_date: EstablishedDate | None = Field(default=None, description="The list's date cell.")
    table_date: EstablishedDate | None = Field(default=None, description="The bilateral table's date cell.")
    in_list: bool = False
    in_bilateral_table: bool = False
    main_article: str | None = Field(default=None, description="The 'See X–Y relations' / {{Main}} target.")
    notes: str | None = Field(default=None, description="Notes as plain text; bullet items one per line.")
    notes_items: list[str] = Field(default_factory=list, description="Bullet items of the notes, in order.")
    section: str | None = Field(default=None, description="Heading of the section holding the row.")
    missions: list[Mission] = Field(
        default_factory=list, description="Diplomatic missions the notes state, in the order they say them."
    )


class Reference(_Model):
    """One entry of the reference list, numbered as MediaWiki numbers it."""

    number: int = Field(description="Footnote number: order of first use in the text.")
    name: str | None = Field(default=None, description="The ref's name= attribute.")
    group: str | None = Field(default=None, description="The ref's group= (footnote groups are numbered apart).")
    template: str | None = Field(default=None, description="Citation template used, lower-case ('cite web').")
    title: str | None = None
    url: str | None = None
    work: str | None = Field(default=None, description="work=, website=, newspaper=, journal=, …")
    publisher: str | None = None
    date: str | None = None
    access_date: str | None = None
    archive_url: str | None = None
    archive_date: str | None = None
    text: str | None = Field(default=None, description="The reference as a reader sees it, as plain text.")
    citation_count: int = Field(description="How often the article cites it (the a b c … backlinks).")


class Citation(_Model):
    """One occurrence of a reference inside a relation row."""

    country: str
    reference_number: int
    cell: CellKind
    table: TableKind


class Article(_Model):
    """The dataset of one article revision."""

    schema_version: int = SCHEMA_VERSION
    source: Source
    relations: list[Relation]
    references: list[Reference]
    citations: list[Citation]
    diagnostics: list[Diagnostic] = Field(default_factory=list)
