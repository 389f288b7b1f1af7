"""评分: the score summary like the form's bottom, the conclusion and the closing lists."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QWidget

from ...domain.checks import Finding, Severity, grade_label
from ...domain.edits import Batch, SetValue
from ...domain.model import IndicatorCategory, ReverseFormula, RuleSet, WeightSplit
from ...domain.scoring import split_weights
from ...domain.money import format_number
from ...domain.totals import Totals
from ..document import ReportDocument
from ..models.table import Column, RowTableModel
from ..widgets.fields import BoundField, LineEdit
from ..widgets.table_editor import TableEditor
from ..widgets.wheel_guard import guard_wheel
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
            if column:
                header.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
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
        frame.setMaximumWidth(620)
        self.body.addWidget(frame)

        self._build_rules()
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

    # -- the rule set --------------------------------------------------------------------
    def _build_rules(self) -> None:
        self.section(self.tr("评分规则（随报告保存，修改后立即重新计分）"))
        form = self.form()
        self.split_combo = QComboBox()
        guard_wheel(self.split_combo)
        for split, label in (
            (WeightSplit.NATIONAL, self.tr("全国默认：执行率10 / 产出50 / 效益30 / 满意度10")),
            (WeightSplit.TEN_NINETY, self.tr("执行率10 / 绩效指标90")),
            (WeightSplit.TWENTY_EIGHTY, self.tr("执行率20 / 绩效指标80")),
            (WeightSplit.CUSTOM, self.tr("自定义")),
        ):
            self.split_combo.addItem(label, split)
        self.split_combo.activated.connect(self._on_split_activated)
        form.addRow(self.tr("分值分配"), self.split_combo)
        self.custom_box = QWidget()
        custom = QHBoxLayout(self.custom_box)
        custom.setContentsMargins(0, 0, 0, 0)
        for position, label in enumerate((self.tr("产出"), self.tr("效益"), self.tr("满意度"))):
            editor = LineEdit()
            editor.setMaximumWidth(70)
            error = QLabel()
            error.setObjectName("fieldError")
            error.hide()
            custom.addWidget(QLabel(label))
            custom.addWidget(editor)
            self.fields[("rules", "custom_weights", position)] = BoundField(
                self.document, ("rules", "custom_weights", position), editor, error, "number")
        custom.addWidget(QLabel(self.tr("（执行率分值在“资金”页填写）")))
        custom.addStretch(1)
        form.addRow(self.tr("自定义分值"), self.custom_box)
        self.reverse_combo = QComboBox()
        guard_wheel(self.reverse_combo)
        self.reverse_combo.addItem(self.tr("目标值 ÷ 实际值 × 分值"), ReverseFormula.RATIO)
        self.reverse_combo.addItem(self.tr("(1 − 超出目标的比例) × 分值，超出一倍得0分"), ReverseFormula.LINEAR)
        self.reverse_combo.activated.connect(
            lambda _i: self._set_rule("reverse_formula", self.reverse_combo.currentData()))
        form.addRow(self.tr("反向指标计分"), self.reverse_combo)
        self.cap_check = QCheckBox(self.tr("按预算执行率限制总分（执行率70%–80%总分≤89，60%–70%≤79，<60%≤69，<50%≤59）"))
        self.cap_check.toggled.connect(lambda on: self._set_rule("cap_by_execution_rate", on))
        self.deduct_check = QCheckBox(self.tr("超额完成30%以上视为目标偏低，建议分扣减该指标分值的10%"))
        self.deduct_check.toggled.connect(lambda on: self._set_rule("deduct_over_achievement", on))
        form.addRow("", self.cap_check)
        form.addRow("", self.deduct_check)
        self.document.edit_applied.connect(self._on_document_edit_applied)
        self.document.report_replaced.connect(self._show_rules)
        self._show_rules()

    def _set_rule(self, name: str, value: object) -> None:
        if getattr(self.document.report.rules, name) != value:
            self.document.set_value(("rules", name), value, merge=False, text=self.tr("修改评分规则"))

    def _on_split_activated(self, _index: int) -> None:
        split = self.split_combo.currentData()
        if split is self.document.report.rules.split:
            return
        edits = [SetValue(("rules", "split"), split)]
        execution = split_weights(RuleSet(split=split))[0]
        if execution is not None and self.document.report.execution_weight != execution:
            edits.append(SetValue(("execution_weight",), execution))
        self.document.push(Batch(tuple(edits)), text=self.tr("修改分值分配"))

    def _on_document_edit_applied(self, edit: object) -> None:
        path = getattr(edit, "path", None)
        if path is None or path[:1] in (("rules",), ()):
            self._show_rules()

    def _show_rules(self) -> None:
        rules = self.document.report.rules
        for widget, value in ((self.split_combo, rules.split), (self.reverse_combo, rules.reverse_formula)):
            widget.blockSignals(True)
            widget.setCurrentIndex(max(widget.findData(value), 0))
            widget.blockSignals(False)
        for widget, on in ((self.cap_check, rules.cap_by_execution_rate),
                           (self.deduct_check, rules.deduct_over_achievement)):
            widget.blockSignals(True)
            widget.setChecked(on)
            widget.blockSignals(False)
        self.custom_box.setEnabled(rules.split is WeightSplit.CUSTOM)

    def _on_document_recomputed(self, totals: Totals, findings: list[Finding]) -> None:
        wrong_execution = any(f.path == ("execution_score",) and f.severity is Severity.ERROR for f in findings)
        self.cells[0][1].setProperty("finding", "error" if wrong_execution else "")
        self.cells[0][1].setToolTip(self.tr("此得分有错误，见校验结果") if wrong_execution else "")
        self.cells[0][1].style().unpolish(self.cells[0][1])
        self.cells[0][1].style().polish(self.cells[0][1])
        by_category = {c.category: c for c in totals.categories}
        rows = [(totals.execution_weight, totals.execution_score)]
        rows += [(by_category[c].weight, by_category[c].score) for c in IndicatorCategory]
        rows.append((totals.total_weight, totals.total_score))
        for (weight_label, score_label), (weight, score) in zip(self.cells, rows):
            weight_label.setText(format_number(weight))
            score_label.setText(format_number(score) if score is not None else "—")
        self.grade_label.setText(grade_label(totals.grade) or "—")
