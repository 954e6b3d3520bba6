"""The shape of MediaWiki's Action API answers (``format=json&formatversion=2``), as pydantic models.

Every answer :func:`~extractor.fetch.answers.read_json` accepts is validated here before anything
reads it, so that an answer of the wrong shape (a ``title`` that is a number, ``slots`` that is a
list, a revision id of 0 or 10^20, a timestamp that is not a date) is one error saying what is
wrong in it, never a traceback or, worse, a dataset under ``out/5/``. Only what the extractor
reads is constrained; anything else MediaWiki adds is allowed (``extra="allow"``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr, ValidationError

__all__ = ["answer_problem"]

#: MediaWiki's page and revision ids are unsigned 32-bit columns.
_Id = Annotated[StrictInt, Field(gt=0, le=2**32 - 1)]


def _iso_timestamp(value: str) -> str:
    if not value.endswith("Z") or len(value) != 20:
        raise ValueError("not an ISO 8601 UTC timestamp (YYYY-MM-DDThh:mm:ssZ)")
    datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")  # raises ValueError for an impossible date
    return value


_Timestamp = Annotated[StrictStr, AfterValidator(_iso_timestamp)]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class _Slot(_Shape):
    content: StrictStr | None = None
    contentmodel: StrictStr | None = None
    contentformat: StrictStr | None = None
    sha1: StrictStr | None = None


class _Slots(_Shape):
    main: _Slot | None = None


class _Revision(_Shape):
    revid: _Id | None = None
    parentid: Annotated[StrictInt, Field(ge=0, le=2**32 - 1)] | None = None
    timestamp: _Timestamp | None = None
    sha1: StrictStr | None = None
    slots: _Slots | None = None
    contentmodel: StrictStr | None = None


class _Page(_Shape):
    pageid: _Id | None = None
    ns: StrictInt | None = None
    title: StrictStr | None = None
    missing: StrictBool | None = None
    invalid: StrictBool | None = None
    special: StrictBool | None = None
    invalidreason: StrictStr | None = None
    revisions: list[_Revision] | None = None


class _Rename(_Shape):
    source: StrictStr = Field(alias="from")
    to: StrictStr


class _Listed(_Shape):
    title: StrictStr


class _RightsInfo(_Shape):
    # Empty strings (not absent) when the wiki states no licence.
    url: StrictStr | None = None
    text: StrictStr | None = None


class _Query(_Shape):
    rightsinfo: _RightsInfo | None = None
    pages: list[_Page] | None = None
    redirects: list[_Rename] | None = None
    normalized: list[_Rename] | None = None
    converted: list[_Rename] | None = None
    allpages: list[_Listed] | None = None


class _Parse(_Shape):
    title: StrictStr | None = None
    pageid: _Id | None = None
    revid: _Id | None = None
    text: StrictStr | None = None


class _Answer(_Shape):
    query: _Query | None = None
    parse: _Parse | None = None


def answer_problem(data: dict[str, Any]) -> str | None:
    """What is wrong in an answer's shape (its first problem, with where it is), or ``None``.

    >>> answer_problem({"query": {"pages": [{"title": 5}]}})
    'query.pages.0.title: Input should be a valid string'
    >>> answer_problem({"query": {"pages": [{"title": "T", "revisions": [{"revid": 7}]}]}}) is None
    True
    """
    try:
        _Answer.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}"
    except RecursionError:
        return "nested too deeply"
    return None
