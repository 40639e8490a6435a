"""Accessibility: axe-core (WCAG 2 A and AA rules) finds no violation on any page, for both
bundled agencies, at desktop width.

axe-core is an npm package pinned in tests/e2e/axe/package-lock.json; the session fixture
runs ``npm ci`` there when it is missing (a fresh clone), then Playwright injects it.
"""

from __future__ import annotations

import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from dashboard.navigation import PAGE_PATHS
from tests.e2e.helpers import open_page

AXE_DIR = Path(__file__).resolve().parent / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
PAGES = PAGE_PATHS
AGENCIES = {"seed": ("四川省政务服务和资源交易服务中心", "2019"), "hongze": ("淮安市洪泽区人民政府", "2024")}
RUN_AXE = """async () => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact,
        nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary.slice(0, 300)),
    }));
}"""


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install axe-core (apt-get install npm)")
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=AXE_DIR, check=True, timeout=300)
    return AXE_JS


def violations(page, axe_script: Path) -> list[dict]:
    page.add_script_tag(path=str(axe_script))
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("who", list(AGENCIES))
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violation(app_bundled_url, page, axe_script, path, who):
    agency, year = AGENCIES[who]
    query = urllib.parse.urlencode({"agency": agency, "year": year})
    open_page(page, f"{app_bundled_url}{path}?{query}")
    page.wait_for_timeout(300)  # charts and fonts settle
    found = violations(page, axe_script)
    assert found == [], "\n".join(f"{v['id']} ({v['impact']}): {v['nodes'][:5]}" for v in found)
