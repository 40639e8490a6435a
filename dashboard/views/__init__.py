"""The view layer: everything a page shows for one selection, built once and shared.

Each function here takes the database version token and the selection a page
depends on (agency, year, the agency's years, the comparison range), asks the
query layer for the rows, shapes them with :mod:`facts`, draws the Plotly
figures with :mod:`charts`, and returns one frozen object: the metric values
with their evidence, the figures, the display tables, the download names.

They are cached with ``st.cache_resource``: every rerun and every session gets
the same object back (no unpickled copy, no figure rebuilt), so a page rerun
only lays out. These objects are shared, so nothing may change them after they
are built (pages and :mod:`ui` only read them). Every argument that changes
what is shown is part of the cache key, and the token changes with each new
database file, so an entry is never used for another file, agency or year.
Downloads are callables, run only when the visitor clicks.

One module per page; each builds its page's view model from the query layer
(:mod:`dashboard.queries`), the shaping helpers (:mod:`dashboard.facts`) and the
chart layer (:mod:`dashboard.charts`).
"""

from ..blocks import Chart, Metric, Table
from .approvals import Approvals, approvals
from .catalog import TOPICS, Catalog, catalog, topic_catalog
from .compare import COMPARABLE_NOTE, MAX_AGENCIES, Compare, compare
from .disclosure import DISCLOSURE_TAB_KEY, DISCLOSURE_TABS, Disclosure, disclosure
from .downloads import VIEW_NAMES, Download, downloads
from .home import UNITS_PER_PAGE, Home, UnitList, home, unit_page
from .hotline import Hotline, hotline
from .overview import HEADLINES, Overview, overview
from .profile import DEFINITIONS, Peers, Profile, peers, profile, units_with_reports
from .quality import Quality, quality
from .rank import (
    DEFAULT_MEASURE,
    MEASURES,
    UNIT_TYPES,
    ComparePage,
    Measure,
    Ranking,
    UnitTree,
    compare_page,
    picker_options,
    ranking,
    unit_tree,
)
from .review import LOADED as REVIEW_LOADED
from .review import ROWS_PER_PAGE as REVIEW_ROWS_PER_PAGE
from .review import STATUS_HELP, Review, review, review_stem
from .review import check_page as review_check_page
from .review import default_parent as default_review_parent
from .review import table_page as review_table_page
from .texts import PART_LABELS, ReportTexts, Search, report_texts, search_texts
from .trading import Trading, trading
from .trends import Trends, trends
from .units import Registry, profile_url, registry, type_label

__all__ = [
    "COMPARABLE_NOTE",
    "DEFAULT_MEASURE",
    "DEFINITIONS",
    "DISCLOSURE_TABS",
    "DISCLOSURE_TAB_KEY",
    "HEADLINES",
    "MAX_AGENCIES",
    "MEASURES",
    "PART_LABELS",
    "REVIEW_LOADED",
    "REVIEW_ROWS_PER_PAGE",
    "STATUS_HELP",
    "TOPICS",
    "UNITS_PER_PAGE",
    "UNIT_TYPES",
    "VIEW_NAMES",
    "Approvals",
    "Catalog",
    "Chart",
    "Compare",
    "ComparePage",
    "Disclosure",
    "Download",
    "Home",
    "Hotline",
    "Measure",
    "Metric",
    "Overview",
    "Peers",
    "Profile",
    "Quality",
    "Ranking",
    "Registry",
    "ReportTexts",
    "Review",
    "Search",
    "Table",
    "Trading",
    "Trends",
    "UnitList",
    "UnitTree",
    "approvals",
    "catalog",
    "compare",
    "compare_page",
    "default_review_parent",
    "disclosure",
    "downloads",
    "home",
    "hotline",
    "overview",
    "peers",
    "picker_options",
    "profile",
    "profile_url",
    "quality",
    "ranking",
    "registry",
    "report_texts",
    "review",
    "review_check_page",
    "review_stem",
    "review_table_page",
    "search_texts",
    "topic_catalog",
    "trading",
    "trends",
    "type_label",
    "unit_page",
    "unit_tree",
    "units_with_reports",
]
