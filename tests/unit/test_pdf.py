"""The PDF layer: fonts, the story and the rendered file (no Qt).

Assertions are on extracted text and structure (pdftotext, pdffonts), never golden bytes.
"""

from __future__ import annotations

import copy
import io
import re
import shutil
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.demo import load_demo
from desktop_app.domain.model import (
    Closing,
    Direction,
    EvaluationTeam,
    FundLine,
    FundSource,
    Header,
    Indicator,
    IndicatorCategory,
    OutlineTemplate,
    OutputItem,
    Overview,
    PolicyDocument,
    Report,
    Role,
    TeamMember,
    Unit,
    Unparsed,
)
from desktop_app.pdf import FontsUnavailableError, build_story, render_pdf
from desktop_app.pdf import fonts as pdf_fonts
from desktop_app.pdf.fonts import FontCandidate, clear_font_cache, missing_characters, resolve_fonts
from desktop_app.pdf.story import balanced_lines, strip_typed_number
from desktop_app.pdf.styles import PAGE, build_styles

WAN = Decimal(10_000)
YI = Decimal(100_000_000)
OUTPUTS = [
    ("抽水蓄能电站", "83.5"), ("水泥窑线协同处置固废", "20"), ("现代化生猪养殖循环产业基地", "20"),
    ("高性能擦拭纸研发及智能制造", "12"), ("九重天研学康养旅游基地", "8.4"), ("莲花山风电", "5.5"),
    ("丰都•千集汇农贸城", "5"), ("青巽石材加工", "4"), ("莲缘湖乡村旅游示范", "3"),
    ("先威智能装备制造及物联网平台建设", "3"), ("丰都县新型智慧城市建设", "2"),
    ("天海农业薯类深加工技改", "1.5"), ("年仓储及贸易10万吨润滑油及1000吨防冻液玻璃水", "1"),
]

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdffonts")), reason="poppler-utils missing")


def fengdu_report() -> Report:
    """The Fengdu 2020 招商引资工作经费 report, built in code (independent of the demo file)."""
    def indicator(level1, level2, name, target, actual, unit, weight, score,
                  direction=Direction.AT_LEAST, note=""):
        return Indicator(level1, level2, name, direction, target, actual, unit,
                         Decimal(weight), Decimal(score), note)

    return Report(
        header=Header(
            unit_name="丰都县经济合作事务中心", supervising_department="丰都县经济和信息化委员会",
            implementing_unit="丰都县经济合作事务中心", project_name="招商引资工作经费",
            fiscal_year=2020, report_date=date(2021, 3, 10),
            policy_documents=[PolicyDocument("中共中央国务院关于全面实施预算绩效管理的意见", "中发〔2018〕34号"),
                              PolicyDocument("丰都县财政局关于开展2020年预算绩效自评工作的通知",
                                             "丰都财政发〔2021〕3号")]),
        overview=Overview(
            background="为助推和巩固贫困群体脱贫、壮大村集体经济，大力实施项目带动战略。",
            implementation="各级各部门各单位将招商引资作为“一把手工程”抓紧抓实。\n健全招商责任体系。",
            funding="2020年招商引资工作经费为县财政全额拨付。",
            annual_goal="年初设定该项目的绩效目标。", goal_achieved="引进亿元级项目13个。",
            management="1.加强组织领导。\n2.加强制度建设。",
            outputs="全县共实现合同引资200.11亿元，到位资金28.71亿元。",
            effects="带动当地经济的发展及促进就业。",
            conclusion="项目自评评价等级为优等级。"),
        team=EvaluationTeam(
            formed_on=date(2021, 3, 1), site_check_on=date(2021, 3, 3), office="综合科", contact="陈春红",
            members=[TeamMember(Role.MEMBER, "朱达勋"), TeamMember(Role.LEADER, "隆小波", "经信委主任"),
                     TeamMember(Role.DEPUTY, "李中武", "经信委副主任"),
                     TeamMember(Role.DEPUTY, "张廷福", "经济合作事务中心主任"),
                     TeamMember(Role.MEMBER, "秦磊"), TeamMember(Role.MEMBER, "陈春红")],
            leader_duties="审批绩效自评方案；", deputy_duties="审核修改拟定的绩效自评方案。",
            member_duties="起草和修改绩效考评方案。", site_check="考评工作组到各项目点现场开展自评检查工作。"),
        fund_lines=[
            FundLine("招商引资工作经费", FundSource.CURRENT_APPROPRIATION, False,
                     300 * WAN, 300 * WAN, Decimal("243.16") * WAN, Decimal("243.16") * WAN),
            FundLine("其中：“1+5+X”专业招商组工作经费", FundSource.CURRENT_APPROPRIATION, True,
                     135 * WAN, 135 * WAN, Decimal("97.48") * WAN, Decimal("97.48") * WAN),
        ],
        execution_score=None,
        indicators=[
            indicator(IndicatorCategory.OUTPUT, "数量指标", "引进亿元级项目个数", "10", "13", "个", 25, 25),
            indicator(IndicatorCategory.OUTPUT, "数量指标", "合同引资额", "180", "200.11", "亿元", 15, 15),
            indicator(IndicatorCategory.OUTPUT, "成本指标", "工作经费支出", "300", "243.16", "万元", 10, 10,
                      Direction.AT_MOST),
            indicator(IndicatorCategory.BENEFIT, "经济效益指标", "带动当地经济发展", "有效带动", "达成年度指标",
                      "", 30, 27, Direction.QUALITATIVE, "部分签约项目落地较慢。"),
            indicator(IndicatorCategory.SATISFACTION, "服务对象满意度指标", "投资企业满意度", "90", "92", "%",
                      10, 10),
        ],
        output_items=[OutputItem(name, Decimal(amount) * YI, Unit.YI, "亿元级引进项目")
                      for name, amount in OUTPUTS],
        closing=Closing(lessons="加强组织领导。",
                        problems=["（1）信息捕捉难。", "项目引进难。", "项目落地难。"],
                        suggestions=["强化外出招商。", "强化对接洽谈。"]),
    )


