#!/usr/bin/env bash
# Run the public dashboard: set up, build the database from data/reports/ if missing, start Streamlit.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
if [ ! -f data/dashboard.duckdb ]; then
  .venv/bin/python -m etl build
fi
exec .venv/bin/python -m dashboard.serve --server.port "${PORT:-8501}" "$@"
