"""The pure story builder: a :class:`Report` in, a list of reportlab flowables out.

Nothing here touches a file or a canvas. Every figure printed is computed from
:func:`desktop_app.domain.totals.compute_totals`; every heading number comes from the
outline (never typed). Flow text becomes :class:`~.flowables.GridParagraph` (plain text on
the 28-character grid, per-character font fallback); table cells become reportlab
Paragraphs, their text escaped and given font fallback by :meth:`FontSet.markup`, and
broken into lines by the table that places them (the grid's break rules, and never a
single character alone on a cell's last line). Amounts in prose are whole or carry two
decimals, as in the tables.

Document order: unit line, title, opening paragraph, the outline's sections, the
attachment list and the signature, then 附件1 (项目支出绩效自评表, domain.md §1.2) and
附件2 (绩效自评工作组签字页), each on a new page.
"""

from __future__ import annotations

import math
import re
from datetime import date
from decimal import Decimal
from itertools import zip_longest
from typing import Any, Callable, Iterable, Sequence

from reportlab.lib import colors
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from desktop_app.domain.checks import grade_label
from desktop_app.domain.model import (
    Direction,
    FundSource,
    IndicatorCategory,
    OutputItem,
    Report,
    Role,
    TeamMember,
    Unit,
    Unparsed,
)
from desktop_app.domain.money import (
    amount_text,
    format_amount,
    format_date,
    format_number,
    format_percent,
    number_text,
    to_unit,
)
from desktop_app.domain.outline import OUTLINES, Section, heading_number
from desktop_app.domain.totals import FundColumns, Totals, compute_totals

from .flowables import (
    CANNOT_END,
    CANNOT_START,
    GridParagraph,
    GridStyle,
    KeepLastLines,
    ascii_word,
    grid_width,
    layout_lines,
)
from .fonts import FontSet
from .styles import (
    LEADING,
    MM,
    PAGE,
    PITCH,
    SIGN_ROW_HEIGHT,
    SIZE_3,
    TABLE_GRID_WIDTH,
    TABLE_PADDING,
    StyleSpec,
    Styles,
)

#: Printed names of the parts of the document (document text, not UI text).
ATTACHMENTS = ("项目支出绩效自评表", "绩效自评工作组签字页")
ROLE_LABELS = {Role.LEADER: "组　长", Role.DEPUTY: "副组长", Role.MEMBER: "成　员"}
ROLE_NAMES = {Role.LEADER: "组长", Role.DEPUTY: "副组长", Role.MEMBER: "成员"}
DUTY_LABELS = {Role.LEADER: "组长职责", Role.DEPUTY: "副组长职责", Role.MEMBER: "小组成员职责"}
LEVEL1_LABELS = {
    IndicatorCategory.OUTPUT: "产出指标",
    IndicatorCategory.BENEFIT: "效益指标",
    IndicatorCategory.SATISFACTION: "满意度\n指标",
}
SOURCE_LABELS = {
    FundSource.CURRENT_APPROPRIATION: "其中：当年财政拨款",
    FundSource.CARRIED_OVER: "上年结转资金",
    FundSource.OTHER: "其他资金",
}
COMPARATORS = {Direction.AT_LEAST: "≥", Direction.AT_MOST: "≤", Direction.EQUAL: "="}
UNIT_LABELS = {Unit.YUAN: "元", Unit.WAN: "万元", Unit.YI: "亿元"}
DASH = "—"

_TYPED_NUMBER = re.compile(r"^\s*(?:[（(]\s*\d+\s*[）)]|\d+\s*[.、．]|[一二三四五六七八九十]+、)\s*")
_CHILD_PREFIX = re.compile(r"^\s*其中\s*[：:]\s*")


def build_story(report: Report, fonts: FontSet, styles: Styles) -> list[Flowable]:
    """Every flowable of the printed report, in order.

    Args:
        report: the report to print (not modified).
        fonts: the fonts found on this machine (:func:`desktop_app.pdf.fonts.resolve_fonts`).
        styles: the styles bound to those fonts (:func:`desktop_app.pdf.styles.build_styles`).
    """
    return _StoryBuilder(report, fonts, styles).build()


def report_title(report: Report) -> str:
    """The title as printed: the one typed, or ``{项目名称}项目支出绩效自评报告``."""
    return report.header.title.strip() or f"{report.header.project_name.strip()}项目支出绩效自评报告"


# --- plain-text helpers -------------------------------------------------------------


