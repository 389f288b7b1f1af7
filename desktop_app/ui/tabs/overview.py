"""概况: the header fields, the policy documents and the narrative texts in outline order."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ...domain.model import PolicyDocument
from ..document import ReportDocument
from ..models.table import Column, RowTableModel
from ..widgets.table_editor import TableEditor
from .base import ReportTab


class OverviewTab(ReportTab):
    """Who, what, when — and the narrative of 项目基本概况."""

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(document, parent)
        self.section(self.tr("基本信息"))
        form = self.form()
        self.line(form, self.tr("单位名称"), ("header", "unit_name"))
        self.line(form, self.tr("主管部门"), ("header", "supervising_department"))
        self.line(form, self.tr("实施单位"), ("header", "implementing_unit"))
        self.line(form, self.tr("项目名称"), ("header", "project_name"))
        self.line(form, self.tr("评价年度"), ("header", "fiscal_year"), "year", self.tr("如 2020"))
        self.line(form, self.tr("报告日期"), ("header", "report_date"), "date", self.tr("如 2021-03-10 或 2021年3月10日"))
        self.line(form, self.tr("报告标题"), ("header", "title"), placeholder=self.tr("留空则按“项目名称＋项目支出绩效自评报告”生成"))

        self.section(self.tr("政策依据"))
        documents = RowTableModel(
            document, ("header", "policy_documents"),
            [Column("title", self.tr("文件名称"), width=520), Column("doc_number", self.tr("文号"), width=200)],
            PolicyDocument, parent=self,
        )
        self.add_table(TableEditor(documents, self, minimum_rows=3, stretch_key="title"))

        self.section(self.tr("报告正文"))
        self.text(self.tr("开篇（引用政策依据，说明评价哪个项目）"), ("overview", "opening"))
        self.text(self.tr("一、（一）1. 立项背景"), ("overview", "background"))
        self.text(self.tr("一、（一）2. 项目实施情况"), ("overview", "implementation"), 160)
        self.text(self.tr("一、（一）3. 经费来源和使用情况"), ("overview", "funding"))
        self.text(self.tr("一、（二）项目绩效目标 — 年度总体目标（预期目标）"), ("overview", "annual_goal"))
        self.text(self.tr("年度总体目标 — 实际完成情况"), ("overview", "goal_achieved"))
        self.text(self.tr("三、（二）管理"), ("overview", "management"), 140)
        self.text(self.tr("三、（四）效果"), ("overview", "effects"))
        self.finish()
