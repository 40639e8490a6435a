"""Filing reports under their units: each report's agency becomes its unit's canonical name and
``unit_id`` (the title keeps what was printed), and the ``units`` table is written from the same
resolution, so a report and its unit never disagree.

The registry file is ``units.toml`` beside the reports folder (``data/units.toml`` for
``data/reports/``); a folder with none beside it is filed by the names alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .model import Problem, Report, ReportError
from .units import EMPTY, RegistryError, RegistryFile, Unit, Units, load_registry, resolve

REGISTRY_NAME = "units.toml"


def registry_path(reports_dir: Path) -> Path:
    return reports_dir.parent / REGISTRY_NAME


def registry_beside(reports_dir: Path) -> RegistryFile:
    """The registry of a reports folder; a bad file refuses the load, naming the file and line."""
    path = registry_path(reports_dir)
    if not path.exists():
        return EMPTY
    try:
        return load_registry(path)
    except RegistryError as exc:
        raise ReportError([Problem(str(path), "单位名录", str(exc))]) from exc


def file_reports(reports: Iterable[Report], registry: RegistryFile, loaded: Iterable[str] = ()) -> Units:
    """Resolve the reports' agencies (and the ``loaded`` names already in a database) and file
    each report under its unit."""
    reports = list(reports)
    units = resolve([*loaded, *(r.agency for r in reports)], registry)
    for report in reports:
        unit = units.unit_of(report.agency)
        report.agency, report.unit_id = unit.name, unit.unit_id
    return units


def unit_of(name: str, registry: RegistryFile, loaded: Iterable[str] = ()) -> Unit:
    """The unit a printed agency name would be filed under (the previews say it before a load)."""
    return resolve([*loaded, name], registry).unit_of(name)


def unit_columns(units: Units) -> dict[str, list]:
    """The ``units`` table, column by column (aliases joined by ``；``)."""
    rows = units.all()
    columns: dict[str, list] = {
        "unit_id": [u.unit_id for u in rows],
        "name": [u.name for u in rows],
        "aliases": ["；".join(u.aliases) for u in rows],
    }
    for name in ("unit_type", "parent_id", "type_source", "parent_source", "division_code", "expected"):
        columns[name] = [getattr(u, name) for u in rows]
    columns["column_url"] = [u.column_url for u in rows]
    return columns
