#!/usr/bin/env bash
# Regenerate requirements.lock: the project's runtime dependencies (pyproject.toml's
# [project] dependencies, and the `codes` extra: the data the workflow commits carries its
# gw_code) pinned with their hashes, for the Python the workflow runs
# (.github/workflows/article-check.yml installs from it with --require-hashes), so that a library
# upgrade can never show up there as a data change. Run it after changing the dependencies;
# tests/test_lock.py fails while pyproject.toml and the lock disagree.
# uv comes from PyPI (`pip install uv`, in the dev extra); pip-compile --generate-hashes would do too.
set -euo pipefail
cd "$(dirname "$0")/.."
uv pip compile pyproject.toml --extra codes --generate-hashes --python-version 3.12 --python-platform linux \
  --no-strip-extras --custom-compile-command "bash scripts/lock.sh" --output-file requirements.lock --quiet
