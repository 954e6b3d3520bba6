"""The rule cases of ``tests/cases/*.toml``, each run through both parsers.

Every case holds a small piece of wikitext, the legacy HTML MediaWiki renders for it (stored by
``scripts/render_cases.py``, so no wiki runs here) and the dataset both must give, limited to the
fields the case is about. Each case runs twice, ``parse_wikitext`` and ``parse_html``, and then the
merge (``article_from_document``); the ids read ``topic:name[parser]``. See ``tests/cases/README.md``
for the format.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel

from extractor.extract import article_from_document
from extractor.models import Article, Citation, Reference, Relation
from extractor.parse.html import parse_html
from extractor.parse.wikitext import parse_wikitext
from extractor.source import make_source
from tests.support import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

CASES = ROOT / "tests" / "cases"
RENDER_SCRIPT = ROOT / "scripts" / "render_cases.py"
PARSERS = ("wikitext", "html")
#: The title every case is rendered and read under (scripts/render_cases.py saves it as this page).
TITLE = "Foreign relations of Testland"

CASE_KEYS = {"name", "rule", "wikitext", "expected", "expected_html", "why", "html"}
EXPECTED_KEYS = {"relations", "citations", "references", "diagnostics"}
#: Inside an expected relation, citation or reference: the fields that must be null
#: (TOML has no null).
NULL = "null"
#: The model whose fields each expected list names.
MODELS: dict[str, type[BaseModel]] = {"relations": Relation, "citations": Citation, "references": Reference}


@dataclass(frozen=True)
class Case:
    """One rule case of a topic file."""

    topic: str
    name: str
    rule: str
    wikitext: str
    html: str | None
    expected: dict[str, Any]
    expected_html: dict[str, Any] = field(default_factory=dict)
    why: str | None = None

    @property
    def id(self) -> str:
        """``topic:name``, the case's readable id."""
        return f"{self.topic}:{self.name}"

    def expected_for(self, parser: str) -> dict[str, Any]:
        """The expected values for ``parser``: ``expected``, with ``expected_html``'s keys replaced."""
        if parser == "html":
            return {**self.expected, **self.expected_html}
        return dict(self.expected)


def _validate(raw: dict[str, Any], where: str) -> None:
    """Raise on a malformed case: unknown or missing keys, a field no model has, an unexplained difference."""
    unknown = set(raw) - CASE_KEYS
    missing = {"name", "rule", "wikitext", "expected"} - set(raw)
    if unknown or missing:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
    for key in ("expected", "expected_html"):
        if set(raw.get(key, {})) - EXPECTED_KEYS:
            raise ValueError(f"{where}: {key} may hold only {sorted(EXPECTED_KEYS)}")
        for kind, model in MODELS.items():
            for item in raw.get(key, {}).get(kind, []):
                named = (set(item) - {NULL}) | set(item.get(NULL, []))
                if named - set(model.model_fields):
                    raise ValueError(
                        f"{where}: {key}.{kind} names no such field {sorted(named - set(model.model_fields))}"
                    )
    if "relations" not in raw["expected"]:
        raise ValueError(f"{where}: expected.relations is required (an empty list for none)")
    if ("expected_html" in raw) != ("why" in raw):
        raise ValueError(f"{where}: expected_html and why go together (say why the HTML differs)")


def load_cases(folder: Path = CASES) -> list[Case]:
    """Every case of every topic file, in file and then case order; raises on a malformed file."""
    cases: list[Case] = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        if set(data) != {"case"}:
            raise ValueError(f"{path.name}: expected only [[case]] tables, found {sorted(data)}")
        names: set[str] = set()
        for number, raw in enumerate(data["case"], 1):
            where = f"{path.name}, case {number} ({raw.get('name', '?')})"
            _validate(raw, where)
            if raw["name"] in names:
                raise ValueError(f"{where}: the name is used twice in {path.name}")
            names.add(raw["name"])
            cases.append(
                Case(
                    topic=path.stem,
                    name=raw["name"],
                    rule=raw["rule"],
                    wikitext=raw["wikitext"],
                    html=raw.get("html"),
                    expected=raw["expected"],
                    expected_html=raw.get("expected_html", {}),
                    why=raw.get("why"),
                )
            )
    return cases


def run(case: Case, parser: str) -> Article:
    """The dataset ``parser`` gives for the case's wikitext or HTML."""
    if parser == "wikitext":
        source = make_source(TITLE, obtained="file")
        return article_from_document(parse_wikitext(case.wikitext), source)
    if case.html is None:
        pytest.fail(f"{case.id} has no html yet: run scripts/render_cases.py", pytrace=False)
    source = make_source(TITLE, obtained="file", content_format="html")
    return article_from_document(parse_html(case.html), source)


def pick(item: Any, wanted: dict[str, Any]) -> dict[str, Any]:
    """The fields of a model (relation, citation, reference) that ``wanted`` names, as ``wanted`` spells them."""
    values = item.model_dump() if isinstance(item, BaseModel) else item
    if "missions" in wanted:
        values["missions"] = [_mission_shown(mission, wanted["missions"]) for mission in values["missions"]]
    # Missions are compared whole (as _mission_shown spells them); other lists of models item by item.
    picked = {
        key: values[key] if key == "missions" else _nested(values[key], wanted[key]) for key in wanted if key != NULL
    }
    if NULL in wanted:
        picked[NULL] = sorted(key for key in wanted[NULL] if values[key] is None)
        # A field that should be null but is not shows its value, so the diff says what it is.
        picked.update({key: values[key] for key in wanted[NULL] if values[key] is not None})
    return picked


