"""Each file situation through the real window: one clear Chinese message, no traceback, nothing lost.

The window's own actions are driven (``import_report_file``, ``export_report_file``,
``restore_backup``, app start-up through ``start_window``); the file dialogs are patched
at their ``ask_*`` classmethods and messages are recorded by ``Messages`` in quiet mode.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from desktop_app.app import BACKUP_DIR, WORKSPACE_FILE, create_window, start_window
from desktop_app.domain.serialize import to_data
from desktop_app.storage import SCHEMA_VERSION, Workspace, backups
from desktop_app.ui import document as document_module
from desktop_app.ui.dialogs.backups import RestoreBackupDialog
from desktop_app.ui.document import SaveState
from desktop_app.ui.errors import Messages
from desktop_app.ui.main_window import MainWindow
from tests.filesystems import fill, remount_read_only, tmpfs, tree_state

ROOT = Path(__file__).resolve().parents[2]


OPEN_WINDOWS: list[MainWindow] = []


@pytest.fixture(autouse=True)
def _quiet():
    Messages.quiet = True
    Messages.shown.clear()
    yield
    Messages.shown.clear()
    while OPEN_WINDOWS:  # a test that failed half-way
        close_app(OPEN_WINDOWS[-1])


def open_app(qtbot, data_dir: Path) -> MainWindow:
    return track(create_window(data_dir))


def track(window: MainWindow) -> MainWindow:
    window.show()
    OPEN_WINDOWS.append(window)
    return window


def close_app(window: MainWindow) -> None:
    """Close like the app does at exit, and destroy the window while its Python side is alive.

    (Left to the garbage collector, a window's C++ side may be destroyed after its Python
    attributes are gone, and an event filter of the window then fails.)
    """
    if window in OPEN_WINDOWS:
        OPEN_WINDOWS.remove(window)
    window.close()
    window.workspace.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def last_message() -> str:
    assert Messages.shown, "no message was shown"
    text = Messages.shown[-1][1]
    assert "Traceback" not in text and "Error" not in text and "sqlite" not in text.lower()
    return text


def choose_open(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(MainWindow, "ask_open_path", classmethod(lambda cls, *a: str(path)))


def choose_save(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(MainWindow, "ask_save_path", classmethod(lambda cls, *a: str(path)))


def report_state(window: MainWindow) -> tuple:
    ids = [s.report_id for s in window.workspace.list_reports(include_deleted=True)]
    return ids, to_data(window.document.report)


# -- import ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, phrase", [
    ("text", "不是本程序的报告文件"),
    ("other_sqlite", "不是本程序的报告文件"),
    ("truncated", "文件不完整"),
    ("damaged", "文件已损坏"),
    ("newer", f"第 {SCHEMA_VERSION + 5} 版，本程序只支持到第 {SCHEMA_VERSION} 版"),
    ("missing", "找不到该文件"),
])
def test_importing_a_file_that_cannot_be_used(qtbot, tmp_path, monkeypatch, kind, phrase):
    window = open_app(qtbot, tmp_path / "data")
    source = tmp_path / "usb" / "report.jxzp"
    source.parent.mkdir()
    if kind == "text":
        source.write_text("这不是报告\n" * 100, encoding="utf-8")
    elif kind == "other_sqlite":
        conn = sqlite3.connect(source)
        conn.execute("CREATE TABLE contacts (name)")
        conn.commit()
        conn.close()
    elif kind != "missing":
        window.document.report.overview.background = "立项背景" * 5000  # several pages
        window.document.save_now()
        window.workspace.export_file(window.document.report.report_id, source)
        data = bytearray(source.read_bytes())
        if kind == "truncated":
            data = data[: len(data) // 3]
        elif kind == "damaged":
            middle = len(data) // 4096 // 2 * 4096
            data[middle:middle + 4096] = bytes(range(256)) * 16
        elif kind == "newer":
            data[60:64] = (SCHEMA_VERSION + 5).to_bytes(4, "big")
        source.write_bytes(bytes(data))
    before_source = tree_state(source.parent)
    before = report_state(window)
    choose_open(monkeypatch, source)
    window.import_report_file()
    assert phrase in last_message()
    assert len(Messages.shown) == 1
    assert report_state(window) == before
    assert tree_state(source.parent) == before_source
    close_app(window)


def test_importing_from_a_read_only_usb_stick(qtbot, tmp_path, monkeypatch):
    window = open_app(qtbot, tmp_path / "data")
    with tmpfs(tmp_path / "stick", size_kb=2048) as stick:
        window.workspace.export_file(window.document.report.report_id, stick / "丰都 2020.jxzp")
        remount_read_only(stick)
        before = tree_state(stick)
        choose_open(monkeypatch, stick / "丰都 2020.jxzp")
        window.import_report_file()
        assert not Messages.shown
        assert "已导入" in window.statusBar().currentMessage()
        assert tree_state(stick) == before
    close_app(window)


# -- export ----------------------------------------------------------------------------------------


def test_exporting_to_a_full_usb_stick(qtbot, tmp_path, monkeypatch):
    window = open_app(qtbot, tmp_path / "data")
    window.document.report.overview.background = "立项背景" * 5000
    window.document.save_now()
    with tmpfs(tmp_path / "stick", size_kb=256) as stick:
        fill(stick, leave_bytes=30_000)
        choose_save(monkeypatch, stick / "report.jxzp")
        window.export_report_file()
        assert "磁盘空间不足" in last_message() and "没有留下不完整的文件" in last_message()
        assert [p.name for p in stick.iterdir()] == ["filler.bin"]
    close_app(window)


def test_exporting_to_a_read_only_place(qtbot, tmp_path, monkeypatch):
    window = open_app(qtbot, tmp_path / "data")
    with tmpfs(tmp_path / "cd", size_kb=256) as cd:
        remount_read_only(cd)
        choose_save(monkeypatch, cd / "report.jxzp")
        window.export_report_file()
        assert "只读" in last_message()
        assert list(cd.iterdir()) == []
    close_app(window)


def test_exporting_to_a_stick_that_was_pulled(qtbot, tmp_path, monkeypatch):
    window = open_app(qtbot, tmp_path / "data")
    before = report_state(window)
    choose_save(monkeypatch, tmp_path / "usb-gone" / "report.jxzp")
    window.export_report_file()
    assert "已经不存在" in last_message()
    assert not (tmp_path / "usb-gone").exists()
    assert report_state(window) == before
    close_app(window)


def test_exporting_over_a_file_open_in_another_program(qtbot, tmp_path, monkeypatch):
    import errno

    from desktop_app.storage import repository

    window = open_app(qtbot, tmp_path / "data")
    dest = tmp_path / "report.jxzp"
    dest.write_bytes(b"open in WPS")

    def sharing_violation(*args):
        error = PermissionError(errno.EACCES, "used by another process")
        error.winerror = 32  # type: ignore[attr-defined]
        raise error

    monkeypatch.setattr(repository.os, "replace", sharing_violation)
    choose_save(monkeypatch, dest)
    window.export_report_file()
    assert "其他程序占用" in last_message()
    assert dest.read_bytes() == b"open in WPS"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    close_app(window)


# -- start-up: a second instance, a stale lock, a newer or damaged workspace -------------------


def test_a_second_instance_is_refused_and_says_so(qtbot, tmp_path):
    first = open_app(qtbot, tmp_path)
    assert start_window(tmp_path) is None
    text = last_message()
    assert "已在另一个程序窗口中打开" in text and str(os.getpid()) in text
    first.document.set_value(("header", "project_name"), "第一个窗口的修改")
    assert first.document.flush()  # the first window goes on saving
    close_app(first)


def test_a_stale_lock_after_a_crash_is_recovered(qtbot, tmp_path):
    close_app(open_app(qtbot, tmp_path))
    code = (f"import time; from pathlib import Path; from desktop_app.storage import Workspace; "
            f"w = Workspace.open(Path({str(tmp_path / WORKSPACE_FILE)!r})); print('open', flush=True); "
            f"time.sleep(60)")
    holder = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
    holder.kill()  # the app crashed: its lock file stays behind
    holder.wait()
    holder.stdout.close()
    window = start_window(tmp_path)
    assert window is not None and not Messages.shown
    close_app(track(window))


def test_a_workspace_from_a_newer_version_is_refused_naming_the_version(qtbot, tmp_path):
    close_app(open_app(qtbot, tmp_path))
    path = tmp_path / WORKSPACE_FILE
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 2}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    assert start_window(tmp_path) is None
    assert f"第 {SCHEMA_VERSION + 2} 版" in last_message()
    assert path.read_bytes() == before


def damage_workspace(data_dir: Path) -> bytes:
    path = data_dir / WORKSPACE_FILE
    data = bytearray(path.read_bytes())
    middle = len(data) // 4096 // 2 * 4096
    data[middle:middle + 4096] = bytes(range(256)) * 16
    path.write_bytes(bytes(data))
    return bytes(data)


def grow_and_back_up(qtbot, data_dir: Path) -> dict:
    """Use the app twice: the second start backs up the edited report."""
    window = open_app(qtbot, data_dir)
    window.document.set_value(("overview", "background"), "立项背景" * 5000)
    window.document.set_value(("header", "project_name"), "备份里的项目")
    assert window.document.flush()
    close_app(window)
    window = open_app(qtbot, data_dir)
    state = to_data(window.document.report)
    close_app(window)
    return state


def test_a_damaged_workspace_is_restored_from_its_backup_on_start(qtbot, tmp_path):
    state = grow_and_back_up(qtbot, tmp_path)
    damaged = damage_workspace(tmp_path)
    window = start_window(tmp_path)
    assert window is not None, Messages.shown
    track(window)
    question, done = Messages.shown[0][1], last_message()
    assert "工作区文件已损坏" in question and "是否用它恢复" in question
    assert "已从" in done and "损坏的文件已保留为" in done
    assert to_data(window.document.report) == state
    kept = [p for p in tmp_path.iterdir() if p.name.startswith(WORKSPACE_FILE + ".damaged-")]
    assert [p.read_bytes() for p in kept if not p.name.endswith("-wal")] == [damaged]
    close_app(window)


def test_a_damaged_workspace_is_left_alone_when_the_user_declines(qtbot, tmp_path, monkeypatch):
    grow_and_back_up(qtbot, tmp_path)
    damaged = damage_workspace(tmp_path)
    monkeypatch.setattr(Messages, "ask", classmethod(lambda cls, *a: False))
    assert start_window(tmp_path) is None
    assert (tmp_path / WORKSPACE_FILE).read_bytes() == damaged


def test_a_damaged_workspace_without_backups_is_explained(qtbot, tmp_path):
    grow_and_back_up(qtbot, tmp_path)
    shutil.rmtree(tmp_path / BACKUP_DIR)
    damaged = damage_workspace(tmp_path)
    assert start_window(tmp_path) is None
    assert "没有找到可用的备份" in last_message()
    assert (tmp_path / WORKSPACE_FILE).read_bytes() == damaged


# -- the 恢复备份… menu item, a failed save -----------------------------------------------------------


def test_restore_backup_from_the_file_menu(qtbot, tmp_path, monkeypatch):
    window = open_app(qtbot, tmp_path)
    original = to_data(window.document.report)
    close_app(window)
    window = open_app(qtbot, tmp_path)  # this start backs up the original
    assert window.restore_backup_action.text() == "恢复备份…"
    assert window.restore_backup_action in window.menuBar().actions()[0].menu().actions()
    window.document.set_value(("header", "project_name"), "误改的项目名称")
    window.new_report()
    listed = window.workspace.backups()
    offered = []

    def choose(cls, backups_offered, parent=None):
        offered.extend(backups_offered)
        return backups_offered[0].path

    monkeypatch.setattr(RestoreBackupDialog, "ask", classmethod(choose))
    window.restore_backup()
    assert [b.path for b in offered] == [b.path for b in listed]
    assert to_data(window.document.report) == original
    assert len(window.workspace.list_reports()) == 1
    assert window.document.save_state == SaveState.SAVED
    # the state before the restore was kept as a backup of its own
    assert window.workspace.backups()[0].reason == "restore"
    close_app(window)
    again = open_app(qtbot, tmp_path)
    assert to_data(again.document.report) == original
    close_app(again)


def test_restore_dialog_lists_the_backups(qtbot, tmp_path):
    close_app(open_app(qtbot, tmp_path))
    close_app(open_app(qtbot, tmp_path))
    found = backups.list_backups(tmp_path / BACKUP_DIR, "workspace")
    dialog = RestoreBackupDialog(found)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == len(found) >= 1
    assert "启动时自动备份" in dialog.list.item(0).text()
    dialog._on_buttons_accepted()
    assert dialog.chosen == found[0].path


def test_a_failed_save_is_shown_in_chinese_and_retried(qtbot, tmp_path, monkeypatch):
    from desktop_app.storage import WriteFailedError

    window = open_app(qtbot, tmp_path)
    monkeypatch.setattr(document_module, "RETRY_DELAY_MS", 50)
    real_save = Workspace.save
    failures = []

    def full_once(self, report):
        if not failures:
            failures.append(1)
            raise WriteFailedError("disk full", path=self.path, reason="disk_full")
        return real_save(self, report)

    monkeypatch.setattr(Workspace, "save", full_once)
    window.document.set_value(("header", "project_name"), "重试后保存")
    qtbot.waitUntil(lambda: window.document.save_state == SaveState.FAILED, timeout=2000)
    assert "保存失败，正在重试：磁盘空间不足" in window.save_label.text()
    assert "未保存" in window.windowTitle()
    qtbot.waitUntil(lambda: window.document.save_state == SaveState.SAVED, timeout=2000)
    assert window.save_label.text().startswith("已保存")
    monkeypatch.undo()
    close_app(window)
    with Workspace.open(tmp_path / WORKSPACE_FILE, read_only=True) as reader:
        assert reader.load(reader.list_reports()[0].report_id).header.project_name == "重试后保存"


@pytest.mark.parametrize("project, expected", [
    ("NUL", "NUL_.jxzp"),  # Windows' null device: an export under this name would vanish
    ("一期/二期：“重点”?", "一期／二期：“重点”？.jxzp"),  # / and ? made full-width, not lost
    ("结尾的点. ", "结尾的点.jxzp"),
])
def test_the_suggested_export_name_is_a_real_file_on_every_system(qtbot, tmp_path, monkeypatch, project, expected):
    """Names made from report titles are valid on Windows (run here and under Wine)."""
    window = open_app(qtbot, tmp_path / "data")
    window.document.set_value(("header", "fiscal_year"), None)
    window.document.set_value(("header", "project_name"), project)
    folder = tmp_path / "out"
    folder.mkdir()
    suggested = []

    def ask(cls, parent, title, name, filter_text):
        suggested.append(name)
        return str(folder / Path(name).name)

    monkeypatch.setattr(MainWindow, "ask_save_path", classmethod(ask))
    window.export_report_file()
    assert Path(suggested[0]).name == expected
    assert [p.name for p in folder.iterdir()] == [expected]
    close_app(window)
