"""``python -m extractor``: see :mod:`extractor.cli`."""

import sys

from extractor.cli import main

sys.exit(main())
