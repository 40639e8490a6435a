#!/usr/bin/env bash
# Set up this checkout: the virtual environment and, with "test", the browser
# and CJK fonts the exports and end-to-end tests need (apt, when run as root);
# with "test" or "serve", nginx too (the reverse proxy of `make serve`); with "run" or
# "test", LibreOffice's Writer (no GUI) to read old Word files (.doc, .wps); with "test", its
# Calc as well (the tests open the XLSX exports in it).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-run}"

need_apt=()
if ! command -v chromium >/dev/null 2>&1; then need_apt+=(chromium); fi
if ! { dpkg -s fonts-noto-cjk >/dev/null 2>&1 || fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; }; then
  need_apt+=(fonts-noto-cjk)
fi
if [ "$mode" = test ] || [ "$mode" = serve ]; then
  if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then need_apt+=(nginx); fi
fi
if { [ "$mode" = run ] || [ "$mode" = test ]; } && ! command -v soffice >/dev/null 2>&1; then
  need_apt+=(libreoffice-writer-nogui)  # large (~300 MB): only when soffice is missing
fi
if [ "$mode" = test ] && ! command -v npm >/dev/null 2>&1; then need_apt+=(npm); fi  # axe-core
# The tests open our XLSX exports in a real spreadsheet program (LibreOffice Calc, no GUI).
if [ "$mode" = test ] && ! dpkg -s libreoffice-calc-nogui >/dev/null 2>&1; then need_apt+=(libreoffice-calc-nogui); fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${need_apt[*]} (apt)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: ${need_apt[*]} missing; install them with: sudo apt-get install ${need_apt[*]}" >&2
    echo "       (image export and browser tests need them; make serve needs nginx; .doc/.wps need libreoffice-writer-nogui)" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.installed-$mode
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing the project ($mode)"
  log=.venv/pip-install.log
  target="."
  [ "$mode" = test ] && target=".[test]"
  if ! { .venv/bin/python -m pip install -q --upgrade pip && .venv/bin/python -m pip install -q -e "$target"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup: pip install failed (log above, also in $log)" >&2
    exit 1
  fi
  touch "$stamp"
fi

# The accessibility test's axe-core (pinned in tests/e2e/axe/package-lock.json; npm's registry).
if [ "$mode" = test ] && [ ! -d tests/e2e/axe/node_modules/axe-core ] && command -v npm >/dev/null 2>&1; then
  echo "setup: installing axe-core (npm ci)"
  (cd tests/e2e/axe && npm ci --no-audit --no-fund --loglevel=error) >/dev/null
fi
