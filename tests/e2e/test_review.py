"""The review page (下级单位年报审核) in Chromium on the bundled reports: 淮安市's units from the URL,
and the XLSX a supervising office downloads (the same workbook as ``python -m etl review``)."""

from __future__ import annotations

import io
import urllib.parse

import pandas as pd

from etl.units import unit_id_for
from tests.e2e.helpers import download, main_text, metric_values, open_page, screenshot, warning_texts

HUAIAN = "淮安市人民政府"
HONGZE = "淮安市洪泽区人民政府"
MISSING = ["淮安市清江浦区人民政府", "淮安市盱眙县人民政府", "淮安市金湖县人民政府"]


def test_review_of_huaian_and_its_xlsx(app_bundled_url, watched):
    query = urllib.parse.urlencode({"parent": unit_id_for(HUAIAN), "y": "2024"})
    open_page(watched, f"{app_bundled_url}/review?{query}")
    assert warning_texts(watched) == []
    assert metric_values(watched) == {"已载入": "1个", "未能载入": "0个", "未报送": "3个"}
    assert "淮安市人民政府下属各级单位，2024年：已载入1个，未能载入0个，未报送3个。" in main_text(watched)
    screenshot(watched, "e2e-review")
    name, data = download(watched, "下载审核表 XLSX")
    assert name == "下级单位年报审核_淮安市人民政府_2024年.xlsx"
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(sheets) == ["已载入", "未能载入", "未报送", "说明"]
    assert list(sheets["已载入"]["单位"]) == [HONGZE]
    assert list(sheets["未报送"]["单位"]) == MISSING
    assert sheets["未能载入"].empty
