"""What a table of the database is, as data: a :class:`Resource` of :class:`Field` records.

PUDL's ``metadata/fields.py`` and ``resources/`` are the model: the records are declared
once in :mod:`etl.resources`, and the DDL, the views, the loader's columns, the
dashboard's SELECT lists and download notes and ``docs/data-dictionary.md`` are
generated from them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # DuckDB type: VARCHAR, INTEGER, DOUBLE, BOOLEAN, TIMESTAMP
    header: str  # Chinese header (downloads' notes, the data dictionary)
    description: str  # Markdown, for the data dictionary
    nullable: bool = False
    contract: bool = True  # named by the data contract (views list these first), else an extra column
    key: bool = False  # the table's primary key
    added: str | None = None  # added after databases were first built: the value older rows take (SQL)


# Every view of a report's rows starts with these: a part table stores report_id and takes agency
# and year from reports.
REPORT_COLUMNS = ("report_id", "agency", "year")

# What a resource's rows belong to, which decides its view and who writes it:
# ``reports`` the reports table itself; ``part`` rows parsed from one report (the loader writes them);
# ``derived`` rows per report computed in SQL from the loaded parts (``etl.store``); ``own`` rows of
# their own, not of one report (units, refusals), written by their own step.
SCOPES = ("reports", "part", "derived", "own")


@dataclass(frozen=True)
class Resource:
    name: str  # table name in ``store``, view name in ``main``
    label: str  # Chinese name, for pages and downloads
    row: str  # what one row is (the data dictionary's heading)
    fields: tuple[Field, ...]  # the stored columns, in order
    constraints: str = ""  # table constraints (SQL)
    report_note: str = "See `reports`."  # what report_id, agency and year mean here (the dictionary)
    scope: str = "part"  # one of SCOPES

    @property
    def per_report(self) -> bool:
        """Rows of one report each (report_id, agency and year lead the view)."""
        return self.scope in ("part", "derived")

    @property
    def columns(self) -> list[str]:
        """The stored columns, in order (what the loader writes)."""
        return [f.name for f in self.fields]

    @property
    def view_columns(self) -> list[str]:
        """The view's columns: report_id, agency, year (for rows of reports), the contract's
        columns, then the extras."""
        lead = REPORT_COLUMNS if self.scope != "own" else ()
        own = [f for f in self.fields if f.name not in lead]
        return [
            *lead,
            *(f.name for f in own if f.contract),
            *(f.name for f in own if not f.contract),
        ]

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)
