"""``python -m extractor``: see :mod:`extractor.cli`."""

from extractor.cli import run

__all__: list[str] = []  # a script: it runs the command line and exports nothing

run()