def _models(value: Any) -> bool:
    """Whether an expected value is a list of expected models (a relation's ``events``)."""
    return isinstance(value, list) and all(isinstance(w, dict) for w in value)


def _nested(value: Any, wanted: Any) -> Any:
    """A list of models inside an item (a relation's ``events``) is picked item by item, as named."""
    if isinstance(value, list) and _models(wanted):
        shape = {key: None for entry in wanted for key in entry if key != NULL}
        return [pick(v, wanted[i] if i < len(wanted) else shape) for i, v in enumerate(value)]
    return value


#: A mission's fields that a case may leave out at these values.
_MISSION_DEFAULTS: dict[str, Any] = {"negated": False, "citations": []}


def _mission_shown(mission: dict[str, Any], wanted: list[dict[str, Any]]) -> dict[str, Any]:
    """A mission as a case spells it: no null fields, none at its default, ``sentence`` only when
    the case names it (TOML has no null, and the sentence repeats the case's notes)."""
    with_sentence = any("sentence" in entry for entry in wanted)
    return {
        key: value
        for key, value in mission.items()
        if value is not None and _MISSION_DEFAULTS.get(key, ...) != value and (key != "sentence" or with_sentence)
    }


def normalised(wanted: dict[str, Any]) -> dict[str, Any]:
    """An expected item with its list of null fields sorted, to compare with :func:`pick`."""
    entry = {key: [normalised(w) for w in value] if _models(value) else value for key, value in wanted.items()}
    return {**entry, NULL: sorted(wanted[NULL])} if NULL in wanted else entry


def compare_items(label: str, items: list[Any], wanted: list[dict[str, Any]]) -> None:
    """Items equal the expected ones, in order, on the fields each expected one names."""
    shape = {key: None for entry in wanted for key in entry if key != NULL}
    actual = [pick(item, wanted[i] if i < len(wanted) else shape) for i, item in enumerate(items)]
    assert actual == [normalised(entry) for entry in wanted], label


CASE_LIST = load_cases()


@pytest.mark.parametrize(
    ("case", "parser"),
    [pytest.param(case, parser, id=f"{case.id}[{parser}]") for case in CASE_LIST for parser in PARSERS],
)
def test_case(case: Case, parser: str) -> None:
    """The parser gives the case's expected relations, citations, references and diagnostics."""
    article = run(case, parser)
    expected = case.expected_for(parser)
    compare_items("relations", article.relations, expected["relations"])
    for key, items in (("citations", article.citations), ("references", article.references)):
        if key in expected:
            compare_items(key, items, expected[key])
    # Diagnostics are always compared: a case that expects none must give none.
    assert [d.code for d in article.diagnostics] == expected.get("diagnostics", []), "diagnostics"


def test_cases_are_a_few_dozen_in_readable_topics() -> None:
    """The case files load, every case has a rendering, and each per-parser difference says why."""
    assert len(CASE_LIST) >= 30
    assert [case.id for case in CASE_LIST if case.html is None] == []
    for case in CASE_LIST:
        assert not case.expected_html or (case.why and case.why.strip()), case.id


def _render_script() -> ModuleType:
    """``scripts/render_cases.py`` as a module (it needs no wiki until its ``main`` runs)."""
    spec = importlib.util.spec_from_file_location("render_cases", RENDER_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "html",
    ["<p>plain</p>\n", "ends with a quote'", "has ''' three", 'has """ and a \\ and "', "tab\tcr\r\x01", ""],
    ids=["literal", "trailing-quote", "triple-single", "triple-double", "control", "empty"],
)
def test_render_script_writes_only_the_html_and_toml_reads_it_back(html: str) -> None:
    """The script's writer changes only the html values, and any HTML reads back exactly."""
    script = _render_script()
    head = "# a comment that stays\n\n[[case]]\nname = 'a'  # so does this\nwikitext = 'x'\n"
    text = f"{head}html = '''\nold'''\n\n[[case]]\nname = 'b'\nwikitext = \"y\"\n"
    updated = script.replace_html(text, [html, html])
    assert updated.startswith(head)
    assert [case["html"] for case in tomllib.loads(updated)["case"]] == [html, html]
    assert script.replace_html(updated, [html, html]) == updated  # a second run changes nothing


@pytest.mark.integration
def test_stored_html_is_what_the_wiki_renders(mediawiki: Any) -> None:
    """``scripts/render_cases.py --check``: every case's stored HTML is what MediaWiki renders now.

    The check starts a wiki of its own, so that the cases' stand-in templates never reach the
    session's wiki (whose pages other tests render); the ``mediawiki`` fixture makes sure MediaWiki
    is installed, and skips (fails under CI) as for every integration test when it cannot be.
    """
    done = subprocess.run(
        [sys.executable, str(RENDER_SCRIPT), "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, f"{done.stdout[-6000:]}{done.stderr[-2000:]}"
