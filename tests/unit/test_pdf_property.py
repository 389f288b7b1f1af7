"""Hostile text in the PDF builder: never an exception, every character printed as typed.

Arbitrary Unicode — control characters, right-to-left text, emoji, non-BMP CJK, markup
characters — goes into the report's text fields; the story builder must not raise, and
every line typed must come out literally in the story's text (control characters and
white space aside, which are drawn as space). Rendering is checked too, with the big
cases (a 100 000-character paragraph, a 5 000-row table) as single examples to keep the
run short. Long text in a narrow table cell (a row taller than a page) once raised
reportlab's LayoutError; ``test_long_text_in_a_table_cell`` keeps those cases.
"""

from __future__ import annotations

import io
import unicodedata
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop_app.domain.model import (
    Closing,
    Direction,
    FundLine,
    Header,
    Indicator,
    IndicatorCategory,
    OutputItem,
    Overview,
    Report,
    Role,
    TeamMember,
    Unit,
)
from desktop_app.pdf import build_story, render_pdf
from desktop_app.pdf.fonts import resolve_fonts
from desktop_app.pdf.styles import build_styles

HOSTILE_SAMPLES = [
    "\x00\x01\x07\x08\x1b[31m\x7f\x9b",  # C0/C1 controls, an ANSI escape
    "مرحبا بالعالم \u202eReversed\u202c שלום",  # right-to-left, bidi override
    "😀👩‍👩‍👧‍👦🇨🇳 ❤️",  # emoji, ZWJ sequences, flags
    "𠀀𪚥𬌗𰻝\U0002a6d6",  # non-BMP CJK (extensions B to G)
    "<b>粗体</b> &amp; &lt;x&gt; <font name='Courier'>x</font> <para/> ]]> {0} %s",
    "e\u0301\u0301\u0301 Z̸̢̛͍a̴l̶g̷o̵ \u200b\u200d\ufeff\u00ad",
    "\ud7ff\ue000\uffff\ufffd",
]
hostile_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=80),
    st.sampled_from(HOSTILE_SAMPLES),
    st.lists(st.sampled_from(HOSTILE_SAMPLES + ["项目", "\n", " ", "A&B"]), max_size=6).map("".join),
)


@pytest.fixture(scope="module")
def fonts_and_styles() -> tuple[Any, Any]:
    fonts = resolve_fonts()
    return fonts, build_styles(fonts)


def small_report(text: str) -> Report:
    """A short report with ``text`` in every kind of place the builder prints."""
    return Report(
        report_id="hostile",
        header=Header(unit_name=f"单位{text}", project_name=f"项目{text}", fiscal_year=2020),
        overview=Overview(background=text, conclusion=f"结论{text}"),
        fund_lines=[FundLine(f"资金{text}", budget=Decimal("100.00"), allocated=Decimal("90.00"),
                             spent=Decimal("80.00"))],
        indicators=[Indicator(IndicatorCategory.OUTPUT, f"数量{text}", f"指标{text}", Direction.AT_LEAST, "10", "9",
                              "个", Decimal(90), Decimal(80), f"偏差{text}")],
        output_items=[OutputItem(f"产出{text}", Decimal("120000000.00"), Unit.YI, "类别")],
        closing=Closing(lessons=text, problems=[f"问题{text}"], suggestions=[f"建议{text}"]),
    )


def _texts(item: Any) -> list[str]:
    """Every piece of text in a flowable (paragraphs, table cells, kept-together groups)."""
    if isinstance(item, str):
        return [item]
    if isinstance(item, (list, tuple)):
        return [text for part in item for text in _texts(part)]
    found: list[str] = []
    if hasattr(item, "getPlainText"):
        found.append(item.getPlainText())
    elif isinstance(getattr(item, "text", None), str):
        found.append(item.text)
    for attribute in ("_content", "_flowables"):
        found += _texts(getattr(item, attribute, None) or [])
    for row in getattr(item, "_cellvalues", None) or []:
        found += _texts(list(row))
    return found


def visible(text: str) -> str:
    """What must appear literally: everything but white space and control characters."""
    return "".join(ch for ch in text if not (ch.isspace() or unicodedata.category(ch) == "Cc"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hostile_text)
@example("\n".join(HOSTILE_SAMPLES))
def test_story_never_raises_and_prints_text_literally(fonts_and_styles, text: str) -> None:
    fonts, styles = fonts_and_styles
    report = small_report(text)
    story = build_story(report, fonts, styles)
    printed = visible("".join(_texts(story)))
    for line in text.splitlines():
        assert visible(line) in printed
    for label in ("单位", "资金", "指标", "产出", "偏差", "结论"):
        assert visible(label + text.splitlines()[0] if text.splitlines() else label) in printed


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(hostile_text)
@example("\n".join(HOSTILE_SAMPLES) * 3)
def test_rendering_never_raises(fonts_and_styles, text: str) -> None:
    out = io.BytesIO()
    assert render_pdf(small_report(text), out) >= 1
    assert out.getvalue().startswith(b"%PDF")


def test_a_100000_character_paragraph() -> None:
    report = small_report("")
    report.overview.background = ("项目实施情况𬌗A&B<c> " * 10_000)[:100_000]
    out = io.BytesIO()
    assert render_pdf(report, out) > 50


def test_a_5000_row_table() -> None:
    report = small_report("")
    report.output_items = [OutputItem(f"第{n}个引进项目<&>", Decimal(n * 100), Unit.WAN, "类别")
                           for n in range(5000)]
    out = io.BytesIO()
    assert render_pdf(report, out) > 50


# A table row taller than a page once stopped the render with reportlab's LayoutError;
# rows now split across pages (Table splitInRow).
@pytest.mark.parametrize("where, length", [
    ("deviation_note", 300),
    ("indicator_name", 250),
    ("fund_line_name", 400),
    ("unit_name", 600),
    ("output_item_name", 1300),
    ("member_name", 3000),
    ("policy_title", 3000),
])
def test_long_text_in_a_table_cell(where: str, length: int) -> None:
    text = "长" * length
    report = small_report("")
    if where == "deviation_note":
        report.indicators[0].deviation_note = text
    elif where == "indicator_name":
        report.indicators[0].name = text
    elif where == "fund_line_name":
        report.fund_lines[0].name = text
    elif where == "unit_name":
        report.header.unit_name = text
    elif where == "output_item_name":
        report.output_items[0].name = text
    elif where == "member_name":
        report.team.members = [TeamMember(Role.LEADER, text, "主任")]
    else:
        from desktop_app.domain.model import PolicyDocument

        report.header.policy_documents = [PolicyDocument(text, "财预〔2020〕10号")]
    assert render_pdf(report, io.BytesIO()) >= 1
