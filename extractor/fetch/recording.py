"""Recordings: the raw answers of a MediaWiki and the requests that produced them, on disk.

A recording is a folder::

    recording.json      what was asked and how it was answered (format below)
    001-api.json        the raw body of the first answer, byte for byte as the server sent it
    002-rest.html       ...

``recording.json``::

    {
      "format": "frx-extractor recording",
      "version": 1,
      "api_url": "http://127.0.0.1:8080/w/api.php",   # null: not fetched from any wiki (a reconstruction)
      "language": "en",
      "user_agent": "frx-extractor/0.1.0 (...) python-requests/2.32.3",   # null for a reconstruction
      "source": {"obtained": "api"},                  # provenance carried into the dataset's Source
      "exchanges": [
        {"endpoint": "api.php", "params": {"action": "query", ...}, "status": 200,
         "content_type": "application/json; charset=utf-8", "file": "001-api.json"}
      ]
    }

An exchange cut out of a batch answer (:func:`page_recording`) also says ``"cut_from"``: the
params of the batch request (``revids=A|B|…``) whose answer, and its continuations, it was cut
out of; its file then holds the page's part of that answer, re-serialised.

``endpoint`` is relative to the wiki's script path (``api.php``, ``rest.php/v1/revision/7/html``),
so a replay is matched on what was asked, not on where the server happened to listen. Replaying
hands the stored bytes to the same code that read them live, which is why a replay writes a
dataset byte-identical to the live run that recorded it.

``source`` keeps how the content was obtained when it was recorded: ``{"obtained": "api"}`` for a
live run. A recording may also be a documented reconstruction (the seed revision): then
``source`` says ``"obtained": "reconstruction"`` and may carry ``licence`` and ``note``, and the
answer's unknown ids are ``null``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.atomic import replace_directory, staging_directory
from extractor.errors import RecordingError
from extractor.fetch.params import RIGHTS_PARAMS, api_params, revisions_params

__all__ = ["FORMAT", "INDEX", "VERSION", "Exchange", "Recording", "describe", "page_recording", "recorded_revision"]

FORMAT = "frx-extractor recording"
VERSION = 1
INDEX = "recording.json"
_SOURCE_KEYS = {"obtained", "licence", "note"}


@dataclass(frozen=True)
class Exchange:
    """One request and its answer."""

    endpoint: str
    params: dict[str, str]
    status: int
    content_type: str | None
    body: bytes
    #: The batch request this answer was cut out of (``None``: the server's answer to this request).
    cut_from: dict[str, str] | None = None

    def matches(self, endpoint: str, params: Mapping[str, str]) -> bool:
        """True when this exchange answers exactly that request."""
        return self.endpoint == endpoint and self.params == dict(params)


def describe(endpoint: str, params: Mapping[str, str]) -> str:
    """A request as one short line, e.g. ``api.php?titles=X&revids=7`` (only the telling params)."""
    telling = [f"{key}={params[key]}" for key in ("action", "titles", "revids", "page", "oldid") if key in params]
    return endpoint + ("?" + "&".join(telling) if telling else "")


@dataclass
class Recording:
    """A recording in memory: read with :meth:`load`, grown with :meth:`add`, written with :meth:`save`."""

    api_url: str | None
    language: str = "en"
    user_agent: str | None = None
    source: dict[str, str] = field(default_factory=lambda: {"obtained": "api"})
    exchanges: list[Exchange] = field(default_factory=list)

    def add(self, exchange: Exchange) -> None:
        """Append an exchange; an earlier answer to the same request is replaced."""
        self.exchanges = [e for e in self.exchanges if not e.matches(exchange.endpoint, exchange.params)]
        self.exchanges.append(exchange)

    def answer(self, endpoint: str, params: Mapping[str, str], *, where: Path | None = None) -> Exchange:
        """The recorded answer to exactly this request; :class:`RecordingError` when there is none.

        A request for content and the wiki's licence (:data:`~extractor.fetch.params.RIGHTS_PARAMS`)
        is also answered by the same request without the licence, recorded before it was asked
        for: such recordings stay valid, and say nothing of the licence.
        """
        older = {k: v for k, v in params.items() if k not in RIGHTS_PARAMS or params[k] != RIGHTS_PARAMS[k]}
        for wanted in (dict(params), older):
            for exchange in self.exchanges:
                if exchange.matches(endpoint, wanted):
                    return exchange
        held = "; ".join(describe(e.endpoint, e.params) for e in self.exchanges) or "nothing"
        raise RecordingError(
            f"the recording has no answer to {describe(endpoint, params)} (it holds: {held})",
            path=str(where) if where else None,
        )

    def index(self) -> dict[str, Any]:
        """The content of ``recording.json`` (file names numbered in recording order)."""
        return {
            "format": FORMAT,
            "version": VERSION,
            "api_url": self.api_url,
            "language": self.language,
            "user_agent": self.user_agent,
            "source": self.source,
            "exchanges": [
                {
                    "endpoint": e.endpoint,
                    "params": e.params,
                    "status": e.status,
                    "content_type": e.content_type,
                    "file": _file_name(number, e),
                    # Only when cut out of a batch: recordings of whole answers stay as they were.
                    **({"cut_from": e.cut_from} if e.cut_from is not None else {}),
                }
                for number, e in enumerate(self.exchanges, start=1)
            ],
        }

    def save(self, directory: Path) -> None:
        """Write the whole recording to ``directory``, replacing what was there in one step."""
        with staging_directory(directory) as staging:
            for number, exchange in enumerate(self.exchanges, start=1):
                (staging / _file_name(number, exchange)).write_bytes(exchange.body)
            text = json.dumps(self.index(), ensure_ascii=False, indent=2) + "\n"
            (staging / INDEX).write_bytes(text.encode("utf-8"))
            replace_directory(staging, directory)

    @classmethod
    def load(cls, directory: Path) -> Recording:
        """Read a recording folder; :class:`RecordingError` names what is missing or malformed."""
        index_path = directory / INDEX
        try:
            index = json.loads(index_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise RecordingError(f"no recording here (missing {INDEX})", path=str(directory)) from None
        except (OSError, ValueError) as error:
            raise RecordingError(f"unreadable recording index: {error}", path=str(index_path)) from None
        try:
            if index.get("format") != FORMAT or index.get("version") != VERSION:
                raise ValueError(f"not a {FORMAT!r} version {VERSION}")
            source = dict(index["source"])
            if not set(source) <= _SOURCE_KEYS or "obtained" not in source:
                raise ValueError(f"'source' may only hold {sorted(_SOURCE_KEYS)} and needs 'obtained'")
            exchanges = [
                Exchange(
                    endpoint=str(entry["endpoint"]),
                    params={str(k): str(v) for k, v in entry["params"].items()},
                    status=int(entry["status"]),
                    content_type=entry.get("content_type"),
                    body=(directory / entry["file"]).read_bytes(),
                    cut_from=None
                    if entry.get("cut_from") is None
                    else {str(k): str(v) for k, v in entry["cut_from"].items()},
                )
                for entry in index["exchanges"]
            ]
            return cls(
                api_url=index.get("api_url"),
                language=str(index.get("language") or "en"),
                user_agent=index.get("user_agent"),
                source=source,
                exchanges=exchanges,
            )
        except FileNotFoundError as error:
            raise RecordingError("an answer file is missing", path=str(error.filename)) from None
        except (KeyError, TypeError, ValueError, AttributeError, OSError) as error:
            raise RecordingError(f"malformed recording: {error}", path=str(index_path)) from None


def _file_name(number: int, exchange: Exchange) -> str:
    kind = exchange.endpoint.split(".php", 1)[0].rsplit("/", 1)[-1] or "answer"
    suffix = ".html" if (exchange.content_type or "").startswith("text/html") else ".json"
    return f"{number:03d}-{kind}{suffix}"


def page_recording(
    page: Mapping[str, Any],
    revision: int,
    *,
    api_url: str | None,
    language: str,
    user_agent: str | None,
    rightsinfo: Mapping[str, str] | None = None,
    cut_from: Mapping[str, str] | None = None,
) -> Recording:
    """A recording of one revision's page, cut out of an answer about many (``revids=A|B|…``).

    A batched check asks for up to 50 revisions at once; each dataset it writes gets the part of
    that answer about its page, stored as MediaWiki answers ``revids=N`` alone (the page object
    as received, and the wiki's ``rightsinfo`` as received when the answer held it, inside
    ``{"batchcomplete": true, "query": {…}}``), so that ``Fetcher.fetch_wikitext(title,
    revision=N)`` replays it through the same checks as live. The bytes are re-serialised JSON,
    not the server's; the values are the server's. ``cut_from`` (the batch request's params) is
    kept in ``recording.json``, so that the recording says what it was cut out of. (Why not the
    raw batch answer: see the README's "Committed data is reproducible offline".)
    """
    params = api_params(revisions_params(revision=revision, content=True))
    query: dict[str, Any] = {"pages": [dict(page)]}
    if rightsinfo is not None:
        query["rightsinfo"] = dict(rightsinfo)
    body = json.dumps({"batchcomplete": True, "query": query}, ensure_ascii=False, indent=1)
    exchange = Exchange(
        "api.php",
        params,
        200,
        "application/json; charset=utf-8",
        (body + "\n").encode("utf-8"),
        cut_from=None if cut_from is None else dict(cut_from),
    )
    return Recording(api_url=api_url, language=language, user_agent=user_agent, exchanges=[exchange])


def recorded_revision(directory: Path) -> int | None:
    """The revision a recording's first ``revids=N`` request asked for; ``None`` when it asked by title."""
    for exchange in Recording.load(directory).exchanges:
        raw = exchange.params.get("revids", "")
        if raw.isdigit():
            return int(raw)
    return None
