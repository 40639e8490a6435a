#!/usr/bin/env bash
# Serve the public: nginx on PORT (8080) in front of REPLICAS (2) Streamlit processes of the app,
# and the open-data release (python -m etl publish) at /data/.
# Everything runs in the background with pid files and logs under .run/; `make stop` ends it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh serve
if [ ! -f data/dashboard.duckdb ]; then
  .venv/bin/python -m etl build   # once, here: not by two replicas at the same time
fi
# The open-data release at /data/ (a new version only when the data changed; latest/ → newest).
.venv/bin/python -m etl publish
exec .venv/bin/python -m deploy.stack start "$@"
