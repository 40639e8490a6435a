#!/usr/bin/env bash
# Stop what `make serve` started: nginx, then each replica (their pid files in .run/).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .venv/bin/python ]; then
  exec .venv/bin/python -m deploy.stack stop "$@"
fi
echo "stop: no .venv, so nothing was started by make serve"
