"""The export layer: CSV/XLSX bytes, download names, the modebar config, and chart
images rendered by Kaleido in headless Chromium (tests marked ``browser``)."""

from __future__ import annotations

import io
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from dashboard import export
from tests import fixtures

ROOT = fixtures.ROOT
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
requires_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")

SOURCE = "2019年四川省政务服务和资源交易服务中心政府信息公开工作年度报告"


def sample_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "年度": [2019, 2019, 2020],
            "类别": ["工程建设类", "政府采购类", "矿业权（含土地）"],
            "数量（条）": [272064, 119172, 16236],
            "占比": [0.5575, 0.2442, 0.0333],
        }
    )


# --------------------------------------------------------------------------- CSV


def test_csv_starts_with_bom_and_round_trips():
    df = sample_frame()
    data = export.csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8").splitlines()[0] == "年度,类别,数量（条）,占比"  # no index column
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == list(df.columns)
    assert len(back) == len(df)
    pd.testing.assert_frame_equal(back, df, check_dtype=False)


def test_csv_keeps_empty_cells_and_commas():
    df = pd.DataFrame({"机关": ["甲，乙", 'a,"b"', None], "数量": pd.array([1, None, 3], dtype="Int64")})
    back = pd.read_csv(io.BytesIO(export.csv_bytes(df)), encoding="utf-8-sig")
    assert back["机关"].tolist()[:2] == ["甲，乙", 'a,"b"']
    assert pd.isna(back["机关"][2]) and pd.isna(back["数量"][1])
    assert back["数量"].dropna().tolist() == [1, 3]


def test_csv_of_empty_frame_is_its_header():
    data = export.csv_bytes(pd.DataFrame(columns=["年度", "数量"]))
    assert data == "\ufeff年度,数量\n".encode()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x","点击")', '\'=HYPERLINK("http://x","点击")'),
        ("+86 28 12345", "'+86 28 12345"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("工程建设类=1", "工程建设类=1"),  # only the first character matters
        ("", ""),
    ],
)
def test_defuse_formula(text, expected):
    assert export.defuse_formula(text) == expected


def test_csv_defuses_formula_text_but_keeps_numbers():
    """Report text is untrusted: a paragraph that starts a formula is exported as text.
    Numbers, negative ones included, stay numbers."""
    df = pd.DataFrame(
        {
            "原文": ["=cmd|' /C calc'!A0", "正常句子", None],
            "数值": pd.array([-5, 487988, None], dtype="Int64"),
            "比率": [-0.5, 85.51, None],
        }
    )
    data = export.csv_bytes(df)
    lines = data[3:].decode("utf-8").splitlines()
    assert lines[1] == "'=cmd|' /C calc'!A0,-5,-0.5"
    assert lines[2] == "正常句子,487988,85.51"
    assert lines[3] == ",,"
    assert df["原文"][0] == "=cmd|' /C calc'!A0", "the frame itself is not changed"


# --------------------------------------------------------------------------- XLSX


def test_xlsx_has_the_rows():
    df = sample_frame()
    wb = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(df)))
    assert wb.sheetnames == ["数据"]
    ws = wb["数据"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == list(df.columns)
    assert rows[1:] == df.values.tolist()
    assert ws.freeze_panes == "A2"
    back = pd.read_excel(io.BytesIO(export.xlsx_bytes(df)))
    pd.testing.assert_frame_equal(back, df, check_dtype=False)


def test_xlsx_sheet_names_are_valid_and_unique():
    long = "交易信息：按类别/2019年[全部]，含工程建设、政府采购、土地矿业权与国有产权"
    frames = {
        long: sample_frame(),
        long + "（续）": sample_frame().head(1),
        "": sample_frame(),
        "History": sample_frame(),
    }
    wb = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frames, notes={"数据来源": SOURCE})))
    names = wb.sheetnames
    assert len(names) == 5 and names[-1] == "说明"
    assert len({n.lower() for n in names}) == 5
    for name in names:
        assert 0 < len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
    assert names[0].startswith("交易信息")
    assert names[3].lower() != "history"
    assert wb[names[1]].max_row == 2
    notes = [[c.value for c in row] for row in wb["说明"].iter_rows()]
    assert notes == [["项目", "内容"], ["数据来源", SOURCE]]


