"""``python -m extractor``: see :mod:`extractor.cli`."""

import sys

from .cli import main

sys.exit(main())
