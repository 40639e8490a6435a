"""The database: stored tables in schema ``store``, the published views in ``main``.

The views are the public contract (``../shared/data-contract.md``): every row
carries ``agency`` and ``year`` so any view filters with no join. Extra columns
(provenance, display order) come after the contract's columns.
"""

from __future__ import annotations

TABLES: dict[str, str] = {
    "reports": """
        report_id VARCHAR PRIMARY KEY, agency VARCHAR NOT NULL, year INTEGER NOT NULL,
        template VARCHAR NOT NULL, source_file VARCHAR NOT NULL, source_sha256 VARCHAR NOT NULL,
        loaded_at TIMESTAMP NOT NULL, title VARCHAR NOT NULL, agency_source VARCHAR NOT NULL,
        year_source VARCHAR NOT NULL, UNIQUE (agency, year)""",
    "figures": """
        report_id VARCHAR NOT NULL, topic VARCHAR NOT NULL, metric VARCHAR NOT NULL,
        category VARCHAR NOT NULL, value DOUBLE NOT NULL, unit VARCHAR NOT NULL,
        approx BOOLEAN NOT NULL, evidence VARCHAR NOT NULL, raw_text VARCHAR NOT NULL,
        section VARCHAR NOT NULL, source_line INTEGER NOT NULL""",
    "active_disclosure": """
        report_id VARCHAR NOT NULL, item VARCHAR NOT NULL, content VARCHAR NOT NULL,
        measure VARCHAR NOT NULL, value DOUBLE, raw_content VARCHAR NOT NULL,
        raw_measure VARCHAR NOT NULL, raw_value VARCHAR, item_order INTEGER NOT NULL,
        row_order INTEGER NOT NULL, col_order INTEGER NOT NULL, source_line INTEGER NOT NULL""",
    "foi_requests": """
        report_id VARCHAR NOT NULL, row_code VARCHAR NOT NULL, row_label VARCHAR NOT NULL,
        parent_label VARCHAR, applicant VARCHAR NOT NULL, value DOUBLE, raw_label VARCHAR NOT NULL,
        raw_value VARCHAR, row_order INTEGER NOT NULL, col_order INTEGER NOT NULL,
        source_line INTEGER NOT NULL""",
    "review_litigation": """
        report_id VARCHAR NOT NULL, proceeding VARCHAR NOT NULL, outcome VARCHAR NOT NULL,
        value DOUBLE, raw_value VARCHAR, col_order INTEGER NOT NULL, source_line INTEGER NOT NULL""",
    "texts": """
        report_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, seq INTEGER NOT NULL,
        text VARCHAR NOT NULL, section VARCHAR NOT NULL""",
    "checks": """
        report_id VARCHAR NOT NULL, check_id VARCHAR NOT NULL, description VARCHAR NOT NULL,
        expected DOUBLE, actual DOUBLE, passed BOOLEAN, kind VARCHAR NOT NULL,
        severity VARCHAR NOT NULL, evidence VARCHAR NOT NULL""",
}

# Column order of each stored table, as the loader writes them.
COLUMNS: dict[str, list[str]] = {
    name: [
        part.split()[0]
        for part in ddl.split(",")
        if part.split() and part.split()[0].isidentifier() and part.split()[0].islower()
    ]
    for name, ddl in TABLES.items()
}

# SQL type of each column of each stored table (VARCHAR, DOUBLE, INTEGER, …).
COLUMN_TYPES: dict[str, dict[str, str]] = {
    name: {
        part.split()[0]: part.split()[1]
        for part in ddl.split(",")
        if part.split() and part.split()[0] in COLUMNS[name]
    }
    for name, ddl in TABLES.items()
}

# Contract columns first, then the extras. reports is published as stored.
VIEWS: dict[str, str] = {
    "reports": "SELECT report_id, agency, year, template, source_file, source_sha256, loaded_at, title, "
    "agency_source, year_source FROM store.reports",
    "figures": "SELECT t.report_id, r.agency, r.year, topic, metric, category, value, unit, approx, "
    "evidence, raw_text, section, source_line FROM store.figures t JOIN store.reports r USING (report_id)",
    "active_disclosure": "SELECT t.report_id, r.agency, r.year, item, content, measure, value, "
    "raw_content, raw_measure, raw_value, item_order, row_order, col_order, source_line "
    "FROM store.active_disclosure t JOIN store.reports r USING (report_id)",
    "foi_requests": "SELECT t.report_id, r.agency, r.year, row_code, row_label, applicant, value, "
    "parent_label, raw_label, raw_value, row_order, col_order, source_line "
    "FROM store.foi_requests t JOIN store.reports r USING (report_id)",
    "review_litigation": "SELECT t.report_id, r.agency, r.year, proceeding, outcome, value, "
    "raw_value, col_order, source_line FROM store.review_litigation t JOIN store.reports r USING (report_id)",
    "texts": "SELECT t.report_id, r.agency, r.year, kind, seq, text, section "
    "FROM store.texts t JOIN store.reports r USING (report_id)",
    "checks": "SELECT t.report_id, r.agency, r.year, check_id, description, expected, actual, passed, "
    "kind, severity, evidence FROM store.checks t JOIN store.reports r USING (report_id)",
}


# Columns added since databases were first built, with the value rows loaded before them
# take (a database copied by ``add`` gets them before anything is inserted).
ADDED_COLUMNS: dict[tuple[str, str], str] = {
    ("reports", "agency_source"): "'title'",
    ("reports", "year_source"): "'title'",
}


def create_schema(con) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS store")
    for name, ddl in TABLES.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS store.{name} ({ddl})")
    for (table, column), default in ADDED_COLUMNS.items():
        con.execute(
            f"ALTER TABLE store.{table} ADD COLUMN IF NOT EXISTS {column} "
            f"{COLUMN_TYPES[table][column]} DEFAULT {default}"
        )
    for name, select in VIEWS.items():
        con.execute(f"CREATE OR REPLACE VIEW main.{name} AS {select}")