def test_xlsx_keeps_formula_like_text_as_text():
    df = pd.DataFrame({"名称": ["=1+1", "+86", "@x"]})
    ws = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(df))).active
    assert [c.value for c in ws["A"]][1:] == ["=1+1", "+86", "@x"]
    assert all(c.data_type == "s" for c in ws["A"])


# --------------------------------------------------------------------------- names and config


@pytest.mark.parametrize(
    ("parts", "ext", "expected"),
    [
        (("交易信息", 2019), "csv", "交易信息_2019.csv"),
        (("../etc/passwd",), None, "etc_passwd"),
        (('a/b\\c:d*e?f"g<h>i|j',), "png", "a_b_c_d_e_f_g_h_i_j.png"),
        (("  行政 审批  ", "", None, "2019—2020年"), "xlsx", "行政_审批_2019—2020年.xlsx"),
        ((), "csv", "export.csv"),
        (("...",), None, "export"),
        (("NUL",), "txt", "NUL_.txt"),
        (("x",), ".PNG", "x.png"),
    ],
)
def test_safe_filename(parts, ext, expected):
    assert export.safe_filename(*parts, ext=ext) == expected


def test_safe_filename_is_bounded():
    name = export.safe_filename("政" * 500, ext="csv")
    assert name.endswith(".csv") and len(name.encode("utf-8")) <= 160
    assert "/" not in name and "\\" not in name


def test_modebar_config():
    config = export.modebar_config("交易信息/2019.png")
    assert config["toImageButtonOptions"] == {"format": "png", "filename": "交易信息_2019", "scale": 2}
    assert config["displaylogo"] is False
    assert config["locale"] == "zh-CN"
    assert config["locales"]["zh-CN"]["dictionary"]["Download plot as a PNG"] == "下载图片（PNG）"
    config["locales"]["zh-CN"]["dictionary"].clear()  # callers get their own copy
    assert export.modebar_config("x")["locales"]["zh-CN"]["dictionary"]


def test_missing_browser_message_says_what_to_install():
    message = export.missing_browser_message()
    assert "sudo apt-get install chromium fonts-noto-cjk" in message
    assert "图片" in message


def test_without_browser_figure_image_raises_export_unavailable(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert export.browser_path() is None
    assert not export.browser_available()
    with pytest.raises(export.ExportUnavailable) as info:
        export.figure_image(go.Figure(go.Bar(x=["甲"], y=[1])), "png", "标题", SOURCE, "2019年")
    assert str(info.value) == export.missing_browser_message()
    assert isinstance(info.value, export.ExportError)


def test_figure_image_rejects_bad_arguments():
    fig = go.Figure(go.Bar(x=["甲"], y=[1]))
    with pytest.raises(ValueError):
        export.figure_image(fig, "jpg", "标题", SOURCE, "2019年")  # type: ignore[arg-type]
    if export.browser_available():
        with pytest.raises(ValueError):
            export.figure_image(fig, "png", "标题", SOURCE, "2019年", height=100)


# --------------------------------------------------------------------------- images


@pytest.fixture(scope="module")
def renderer():
    yield
    export.close_renderer()


def bar_figure(title: str = "原图标题") -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=["工程建设类", "政府采购类", "矿业权", "国有产权", "其他"],
            y=[272064, 119172, 16236, 36384, 44045],
            marker={"color": "#0072B2"},
            text=["272,064", "119,172", "16,236", "36,384", "44,045"],
            textposition="outside",
        )
    )
    fig.update_layout(title={"text": title}, height=400, template="plotly_white")
    return fig


def png(data: bytes) -> Image.Image:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB")


def dark_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    return sum(image.crop(box).convert("L").histogram()[:128])


@pytest.mark.browser
@requires_chromium
@pytest.mark.usefixtures("renderer")
def test_png_is_real_sized_and_not_blank():
    fig = bar_figure()
    before = fig.to_dict()
    data = export.figure_image(
        fig, "png", "交易信息公开数量（按类别）", SOURCE, "2019年", width=900, height=560
    )
    assert fig.to_dict() == before, "the caller's figure was changed"
    image = png(data)
    assert image.size == (1800, 1120)  # 900 × 560 at scale 2
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50
    white = sum(n for n, c in colours if c == (255, 255, 255))
    assert white < 0.97 * image.width * image.height
    assert any(c == (0, 114, 178) for _, c in colours), "the bars' colour is missing"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "export-sample.png").write_bytes(data)