def pdf_text(path: Path) -> str:
    """The PDF's text with every kind of white space removed (tables wrap freely)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", out)


@pytest.fixture(scope="module", params=["code", "demo"])
def rendered(request, tmp_path_factory) -> tuple[Report, Path, int]:
    """The Fengdu report (built in code, and the bundled demo) rendered once per module."""
    report = fengdu_report() if request.param == "code" else load_demo()
    path = tmp_path_factory.mktemp("pdf") / f"{request.param}.pdf"
    return report, path, render_pdf(report, path)


@pytest.fixture
def fresh_fonts():
    """Forget the cached font resolution before and after the test."""
    clear_font_cache()
    yield
    clear_font_cache()


def render_text(report: Report, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    render_pdf(report, path)
    return pdf_text(path)


# --- the rendered Fengdu report ---------------------------------------------------------


@needs_poppler
def test_every_font_is_embedded(rendered):
    _, path, _ = rendered
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert lines, "no fonts listed"
    for line in lines:
        # columns: name type encoding emb sub uni object ID (the type may hold a space)
        emb = line.split()[-5]
        assert emb == "yes", line


@needs_poppler
def test_figures_and_names_are_printed(rendered):
    report, path, _ = rendered
    text = pdf_text(path)
    assert "资金到位率81.05%" in text
    assert "预算执行率81.05%" in text
    assert "243.16" in text
    for name, _amount in OUTPUTS:
        assert name in text
    assert "亿元级引进项目共13个，合计168.90亿元" in text
    for needle in ("项目支出绩效自评表", "绩效自评工作组签字页", "附件1", "附件2",
                   "附件：1.项目支出绩效自评表", "一、项目基本概况", "（一）项目概况", "1.立项背景",
                   "四、经验总结", "（1）信息捕捉难", "2021年3月10日", "评价等级", "项目负责人："):
        assert needle in text, needle
    assert "（1）（1）" not in text  # typed numbers are not doubled
    assert "组长：隆小波" in text.replace("\u3000", "")


@needs_poppler
def test_funds_table_follows_the_sentence_announcing_it(rendered):
    _, path, _ = rendered
    text = pdf_text(path)
    after = text.split("如下表：", 1)[1]
    before_next_heading = after.split("（二）管理", 1)[0]
    assert "合计" in before_next_heading
    assert "300.00" in before_next_heading and "72.21%" in before_next_heading


@needs_poppler
def test_conclusion_adds_the_derived_score_and_grade(rendered):
    report, path, _ = rendered
    text = pdf_text(path)
    assert re.search(r"经自评，本项目自评得分为[\d.]+分，评价等级为[优良中差]。", text)


def test_page_count_and_metadata(rendered):
    report, path, pages = rendered
    assert pages >= 5
    if not shutil.which("pdfinfo"):
        pytest.skip("poppler-utils missing")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    title = report.header.title or f"{report.header.project_name}项目支出绩效自评报告"
    assert f"Pages:           {pages}\n" in info
    assert f"Author:          {report.header.unit_name}\n" in info
    assert f"Title:           {title}\n" in info
    assert str(path.parent) not in path.read_bytes().decode("latin-1")


def test_pdf_is_dated_by_the_report_date_not_the_clock():
    dated, undated = io.BytesIO(), io.BytesIO()
    render_pdf(fengdu_report(), dated)
    report = fengdu_report()
    report.header.report_date = None
    render_pdf(report, undated)
    # Noon in Beijing: the report's day in any time zone; reportlab's invariant date without one.
    assert b"/CreationDate (D:20210310120000+08'00')" in dated.getvalue()
    assert b"/ModDate (D:20210310120000+08'00')" in dated.getvalue()
    assert b"/CreationDate (D:20000101000000" in undated.getvalue()


def table_cells(story) -> list[tuple[object, list[str]]]:
    """(table, the lines of each text cell as laid out in its column) of every table."""
    from reportlab.platypus import KeepTogether, Paragraph, Table

    from desktop_app.pdf.styles import TABLE_PADDING

    def flat(items):
        for item in items:
            if isinstance(item, KeepTogether):
                yield from flat(item._content)
            else:
                yield item

    result = []
    for table in flat(story):
        if not isinstance(table, Table):
            continue
        table.wrap(PAGE.frame_width, 10 ** 6)
        spans = getattr(table, "_spanRanges", {})
        for r, row in enumerate(table._cellvalues):
            for c, cell in enumerate(row):
                if isinstance(cell, (list, tuple)) and len(cell) == 1:
                    cell = cell[0]
                span = spans.get((c, r), (c, r, c, r))
                if not isinstance(cell, Paragraph) or span is None:
                    continue
                cell.wrap(sum(table._colWidths[span[0]:span[2] + 1]) - 2 * TABLE_PADDING, 10 ** 6)
                lines = cell.blPara.lines
                texts = ([" ".join(words) for _, words in lines] if cell.blPara.kind == 0 else
                         ["".join(getattr(word, "text", "") for word in line.words) for line in lines])
                result.append((table, cell, texts))
    return result


def test_no_table_cell_leaves_one_character_alone_on_a_line():
    from desktop_app.pdf.flowables import CANNOT_START

    fonts = resolve_fonts()
    for report in (load_demo(), fengdu_report()):
        for _table, _cell, lines in table_cells(build_story(report, fonts, build_styles(fonts))):
            if len(lines) > 1:
                last = [ch for ch in lines[-1] if ch not in CANNOT_START and not ch.isspace()]
                assert len(last) > 1, lines


def test_each_table_is_set_in_one_size():
    """The signature table's 职务 is not set smaller than 角色 and 姓名."""
    fonts = resolve_fonts()
    cells = table_cells(build_story(load_demo(), fonts, build_styles(fonts)))
    sign_table = next(table for table, cell, _ in cells if cell.getPlainText() == "职务")
    sizes = {cell.style.fontSize for table, cell, _ in cells if table is sign_table}
    assert len(sizes) == 1, sizes
    # The long position wraps instead, on lines of the same size.
    assert any(len(lines) > 1 for table, cell, lines in cells if table is sign_table)


