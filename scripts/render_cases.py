#!/usr/bin/env python3
"""Render the rule cases' wikitext on the test MediaWiki and store the HTML in the case files.

    python scripts/render_cases.py [FILE.toml ...]           # write the html of every case
    python scripts/render_cases.py --check [FILE.toml ...]   # exit 1 unless the stored html is current

Starts a fresh test wiki (``tests/mediawiki/server.py``: MediaWiki 1.39 with the stand-in
templates of ``tests/mediawiki/templates``, plus the few more the cases use, from
``tests/cases/templates``), saves each case's wikitext as the page "Foreign relations of
Testland", and takes what ``action=parse&oldid=N&prop=text`` serves for that revision: the content
div, as the HTML parser reads it. What may vary from one render to the next is left out (the
limit report, parser-cache comments), so the same wikitext and templates always give the same
bytes.

Only the ``html`` value of each case is written: the rest of the file stays as it was, byte for
byte (a case without one gets it appended). Values are TOML multi-line literal strings
(``'''…'''``), or basic multi-line strings when the HTML holds what a literal one cannot.

The tests never run this. Run it after adding or changing a case (or a stand-in template), and
review the diff; ``tests/test_cases.py::test_stored_html_is_what_the_wiki_renders`` runs the check
against the real wiki (``pytest -m integration``).
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.mediawiki.server import MediaWikiServer, ensure_installed  # noqa: E402

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

__all__ = ["encode", "main", "render", "replace_html", "stable"]

CASES = ROOT / "tests" / "cases"
TEMPLATES = CASES / "templates"
#: Every case is saved as this page, so a case's HTML does not depend on its name.
TITLE = "Foreign relations of Testland"

# HTML comments MediaWiki adds around what it renders (limit report, parser-cache notes): not content.
_VOLATILE_COMMENT = re.compile(
    r"\n?<!--\s*(?:NewPP limit report|Saved in parser cache|Transclusion expansion)"
    r".*?-->",
    re.DOTALL,
)
_CASE_HEADER = re.compile(r"^\[\[case\]\][ \t]*$", re.MULTILINE)
_HTML_KEY = re.compile(r"^html[ \t]*=[ \t]*", re.MULTILINE)
# Control characters a TOML basic string must escape (tab and line feed may stay as they are).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def stable(html: str) -> str:
    """The rendered HTML without what changes between two renders of the same wikitext."""
    return _VOLATILE_COMMENT.sub("", html)


def render(wiki: MediaWikiServer, wikitext: str) -> str:
    """Save ``wikitext`` as the case page and return its legacy HTML (the content div)."""
    revision = wiki.edit(TITLE, wikitext, summary="render_cases.py")
    parsed = wiki.api({"action": "parse", "oldid": str(revision), "prop": "text", "disablelimitreport": "1"})
    return stable(parsed["parse"]["text"])


def encode(value: str) -> str:
    """``value`` as a TOML multi-line string, readable: literal when it can be, else basic."""
    if "'''" not in value and not value.endswith("'") and not _CONTROL.search(value) and "\r" not in value:
        return f"'''\n{value}'''"  # the newline after the opening quotes is not part of the value
    escaped = value.replace("\\", "\\\\").replace("\r", "\\r")
    escaped = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", escaped)
    escaped = escaped.replace('"""', '""\\"')
    if escaped.endswith('"'):
        escaped = escaped[:-1] + '\\"'
    return f'"""\n{escaped}"""'


def _string_end(text: str, start: int) -> int:
    """The end of the TOML multi-line string value that begins at ``start``."""
    quote = text[start : start + 3]
    if quote not in ("'''", '"""'):
        raise ValueError(f"html at offset {start} is not a multi-line string")
    index = start + 3
    while True:
        end = text.find(quote, index)
        if end < 0:
            raise ValueError(f"unterminated html string at offset {start}")
        if quote == '"""':
            backslashes = len(text[index:end]) - len(text[index:end].rstrip("\\"))
            if backslashes % 2:  # an escaped quote: look further
                index = end + 1
                continue
        # Up to two quotes just before the delimiter belong to the value.
        while text[end + 3 : end + 4] == quote[0]:
            end += 1
        return end + 3


