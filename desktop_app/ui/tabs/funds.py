"""资金: the funds table as the form has it, and the execution-rate score."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QWidget

from ...domain.checks import Finding
from ...domain.model import FundLine, FundSource, Unit
from ...domain.money import format_amount, format_number, format_percent, round_half_up
from ...domain.totals import Totals
from ..document import ReportDocument
from ..models.table import Column, Kind, RowTableModel
from ..widgets.table_editor import TableEditor
from .base import ReportTab


def _wan(value: Any) -> str:
    return format_amount(value, Unit.WAN)


class FundsTab(ReportTab):
    """Budget, allocated and spent per line; balance and rates computed live."""

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(document, parent)
        self.section(self.tr("项目资金（万元）"))
        sources = (
            (FundSource.CURRENT_APPROPRIATION, self.tr("当年财政拨款")),
            (FundSource.CARRIED_OVER, self.tr("上年结转资金")),
            (FundSource.OTHER, self.tr("其他资金")),
        )
        amount_tip = self.tr("单位万元；可输入 243.16、1,234.5、２４３．１６、300万、1.5亿、5000元")
        columns = [
            Column("name", self.tr("资金名称"), width=250, total=None),
            Column("source", self.tr("来源"), Kind.CHOICE, choices=sources, width=110),
            Column("initial_budget", self.tr("年初预算数"), Kind.AMOUNT, width=100, tooltip=amount_tip,
                   total=lambda t: _wan(t.funds.initial_budget)),
            Column("budget", self.tr("全年预算数"), Kind.AMOUNT, width=100, tooltip=amount_tip,
                   total=lambda t: _wan(t.funds.budget)),
            Column("allocated", self.tr("到位数"), Kind.AMOUNT, width=100, tooltip=amount_tip,
                   total=lambda t: _wan(t.funds.allocated)),
            Column("spent", self.tr("执行数"), Kind.AMOUNT, width=100, tooltip=amount_tip,
                   total=lambda t: _wan(t.funds.spent)),
            Column(None, self.tr("结余"), Kind.COMPUTED, width=90,
                   compute=lambda row, line, t: _wan(t.lines[row].balance) if row < len(t.lines) else "",
                   total=lambda t: _wan(t.balance)),
            Column(None, self.tr("到位率"), Kind.COMPUTED, width=80,
                   compute=lambda row, line, t: format_percent(t.lines[row].allocation_rate) if row < len(t.lines) else "",
                   total=lambda t: format_percent(t.allocation_rate)),
            Column(None, self.tr("执行率"), Kind.COMPUTED, width=80,
                   compute=lambda row, line, t: format_percent(t.lines[row].execution_rate) if row < len(t.lines) else "",
                   total=lambda t: format_percent(t.execution_rate)),
        ]

        def show_child(row: int, line: FundLine, column: Column, text: str) -> str:
            if column.key == "name" and line.is_child:
                return "　　" + self.tr("其中：") + text
            return text

        self.model = RowTableModel(document, ("fund_lines",), columns, FundLine, total_label=self.tr("合计"),
                                   display_hook=show_child, parent=self)
        self.table = self.add_table(TableEditor(self.model, self, indent=self._on_indent, minimum_rows=3, stretch_key="name"))

        self.section(self.tr("预算执行率得分"))
        form = self.form()
        self.line(form, self.tr("分值"), ("execution_weight",), "number")
        self.line(form, self.tr("自评得分"), ("execution_score",), "number", self.tr("留空则按 分值 × 执行率 计"))
        grid = QGridLayout()
        self.rate_label = QLabel()
        self.suggested_label = QLabel()
        self.allocation_label = QLabel()
        self.ceiling_label = QLabel()
        for label in (self.rate_label, self.suggested_label, self.allocation_label, self.ceiling_label):
            label.setObjectName("figure")
        self.adopt_button = QPushButton(self.tr("采用建议分"))
        self.adopt_button.clicked.connect(self._on_adopt_clicked)
        grid.addWidget(QLabel(self.tr("预算执行率（执行数 ÷ 全年预算数）")), 0, 0)
        grid.addWidget(self.rate_label, 0, 1)
        grid.addWidget(QLabel(self.tr("资金到位率（到位数 ÷ 全年预算数）")), 1, 0)
        grid.addWidget(self.allocation_label, 1, 1)
        grid.addWidget(QLabel(self.tr("建议得分（分值 × 执行率，不超过分值）")), 2, 0)
        grid.addWidget(self.suggested_label, 2, 1)
        grid.addWidget(self.adopt_button, 2, 2)
        grid.addWidget(QLabel(self.tr("按执行率总分上限")), 3, 0)
        grid.addWidget(self.ceiling_label, 3, 1)
        grid.setColumnStretch(3, 1)
        self.body.addLayout(grid)
        self.body.addStretch(1)
        document.recomputed.connect(self._on_document_recomputed)
        self._on_document_recomputed(document.totals, document.findings)

    def _on_indent(self, row: int, child: bool) -> None:
        self.document.set_value(("fund_lines", row, "is_child"), child, merge=False,
                                text=self.tr("设为“其中”行") if child else self.tr("取消“其中”"))

    def _on_adopt_clicked(self) -> None:
        suggested = self.document.totals.execution_score_suggested
        if suggested is not None:
            self.document.set_value(("execution_score",), round_half_up(suggested), merge=False,
                                    text=self.tr("采用建议分"))

    def _on_document_recomputed(self, totals: Totals, _findings: list[Finding]) -> None:
        self.rate_label.setText(format_percent(totals.execution_rate) or "—")
        self.allocation_label.setText(format_percent(totals.allocation_rate) or "—")
        self.suggested_label.setText(format_number(totals.execution_score_suggested) or "—")
        self.ceiling_label.setText(format_number(totals.ceiling) or "—")
