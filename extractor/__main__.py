"""``python -m extractor``: see :mod:`extractor.cli`."""

import sys

from extractor.cli import main

__all__: list[str] = []  # a script: it runs the command line and exports nothing

sys.exit(main())