def replace_html(text: str, htmls: list[str]) -> str:
    """``text`` (a case file) with the ``html`` value of its n-th case set to ``htmls[n]``.

    Everything else is kept byte for byte; a case without an ``html`` key gets one at its end.
    """
    starts = [match.start() for match in _CASE_HEADER.finditer(text)]
    if len(starts) != len(htmls):
        raise ValueError(f"{len(starts)} [[case]] headers but {len(htmls)} cases")
    pieces = [text[: starts[0]] if starts else text]
    for index, start in enumerate(starts):
        block = text[start : starts[index + 1] if index + 1 < len(starts) else len(text)]
        value = encode(htmls[index])
        found = _HTML_KEY.search(block)
        if found:
            end = _string_end(block, found.end())
            block = block[: found.end()] + value + block[end:]
        else:
            body = block.rstrip("\n")
            block = f"{body}\nhtml = {value}\n" + "\n" * (len(block) - len(body) > 1)
        pieces.append(block)
    return "".join(pieces)


def _load_templates(wiki: MediaWikiServer) -> None:
    """Save the cases' extra stand-in templates (``tests/cases/templates/Template:X.wikitext``)."""
    for path in sorted(TEMPLATES.glob("*.wikitext")):
        wiki.edit(path.stem, path.read_text(encoding="utf-8"), summary="render_cases.py stand-in")


def _files(names: list[str]) -> list[Path]:
    return [Path(name).resolve() for name in names] or sorted(CASES.glob("*.toml"))


def main(argv: list[str] | None = None) -> int:
    """Render every case of the given files (default: all) and write or check their html."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", help="case files (default: tests/cases/*.toml)")
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when any html is stale")
    parser.add_argument("--port", type=int, default=None, help="test wiki port (default: a free one)")
    args = parser.parse_args(argv)
    files = _files(args.files)
    ensure_installed()
    stale: list[str] = []
    with tempfile.TemporaryDirectory(prefix="render-cases-") as workdir:
        wiki = MediaWikiServer.start(workdir, port=args.port)
        try:
            _load_templates(wiki)
            for path in files:
                text = path.read_text(encoding="utf-8")
                cases = tomllib.loads(text).get("case", [])
                htmls = [render(wiki, case["wikitext"]) for case in cases]
                for case, html in zip(cases, htmls, strict=True):
                    if case.get("html") != html:
                        stale.append(f"{path.stem}:{case['name']}")
                        if args.check:
                            diff = difflib.unified_diff(
                                (case.get("html") or "").splitlines(),
                                html.splitlines(),
                                "stored",
                                "rendered",
                                lineterm="",
                                n=1,
                            )
                            print(f"{path.stem}:{case['name']}: stored html differs", *diff, sep="\n")
                if not args.check:
                    updated = replace_html(text, htmls)
                    _verify(text, updated, htmls, path)
                    if updated != text:
                        path.write_text(updated, encoding="utf-8")
        finally:
            wiki.stop()
    if args.check:
        print(f"{len(stale)} stale case(s)" if stale else "every case's html is current")
        return 1 if stale else 0
    print(f"rendered {len(files)} file(s); html changed for: {', '.join(stale) or 'none'}")
    return 0


def _verify(before: str, after: str, htmls: list[str], path: Path) -> None:
    """The rewritten file reads as the old one with only the html values changed."""
    old, new = tomllib.loads(before)["case"], tomllib.loads(after)["case"]
    for was, now, html in zip(old, new, htmls, strict=True):
        if now.get("html") != html or {k: v for k, v in was.items() if k != "html"} != {
            k: v for k, v in now.items() if k != "html"
        }:
            raise RuntimeError(f"{path.name}: rewriting case {was.get('name')!r} changed more than its html")


if __name__ == "__main__":
    sys.exit(main())
