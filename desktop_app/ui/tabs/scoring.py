"""评分: the score summary like the form's bottom, the conclusion and the closing lists."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from ...domain.checks import Finding, grade_label
from ...domain.model import IndicatorCategory
from ...domain.money import format_number
from ...domain.totals import Totals
from ..document import ReportDocument
from ..models.table import Column, RowTableModel
from ..widgets.table_editor import TableEditor
from .base import ReportTab


class ScoringTab(ReportTab):
    """Weights and scores per block, the derived total and grade, and the closing texts."""

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(document, parent)
        self.section(self.tr("评分汇总"))
        frame = QFrame()
        frame.setObjectName("scoreBox")
        grid = QGridLayout(frame)
        for column, text in enumerate((self.tr("项目"), self.tr("分值"), self.tr("得分"))):
            header = QLabel(text)
            header.setObjectName("gridHeader")
            grid.addWidget(header, 0, column)
        names = [self.tr("预算执行率"), self.tr("产出指标"), self.tr("效益指标"), self.tr("满意度指标"), self.tr("总分")]
        self.cells: list[tuple[QLabel, QLabel]] = []
        for row, name in enumerate(names, start=1):
            weight, score = QLabel(), QLabel()
            for label in (weight, score):
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                label.setObjectName("figure")
            grid.addWidget(QLabel(name), row, 0)
            grid.addWidget(weight, row, 1)
            grid.addWidget(score, row, 2)
            self.cells.append((weight, score))
        self.grade_label = QLabel()
        self.grade_label.setObjectName("bigGrade")
        self.grade_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(QLabel(self.tr("评价等级（由总分得出）")), 0, 3)
        grid.addWidget(self.grade_label, 1, 3, 4, 1)
        grid.setColumnMinimumWidth(1, 80)
        grid.setColumnMinimumWidth(2, 80)
        grid.setColumnMinimumWidth(3, 200)
        grid.setColumnStretch(4, 1)
        self.body.addWidget(frame)

        self.text(self.tr("三、（五）评价结果和评价结论（打印时另附由数据生成的得分和等级）"), ("overview", "conclusion"), 80)
        self.text(self.tr("四、（一）经验总结"), ("closing", "lessons"), 110)
        for path, title in ((("closing", "problems"), self.tr("四、（二）存在问题（自动编号）")),
                            (("closing", "suggestions"), self.tr("四、（三）意见或建议（自动编号）"))):
            self.section(title)
            model = RowTableModel(document, path, [Column(None, self.tr("内容"))], str, parent=self)
            editor = TableEditor(model, self, minimum_rows=2, wrap=True)
            self.add_table(editor)
        self.finish()
        document.recomputed.connect(self._on_document_recomputed)
        self._on_document_recomputed(document.totals, document.findings)

    def _on_document_recomputed(self, totals: Totals, _findings: list[Finding]) -> None:
        by_category = {c.category: c for c in totals.categories}
        rows = [(totals.execution_weight, totals.execution_score)]
        rows += [(by_category[c].weight, by_category[c].score) for c in IndicatorCategory]
        rows.append((totals.total_weight, totals.total_score))
        for (weight_label, score_label), (weight, score) in zip(self.cells, rows):
            weight_label.setText(format_number(weight))
            score_label.setText(format_number(score) if score is not None else "—")
        self.grade_label.setText(grade_label(totals.grade) or "—")
