"""The errors module's docstring draws the exception tree the code has."""

from __future__ import annotations

import re

import extractor.errors as errors


def _drawn_tree() -> dict[str, str | None]:
    """Each class drawn in the docstring, with the class drawn as its parent (by indentation)."""
    doc = errors.__doc__ or ""
    parents: dict[str, str | None] = {}
    stack: list[tuple[int, str]] = []
    for line in doc.splitlines():
        match = re.match(r"^(\s*(?:[│ ]\s*)*(?:[├└]── )?)([A-Z]\w*Error)\b", line)
        if match is None:
            continue
        depth = len(match.group(1))
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents[match.group(2)] = stack[-1][1] if stack else None
        stack.append((depth, match.group(2)))
    return parents


def test_the_docstring_tree_is_the_class_tree() -> None:
    """Every exception class of extractor.errors is drawn once, under the class it derives from."""
    classes = {name: getattr(errors, name) for name in errors.__all__}
    actual = {name: (None if cls.__base__ is Exception else cls.__base__.__name__) for name, cls in classes.items()}
    assert _drawn_tree() == actual
