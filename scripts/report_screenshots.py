#!/usr/bin/env python3
"""Regenerate the README's pictures of the HTML report: docs/report-article.png and docs/report-all.png.

    python scripts/report_screenshots.py [CORPUS]    # default CORPUS: ../shared/corpus

Extracts every article of CORPUS (the 100 real articles beside the project checkout) into a
temporary folder, writes the report, and screenshots the Kyrgyzstan page and all/index.html in
headless Chromium, as tests/test_report.py does (tests/browser.py: Debian's chromium driven by
Playwright). Without CORPUS it uses the stored snapshot alone. The tests never run this; run it
when the report's look changes, and review the pictures before committing them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.batch import extract_folder  # noqa: E402
from extractor.cli.options import load_snapshot  # noqa: E402
from extractor.export.dataset import write_dataset  # noqa: E402
from extractor.extract import extract_wikitext  # noqa: E402
from extractor.report import write_report  # noqa: E402
from tests.browser import visit  # noqa: E402

PICTURES = ROOT / "docs"


def main() -> int:
    """Build the report in a scratch folder and write the two screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "out"
        if args.corpus.is_dir():
            extract_folder(args.corpus, out)
        else:
            print(f"{args.corpus} not found: the stored snapshot only", file=sys.stderr)
            write_dataset(extract_wikitext(*load_snapshot()), out)
        write_report(out)
        pages = [out / "foreign-relations-of-kyrgyzstan" / "index.html", out / "all" / "index.html"]
        shots = [PICTURES / "report-article.png", PICTURES / "report-all.png"]
        for seen in visit(pages, ["timeline", "map"], shots):
            print(f"{seen.url}: {len(seen.errors)} console errors, figures {seen.figures}")
    for shot in shots:
        print(f"wrote {shot.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
