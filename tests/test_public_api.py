"""The library's public API: what `import extractor` offers, and that it stays tidy."""

from __future__ import annotations

import subprocess
import sys

import extractor


def test_all_is_sorted_and_every_name_resolves() -> None:
    """__all__ is sorted, and every name in it can be imported from the package."""
    assert list(extractor.__all__) == sorted(extractor.__all__)
    for name in extractor.__all__:
        assert getattr(extractor, name) is not None, name


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
