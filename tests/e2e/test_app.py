"""The whole app on a real workspace: first start, persistence, export and import."""

from __future__ import annotations

from decimal import Decimal

import pytest

from desktop_app.app import WORKSPACE_FILE, create_window
from desktop_app.domain.checks import Tab
from desktop_app.domain.serialize import to_data
from desktop_app.storage import Workspace
from desktop_app.ui.document import SaveState
from desktop_app.ui.errors import Messages
from desktop_app.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def _quiet():
    Messages.quiet = True
    Messages.shown.clear()
    yield


def open_app(qtbot, data_dir):
    window = create_window(data_dir)
    qtbot.addWidget(window)
    window.show()
    return window


def close_app(window):
    window.close()
    window.workspace.close()


def test_first_start_creates_the_workspace_with_a_copy_of_the_demo(qtbot, tmp_path, demo):
    window = open_app(qtbot, tmp_path)
    assert (tmp_path / WORKSPACE_FILE).exists()
    assert to_data(window.document.report) == to_data(demo)
    assert window.windowTitle().startswith("招商引资工作经费 · 2020")
    close_app(window)


def test_an_edit_survives_closing_and_reopening_the_app(qtbot, tmp_path):
    window = open_app(qtbot, tmp_path)
    page = window.tab_pages[Tab.FUNDS]
    model = page.table.model
    model.setData(model.index(0, model.column_of_key("budget")), "250万")
    assert window.document.save_state == SaveState.PENDING
    assert "正在保存" in window.save_label.text()
    qtbot.waitUntil(lambda: window.document.save_state == SaveState.SAVED, timeout=1000)
    assert window.save_label.text().startswith("已保存")
    # a second process would see it now: read the database directly while the app is open
    with Workspace.open(tmp_path / WORKSPACE_FILE, read_only=True) as reader:
        report_id = window.document.report.report_id
        assert reader.load(report_id).fund_lines[0].budget == Decimal(2500000)
    close_app(window)
    again = open_app(qtbot, tmp_path)
    assert again.document.report.fund_lines[0].budget == Decimal(2500000)
    assert again.strip.figures["rate"].text() == "97.26%"
    close_app(again)


def test_export_then_import_gives_back_the_same_report(qtbot, tmp_path, monkeypatch):
    window = open_app(qtbot, tmp_path / "a")
    window.document.set_value(("header", "project_name"), "A&B<有限>公司 项目")
    target = tmp_path / "usb" / "报告.jxzp"
    target.parent.mkdir()
    monkeypatch.setattr(MainWindow, "ask_save_path", classmethod(lambda cls, *a: str(target)))
    window.export_report_file()
    assert target.exists() and not Messages.shown
    original = to_data(window.document.report)
    close_app(window)

    other = open_app(qtbot, tmp_path / "b")
    monkeypatch.setattr(MainWindow, "ask_open_path", classmethod(lambda cls, *a: str(target)))
    before = target.read_bytes()
    other.import_report_file()
    imported = to_data(other.document.report)
    # workspace b already holds the demo under the same id: the import arrives as a copy
    assert imported.pop("report_id") != original.pop("report_id")
    assert imported == original
    assert other.document.report.header.project_name == "A&B<有限>公司 项目"
    assert target.read_bytes() == before  # the source was only read
    close_app(other)


def test_a_file_that_is_not_ours_is_refused_with_a_plain_message(qtbot, tmp_path, monkeypatch):
    window = open_app(qtbot, tmp_path)
    bogus = tmp_path / "notes.jxzp"
    bogus.write_text("这不是报告", encoding="utf-8")
    monkeypatch.setattr(MainWindow, "ask_open_path", classmethod(lambda cls, *a: str(bogus)))
    window.import_report_file()
    assert Messages.shown and "不是本程序的报告文件" in Messages.shown[-1][1]
    assert window.document.report.header.project_name == "招商引资工作经费"
    close_app(window)


def test_new_copy_delete_and_restore(qtbot, tmp_path):
    window = open_app(qtbot, tmp_path)
    demo_id = window.document.report.report_id
    window.copy_report()
    copy_id = window.document.report.report_id
    assert copy_id != demo_id and window.document.report.header.project_name == "招商引资工作经费"
    window.new_report()
    assert window.document.report.header.project_name == ""
    workspace = window.workspace
    workspace.delete(copy_id)
    assert copy_id not in [s.report_id for s in workspace.list_reports()]
    workspace.restore(copy_id)
    assert copy_id in [s.report_id for s in workspace.list_reports()]
    assert len(workspace.list_reports()) == 3
    close_app(window)
