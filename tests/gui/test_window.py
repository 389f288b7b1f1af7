"""The window as a user drives it: live figures, findings, undo, jumping to a cell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop_app.domain.checks import Tab
from desktop_app.ui.document import ReportDocument
from desktop_app.ui.errors import Messages
from desktop_app.ui.main_window import MainWindow

WAN = Decimal(10000)


@pytest.fixture
def window(qtbot, demo):
    Messages.quiet = True
    document = ReportDocument(demo, store=None)
    win = MainWindow(document)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def funds(window):
    return window.tab_pages[Tab.FUNDS]


def open_cell_editor(qtbot, window, row, key):
    page = funds(window)
    window.tabs.setCurrentWidget(page)
    table = page.table
    index = table.model.index(row, table.model.column_of_key(key))
    table.view.setCurrentIndex(index)
    table.view.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    return editor, index


def test_typing_a_budget_updates_rate_and_findings_before_focus_leaves(qtbot, window):
    assert window.strip.figures["rate"].text() == "81.05%"
    assert any(f.code == "total_above_ceiling" for f in window.document.findings)
    editor, _ = open_cell_editor(qtbot, window, 0, "budget")
    editor.selectAll()
    qtbot.keyClicks(editor, "243.16")
    # the editor is still open and focused: nothing was committed by leaving the cell
    assert QApplication.focusWidget() is editor
    assert window.strip.figures["rate"].text() == "100.00%"
    assert funds(window).rate_label.text() == "100.00%"
    assert not any(f.code == "total_above_ceiling" for f in window.document.findings)
    total_row = funds(window).table.model.rowCount() - 1
    rate_column = len(funds(window).table.model.columns) - 1
    assert funds(window).table.model.index(total_row, rate_column).data() == "100.00%"


def test_typed_amount_forms_are_accepted_and_bad_text_is_kept_and_flagged(qtbot, window):
    editor, index = open_cell_editor(qtbot, window, 0, "allocated")
    editor.selectAll()
    qtbot.keyClicks(editor, "250 ")
    assert window.document.report.fund_lines[0].allocated == 250 * WAN
    editor.setText("2,5x")
    editor.textEdited.emit("2,5x")
    finding = next(f for f in window.document.findings if f.code == "value_unparsed")
    assert finding.path == ("fund_lines", 0, "allocated")
    assert index.data(Qt.ItemDataRole.ToolTipRole).startswith("无法识别“2,5x”")
    assert index.data(Qt.ItemDataRole.EditRole) == "2,5x"


def test_undo_restores_the_previous_value_across_tabs(qtbot, window):
    editor, _ = open_cell_editor(qtbot, window, 0, "spent")
    editor.selectAll()
    qtbot.keyClicks(editor, "200")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits and closes on a queued call
    view = funds(window).table.view
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    assert window.document.report.fund_lines[0].spent == 200 * WAN
    assert view.currentIndex().row() == 1  # Enter moved down
    overview = window.tab_pages[Tab.OVERVIEW]
    window.tabs.setCurrentWidget(overview)
    unit_field = overview.fields[("header", "unit_name")].widget
    unit_field.setFocus()
    unit_field.setText("某县经济合作事务中心")
    assert window.document.report.header.unit_name == "某县经济合作事务中心"
    window.undo_action.trigger()
    assert window.document.report.header.unit_name == "丰都县经济合作事务中心"
    assert unit_field.text() == "丰都县经济合作事务中心"
    window.undo_action.trigger()  # the whole typed "200" is one step
    assert window.document.report.fund_lines[0].spent == Decimal("243.16") * WAN
    window.redo_action.trigger()
    assert window.document.report.fund_lines[0].spent == 200 * WAN


def test_ctrl_z_in_a_field_goes_to_the_one_undo_stack(qtbot, window):
    overview = window.tab_pages[Tab.OVERVIEW]
    window.tabs.setCurrentWidget(overview)
    field = overview.fields[("header", "project_name")].widget
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    field.selectAll()
    qtbot.keyClicks(field, "New name")
    assert window.document.report.header.project_name == "New name"
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.report.header.project_name == "招商引资工作经费"


def test_part_larger_than_whole_appears_in_the_panel_and_a_click_selects_the_cell(qtbot, window):
    model = funds(window).table.model
    model.setData(model.index(1, model.column_of_key("budget")), "400")
    panel = window.findings_panel
    rows = [r for r in range(panel.model.rowCount())
            if panel.model.data(panel.model.index(r, 0), Qt.ItemDataRole.UserRole).code == "part_exceeds_whole"]
    assert rows, "the part-larger-than-whole finding is listed"
    text = panel.model.index(rows[0], 2).data()
    assert "400.00" in text and "300.00" in text
    assert panel.model.index(rows[0], 1).data() == "资金 › 资金表 › 全年预算数 › 第2行"
    window.tabs.setCurrentIndex(0)
    index = panel.model.index(rows[0], 2)
    panel.view.clicked.emit(index)
    assert window.tabs.currentWidget() is funds(window)
    current = funds(window).table.view.currentIndex()
    assert (current.row(), current.column()) == (1, model.column_of_key("budget"))
    assert window.tabs.tabIcon(2).isNull() is False  # the 资金 tab carries the error marker


def test_adopting_the_suggested_execution_score_clears_the_ceiling_error(qtbot, window):
    funds(window).adopt_button.click()
    assert window.document.report.execution_score == Decimal("8.11")
    assert window.strip.figures["total"].text() == "97.11"
    assert not any(f.code == "total_above_ceiling" for f in window.document.findings)


def test_row_tools_add_move_indent_and_remove(qtbot, window):
    page = funds(window)
    table = page.table
    table.add_button.click()
    assert len(window.document.report.fund_lines) == 3
    table.view.setCurrentIndex(table.model.index(2, 0))
    page.table.indent_button.click()
    assert window.document.report.fund_lines[2].is_child
    table.up_button.click()
    assert window.document.report.fund_lines[1].name == ""
    table.remove_button.click()
    assert len(window.document.report.fund_lines) == 2
    window.undo_action.trigger()
    assert len(window.document.report.fund_lines) == 3


def test_grade_in_text_is_highlighted_in_the_editor(qtbot, window):
    editor = window.tab_pages[Tab.SCORING].fields[("overview", "conclusion")].widget
    assert editor.extraSelections(), "the contradicting 良 is highlighted"


def test_a_character_no_font_has_is_a_finding_naming_it(qtbot, window):
    overview = window.tab_pages[Tab.OVERVIEW]
    overview.fields[("header", "unit_name")].widget.setText("丰都县\U000f0001中心")
    found = [f for f in window.document.findings if f.code == "glyph_missing"]
    assert found and found[0].path == ("header", "unit_name")
    assert "U+F0001" in overview.fields[("header", "unit_name")].error_label.text()