def test_output_is_byte_stable(tmp_path):
    first, second = io.BytesIO(), io.BytesIO()
    render_pdf(fengdu_report(), first)
    render_pdf(fengdu_report(), second)
    assert first.getvalue() == second.getvalue()


# --- user text, generated text, fonts ----------------------------------------------------


@needs_poppler
def test_user_text_is_escaped_not_markup(tmp_path):
    report = fengdu_report()
    report.header.project_name = "A&B<有限>公司"
    report.overview.effects = "<b>不是粗体</b> & <font name='x'>也不是字体</font>"
    text = render_text(report, tmp_path)
    assert "A&B<有限>公司项目支出绩效自评报告" in text
    assert "<b>不是粗体</b>&<fontname='x'>也不是字体</font>" in text


@needs_poppler
def test_rare_name_character_extracts(tmp_path):
    report = fengdu_report()
    report.team.members[1].name = "王𬌗"
    assert missing_characters(["王𬌗"]) == set()
    assert "王𬌗" in render_text(report, tmp_path)


@needs_poppler
def test_empty_title_and_opening_are_generated(tmp_path):
    report = fengdu_report()
    report.header.title = ""
    report.overview.opening = ""
    text = render_text(report, tmp_path)
    assert "招商引资工作经费项目支出绩效自评报告" in text
    assert "为贯彻落实《中共中央国务院关于全面实施预算绩效管理的意见》（中发〔2018〕34号）" in text


