"""产出: the indicator table, the output narrative and the output item list with its live sum."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from ...domain.checks import Finding
from ...domain.model import Direction, Indicator, IndicatorCategory, OutputItem, Unit
from ...domain.edits import Batch, SetValue
from ...domain.money import format_amount, format_number, round_half_up
from ...domain.totals import Totals
from ..document import ReportDocument
from ..models.table import Column, Kind, RowTableModel
from ..widgets.table_editor import TableEditor
from .base import ReportTab


class OutputsTab(ReportTab):
    """绩效指标 and 产出清单."""

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(document, parent)
        self.section(self.tr("绩效指标"))
        levels = (
            (IndicatorCategory.OUTPUT, self.tr("产出指标")),
            (IndicatorCategory.BENEFIT, self.tr("效益指标")),
            (IndicatorCategory.SATISFACTION, self.tr("满意度指标")),
        )
        directions = (
            (Direction.AT_LEAST, self.tr("正向 ≥")),
            (Direction.AT_MOST, self.tr("反向 ≤")),
            (Direction.EQUAL, self.tr("等于 =")),
            (Direction.QUALITATIVE, self.tr("定性")),
        )
        indicators = RowTableModel(
            document, ("indicators",),
            [
                Column("level1", self.tr("一级指标"), Kind.CHOICE, choices=levels, width=90),
                Column("level2", self.tr("二级指标"), width=140),
                Column("name", self.tr("三级指标"), width=200),
                Column("direction", self.tr("性质"), Kind.CHOICE, choices=directions, width=70),
                Column("target", self.tr("年度指标值"), width=90),
                Column("actual", self.tr("实际完成值"), width=110),
                Column("unit", self.tr("单位"), width=50),
                Column("weight", self.tr("分值"), Kind.NUMBER, width=50),
                Column("score", self.tr("得分"), Kind.NUMBER, width=56,
                       tooltip=self.tr("自评得分；留空则按建议分计")),
                Column(None, self.tr("建议分"), Kind.COMPUTED, width=56,
                       compute=lambda row, item, t: format_number(t.indicator_scores[row].suggested)
                       if row < len(t.indicator_scores) else "",
                       tooltip=self.tr("按指标性质和完成值由规则算出的得分")),
                Column("applicable", self.tr("适用"), Kind.CHECK, width=44),
                Column("deviation_note", self.tr("偏差原因分析及改进措施"), width=260),
            ],
            Indicator, parent=self, display_hook=self._show_score, live_keys=("score",),
        )
        self.indicators = indicators
        self.indicator_table = self.add_table(TableEditor(indicators, self, minimum_rows=3))
        self.adopt_row_button = QPushButton(self.tr("本行采用建议分"))
        self.adopt_all_button = QPushButton(self.tr("全部采用建议分"))
        self.adopt_row_button.clicked.connect(self._on_adopt_row_clicked)
        self.adopt_all_button.clicked.connect(self._on_adopt_all_clicked)
        adopt = QHBoxLayout()
        adopt.addWidget(self.adopt_row_button)
        adopt.addWidget(self.adopt_all_button)
        adopt.addStretch(1)
        self.body.addLayout(adopt)
        self.score_label = QLabel()
        self.score_label.setObjectName("figure")
        self.body.addWidget(self.score_label)

        self.section(self.tr("产出情况"))
        self.text(self.tr("三、（三）产出 — 概述（清单及合计由下表生成）"), ("overview", "outputs"), 80)
        units = ((Unit.YI, self.tr("亿元")), (Unit.WAN, self.tr("万元")), (Unit.YUAN, self.tr("元")))
        items = RowTableModel(
            document, ("output_items",),
            [
                Column("name", self.tr("名称"), width=360),
                Column("amount", self.tr("金额"), Kind.AMOUNT, unit=lambda item: item.unit, width=100),
                Column("unit", self.tr("单位"), Kind.CHOICE, choices=units, width=70),
                Column("category", self.tr("类别"), width=160),
            ],
            OutputItem, parent=self,
        )
        self.add_table(TableEditor(items, self, minimum_rows=3, stretch_key="name"))
        self.items_label = QLabel()
        self.items_label.setObjectName("figure")
        self.body.addWidget(self.items_label)
        self.body.addStretch(1)
        document.recomputed.connect(self._on_document_recomputed)
        self._on_document_recomputed(document.totals, document.findings)

    def _show_score(self, row: int, item: Indicator, column: Column, text: str) -> str:
        # An empty score counts as the suggestion: show it, in brackets, so the sum adds up.
        if column.key == "score" and item.score is None:
            scores = self.document.totals.indicator_scores
            if row < len(scores) and scores[row].suggested is not None:
                return f"({format_number(scores[row].suggested)})"
        return text

    def _adopt(self, rows: list[int]) -> None:
        scores = self.document.totals.indicator_scores
        edits = tuple(
            SetValue(("indicators", row, "score"), round_half_up(scores[row].suggested))
            for row in rows
            if row < len(scores) and scores[row].suggested is not None
            and self.document.report.indicators[row].score != round_half_up(scores[row].suggested)
        )
        if edits:
            self.document.push(Batch(edits), text=self.tr("采用建议分"))

    def _on_adopt_row_clicked(self) -> None:
        index = self.indicator_table.view.currentIndex()
        if index.isValid():
            self._adopt([index.row()])

    def _on_adopt_all_clicked(self) -> None:
        self._adopt(list(range(len(self.document.report.indicators))))

    def _on_document_recomputed(self, totals: Totals, _findings: list[Finding]) -> None:
        self.score_label.setText(self.tr(
            "指标分值合计 {weight}，得分合计 {score}（另加预算执行率 {execution} 分，总分 {total}）").format(
            weight=format_number(totals.indicator_weight), score=format_number(totals.indicator_score),
            execution=format_number(totals.execution_score) or "0", total=format_number(totals.total_score) or "—"))
        unit = next(iter(totals.output_units)) if len(totals.output_units) == 1 else Unit.WAN
        unit_text = {Unit.YI: self.tr("亿元"), Unit.WAN: self.tr("万元"), Unit.YUAN: self.tr("元")}[unit]
        self.items_label.setText(self.tr("共 {count} 项，合计 {sum} {unit}").format(
            count=totals.output_count, sum=format_amount(totals.output_sum, unit), unit=unit_text))
