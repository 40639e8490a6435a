"""A reader of the dashboard database, run as a separate process by
tests/etl/test_crash_safety.py while writers are killed: ``python tests/crash_reader.py DB STOP OUT``.

Until the file STOP exists it opens DB read-only again and again (as the
dashboard does: ATTACHed READ_ONLY to an in-memory database; every other time
with ``duckdb.connect(read_only=True)``), reads the state of the database
(``state()``: the reports, the figures of each, the checks), and counts each
state seen and each error. Then it writes the counts to OUT as JSON.

A read that fails is retried once, straight away, and counted in ``retried``;
only a failure of the retry counts as an error.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb

STATE_SQL = {
    "reports": "SELECT report_id, agency, year, source_file FROM reports ORDER BY report_id",
    "figures": "SELECT report_id, topic, metric, category, value, evidence FROM figures "
    "ORDER BY report_id, topic, metric, category",
    "cells": "SELECT report_id, count(*), sum(value) FROM foi_requests GROUP BY report_id ORDER BY report_id",
    "checks": "SELECT report_id, check_id, passed FROM checks ORDER BY report_id, check_id",
}


def state(con: duckdb.DuckDBPyConnection) -> str:
    """What the database holds, as one short string: the report ids and a digest of the rest."""
    rows = {name: con.execute(sql).fetchall() for name, sql in STATE_SQL.items()}
    digest = hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()[:16]
    return ",".join(r[0] for r in rows["reports"]) + "|" + digest


def read_once(db: Path, attach: bool) -> str:
    if attach:
        con = duckdb.connect()
        try:
            escaped = str(db).replace("'", "''")
            con.execute(f"ATTACH '{escaped}' AS reports_db (READ_ONLY)")
            con.execute("USE reports_db")
            return state(con)
        finally:
            con.close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        return state(con)
    finally:
        con.close()


def main(db: Path, stop: Path, out: Path) -> None:
    states: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    retried: Counter[str] = Counter()  # first failures (the retry then read a state)
    reads = 0
    started = time.perf_counter()
    while not stop.exists():
        attach = reads % 2 == 0
        reads += 1
        try:
            states[read_once(db, attach)] += 1
        except (duckdb.Error, OSError) as first:
            try:
                states[read_once(db, attach)] += 1
                retried[f"{type(first).__name__}: {first}"[:300]] += 1
            except (duckdb.Error, OSError) as exc:
                errors[f"{type(exc).__name__}: {exc}"[:300]] += 1
    result = {
        "reads": reads,
        "seconds": time.perf_counter() - started,
        "states": dict(states),
        "errors": dict(errors),
        "retried": dict(retried),
    }
    out.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