@needs_poppler
def test_national_outline_numbers_its_seven_parts(tmp_path):
    report = fengdu_report()
    report.outline = OutlineTemplate.NATIONAL_7
    text = render_text(report, tmp_path)
    assert "七、其他需要说明的问题无。" in text
    assert "如下表：" in text


@needs_poppler
def test_unreadable_and_missing_values_do_not_break_printing(tmp_path):
    report = fengdu_report()
    report.fund_lines[1].spent = Unparsed("九十七万")
    report.header.report_date = None
    report.header.fiscal_year = Unparsed("二〇二〇")
    report.indicators[0].score = None
    report.team.members = []
    report.output_items.append(OutputItem("零星项目", None, Unit.WAN))
    text = render_text(report, tmp_path)
    assert "九十七万" in text
    assert "绩效自评工作组签字页" in text


def test_missing_characters_reports_what_no_font_has():
    assert missing_characters(["项目 A&B •"]) == set()
    assert missing_characters(["ok\U000f0001"]) == {"\U000f0001"}


def test_markup_switches_font_only_where_a_glyph_is_missing():
    fonts = resolve_fonts()
    body = fonts.name(pdf_fonts.FontRole.BODY)
    markup = fonts.markup("张𬌗<&>", body)
    assert "&lt;&amp;&gt;" in markup
    assert markup.startswith("张")
    for font, chunk in fonts.runs("王𬌗同志 •", body):
        assert all(fonts.font_for(ch, font) == font for ch in chunk if not ch.isspace())


def test_no_font_raises_with_the_install_hint(monkeypatch, fresh_fonts, tmp_path):
    nowhere = [FontCandidate(tmp_path / "nonexistent.ttf")]
    monkeypatch.setattr(pdf_fonts, "role_candidates", lambda role: nowhere)
    monkeypatch.setattr(pdf_fonts, "coverage_candidates", lambda: nowhere)
    with pytest.raises(FontsUnavailableError) as caught:
        render_pdf(fengdu_report(), tmp_path / "out.pdf")
    message = str(caught.value)
    assert "sudo apt install fonts-lxgw-wenkai fonts-arphic-uming" in message
    assert "仿宋/黑体/宋体" in message
    assert str(tmp_path / "nonexistent.ttf") in caught.value.searched


def test_cff_fonts_are_skipped(monkeypatch, fresh_fonts, tmp_path):
    fake = tmp_path / "NotoSansCJK-Regular.ttc"
    fake.write_bytes(b"OTTO" + bytes(200))  # a CFF (PostScript outline) font header
    real = pdf_fonts.role_candidates

    monkeypatch.setattr(pdf_fonts, "role_candidates", lambda role: [FontCandidate(fake), *real(role)])
    fonts = resolve_fonts()
    assert all(font.path != fake for font in fonts.chain)


# --- the story builder and its helpers -----------------------------------------------------


def test_build_story_is_pure():
    report = fengdu_report()
    before = copy.deepcopy(report)
    fonts = resolve_fonts()
    story = build_story(report, fonts, build_styles(fonts))
    assert story and report == before


def test_typed_numbers_are_stripped():
    assert strip_typed_number("（1）信息捕捉难") == "信息捕捉难"
    assert strip_typed_number("2.加强制度建设") == "加强制度建设"
    assert strip_typed_number("2020年预算") == "2020年预算"


def test_long_titles_split_into_balanced_lines():
    lines = balanced_lines("一二三四五六七八九十，一二三四五六七八九十一", len, 12)
    assert len(lines) == 2 and abs(len(lines[0]) - len(lines[1])) <= 2
    assert not lines[1].startswith("，")
    assert balanced_lines("短标题", len, 12) == ["短标题"]


def test_page_geometry_is_the_official_grid():
    assert round(PAGE.frame_width / (72 / 25.4)) == 156
    assert round(PAGE.frame_height / (72 / 25.4)) == 225
    assert 28.5 < PAGE.body_leading < 29.1


def test_importing_the_pdf_package_loads_neither_qt_nor_reportlab():
    code = ("import sys, desktop_app.pdf; "
            "print('PySide6' in sys.modules, any(m.startswith('reportlab') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.split() == ["False", "False"]


@given(st.text(alphabet=st.sampled_from("&<>\"';#xA项目𬌗•—“”（）1.%"), min_size=1, max_size=40))
def test_any_user_text_prints_as_typed(text):
    from reportlab.platypus import Paragraph

    fonts = resolve_fonts()
    styles = build_styles(fonts)
    paragraph = Paragraph(fonts.markup(text, styles["body"].fontName), styles["body"])
    assert paragraph.getPlainText() == text
