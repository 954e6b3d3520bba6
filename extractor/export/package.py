"""``datapackage.json``: a Frictionless (Tabular) Data Package v1 descriptor for a dataset folder.

It describes each CSV of the folder from the columns it actually has and their definitions in
:data:`~extractor.export.fields.FIELDS`: field names, types (booleans ``true``/``false``, unknown
``""``), primary and foreign keys, the licence and the sources (each revision's permalink).
Written with the dataset, deterministically (no timestamps, keys in a fixed order).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from extractor.export.fields import column
from extractor.source import UNKNOWN_LICENCE

__all__ = ["PACKAGE_FILE", "PackageSource", "package_json", "resource"]

PACKAGE_FILE = "datapackage.json"

#: Keys of one article's folder: a citation points at its reference and at its relation row.
_KEYS: dict[str, dict[str, Any]] = {
    "references.csv": {"primaryKey": ["number"]},
    "citations.csv": {
        "foreignKeys": [
            {"fields": ["reference_number"], "reference": {"resource": "references", "fields": ["number"]}},
            {"fields": ["country"], "reference": {"resource": "relations", "fields": ["country"]}},
        ]
    },
    "events.csv": {
        "foreignKeys": [{"fields": ["country"], "reference": {"resource": "relations", "fields": ["country"]}}]
    },
    "missions.csv": {
        "foreignKeys": [{"fields": ["country"], "reference": {"resource": "relations", "fields": ["country"]}}]
    },
}


@dataclass(frozen=True)
class PackageSource:
    """Where a dataset's data came from: an article revision, and its licence."""

    title: str
    permalink: str | None
    licence: str
    licence_url: str | None


def _field(table: str, name: str) -> dict[str, Any]:
    definition = column(table, name)
    field: dict[str, Any] = {"name": name, "type": definition.type}
    if definition.description:
        field["description"] = definition.description
    if definition.type == "boolean":
        field["trueValues"] = ["true"]
        field["falseValues"] = ["false"]
    constraints: dict[str, Any] = {}
    if definition.required:
        constraints["required"] = True
    if definition.enum:
        constraints["enum"] = list(definition.enum)
    if definition.pattern:
        constraints["pattern"] = definition.pattern
    if constraints:
        field["constraints"] = constraints
    return field


def resource(table: str, path: str, columns: Sequence[str], *, keys: bool = True) -> dict[str, Any]:
    """The resource of one CSV file: ``table`` names its definitions in ``FIELDS``, ``path`` the file."""
    schema: dict[str, Any] = {"fields": [_field(table, name) for name in columns], "missingValues": [""]}
    if keys:
        schema.update(_KEYS.get(table, {}))
    return {
        "name": path.removesuffix(".csv"),
        "path": path,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": schema,
    }


#: A Creative Commons licence's deed URL: its code and version make its SPDX id.
_CC_URL = re.compile(r"https?://creativecommons\.org/licenses/([a-z-]+)/(\d+(?:\.\d+)*)/?", re.IGNORECASE)
#: The Open Definition id a data package gives a licence nobody stated (Frictionless needs a name or a path).
_NOT_SPECIFIED = "notspecified"


def _licence_name(source: PackageSource) -> str | None:
    """The licence's SPDX id when it can be read off what the wiki stated, else ``None``."""
    if source.licence_url and (deed := _CC_URL.fullmatch(source.licence_url)):
        return f"CC-{deed.group(1).upper()}-{deed.group(2)}"  # .../by-sa/4.0/ → CC-BY-SA-4.0
    if re.fullmatch(r"CC [A-Z-]+ \d+(?:\.\d+)*", source.licence):
        return source.licence.replace(" ", "-")  # "CC BY-SA 4.0" → the SPDX id "CC-BY-SA-4.0"
    return None


def _licences(sources: Sequence[PackageSource]) -> list[dict[str, str]]:
    seen: dict[str, dict[str, str]] = {}
    for source in sources:
        if source.licence_url is None and source.licence == UNKNOWN_LICENCE:
            entry = {"name": _NOT_SPECIFIED, "title": "unknown: the wiki states no licence"}
        else:
            entry = {"name": name} if (name := _licence_name(source)) else {}
            entry.update({"path": source.licence_url} if source.licence_url else {})
            entry["title"] = source.licence
        seen.setdefault(entry.get("name") or entry.get("path") or source.licence, entry)
    return [seen[key] for key in sorted(seen)]


def _source(source: PackageSource) -> dict[str, str]:
    entry = {"title": f"Wikipedia: {source.title}"}
    if source.permalink:  # unknown stays unknown: no invented link for a revision without an id
        entry["path"] = source.permalink
    return entry


def package_json(
    name: str, title: str, resources: Sequence[Mapping[str, Any]], sources: Sequence[PackageSource]
) -> bytes:
    """The descriptor as pretty-printed JSON; ``name`` is the folder's slug."""
    descriptor = {
        "profile": "tabular-data-package",
        "name": name,
        "title": title,
        "licenses": _licences(sources),
        "sources": [_source(source) for source in sources],
        "resources": list(resources),
    }
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
