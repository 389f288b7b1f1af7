"""``jxzp FILE.jxzp``: what a double-click on a report file runs (the Windows association, the
Linux MIME type) imports the file and shows it; and the UI font the window is given."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop_app.app import WORKSPACE_FILE, create_window, install_ui_font, main, parse_args
from desktop_app.storage import Workspace
from desktop_app.system import ui_font
from desktop_app.ui.errors import Messages


@pytest.fixture(autouse=True)
def _quiet():
    Messages.quiet = True
    Messages.shown.clear()
    yield


@pytest.fixture
def report_file(qtbot, tmp_path):
    """A .jxzp exported from another workspace, with a name of its own."""
    window = create_window(tmp_path / "other")
    qtbot.addWidget(window)
    window.document.set_value(("header", "project_name"), "双击打开的项目 2024年")
    window.document.flush()
    target = tmp_path / "U盘" / "报告 1.jxzp"
    target.parent.mkdir()
    window.workspace.export_file(window.document.report.report_id, target)
    window.close()
    window.workspace.close()
    return target


def run_main(argv, monkeypatch):
    """app.main(argv) with the event loop ending at once; returns its exit code."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # main installs its own
    handlers = list(logging.getLogger().handlers)
    # exit(0), not quit(): Qt 6's quit() also asks the application itself to close, which
    # later tests' event loops then obey (their waitUntil/waitSignal time out).
    QTimer.singleShot(0, lambda: QApplication.instance().exit(0))
    try:
        return main(argv)
    finally:
        for handler in logging.getLogger().handlers:
            if handler not in handlers:
                logging.getLogger().removeHandler(handler)
                handler.close()
        for widget in QApplication.topLevelWidgets():
            widget.close()
            widget.deleteLater()


def test_the_file_argument_is_optional():
    assert parse_args([]).file is None
    assert str(parse_args(["--data-dir", "d", "C:\\报告\\a.jxzp"]).file) == "C:\\报告\\a.jxzp"


def test_a_report_file_on_the_command_line_is_imported_and_shown(qapp, tmp_path, report_file, monkeypatch):
    data = tmp_path / "data"
    before = report_file.read_bytes()
    assert run_main(["--data-dir", str(data), str(report_file)], monkeypatch) == 0
    assert not Messages.shown
    with Workspace.open(data / WORKSPACE_FILE, read_only=True) as workspace:
        names = [workspace.load(s.report_id).header.project_name for s in workspace.list_reports()]
    assert "双击打开的项目 2024年" in names and len(names) == 2  # the demo, and the imported one
    assert report_file.read_bytes() == before
    # the next start shows it: it is the report opened last
    window = create_window(data)
    try:
        assert window.document.report.header.project_name == "双击打开的项目 2024年"
    finally:
        window.close()
        window.workspace.close()


def test_a_file_that_is_not_a_report_is_refused_and_the_window_still_opens(qapp, tmp_path, monkeypatch):
    bogus = tmp_path / "notes.jxzp"
    bogus.write_text("这不是报告", encoding="utf-8")
    assert run_main(["--data-dir", str(tmp_path / "data"), str(bogus)], monkeypatch) == 0
    assert Messages.shown and "不是本程序的报告文件" in Messages.shown[-1][1]


def test_windows_names_the_ui_font_and_linux_keeps_its_own(qapp, monkeypatch):
    before = qapp.font()
    assert install_ui_font(qapp, "linux") == []
    assert qapp.font() == before
    present = QFontDatabase.families()[0]
    monkeypatch.setattr(ui_font, "WINDOWS_FAMILIES", (present,))
    try:
        chosen = install_ui_font(qapp, "win32")
        assert chosen[0] == present  # (then LXGW WenKai, where it is installed)
        assert qapp.font().families() == chosen
        assert qapp.font().pointSizeF() == before.pointSizeF()
    finally:
        qapp.setFont(before)


def test_without_a_chinese_windows_font_the_bundled_one_is_registered(qapp, monkeypatch, tmp_path):
    monkeypatch.setattr(ui_font, "WINDOWS_FAMILIES", ("No Such Family",))
    monkeypatch.setattr(ui_font, "BUNDLED_FAMILY", "No Such Bundled Family")
    registered = []
    monkeypatch.setattr(QFontDatabase, "addApplicationFont", lambda path: registered.append(path) or -1)
    fonts = tmp_path / "resources" / "fonts"
    fonts.mkdir(parents=True)
    (fonts / "LXGWWenKai-Regular.ttf").write_bytes(b"")
    monkeypatch.setattr("desktop_app.resources.resource_root", lambda: tmp_path / "resources")
    before = qapp.font()
    try:
        install_ui_font(qapp, "win32")
    finally:
        qapp.setFont(before)
    assert [Path(p).name for p in registered] == ["LXGWWenKai-Regular.ttf"]  # \ on Windows
