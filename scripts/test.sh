#!/usr/bin/env bash
# Run the whole test suite (unit, AppTest and end-to-end in headless Chromium), after setting up.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
