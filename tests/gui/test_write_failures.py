"""Every write action of the window explains a failed write in Chinese (issue 15, defect 4).

On a full disk, 新建报告 and 复制为新报告 showed nothing (unguarded), 导出PDF showed
English strerror text, and the crash hook itself died flushing its log to the full disk.
"""

from __future__ import annotations

import errno
import logging
import sys

import pytest

from desktop_app.app import create_window, install_excepthook
from desktop_app.storage.errors import WriteFailedError
from desktop_app.ui.errors import Messages

DISK_FULL = "磁盘空间不足"


@pytest.fixture
def window(qtbot, tmp_path):
    Messages.quiet = True
    Messages.shown.clear()
    win = create_window(tmp_path / "data")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.workspace.close()


def disk_full(*args, **kwargs):
    raise WriteFailedError("database or disk is full", reason="disk_full")


def test_new_report_on_a_full_disk_says_so_and_keeps_the_open_report(window, monkeypatch):
    before = window.document.report.report_id
    monkeypatch.setattr(window.workspace, "save", disk_full)
    window.new_action.trigger()
    assert Messages.shown and Messages.shown[-1][0] == "新建报告" and DISK_FULL in Messages.shown[-1][1]
    assert window.document.report.report_id == before


def test_copy_as_new_report_on_a_full_disk_says_so(window, monkeypatch):
    before = window.document.report.report_id
    monkeypatch.setattr(window.workspace, "copy", disk_full)
    window.copy_action.trigger()
    assert Messages.shown[-1][0] == "复制为新报告" and DISK_FULL in Messages.shown[-1][1]
    assert window.document.report.report_id == before


def test_the_report_list_buttons_on_a_full_disk_say_so(window, monkeypatch):
    from desktop_app.ui.dialogs.report_list import ReportListDialog

    dialog = ReportListDialog(window.workspace, window.document.report.report_id, window)
    monkeypatch.setattr(window.workspace, "save", disk_full)
    monkeypatch.setattr(window.workspace, "copy", disk_full)
    dialog._on_new_clicked()
    assert Messages.shown[-1][0] == "新建报告" and DISK_FULL in Messages.shown[-1][1]
    assert dialog.chosen_id is None
    dialog._on_copy_clicked()
    assert Messages.shown[-1][0] == "复制为新报告" and DISK_FULL in Messages.shown[-1][1]
    dialog.deleteLater()


def test_export_pdf_on_a_full_disk_speaks_chinese(window, monkeypatch, tmp_path):
    def no_space(path):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(window.output, "write_current_pdf", no_space)
    assert window.write_pdf(tmp_path / "报告.pdf") is False
    title, text = Messages.shown[-1]
    assert title == "导出PDF" and DISK_FULL in text and "No space" not in text


def test_the_crash_dialog_shows_even_when_the_log_cannot_be_written(window, tmp_path, monkeypatch):
    class FullDisk(logging.Handler):
        def emit(self, record):
            pass

        def flush(self):
            raise OSError(errno.ENOSPC, "No space left on device")

    handler = FullDisk()
    logging.getLogger().addHandler(handler)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    try:
        install_excepthook(window.document, window, tmp_path / "app.log")
        try:
            raise RuntimeError("boom")
        except RuntimeError as error:
            sys.excepthook(RuntimeError, error, error.__traceback__)
    finally:
        logging.getLogger().removeHandler(handler)
    assert Messages.shown and Messages.shown[-1][0] == "意外错误"
