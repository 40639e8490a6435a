"""docs/data-dictionary.md is generated from the registry: stale means a test failure."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from etl import dictionary, store
from etl.resources import RESOURCES


def test_the_dictionary_is_up_to_date():
    assert not dictionary.stale(), "docs/data-dictionary.md is stale: run `python -m etl docs`"


def test_an_edit_to_the_registry_makes_it_stale(monkeypatch):
    resource = RESOURCES[0]
    changed = dataclasses.replace(resource.fields[1], description="changed")
    edited = dataclasses.replace(resource, fields=(resource.fields[0], changed, *resource.fields[2:]))
    monkeypatch.setitem(dictionary.BY_NAME, resource.name, edited)
    assert dictionary.stale()
    assert "| `agency` | VARCHAR | 机关 | changed |" in dictionary.render()


@pytest.mark.parametrize("resource", RESOURCES, ids=[r.name for r in RESOURCES])
def test_every_column_is_documented_in_view_order(resource):
    text = dictionary.render()
    table = dictionary.columns_table(resource)
    assert table in text
    rows = [line.split(" | ")[0].strip("| `") for line in table.splitlines() if line.startswith("| `")]
    expected = (
        resource.view_columns
        if not resource.per_report
        else ["report_id`, `agency`, `year", *resource.view_columns[3:]]
    )
    assert rows == expected


@pytest.mark.parametrize("resource", RESOURCES, ids=[r.name for r in RESOURCES])
def test_views_have_the_registry_columns(resource):
    con = duckdb.connect()
    store.create_schema(con)
    described = con.execute(f"DESCRIBE main.{resource.name}").fetchall()
    assert [(name, kind) for name, kind, *_ in described] == [
        (c, resource.field(c).type if c in resource.columns else "VARCHAR" if c == "agency" else "INTEGER")
        for c in resource.view_columns
    ]
