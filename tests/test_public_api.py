"""The library's public API: what `import extractor` offers, and that it stays tidy."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
import typing
from pathlib import Path

import pytest

import extractor

PACKAGE = Path(extractor.__file__).resolve().parent


def test_all_is_sorted_and_every_name_resolves() -> None:
    """__all__ is sorted and is exactly the lazily loaded names (and __version__); each resolves to
    the object of the module the lazy map names."""
    assert list(extractor.__all__) == sorted(extractor.__all__)
    lazy: dict[str, str] = extractor._LAZY
    assert set(extractor.__all__) == {*lazy, "__version__"}
    for name, module in lazy.items():
        assert getattr(extractor, name) is getattr(importlib.import_module(module), name), name
    assert set(dir(extractor)) >= set(extractor.__all__)


def _modules() -> list[tuple[str, Path]]:
    """Every module of the package: its dotted name and its file."""
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        modules.append((".".join(parts[:-1] if parts[-1] == "__init__" else parts), path))
    return modules


def _defined_public_names(tree: ast.Module) -> set[str]:
    """The names a module's own top-level code defines (imports excluded) without a leading _."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return {name for name in names if not name.startswith("_")}


def _declared_all(tree: ast.Module) -> ast.expr | None:
    """The value assigned to __all__ at the top level, if any."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return node.value
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "__all__":
            return node.value
    return None


@pytest.mark.parametrize(("name", "path"), _modules(), ids=[name for name, _ in _modules()])
def test_every_module_exports_what_it_defines(name: str, path: Path) -> None:
    """Every module has an __all__ naming only what exists, and every public name it defines is in it
    (type variables aside: they are no API). __main__ is read, not imported: importing it runs the CLI."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    declared = _declared_all(tree)
    assert declared is not None, f"{name} has no __all__"
    if name.endswith(".__main__"):
        assert sorted(ast.literal_eval(declared)) == sorted(_defined_public_names(tree))
        return
    module = importlib.import_module(name)
    exported = list(module.__all__)
    assert len(exported) == len(set(exported)), f"{name}.__all__ repeats a name"
    assert [n for n in exported if not hasattr(module, n)] == [], f"{name}.__all__ names what is not there"
    public = {n for n in _defined_public_names(tree) if not isinstance(getattr(module, n, None), typing.TypeVar)}
    assert sorted(public - set(exported)) == [], f"{name} defines public names its __all__ leaves out"


def test_public_functions_and_classes_have_docstrings() -> None:
    """Every public callable documents itself (the README points users at them)."""
    for name in extractor.__all__:
        value = getattr(extractor, name)
        if callable(value):
            assert (value.__doc__ or "").strip(), name


def test_importing_the_package_does_not_load_requests_or_beautifulsoup() -> None:
    """Wikitext users do not pay for the fetcher's or the HTML parser's imports."""
    code = "import sys, extractor; print('requests' in sys.modules, 'bs4' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]
