"""The one exception tree of the extractor.

::

    ExtractorError            root: every error the tool reports to a user
    ├── InputError            a local file or folder cannot be used
    │   ├── DatasetError      a stored dataset (article.json) cannot be read
    │   └── RecordingError    a recording (offline snapshot) is missing or malformed
    ├── ShrinkError           a new extraction would replace a dataset with far fewer relations
    └── FetchError            the MediaWiki API did not give us the article
        ├── PageMissingError  the title or revision does not exist
        ├── ApiError          the API answered with an error code
        └── TransportError    HTTP status, timeout, connection or a body that is not the JSON we asked for

Every error carries its context as attributes (``title``, ``revision``, ``path`` ...), and
``str(error)`` is one line a user can act on. The library speaks of settings, not of command-line
options: when changing a setting would fix the error, ``setting`` names it (``"contact"``,
``"api_url"``, ``"title"``, ``"update"`` …), and the CLI adds the option that sets it. The CLI
turns every error into exit code 2; the library never prints.
"""

from __future__ import annotations

__all__ = [
    "ApiError",
    "DatasetError",
    "ExtractorError",
    "FetchError",
    "InputError",
    "PageMissingError",
    "RecordingError",
    "ShrinkError",
    "TransportError",
]


class ExtractorError(Exception):
    """Root of every error the extractor raises on purpose."""

    #: The setting whose change would fix this error, when one would (the CLI names its option).
    setting: str | None = None

    def __init__(self, message: str, *, setting: str | None = None) -> None:
        if setting is not None:
            self.setting = setting
        super().__init__(message)


class InputError(ExtractorError):
    """A local input (file, folder) cannot be used."""

    def __init__(
        self, message: str, *, path: str | None = None, line: int | None = None, setting: str | None = None
    ) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}: " if path and line else f"{path}: " if path else ""
        super().__init__(f"{where}{message}", setting=setting)


class DatasetError(InputError):
    """A stored dataset (``article.json`` or its folder) is missing or unreadable."""


class RecordingError(InputError):
    """A recording used by ``--offline`` is missing, malformed, or lacks the answer asked for."""


class ShrinkError(ExtractorError):
    """A new extraction of the same article has no relation table, or lost more than half of the
    stored dataset's relations: the stored dataset is kept (``setting="allow_shrink"`` writes it)."""

    def __init__(self, title: str, old: int, new: int) -> None:
        self.title = title
        self.old = old
        self.new = new
        super().__init__(f"{title}: {old} → {new} relations; kept the previous dataset", setting="allow_shrink")


class FetchError(ExtractorError):
    """The article could not be fetched from the MediaWiki API."""

    def __init__(
        self,
        message: str,
        *,
        title: str | None = None,
        revision: int | None = None,
        setting: str | None = None,
    ) -> None:
        self.title = title
        self.revision = revision
        super().__init__(message, setting=setting)


class PageMissingError(FetchError):
    """The page, title or revision does not exist (or is not a usable article)."""


class ApiError(FetchError):
    """The API answered with ``{"error": {"code": ...}}``."""

    def __init__(self, message: str, *, code: str, title: str | None = None, revision: int | None = None) -> None:
        self.code = code
        super().__init__(message, title=title, revision=revision)


class TransportError(FetchError):
    """HTTP failure, timeout, reset connection, or an answer that is not the expected JSON."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        title: str | None = None,
        revision: int | None = None,
    ) -> None:
        self.status = status
        super().__init__(message, title=title, revision=revision)