@pytest.mark.browser
@requires_chromium
@pytest.mark.usefixtures("renderer")
def test_png_default_height_adds_the_text_bands():
    fig = bar_figure()
    image = png(export.figure_image(fig, "png", "标题", SOURCE, "2019年", width=800, scale=1))
    assert image.width == 800
    assert image.height > 400  # the chart keeps its 400 px, the texts come on top


@pytest.mark.browser
@requires_chromium
@pytest.mark.usefixtures("renderer")
def test_chinese_title_is_drawn_with_real_glyphs():
    fig = bar_figure("")

    def render(title: str) -> Image.Image:
        return png(export.figure_image(fig, "png", title, "", "", width=800, height=500, scale=2))

    assert export.cjk_font_available(), "no Chinese font: apt-get install fonts-noto-cjk"
    without, first, second = render(""), render("政府信息公开"), render("年度报告数据")
    title_area = (0, 0, 800, 100)  # the title line: 14–42 CSS px from the top, at scale 2
    assert dark_pixels(first, title_area) > 500, "no title drawn"
    assert dark_pixels(without, title_area) < 50
    # tofu boxes would look alike for any six hanzi; real glyphs differ
    assert first.crop(title_area).tobytes() != second.crop(title_area).tobytes()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    first.save(ARTIFACTS / "export-title.png")


@pytest.mark.browser
@requires_chromium
@pytest.mark.usefixtures("renderer")
def test_svg_carries_title_year_and_source():
    fig = bar_figure("图自己的标题")
    data = export.figure_image(fig, "svg", "", SOURCE, "2019—2020年")
    text = data.decode("utf-8")
    root = ET.fromstring(text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert text.count("图自己的标题") == 1  # taken into the frame, removed from the chart
    assert "2019—2020年" in text
    assert f"数据来源：{SOURCE}" in text
    assert "工程建设类" in text  # the chart itself is vector too
    (ARTIFACTS / "export-sample.svg").parent.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "export-sample.svg").write_bytes(data)


@pytest.mark.browser
@requires_chromium
@pytest.mark.usefixtures("renderer")
def test_titles_with_markup_characters_are_text():
    data = export.figure_image({"data": [{"type": "bar", "x": [1], "y": [1]}]}, "svg", "A<b>B & C", "x", "")
    texts = "".join(ET.fromstring(data).itertext())
    assert "A<b>B & C" in texts  # shown as typed, not taken as markup


@pytest.mark.browser
@requires_chromium
@pytest.mark.usefixtures("renderer")
def test_browser_is_reused_and_calls_may_overlap():
    fig = bar_figure()
    export.figure_image(fig, "png", "预热", SOURCE, "2019年")
    start = time.perf_counter()
    export.figure_image(fig, "png", "第二张", SOURCE, "2019年")
    assert time.perf_counter() - start < 5, "a warm image should not start a new browser"

    def one(i: int) -> bytes:
        return export.figure_image(bar_figure(), "svg", f"并发图{i}", SOURCE, "2019年")

    with ThreadPoolExecutor(3) as pool:
        results = list(pool.map(one, range(3)))
    for i, data in enumerate(results):
        assert f"并发图{i}".encode() in data


@pytest.mark.browser
@requires_chromium
@pytest.mark.usefixtures("renderer")
def test_year_already_in_the_title_is_not_repeated():
    fig = go.Figure(go.Bar(x=["甲", "乙"], y=[1, 2]))
    texts = "".join(
        ET.fromstring(export.figure_image(fig, "svg", "2019年交易信息", "来源", "2019年")).itertext()
    )
    assert texts.count("2019年") == 1
    texts = "".join(ET.fromstring(export.figure_image(fig, "svg", "交易信息", "来源", "2019年")).itertext())
    assert texts.count("2019年") == 1 and "交易信息" in texts