def paragraphs_of(text: str) -> list[str]:
    """A user's text as paragraphs: one per non-blank line, typed indentation removed."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def strip_typed_number(text: str) -> str:
    """``（1）信息捕捉难`` → ``信息捕捉难``: numbers are generated, a typed one would double."""
    return _TYPED_NUMBER.sub("", text, count=1).strip()


def date_text(value: Any) -> str:
    """A date as printed (``2021年3月10日``), an unread one as typed, else empty."""
    if isinstance(value, Unparsed):
        return value.text
    return format_date(value) if isinstance(value, date) else ""


def year_text(value: Any) -> str:
    """The fiscal year as printed, an unread one as typed, else empty."""
    if isinstance(value, Unparsed):
        return value.text
    return str(value) if value else ""


def prose_amount(yuan: Decimal, unit: Unit = Unit.WAN) -> str:
    """An amount in ``unit`` for prose: ``300`` when whole, else two decimals as in the
    tables (``243.16``, ``168.90``; never ``168.9`` beside a table's ``168.90``)."""
    value = to_unit(yuan, unit)
    whole = format_amount(yuan, unit, places=0)
    return whole if value == Decimal(whole) else format_amount(yuan, unit)


def wan(yuan: Decimal) -> str:
    """An amount in 万元 for prose (:func:`prose_amount`)."""
    return prose_amount(yuan, Unit.WAN)


#: A table cell longer than this is cut into several rows (a row cannot break across pages).
CELL_CHUNK = 300


def _chunks(paragraphs: Iterable[str], limit: int = CELL_CHUNK) -> list[str]:
    """``paragraphs`` with any longer than ``limit`` cut, at a sentence end when one is near."""
    result = []
    for text in paragraphs:
        while len(text) > limit:
            cut = max(text.rfind(mark, limit // 2, limit) for mark in "。；！？")
            cut = cut + 1 if cut > 0 else limit
            result.append(text[:cut])
            text = text[cut:]
        if text:
            result.append(text)
    return result


def _runs(values: Sequence[str]) -> list[tuple[int, int]]:
    """(first, last) index of each run of equal consecutive values."""
    runs: list[tuple[int, int]] = []
    for index, value in enumerate(values):
        if runs and values[runs[-1][0]] == value:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def balanced_lines(text: str, width_of: Callable[[str], float], available: float) -> list[str]:
    """Split a title into the fewest lines that fit, of nearly equal length.

    No line starts with a closing punctuation mark (it moves to the line before).
    """
    total = width_of(text)
    if total <= available or len(text) < 2:
        return [text]
    count = math.ceil(total / available)
    while True:
        per_line = math.ceil(len(text) / count)
        lines = [text[i:i + per_line] for i in range(0, len(text), per_line)]
        for i in range(1, len(lines)):
            while lines[i] and lines[i][0] in CANNOT_START:
                lines[i - 1] += lines[i][0]
                lines[i] = lines[i][1:]
        lines = [line for line in lines if line]
        if all(width_of(line) <= available for line in lines) or count >= len(text):
            return lines
        count += 1


def _lone_last_character(lines: Sequence[str]) -> bool:
    """The last of several lines holds one character, with at most closing marks after it."""
    if len(lines) < 2:
        return False
    core = "".join(ch for ch in lines[-1] if ch not in CANNOT_START and not ch.isspace())
    return len(core) <= 1


def _without_lone_last_character(lines: list[str], fits: Callable[[str], bool]) -> list[str]:
    """``lines`` with the fewest characters (up to three) moved from the second last line
    to the last so that it holds two, unless the break rules or the width allow no move."""
    before, last = lines[-2], lines[-1]
    for keep in range(len(before) - 1, max(len(before) - 4, 0), -1):
        head, moved = before[:keep], before[keep:]
        if (moved[0] in CANNOT_START or head[-1] in CANNOT_END or moved[0] == " "
                or (ascii_word(head[-1]) and ascii_word(moved[0]))):
            continue
        if fits(moved + last):
            return [*lines[:-2], head, moved + last]
        break
    return lines


class CellParagraph(Paragraph):
    """A table cell's Paragraph that remembers its plain text and style, so the table
    that places it can break its lines for the column's width (:meth:`_StoryBuilder.fit_cell`).

    (reportlab re-creates the class with Paragraph's own arguments when it splits one.)
    """

    cell_text: str = ""
    cell_spec: StyleSpec | None = None
    fitted_width: float | None = None  # the width its lines were broken for

    @classmethod
    def of(cls, markup: str, style: Any, text: str, spec: StyleSpec) -> CellParagraph:
        """A cell of ``markup`` in ``style`` that was made from ``text`` and ``spec``."""
        cell = cls(markup, style)
        cell.cell_text, cell.cell_spec = text, spec
        return cell


# --- the builder ----------------------------------------------------------------------



class RowSplittingTable(Table):
    """A table whose rows move whole to the next page, unless a row is taller than a page.

    Such a row (a name or note of thousands of characters) could never fit and would stop
    the whole render with reportlab's LayoutError; only then is it split inside the row.
    """

    def __init__(self, *args: Any, frame_height: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # reportlab re-creates the table for each split part without our argument.
        self._frame_height = frame_height if frame_height is not None else PAGE.frame_height

    def split(self, availWidth: float, availHeight: float) -> list:  # noqa: N803 - reportlab's names
        parts = super().split(availWidth, availHeight)
        if parts or self.splitInRow:
            return parts
        self.wrap(availWidth, availHeight)
        header = sum(self._rowHeights[: self.repeatRows])  # repeated on every page
        if any(height + header > self._frame_height for height in self._rowHeights[self.repeatRows:]):
            self.splitInRow = 1
            return super().split(availWidth, availHeight)
        return parts

class _StoryBuilder:
    """Builds the story of one report; one instance per call of :func:`build_story`."""

    def __init__(self, report: Report, fonts: FontSet, styles: Styles) -> None:
        self.report = report
        self.fonts = fonts
        self.styles = styles
        self.totals: Totals = compute_totals(report)
        self.width = styles.page.frame_width
        header = report.header
        self.project = header.project_name.strip()
        self.unit = header.unit_name.strip()
        self.year = year_text(header.fiscal_year)
        self.title = report_title(report)
        # Tables are measured, and some built twice: break each cell's text once per width.
        self._cell_lines: dict[tuple[str, StyleSpec, float], list[str]] = {}
        self._content: dict[str, Callable[[int], list[Flowable]]] = {
            "generated.goal": self._goal,
            "generated.team": self._team,
            "generated.inputs": self._inputs,
            "generated.outputs": self._outputs,
            "generated.conclusion": self._conclusion,
            "generated.other": lambda level: [self.p("无。")],
            "closing.problems": lambda level: self._numbered(report.closing.problems),
            "closing.suggestions": lambda level: self._numbered(report.closing.suggestions),
        }

    # Paragraph factory: the only place text becomes a flowable.
    def p(self, text: str, style: str = "body", **overrides: Any) -> Flowable:
        """A paragraph of plain ``text`` (newlines are line breaks): a GridParagraph for
        flow text, a reportlab Paragraph (escaped markup) for table cells.

        ``overrides`` replace fields of the :class:`StyleSpec` called ``style``.
        """
        spec = self.styles.spec(style, **overrides)
        font = self.styles.font_name(spec)
        if spec.grid:
            return GridParagraph(text, font, self.styles.grid(spec), self.fonts)
        markup = "<br/>".join(self.fonts.markup(line, font) for line in text.split("\n"))
        return CellParagraph.of(markup, self.styles.paragraph_style(spec), text, spec)

    def cell_lines(self, text: str, spec: StyleSpec, width: float) -> list[str]:
        """``text`` broken into the lines it takes in a cell ``width`` wide (padding off).

        Lines break by the same rules as flow text (no line starts with a closing mark,
        numbers and Latin words stay whole). A last line that would hold a single
        character ("服务对象/满意度指/标") takes the last character of the line above
        with it ("服务对象/满意度/指标").
        """
        key = (text, spec, width)
        cached = self._cell_lines.get(key)
        if cached is None:
            cached = self._cell_lines[key] = self._break_cell(text, spec, width)
        return cached

    def _break_cell(self, text: str, spec: StyleSpec, width: float) -> list[str]:
        font = self.styles.font_name(spec)
        style = GridStyle(size=spec.size, leading=spec.leading, align="left",
                          first_indent=spec.first_line_indent, left_indent=spec.left_indent,
                          right_indent=spec.right_indent)
        # A hair short of the width: reportlab must never break one of these lines again.
        width -= 0.02
        available = width - spec.left_indent - spec.right_indent
        result: list[str] = []
        for part in text.split("\n"):
            if grid_width(part, font, style, self.fonts) <= available:
                result.append(part)
                continue
            lines = ["".join(chunk for _, _, chunk in line.runs)
                     for line in layout_lines(part, font, style, self.fonts, width)]
            if _lone_last_character(lines):
                lines = _without_lone_last_character(
                    lines, lambda line: grid_width(line, font, style, self.fonts) <= available)
            result += lines
        return result

    def text_width(self, text: str, style: str) -> float:
        """Width of ``text`` on one line in ``style``."""
        spec = self.styles.spec(style)
        font = self.styles.font_name(spec)
        if spec.grid:
            return grid_width(text, font, self.styles.grid(spec), self.fonts)
        return self.fonts.string_width(text, font, spec.size)

    def build(self) -> list[Flowable]:
        """The whole story."""
        story: list[Flowable] = [*self._front()]
        for position, section in enumerate(OUTLINES[self.report.outline], 1):
            story += self._section(section, 1, position)
        attachments = self._attachment_list()
        signature = self._signature([self.unit], date_text(self.report.header.report_date), gap=2 * LEADING)
        if story and isinstance(story[-1], GridParagraph):
            # The signature never stands on a page without text: the last lines go with it.
            story[-1] = KeepLastLines(story[-1], [*attachments, *signature])
        else:
            story += [*attachments, KeepTogether(signature)]
        story += self._form()
        story += self._sign_page()
        return story

    # --- front matter and sections ---------------------------------------------------

    def _front(self) -> list[Flowable]:
        out: list[Flowable] = []
        if self.unit:
            out.append(self.p(self.unit, "unit"))
        title_lines = balanced_lines(self.title, lambda s: self.text_width(s, "title"), self.width)
        out.append(self.p("\n".join(title_lines), "title"))
        opening = paragraphs_of(self.report.overview.opening) or [self._generated_opening()]
        out += [self.p(text) for text in opening]
        return out

    def _generated_opening(self) -> str:
        cited = []
        for document in self.report.header.policy_documents:
            title = document.title.strip().strip("《》")
            if title:
                number = document.doc_number.strip()
                cited.append(f"《{title}》" + (f"（{number}）" if number else ""))
        who = self.unit or "我单位"
        year = f"{self.year}年度" if self.year else ""
        what = f"{who}对{year}{self.project}项目开展绩效自评，形成自评报告如下："
        if cited:
            return f"为贯彻落实{'、'.join(cited)}等文件有关规定，{what}"
        return f"根据预算绩效管理有关规定，{what}"

    def heading(self, text: str, style: str, stacked: int = 1) -> list[Flowable]:
        """A heading kept with what follows: ``stacked`` headings plus two lines of text.

        (A conditional page break rather than keepWithNext, which would push a heading
        together with the whole of a long first paragraph to the next page.)
        """
        return [CondPageBreak((stacked + 2) * LEADING), self.p(text, style)]

    def _section(self, section: Section, level: int, position: int) -> list[Flowable]:
        style = {1: "heading1", 2: "heading2"}.get(level, "heading3")
        stacked, first = 1, section
        while not first.content and first.children:
            stacked, first = stacked + 1, first.children[0]
        out = self.heading(heading_number(level, position) + section.title, style, stacked)
        for key in section.content:
            out += self._fill(key, level)
        for child_position, child in enumerate(section.children, 1):
            out += self._section(child, level + 1, child_position)
        return out

    def _fill(self, key: str, level: int) -> list[Flowable]:
        if key in self._content:
            return self._content[key](level)
        group, _, name = key.partition(".")
        source = {"overview": self.report.overview, "closing": self.report.closing}.get(group)
        text = getattr(source, name, "") if source is not None else ""
        return [self.p(line) for line in paragraphs_of(text if isinstance(text, str) else "")]

    def _numbered(self, items: Iterable[str]) -> list[Flowable]:
        texts = [strip_typed_number(item) for item in items if item.strip()]
        return [self.p(heading_number(4, i) + text) for i, text in enumerate(texts, 1)]

    def _labelled(self, label: str, text: str) -> list[Flowable]:
        lines = paragraphs_of(text)
        if not lines:
            return []
        return [self.p(f"{label}：{lines[0]}"), *(self.p(line) for line in lines[1:])]

    # --- generated content ------------------------------------------------------------

    def _goal(self, level: int) -> list[Flowable]:
        overview = self.report.overview
        return [*self._labelled("预期目标", overview.annual_goal),
                *self._labelled("实际完成情况", overview.goal_achieved)]

    def _team(self, level: int) -> list[Flowable]:
        team = self.report.team
        sub = max(level + 1, 3)
        formed = date_text(team.formed_on)
        out = [self.p(f"{formed}{'，' if formed else ''}成立项目绩效评价工作组，负责绩效自评工作，"
                      "工作组的主要成员及职责如下：")]
        out += self.heading(heading_number(sub, 1) + "工作组成员", "heading3")
        out += [self.p(line) for line in self._member_lines()]
        office, contact = team.office.strip(), team.contact.strip()
        if office and contact:
            out.append(self.p(f"工作小组下设办公室在{office}，由{contact}同志负责绩效自评工作资料的收集、"
                              "报送等日常事务。"))
        elif office or contact:
            out.append(self.p(f"工作小组下设办公室在{office}。" if office else
                              f"由{contact}同志负责绩效自评工作资料的收集、报送等日常事务。"))
        duties = [(DUTY_LABELS[role], text.strip()) for role, text in (
            (Role.LEADER, team.leader_duties), (Role.DEPUTY, team.deputy_duties),
            (Role.MEMBER, team.member_duties)) if text.strip()]
        if duties:
            out += self.heading(heading_number(sub, 2) + "工作职责", "heading3")
            out += [self.p(f"{heading_number(sub + 1, i)}{label}：{text}")
                    for i, (label, text) in enumerate(duties, 1)]
        site = date_text(team.site_check_on) + team.site_check.strip()
        if site:
            out.append(self.p(site))
        return out

    def _members_in_order(self) -> list[TeamMember]:
        members = [m for m in self.report.team.members if m.name.strip() or m.position.strip()]
        order = {Role.LEADER: 0, Role.DEPUTY: 1, Role.MEMBER: 2}
        return sorted(members, key=lambda m: order[m.role])  # stable: keeps typed order

    def _member_lines(self) -> list[str]:
        """``组　长：隆小波　经信委主任``; members without a position share one line."""
        lines: list[str] = []
        pending: list[str] = []
        previous_role = None
        for member in self._members_in_order():
            if pending and (member.role is not previous_role or member.position.strip()):
                lines.append(f"{ROLE_LABELS[previous_role]}：{'　'.join(pending)}")
                pending = []
            if member.position.strip():
                lines.append(f"{ROLE_LABELS[member.role]}：{member.name.strip()}　{member.position.strip()}")
            else:
                pending.append(member.name.strip())
            previous_role = member.role
        if pending:
            lines.append(f"{ROLE_LABELS[previous_role]}：{'　'.join(pending)}")
        return lines

    def _inputs(self, level: int) -> list[Flowable]:
        lead = [self.p("项目资金安排及使用情况如下表：", "lead_in"), self.p("单位：万元", "table_unit")]
        return [self.p(self._inputs_sentence()), *self._announced(lead, self._funds_table()),
                Spacer(1, LEADING / 2)]

    def _inputs_sentence(self) -> str:
        totals, funds = self.totals, self.totals.funds
        lines = self.report.fund_lines
        tops = [i for i, parent in enumerate(totals.parent_of) if parent is None]
        details = []
        for index, line in enumerate(lines):
            budget = FundColumns.of(line).budget
            name = _CHILD_PREFIX.sub("", line.name).strip()
            if not name or (len(tops) == 1 and index in tops):
                continue
            prefix = "其中" if line.is_child and len(tops) > 1 else ""
            details.append(f"{prefix}{name}{wan(budget)}万元")
        parts = [f"{self.year}年" if self.year else ""]
        if funds.initial_budget and funds.initial_budget != funds.budget:
            parts.append(f"年初预算数{wan(funds.initial_budget)}万元，")
        parts.append(f"全年预算数{wan(funds.budget)}万元")
        if details:
            parts.append(("（其中：" if len(tops) == 1 else "（") + "、".join(details) + "）")
        parts.append(f"，到位资金{wan(funds.allocated)}万元")
        if funds.allocation_rate is not None:
            parts.append(f"，资金到位率{format_percent(funds.allocation_rate)}")
        parts.append(f"，实际执行{wan(funds.spent)}万元")
        if funds.execution_rate is not None:
            parts.append(f"，预算执行率{format_percent(funds.execution_rate)}")
        parts.append("，无结余资金。" if totals.balance == 0 else f"，结余{wan(totals.balance)}万元。")
        return "".join(parts)

    def _funds_table(self) -> Table:
        head = ["名称", "年初\n预算数", "全年\n预算数", "到位数", "执行数", "结余", "到位率", "执行率"]
        rows: list[list[Any]] = [[self.p(text, "cell_head") for text in head]]
        for index, line in enumerate(self.report.fund_lines):
            figures = self.totals.lines[index]
            name = _CHILD_PREFIX.sub("", line.name).strip()
            name_cell = (self.p(f"其中：{name}", "cell", left_indent=SIZE_3) if line.is_child
                         else self.p(name, "cell"))
            rows.append([name_cell, *self._number_cells(
                amount_text(line.initial_budget), amount_text(line.budget),
                amount_text(line.allocated), amount_text(line.spent),
                format_amount(figures.balance), format_percent(figures.allocation_rate),
                format_percent(figures.execution_rate))])
        funds = self.totals.funds
        rows.append([self.p("合计", "cell_center"), *self._number_cells(
            format_amount(funds.initial_budget), format_amount(funds.budget),
            format_amount(funds.allocated), format_amount(funds.spent),
            format_amount(funds.balance), format_percent(funds.allocation_rate),
            format_percent(funds.execution_rate))])
        return self._grid(rows, self._name_and_figures_widths(rows), repeat_rows=1)

    #: The name column of a table of figures is never narrower than this.
    MIN_NAME_WIDTH = 40 * MM

    def _name_and_figures_widths(self, rows: list[list[Any]]) -> list[float]:
        """Column widths of a name column followed by columns of figures: each figure
        column as wide as its widest line (heading or figure), the name the rest.

        When the figures leave the name less than :attr:`MIN_NAME_WIDTH`, they shrink
        in proportion (and their headings wrap).
        """
        figures = [0.0] * (len(rows[0]) - 1)
        for row in rows:
            for column, cell in enumerate(row[1:]):
                if isinstance(cell, CellParagraph) and cell.cell_spec is not None:
                    font = self.styles.font_name(cell.cell_spec)
                    widest = max(self.fonts.string_width(line, font, cell.cell_spec.size)
                                 for line in cell.cell_text.split("\n"))
                    figures[column] = max(figures[column], widest)
        # Padding on both sides and a little air, so a figure never touches a rule.
        figures = [width + 2 * TABLE_PADDING + 4 for width in figures]
        room = self.width - self.MIN_NAME_WIDTH
        if sum(figures) > room:
            figures = [width * room / sum(figures) for width in figures]
        return [self.width - sum(figures), *figures]

    def _number_cells(self, *texts: str) -> list[Flowable]:
        return [self.p(text, "cell_number") for text in texts]

    def _outputs(self, level: int) -> list[Flowable]:
        items = [item for item in self.report.output_items if item.name.strip()]
        if not items:
            return []
        units = {item.unit for item in items}
        unit = units.pop() if len(units) == 1 else Unit.WAN
        mixed = bool(units)
        categories = {item.category.strip() for item in items}
        label = categories.pop() if len(categories) == 1 and "" not in categories else "产出项目"
        total = sum((item.amount for item in items if isinstance(item.amount, Decimal)), Decimal(0))
        sentence = (f"{label}共{len(items)}个，合计{prose_amount(total, unit)}"
                    f"{UNIT_LABELS[unit]}，明细如下：")
        return [*self._announced([self.p(sentence, "lead_in")],
                                 self._outputs_table(items, unit, mixed, total)),
                Spacer(1, LEADING / 2)]

    #: A table this many rows long or shorter stays whole with the sentence announcing it;
    #: a longer one keeps its heading row and the next :attr:`KEPT_ROWS` with it.
    WHOLE_TABLE_ROWS = 8
    KEPT_ROWS = 3

    def _announced(self, lead: list[Flowable], table: Table) -> list[Flowable]:
        """``lead`` (the sentence "…如下表：", the 单位 line) kept with the start of ``table``.

        A conditional page break moves them to the next page only when the start of the
        table does not fit below them; the table may then break across pages (its heading
        row repeated), so no more than the announcing lines and a few rows ever move and
        the foot of the page is not left blank.
        """
        width, frame = self.width, self.styles.page.frame_height
        needed = sum(flowable.wrap(width, frame)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
                     for flowable in lead)
        table.wrap(width, frame)
        heights = table._rowHeights
        kept = len(heights) if len(heights) <= self.WHOLE_TABLE_ROWS else 1 + self.KEPT_ROWS
        needed += sum(heights[:kept])
        return [CondPageBreak(min(needed, 0.8 * frame)), *lead, table]

    def _outputs_table(self, items: Sequence[OutputItem], unit: Unit, mixed: bool,
                       total: Decimal) -> Table:
        head = ["序号", "名称", "金额" if mixed else f"金额（{UNIT_LABELS[unit]}）"]
        rows: list[list[Any]] = [[self.p(text, "cell_head") for text in head]]
        for i, item in enumerate(items, 1):
            amount = amount_text(item.amount, item.unit)
            if mixed and amount:
                amount += UNIT_LABELS[item.unit]
            rows.append([self.p(str(i), "cell_center"), self.p(item.name.strip(), "cell"),
                         self.p(amount, "cell_number")])
        total_text = format_amount(total, unit) + (UNIT_LABELS[unit] if mixed else "")
        rows.append([self.p("合计", "cell_center"), self.p(f"{len(items)}个", "cell"),
                     self.p(total_text, "cell_number")])
        widths = [14 * MM, self.width - 50 * MM, 36 * MM]
        return self._grid(rows, widths, repeat_rows=1)

    def _conclusion(self, level: int) -> list[Flowable]:
        out = [self.p(text) for text in paragraphs_of(self.report.overview.conclusion)]
        total = self.totals.total_score
        if total is not None:
            out.append(self.p(f"经自评，本项目自评得分为{format_number(total)}分，"
                              f"评价等级为{grade_label(self.totals.grade)}。"))
        return out

    # --- attachments list and signature -----------------------------------------------

    def _attachment_list(self) -> list[Flowable]:
        items = [f"{i}.{name}" for i, name in enumerate(ATTACHMENTS, 1)]
        return [self.p("附件：" + "\n".join(items), "attachments")]

    def _signature(self, above: Sequence[str], date_line: str, gap: float,
                   room: float = 0) -> list[Flowable]:
        """Lines centred over the date, the date four characters in from the right.

        ``gap`` is the space above the block, ``room`` the space left for the seal
        between the lines and the date.
        """
        date_indent = 4 * PITCH
        date_width = self.text_width(date_line, "signature")
        out: list[Flowable] = [Spacer(1, gap)]
        for text in above:
            if text:
                indent = date_indent + (date_width - self.text_width(text, "signature")) / 2
                out.append(self.p(text, "signature", right_indent=max(indent, 0)))
        if room:
            out.append(Spacer(1, room))
        if date_line:
            out.append(self.p(date_line, "signature", right_indent=date_indent))
        return out

    # --- 附件1: 项目支出绩效自评表 ------------------------------------------------------

    def _form(self) -> list[Flowable]:
        heading = [PageBreak(), self.p("附件1", "attachment_label"),
                   self.p(ATTACHMENTS[0], "form_title"),
                   self.p(f"（{self.year}年度）" if self.year else "（　　年度）", "form_subtitle"),
                   self._note_row(f"填报单位：{self.unit}", "单位：万元")]
        blocks = [self._form_header(), self._form_funds(), self._form_goal()]
        indicators = self._form_indicators(merge_label=True)
        used = sum(flowable.wrap(self.width, self.styles.page.frame_height)[1]
                   for flowable in [*heading[1:], *blocks, indicators])
        if used > self.styles.page.frame_height:
            indicators = self._form_indicators(merge_label=False)
        footer = self._note_row("项目负责人：", "财务负责人：", "填表人：")
        return [*heading, *blocks, indicators, Spacer(1, 2 * MM), footer]

    def _note_row(self, *texts: str) -> Table:
        cells = [self.p(text, "form_note") for text in texts]
        if len(texts) == 2:
            cells[1] = self.p(texts[1], "form_note_right")
        table = RowSplittingTable([cells], colWidths=[self.width / len(texts)] * len(texts),
                                  frame_height=self.styles.page.frame_height)
        table.setStyle(TableStyle([*self._cell_font(), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        return table

    def _cell_font(self) -> list[tuple]:
        """Every table sets a cell font, else reportlab references an unembedded Helvetica."""
        cell = self.styles["cell"]
        return [("FONT", (0, 0), (-1, -1), cell.fontName, cell.fontSize, cell.leading)]

    def _grid(self, rows: list[list[Any]], widths: Sequence[float], spans: Sequence[tuple] = (),
              repeat_rows: int = 0, row_heights: Sequence[float | None] | None = None,
              lines: Sequence[tuple] | None = None) -> Table:
        """A ruled table of Paragraph cells; ``lines`` replaces the full grid."""
        rows = self.fit_cells(rows, widths, spans)
        table = RowSplittingTable(rows, colWidths=list(widths), rowHeights=row_heights, repeatRows=repeat_rows,
                                  frame_height=self.styles.page.frame_height)
        if lines is None:
            lines = [("GRID", (0, 0), (-1, -1), TABLE_GRID_WIDTH, colors.black)]
        commands: list[tuple] = [
            *self._cell_font(),
            *lines,
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), TABLE_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), TABLE_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), TABLE_PADDING),
            ("BOTTOMPADDING", (0, 0), (-1, -1), TABLE_PADDING),
        ]
        commands += [("SPAN", start, end) for start, end in spans]
        table.setStyle(TableStyle(commands))
        return table

    def fit_cells(self, rows: list[list[Any]], widths: Sequence[float],
                  spans: Sequence[tuple] = ()) -> list[list[Any]]:
        """``rows`` with each text cell's lines broken for its column (or merged columns)."""
        spanned: dict[tuple[int, int], float] = {}
        for (c0, r0), (c1, _r1) in spans:
            spanned[(c0, r0)] = sum(widths[c0:c1 + 1])
        return [[self.fit_cell(cell, spanned.get((c, r), widths[c])) for c, cell in enumerate(row)]
                for r, row in enumerate(rows)]

    def fit_cell(self, cell: Any, width: float) -> Any:
        """``cell`` set again with the lines of :meth:`cell_lines` when they differ from
        its text; anything but a :class:`CellParagraph` as it is."""
        if not isinstance(cell, CellParagraph) or cell.cell_spec is None:
            return cell
        inner = width - 2 * TABLE_PADDING
        if cell.fitted_width == inner:
            return cell
        lines = self.cell_lines(cell.cell_text, cell.cell_spec, inner)
        if "\n".join(lines) != cell.cell_text:
            font = self.styles.font_name(cell.cell_spec)
            markup = "<br/>".join(self.fonts.markup(line, font) for line in lines)
            cell = CellParagraph.of(markup, cell.style, cell.cell_text, cell.cell_spec)
        cell.fitted_width = inner
        return cell

    def _form_header(self) -> Table:
        header = self.report.header
        c = self.p
        rows = [[c("项目名称", "cell_center"), c(self.project, "cell"), "", ""],
                [c("主管部门", "cell_center"), c(header.supervising_department.strip(), "cell"),
                 c("实施单位", "cell_center"), c(header.implementing_unit.strip() or self.unit, "cell")]]
        widths = [18 * MM, 60 * MM, 18 * MM, self.width - 96 * MM]
        return self._grid(rows, widths, spans=[((1, 0), (3, 0))])

    def _form_funds(self) -> Table:
        totals = self.totals
        head = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
        rows: list[list[Any]] = [[self.p("项目资金\n（万元）", "cell_center"), "",
                                  *(self.p(text, "cell_center") for text in head)]]

        def money_row(label: str, columns: FundColumns, *tail: str, indent: float = 0) -> list[Any]:
            return ["", self.p(label, "cell", left_indent=indent), *self._number_cells(
                format_amount(columns.initial_budget), format_amount(columns.budget),
                format_amount(columns.spent)), *(self.p(t, "cell_center") for t in tail)]

        rows.append(money_row("年度资金总额", totals.funds, format_number(totals.execution_weight),
                              format_percent(totals.execution_rate),
                              format_number(totals.execution_score)))
        for source in FundSource:
            columns = totals.by_source[source]
            rows.append(money_row(SOURCE_LABELS[source], columns, DASH,
                                  format_percent(columns.execution_rate) or DASH, DASH,
                                  indent=0 if source is FundSource.CURRENT_APPROPRIATION else 3 * 10.5))
        widths = [18 * MM, 37 * MM, 21 * MM, 21 * MM, 21 * MM, 11 * MM, 15 * MM]
        widths.append(self.width - sum(widths))
        return self._grid(rows, widths, spans=[((0, 0), (0, len(rows) - 1))])

    def _form_goal(self) -> Table:
        """年度总体目标: 预期目标 beside 实际完成情况.

        Short texts sit in one row under the merged label. Long ones get a row per
        paragraph (long paragraphs cut at a sentence end), drawn without rules between
        them so they read as one cell, and the table may break across pages between
        rows, repeating its header (a table row itself cannot break).
        """
        overview = self.report.overview
        goal = paragraphs_of(overview.annual_goal)
        achieved = paragraphs_of(overview.goal_achieved)
        half = (self.width - 18 * MM) / 2
        widths = [18 * MM, half, half]
        head = [self.p("年度总体\n目标", "cell_center"), self.p("预期目标", "cell_center"),
                self.p("实际完成情况", "cell_center")]
        single = [head, ["", self.p("\n".join(goal), "cell"), self.p("\n".join(achieved), "cell")]]
        table = self._grid(single, widths, spans=[((0, 0), (0, 1))])
        if table.wrap(self.width, 10 ** 6)[1] < 0.5 * self.styles.page.frame_height:
            return table
        pairs = list(zip_longest(_chunks(goal), _chunks(achieved), fillvalue=""))
        rows = [head, *(["", self.p(left, "cell"), self.p(right, "cell")] for left, right in pairs)]
        black = colors.black
        lines = [("BOX", (0, 0), (-1, -1), TABLE_GRID_WIDTH, black),
                 ("LINEAFTER", (0, 0), (1, -1), TABLE_GRID_WIDTH, black),
                 ("LINEBELOW", (1, 0), (-1, 0), TABLE_GRID_WIDTH, black),
                 ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), TABLE_GRID_WIDTH, black),
                 ("LINEABOVE", (0, "splitfirst"), (-1, "splitfirst"), TABLE_GRID_WIDTH, black)]
        return self._grid(rows, widths, repeat_rows=1, lines=lines)

    #: Column widths of the indicator block (mm); the last column takes the rest.
    INDICATOR_WIDTHS_MM = (10, 17, 17, 23, 19, 19, 12, 12)

    def _form_indicators(self, merge_label: bool) -> Table:
        """The 绩效指标 block: rows grouped by 一级指标, then 总分 and 评价等级.

        With ``merge_label`` the 绩效指标 label spans the whole block, which then cannot
        break across pages; otherwise the label column is merged by drawing no lines in
        it, and the table may break between 一级 groups (or anywhere, for a group taller
        than most of a page), repeating its header row.
        """
        totals = self.totals
        widths = [w * MM for w in self.INDICATOR_WIDTHS_MM]
        widths.append(self.width - sum(widths))
        head = ["绩效\n指标", "一级指标", "二级指标", "三级指标", "年度\n指标值", "实际\n完成值",
                "分值", "得分", "偏差原因分析\n及改进措施"]
        rows: list[list[Any]] = [[self.p(text, "cell_center") for text in head]]
        spans: list[tuple] = []
        weights = {score.category: score.weight for score in totals.categories}
        for category in IndicatorCategory:
            group = [i for i in self.report.indicators if i.level1 is category and i.applicable]
            if not group:
                continue
            label = f"{LEVEL1_LABELS[category]}\n（{format_number(weights[category])}分）"
            body = [[self.p(indicator.name.strip(), "cell"),
                     self.p(self._target_text(indicator, widths[4]), "cell_center"),
                     self.p(self._actual_text(indicator, widths[5]), "cell_center"),
                     self.p(number_text(indicator.weight), "cell_center"),
                     self.p(number_text(indicator.score), "cell_center"),
                     self.p(indicator.deviation_note.strip(), "cell")] for indicator in group]
            level2 = [indicator.level2.strip() for indicator in group]
            merge = merge_label or self._height(body, widths[3:]) < 0.6 * self.styles.page.frame_height
            first = len(rows)
            runs = _runs(level2) if merge else [(i, i) for i in range(len(group))]
            shown = {start for start, _ in runs}
            for offset, cells in enumerate(body):
                rows.append(["", self.p(label if offset == 0 or not merge else "", "cell_center"),
                             self.p(level2[offset] if offset in shown else "", "cell_center"), *cells])
            spans += [((2, first + a), (2, first + b)) for a, b in runs if b > a]
            if merge and len(group) > 1:
                spans.append(((1, first), (1, len(rows) - 1)))
        last_indicator = len(rows) - 1
        rows.append([self.p("总分", "cell_center"), "", "", "", "", "",
                     self.p(format_number(totals.total_weight), "cell_center"),
                     self.p(format_number(totals.total_score), "cell_center"), ""])
        rows.append([self.p("评价等级", "cell_center"), "", "", "", "", "",
                     self.p(grade_label(totals.grade), "cell_center"), "", ""])
        total_row = last_indicator + 1
        spans += [((0, total_row), (5, total_row)), ((0, total_row + 1), (5, total_row + 1)),
                  ((6, total_row + 1), (8, total_row + 1))]
        if merge_label:
            spans.append(((0, 0), (0, last_indicator)))
        lines = None if merge_label else [
            # No lines inside the label column: it reads as one merged cell.
            ("GRID", (1, 0), (-1, last_indicator), TABLE_GRID_WIDTH, colors.black),
            ("GRID", (0, total_row), (-1, -1), TABLE_GRID_WIDTH, colors.black),
            ("BOX", (0, 0), (-1, -1), TABLE_GRID_WIDTH, colors.black),
            # Close the label column where the table breaks across pages.
            ("LINEBELOW", (0, "splitlast"), (-1, "splitlast"), TABLE_GRID_WIDTH, colors.black),
        ]
        return self._grid(rows, widths, spans=spans, repeat_rows=1, lines=lines)

    def _height(self, rows: list[list[Any]], widths: Sequence[float]) -> float:
        """Height of ``rows`` set as a table with ``widths``."""
        return self._grid(rows, widths).wrap(sum(widths), 10 ** 6)[1]

    @staticmethod
    def _with_unit(value: str, unit: str) -> str:
        return value if not value or not unit or value.endswith(unit) else value + unit

    def _fit_unit(self, value: str, unit: str, width: float) -> str:
        """``≥180亿元``, or ``≥180`` over ``亿元`` when too wide, never ``≥180亿`` over ``元``."""
        text = self._with_unit(value, unit)
        if unit and text.endswith(unit) and text != unit:
            if self.text_width(text, "cell_center") > width - 2 * TABLE_PADDING:
                return text[: -len(unit)] + "\n" + unit
        return text

    def _target_text(self, indicator: Any, width: float) -> str:
        target = indicator.target.strip()
        if indicator.direction is Direction.QUALITATIVE or not target:
            return target
        comparator = COMPARATORS.get(indicator.direction, "")
        if target[0] in "≥≤=＝<>＜＞":
            comparator = ""
        return self._fit_unit(comparator + target, indicator.unit.strip(), width)

    def _actual_text(self, indicator: Any, width: float) -> str:
        actual = indicator.actual.strip()
        if indicator.direction is Direction.QUALITATIVE:
            return actual
        return self._fit_unit(actual, indicator.unit.strip(), width)

    # --- 附件2: 绩效自评工作组签字页 ----------------------------------------------------

    def _sign_page(self) -> list[Flowable]:
        out: list[Flowable] = [PageBreak(), self.p("附件2", "attachment_label"),
                               self.p(ATTACHMENTS[1], "form_title")]
        subject = f"{self.year}年度" if self.year else ""
        if self.project:
            out.append(self.p(f"（{subject}{self.project}项目支出绩效自评）", "form_subtitle"))
        out.append(Spacer(1, LEADING / 2))
        rows: list[list[Any]] = [[self.p(text, "sign_head") for text in ("角色", "姓名", "职务", "签字")]]
        members = self._members_in_order()
        for member in members:
            rows.append([self.p(ROLE_NAMES[member.role], "sign_cell"),
                         self.p(member.name.strip(), "sign_cell"),
                         self.p(member.position.strip(), "sign_cell"), ""])
        for _ in range(max(0, 5 - len(members))):  # room to add members by hand
            rows.append(["", "", "", ""])
        widths = [20 * MM, 28 * MM, 68 * MM, self.width - 116 * MM]
        rows = self.fit_cells(rows, widths)
        # Room to sign in every row; a row whose 职务 wraps grows to hold it.
        heights: list[float | None] = [None]
        for row in rows[1:]:
            needed = max((cell.wrap(width - 2 * TABLE_PADDING, 10 ** 6)[1] + 2 * TABLE_PADDING
                          for cell, width in zip(row, widths) if isinstance(cell, Flowable)), default=0)
            heights.append(max(SIGN_ROW_HEIGHT, needed))
        out.append(self._grid(rows, widths, repeat_rows=1, row_heights=heights))
        seal = self._signature([self.unit, "（盖章）"], date_text(self.report.header.report_date),
                               gap=LEADING, room=2 * LEADING)
        out += [CondPageBreak(6 * LEADING), *seal]
        return out
