"""requirements.lock, what the workflow installs: pinned with hashes, and in step with pyproject.toml.

The lock is written by ``scripts/lock.sh`` (``uv pip compile --generate-hashes``); these tests
fail as soon as a dependency is added, dropped or given a specifier the pinned version misses,
so the lock cannot silently fall behind.
"""

from __future__ import annotations

import re
import sys

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.support import ROOT
from tests.test_workflow import load

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LOCK = ROOT / "requirements.lock"


def locked() -> dict[str, tuple[str, list[str], list[str]]]:
    """Each locked package: its version, its hashes and what it is required by (``# via``)."""
    entries: dict[str, tuple[str, list[str], list[str]]] = {}
    current: str | None = None
    via_block = False
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if match := re.fullmatch(r"([A-Za-z0-9._-]+)==([^ ;\\]+).*", line):
            current = canonicalize_name(match.group(1))
            entries[current] = (match.group(2), [], [])
            via_block = False
        elif current and (match := re.fullmatch(r"\s+--hash=(sha256:[0-9a-f]{64})\s*\\?", line)):
            entries[current][1].append(match.group(1))
        elif current and (match := re.fullmatch(r"\s+# via (.+)", line)):
            entries[current][2].append(match.group(1).strip())
        elif current and line.strip() == "# via":
            via_block = True
        elif current and via_block and (match := re.fullmatch(r"\s+#\s+(.+)", line)):
            entries[current][2].append(match.group(1).strip())
    return entries


#: The extras the workflow installs too: the data it commits carries their fields (gw_code).
LOCKED_EXTRAS = ("codes",)


def dependencies() -> list[Requirement]:
    """pyproject.toml's runtime dependencies and those of the locked extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    texts = project["dependencies"] + [
        text for extra in LOCKED_EXTRAS for text in project["optional-dependencies"][extra]
    ]
    return [Requirement(text) for text in texts]


def test_every_dependency_is_pinned_within_its_specifier() -> None:
    """Each of pyproject.toml's dependencies is in the lock, at a version its specifier allows."""
    lock = locked()
    for requirement in dependencies():
        name = canonicalize_name(requirement.name)
        assert name in lock, f"{name} is not in requirements.lock: run bash scripts/lock.sh"
        version = lock[name][0]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"{name}=={version} in requirements.lock does not satisfy {requirement}: run bash scripts/lock.sh"
        )


def test_the_lock_holds_nothing_else() -> None:
    """The lock's direct requirements are exactly pyproject.toml's; every other entry is required by one."""
    lock = locked()
    direct = {name for name, (_, _, via) in lock.items() if any(v.startswith("frx-extractor") for v in via)}
    assert direct == {canonicalize_name(r.name) for r in dependencies()}
    for name, (_, _, via) in lock.items():
        assert via, f"{name} is in requirements.lock but nothing requires it"
        assert all(v.startswith("frx-extractor") or canonicalize_name(v) in lock for v in via), (name, via)


def test_every_entry_is_pinned_with_hashes() -> None:
    """Exact versions with sha256 hashes, so pip --require-hashes installs exactly these files."""
    lock = locked()
    assert lock
    assert all(hashes for _, hashes, _ in lock.values())
    assert "bash scripts/lock.sh" in LOCK.read_text(encoding="utf-8").splitlines()[1]
    assert (ROOT / "scripts" / "lock.sh").is_file()


def test_the_workflow_installs_from_the_lock() -> None:
    """The job installs the lock with --require-hashes, then the project without resolving again."""
    [job] = load()["jobs"].values()
    install = next(step for step in job["steps"] if step.get("name") == "Install")
    assert "pip install --require-hashes -r requirements.lock" in install["run"]
    assert "pip install --no-deps ." in install["run"]
