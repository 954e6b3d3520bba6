"""The dataset's data model: pydantic v2, strict, and the source of ``article.schema.json``.

An :class:`Article` is everything extracted from one revision of one article: where it came
from (:class:`Source`, with its licence), one :class:`Relation` per partner country, the
:class:`Reference` list numbered as MediaWiki numbers it, every :class:`Citation` of a reference
inside a relation row, and :class:`Diagnostic` records for what could not be read.
Unknown values are ``None`` (``null`` in JSON, an empty CSV cell), never guessed.
"""

from __future__ import annotations

import types
import typing
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:  # pandas is optional (the `pandas` extra); only to_frames() imports it
    import pandas

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "CellKind",
    "Citation",
    "ContentFormat",
    "DatePrecision",
    "Diagnostic",
    "Entity",
    "EntityKind",
    "EstablishedDate",
    "Event",
    "EventKind",
    "Mission",
    "MissionKind",
    "Obtained",
    "Reference",
    "Relation",
    "RelationStatus",
    "Source",
    "TableKind",
]

SCHEMA_VERSION = 1

DatePrecision = Literal["day", "month", "year"]
#: Which relation table a value came from: the numbered "Diplomatic relations" list or the
#: "Bilateral relations" table with notes.
TableKind = Literal["list", "bilateral-table", "former-table"]
CellKind = Literal["country", "date", "notes"]
Obtained = Literal["api", "recording", "file", "reconstruction"]
ContentFormat = Literal["wikitext", "html", "parsoid"]
#: What a partner or subject is: a UN member state, a non-member observer state, a state with
#: limited recognition, an international organisation, a state that no longer exists, a dependent
#: territory (an ISO 3166-1 code without statehood), or none of these (or not known).
EntityKind = Literal[
    "un-member", "un-observer", "partially-recognised", "organisation", "historical", "territory", "other"
]
#: What happened to a relation on a date: read from date cells, recognition columns and the
#: remark after the partner ("12 May 1950, severed 3 June 1967, restored 21 October 1991").
EventKind = Literal["established", "recognized", "severed", "suspended", "restored", "ended"]
#: Where a relation stands, from its latest event and the remark: ``unknown`` when nothing says.
RelationStatus = Literal["current", "severed", "suspended", "ended", "unknown"]
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
    licence: str = Field(
        description="Licence of the article text and so of this dataset, as the wiki states it; "
        "'unknown' when it states none."
    )
    licence_url: str | None = Field(description="Link to the licence text; null when the wiki states none.")
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
    not_before: str | None = Field(
        default=None, description="When the cell gives no date but bounds it: the earliest day it can be."
    )
    not_after: str | None = Field(
        default=None, description="When the cell gives no date but bounds it ('Before 1999'): the latest day."
    )
    approximate: bool = Field(default=False, description="True for a date given as approximate ('c. 1990').")


class Event(_Model):
    """One event of a relation's timeline, as a cell gives it."""

    kind: EventKind
    date: str | None = Field(default=None, description="ISO 8601 at its precision; null when only bounded.")
    precision: DatePrecision | None = None
    not_before: str | None = Field(default=None, description="Earliest day the event can be (ISO), when bounded.")
    not_after: str | None = Field(default=None, description="Latest day the event can be (ISO), when bounded.")
    approximate: bool = False
    raw: str = Field(description="The text the event was read from.")
    table: TableKind
    cell: CellKind


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
    country_qid: str | None = Field(
        default=None,
        description="Wikidata item of the partner's page (after redirects), as the wiki answered; null unknown.",
    )
    country_kind: EntityKind | None = Field(default=None, description="What the partner is (see Entity.kind).")
    events: list[Event] = Field(default_factory=list, description="The relation's timeline, ordered by date.")
    status: RelationStatus = Field(default="unknown", description="Where the relation stands (latest event, remark).")
    remark: str | None = Field(default=None, description="The text in parentheses after the partner ('severed').")
    recognized: str | None = Field(default=None, description="Date of the first `recognized` event.")
    not_before: str | None = Field(default=None, description="Bounds of `established` when the cell gives none.")
    not_after: str | None = Field(default=None, description="Bounds of `established` when the cell gives none.")
    missions: list[Mission] = Field(
        default_factory=list, description="Diplomatic missions the notes state, in the order they say them."
    )
    in_former_table: bool = Field(
        default=False, description="The partner has a row in a table of former relations (its events say when)."
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


class Entity(_Model):
    """One country, state, organisation or territory, the same whatever the spelling an article uses."""

    key: str = Field(description="The page title of the entity (after redirects when the wiki was asked).")
    name: str = Field(description="The name most articles use for it.")
    qid: str | None = Field(default=None, description="Wikidata item of its page, as the wiki answered; null unknown.")
    iso3: str | None = Field(default=None, description="ISO 3166-1 alpha-3 code (Kosovo: XKX).")
    gw_code: int | None = Field(default=None, description="Gleditsch–Ward code (the codes extra); else null.")
    un_member_since: int | None = Field(default=None, description="Year admitted to the UN, for a member.")
    kind: EntityKind
    names: list[str] = Field(default_factory=list, description="Every spelling seen (names and page titles).")


class Article(_Model):
    """The dataset of one article revision."""

    schema_version: int = SCHEMA_VERSION
    source: Source
    relations: list[Relation]
    references: list[Reference]
    citations: list[Citation]
    diagnostics: list[Diagnostic] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list, description="The subject and partners as entities.")

    def citations_of(self, relation: Relation) -> list[Citation]:
        """The citations inside ``relation``'s row (its cells in either table), in the article's order."""
        return [citation for citation in self.citations if citation.country == relation.country]

    def references_of(self, relation: Relation) -> list[Reference]:
        """The references ``relation``'s row cites, each once, in MediaWiki's numbering."""
        numbers = {citation.reference_number for citation in self.citations_of(relation)}
        return [reference for reference in self.references if reference.number in numbers]

    def to_frames(self) -> dict[str, pandas.DataFrame]:
        """``relations``, ``references``, ``citations`` and ``diagnostics`` as pandas DataFrames.

        Columns are the models' scalar fields (the nested date cells and bullet lists are left to
        ``article.json``), typed as pandas' nullable ``Int64``, ``boolean`` and ``string``, so that
        unknown is ``<NA>`` and never ``0``, ``False`` or ``""``. Needs pandas (the `pandas` extra).
        """
        try:
            import pandas
        except ImportError as error:
            raise ImportError("Article.to_frames() needs pandas: pip install 'frx-extractor[pandas]'") from error
        tables: dict[str, tuple[type[BaseModel], list[Any]]] = {
            "relations": (Relation, self.relations),
            "references": (Reference, self.references),
            "citations": (Citation, self.citations),
            "diagnostics": (Diagnostic, self.diagnostics),
        }
        frames = {}
        for name, (model, items) in tables.items():
            dtypes = _frame_dtypes(model)
            rows = [{column: getattr(item, column) for column in dtypes} for item in items]
            frame = pandas.DataFrame(rows, columns=list(dtypes))
            frames[name] = frame.astype(dtypes)
        return frames


def _frame_dtypes(model: type[BaseModel]) -> dict[str, str]:
    """The pandas dtype of each scalar field of ``model``: Int64, boolean or string (nested fields left out)."""
    dtypes = {}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
            annotation = next(arg for arg in typing.get_args(annotation) if arg is not type(None))
        if annotation is bool:
            dtypes[name] = "boolean"
        elif annotation is int:
            dtypes[name] = "Int64"
        elif annotation is str or typing.get_origin(annotation) is Literal:
            dtypes[name] = "string"
    return dtypes
