"""Esc cancels the edit in progress and restores the old value (issue 10, defect 5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from desktop_app.domain.checks import Tab
from desktop_app.ui.document import ReportDocument
from desktop_app.ui.errors import Messages
from desktop_app.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, demo):
    Messages.quiet = True
    win = MainWindow(ReportDocument(demo, store=None))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def focused_field(qtbot, window, tab, path):
    page = window.tab_pages[tab]
    window.tabs.setCurrentWidget(page)
    widget = page.fields[path].widget
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
    return widget


def test_esc_in_a_field_restores_what_it_held_when_it_got_focus(qtbot, window):
    field = focused_field(qtbot, window, Tab.OVERVIEW, ("header", "project_name"))
    field.selectAll()
    qtbot.keyClicks(field, "Typo")
    assert window.document.report.header.project_name == "Typo"  # live, as always
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert window.document.report.header.project_name == "招商引资工作经费"
    assert field.text() == "招商引资工作经费"
    assert not window.document.undo_stack.canUndo()  # nothing left to undo: it never happened
    qtbot.keyClick(field, Qt.Key.Key_Escape)  # a second Esc has nothing to cancel
    assert field.text() == "招商引资工作经费"


def test_esc_keeps_earlier_edits_of_the_same_field_from_before_it_got_focus(qtbot, window):
    field = focused_field(qtbot, window, Tab.OVERVIEW, ("header", "unit_name"))
    field.selectAll()
    qtbot.keyClicks(field, "A")
    window.tab_pages[Tab.OVERVIEW].fields[("header", "project_name")].widget.setFocus()
    qtbot.waitUntil(lambda: not field.hasFocus())
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClicks(field, "B")
    assert window.document.report.header.unit_name == "AB"
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert window.document.report.header.unit_name == "A"
    window.undo_action.trigger()
    assert window.document.report.header.unit_name == "丰都县经济合作事务中心"


def test_esc_in_a_text_editor_restores_the_paragraph(qtbot, window):
    page = window.tab_pages[Tab.SCORING]
    editor = focused_field(qtbot, window, Tab.SCORING, ("closing", "lessons"))
    before = window.document.report.closing.lessons
    qtbot.keyClicks(editor, "xyz")
    assert window.document.report.closing.lessons != before
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert window.document.report.closing.lessons == before
    assert editor.toPlainText() == before
    assert page.fields[("closing", "lessons")].widget is editor


def test_esc_in_a_table_cell_restores_the_amount_and_the_figures(qtbot, window):
    page = window.tab_pages[Tab.FUNDS]
    window.tabs.setCurrentWidget(page)
    view, model = page.table.view, page.table.model
    index = model.index(0, model.column_of_key("spent"))
    view.setCurrentIndex(index)
    view.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "300")
    assert window.document.report.fund_lines[0].spent == Decimal(300) * 10000
    assert window.strip.figures["rate"].text() != "81.05%"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    assert window.document.report.fund_lines[0].spent == Decimal("243.16") * 10000
    assert window.strip.figures["rate"].text() == "81.05%"
    assert not window.document.undo_stack.canUndo()


def test_esc_in_a_drop_down_cell_keeps_the_choice(qtbot, window):
    page = window.tab_pages[Tab.OUTPUTS]
    window.tabs.setCurrentWidget(page)
    model = page.indicators
    view = next(table.view for table in page.tables.values() if table.model is model)
    index = model.index(0, model.column_of_key("direction"))
    before = window.document.report.indicators[0].direction
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QComboBox))
    combo = QApplication.focusWidget()
    combo.setCurrentIndex((combo.currentIndex() + 1) % combo.count())  # moved, not chosen
    qtbot.keyClick(combo, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: view.state() != view.State.EditingState)
    assert window.document.report.indicators[0].direction == before
