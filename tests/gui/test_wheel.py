"""The mouse wheel scrolls the page and never changes a value (issue 10, defect 1)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox

from desktop_app.domain.checks import Tab
from desktop_app.domain.model import WeightSplit
from desktop_app.ui.document import ReportDocument
from desktop_app.ui.errors import Messages
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.widgets.wheel_guard import unguarded


@pytest.fixture
def window(qtbot, demo):
    Messages.quiet = True
    win = MainWindow(ReportDocument(demo))
    qtbot.addWidget(win)
    win.resize(1000, 560)  # small enough that every tab scrolls
    win.show()
    qtbot.waitExposed(win)
    return win


def wheel(widget, notches: int = -3) -> None:
    """Turn the wheel over the middle of ``widget`` as a real mouse does (negative: page down).

    Through the window system (``QTest.wheelEvent``): only such spontaneous events travel
    on to the parent when a widget leaves them, as a real wheel's do.
    """
    top = widget.window()
    centre = widget.mapTo(top, widget.rect().center())
    QTest.wheelEvent(top.windowHandle(), QPointF(centre), QPoint(0, 120 * notches))
    QApplication.processEvents()


def test_scrolling_over_the_rule_drop_downs_scrolls_the_page_and_keeps_the_rules(window):
    scoring = window.tab_pages[Tab.SCORING]
    window.tabs.setCurrentWidget(scoring)
    scoring.ensureWidgetVisible(scoring.split_combo)
    before = (window.document.report.rules.split, window.document.report.rules.reverse_formula)
    assert before[0] is WeightSplit.NATIONAL
    bar = scoring.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum() // 2)
    scoring.ensureWidgetVisible(scoring.split_combo)
    for combo in (scoring.split_combo, scoring.reverse_combo):
        scoring.ensureWidgetVisible(combo)
        QApplication.processEvents()
        top = combo.window()
        assert top.childAt(combo.mapTo(top, combo.rect().center())) is combo
        position = bar.value()
        wheel(combo, -2)
        assert bar.value() > position, "the page did not scroll down"
        scoring.ensureWidgetVisible(combo)
        QApplication.processEvents()
        position = bar.value()
        wheel(combo, +1)
        assert bar.value() < position, "the page did not scroll up"
    assert (window.document.report.rules.split, window.document.report.rules.reverse_formula) == before
    assert not window.document.undo_stack.canUndo()
    assert scoring.split_combo.focusPolicy() == Qt.FocusPolicy.StrongFocus  # the wheel gives no focus


def test_a_drop_down_cell_being_edited_keeps_its_value_under_the_wheel(window, qtbot):
    outputs = window.tab_pages[Tab.OUTPUTS]
    window.tabs.setCurrentWidget(outputs)
    model = outputs.indicators
    index = model.index(0, model.column_of_key("direction"))
    before = model.data(index, Qt.ItemDataRole.EditRole)
    view = next(table.view for table in outputs.tables.values() if table.model is model)
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QComboBox))
    editor = QApplication.focusWidget()
    for notches in (-1, -1, +2, -3):
        wheel(editor, notches)
    assert model.data(index, Qt.ItemDataRole.EditRole) == before
    assert window.document.report.indicators[0].direction == before


def test_every_drop_down_and_spin_box_of_the_window_and_its_dialogs_is_guarded(window, tmp_path):
    from desktop_app.ui.dialogs.font_settings import FontSettingsDialog
    from desktop_app.ui.settings import Settings

    assert unguarded(window) == []
    dialog = FontSettingsDialog(Settings(tmp_path / "settings.ini"), window)
    assert dialog.combos and unguarded(dialog) == []
    dialog.deleteLater()
