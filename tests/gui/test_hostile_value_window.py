"""A workspace holding a number the app cannot compute with still opens (issue 15, defect 1)."""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal

from desktop_app.app import WORKSPACE_FILE, create_window
from desktop_app.demo import load_demo
from desktop_app.domain.checks import Tab
from desktop_app.storage import Workspace
from desktop_app.ui.errors import Messages


def test_the_window_opens_on_it_flags_the_field_and_the_user_fixes_it(qtbot, tmp_path):
    Messages.quiet = True
    Messages.shown.clear()
    data = tmp_path / "data"
    data.mkdir()
    report = load_demo()
    with Workspace.open(tmp_path / "w.jxdb") as workspace:
        workspace.save(report)
        workspace.export_file(report.report_id, tmp_path / "demo.jxzp")
    shutil.copy(tmp_path / "demo.jxzp", data / WORKSPACE_FILE)
    connection = sqlite3.connect(data / WORKSPACE_FILE)
    connection.execute("UPDATE reports SET split = 'custom', custom_weights = ?", ('["1e999999999", "30", "10"]',))
    connection.commit()
    connection.close()

    window = create_window(data)  # raised decimal.InvalidOperation before: the app would not start
    qtbot.addWidget(window)
    window.show()
    try:
        assert not Messages.shown
        scoring = window.tab_pages[Tab.SCORING]
        field = scoring.fields[("rules", "custom_weights", 0)]
        assert field.widget.text() == "1e999999999"
        assert field.error_label.isVisibleTo(window) and "数值过大" in field.error_label.text()
        assert window.strip.figures["total"].text()  # the total is still computed from the rest
        field.widget.setText("50")
        assert window.document.report.rules.custom_weights[0] == Decimal(50)
        assert not field.error_label.isVisibleTo(window)
        assert window.document.flush()
    finally:
        window.close()
        window.workspace.close()
    with Workspace.open(data / WORKSPACE_FILE, read_only=True) as workspace:
        assert workspace.load(report.report_id).rules.custom_weights[0] == Decimal(50)
