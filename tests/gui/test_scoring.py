"""Scoring in the window: suggestions, deviation notes and rule sets, all live."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain.checks import Tab
from desktop_app.domain.model import ReverseFormula, WeightSplit
from desktop_app.ui.document import ReportDocument
from desktop_app.ui.errors import Messages
from desktop_app.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, demo):
    Messages.quiet = True
    win = MainWindow(ReportDocument(demo))
    qtbot.addWidget(win)
    win.show()
    return win


def cell(window, row, key):
    model = window.tab_pages[Tab.OUTPUTS].indicators
    return model.index(row, model.column_of_key(key))


def suggested_cell(window, row):
    model = window.tab_pages[Tab.OUTPUTS].indicators
    column = next(n for n, c in enumerate(model.columns) if c.header == "建议分")
    return model.index(row, column)


def codes_at(window, path):
    return {f.code for f in window.document.findings if f.path == path}


def test_changing_an_actual_updates_suggestion_total_and_grade_at_once(window):
    model = window.tab_pages[Tab.OUTPUTS].indicators
    model.setData(cell(window, 1, "score"), "")  # 合同引资额: take the suggestion
    assert suggested_cell(window, 1).data() == "15"
    assert cell(window, 1, "score").data() == "(15)"
    assert window.strip.figures["total"].text() == "99"
    model.setData(cell(window, 1, "actual"), "0")
    assert suggested_cell(window, 1).data() == "0"
    assert window.strip.figures["total"].text() == "84"
    assert window.strip.figures["grade"].text() == "良"
    assert window.tab_pages[Tab.SCORING].grade_label.text() == "良"
    model.setData(cell(window, 1, "actual"), "90")  # half the target
    assert suggested_cell(window, 1).data() == "7.5"
    assert window.strip.figures["total"].text() == "91.5"
    assert window.strip.figures["grade"].text() == "优"


def test_deviation_note_required_below_weight_and_cleared_when_written(window):
    model = window.tab_pages[Tab.OUTPUTS].indicators
    note_path = ("indicators", 2, "deviation_note")
    assert "deviation_note_missing" not in codes_at(window, note_path)
    model.setData(cell(window, 2, "actual"), "20")  # 到位额 20 of 25 → 8 points
    model.setData(cell(window, 2, "score"), "8")
    assert "deviation_note_missing" in codes_at(window, note_path)
    assert cell(window, 2, "deviation_note").data(Qt.ItemDataRole.BackgroundRole) is not None
    model.setData(cell(window, 2, "deviation_note"), "部分项目资金到位滞后，下一步加强跟踪服务。")
    assert "deviation_note_missing" not in codes_at(window, note_path)


def test_a_score_that_disagrees_with_the_formula_is_flagged_and_adopting_clears_it(window):
    page = window.tab_pages[Tab.OUTPUTS]
    page.indicators.setData(cell(window, 2, "actual"), "20")
    assert "score_disagrees" in codes_at(window, ("indicators", 2, "score"))
    page.adopt_all_button.click()
    assert window.document.report.indicators[2].score == Decimal(8)
    assert "score_disagrees" not in codes_at(window, ("indicators", 2, "score"))
    window.undo_action.trigger()
    assert window.document.report.indicators[2].score == Decimal(10)


def test_switching_the_rule_set_rescores_live(window):
    model = window.tab_pages[Tab.OUTPUTS].indicators
    model.setData(cell(window, 4, "score"), "")
    model.setData(cell(window, 4, "actual"), "400")  # cost 400 万元 against ≤ 300
    assert suggested_cell(window, 4).data() == "3.75"  # 300 ÷ 400 × 5
    scoring = window.tab_pages[Tab.SCORING]
    scoring.reverse_combo.setCurrentIndex(scoring.reverse_combo.findData(ReverseFormula.LINEAR))
    scoring.reverse_combo.activated.emit(scoring.reverse_combo.currentIndex())
    assert window.document.report.rules.reverse_formula is ReverseFormula.LINEAR
    assert suggested_cell(window, 4).data() == "3.33"  # (1 − 100 ÷ 300) × 5
    assert window.strip.figures["total"].text() == "97.33"

    scoring.split_combo.setCurrentIndex(scoring.split_combo.findData(WeightSplit.TWENTY_EIGHTY))
    scoring.split_combo.activated.emit(scoring.split_combo.currentIndex())
    assert window.document.report.execution_weight == Decimal(20)
    assert "weights_not_100" in {f.code for f in window.document.findings}
    window.undo_action.trigger()
    assert window.document.report.rules.split is WeightSplit.NATIONAL
    assert window.document.report.execution_weight == Decimal(10)
    assert scoring.split_combo.currentData() is WeightSplit.NATIONAL


def test_cap_by_execution_rate_rule(window):
    funds = window.tab_pages[Tab.FUNDS].model
    funds.setData(funds.index(0, funds.column_of_key("spent")), "225")  # 75% executed
    scoring = window.tab_pages[Tab.SCORING]
    assert "total_above_rate_cap" not in {f.code for f in window.document.findings}
    scoring.cap_check.setChecked(True)
    assert "total_above_rate_cap" in {f.code for f in window.document.findings}


def test_the_reason_and_source_of_a_rule_are_in_the_panel_tooltip(window):
    panel = window.findings_panel
    rows = range(panel.model.rowCount())
    tips = [panel.model.index(r, 2).data(Qt.ItemDataRole.ToolTipRole) for r in rows]
    assert any("依据：财预〔2020〕10号" in tip for tip in tips)
