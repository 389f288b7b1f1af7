"""A data folder that cannot be used gets a Chinese explanation, never a traceback (issue 15, defect 5).

Before, ``--data-dir`` naming a file, a symlink loop, a read-only mount or a folder without
permission ended the start with a Python traceback and no window.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
import tempfile
from pathlib import Path

import pytest

from desktop_app.app import DataFolderError, main, prepare_data_dir
from desktop_app.ui.errors import Messages


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    Messages.quiet = True
    Messages.shown.clear()
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    handlers = list(logging.getLogger().handlers)
    yield
    for handler in logging.getLogger().handlers:
        if handler not in handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()


def start(qapp, folder: Path, capsys) -> tuple[int, str, str]:
    """app.main with ``--data-dir folder``: exit code, the dialog's text, stderr."""
    code = main(["--data-dir", str(folder)])
    shown = Messages.shown[-1][1] if Messages.shown else ""
    return code, shown, capsys.readouterr().err


def test_a_file_named_as_the_data_folder(qapp, tmp_path, capsys):
    notes = tmp_path / "报告数据"
    notes.write_text("一个同名文件", encoding="utf-8")
    code, shown, err = start(qapp, notes, capsys)
    assert code == 1
    assert "这个位置是一个文件，不是文件夹" in shown and str(notes) in shown and "--data-dir" in shown
    assert shown in err  # also on the console, for a start from a terminal
    assert "Traceback" not in err
    assert notes.read_text(encoding="utf-8") == "一个同名文件"


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need a privilege on Windows")
def test_a_symlink_loop(qapp, tmp_path, capsys):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    code, shown, err = start(qapp, tmp_path / "a" / "数据", capsys)
    assert code == 1 and "互相指向" in shown and "Traceback" not in err


def test_a_read_only_mount(qapp, tmp_path, capsys, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)  # what a read-only mount answers
    code, shown, err = start(qapp, tmp_path / "data", capsys)
    assert code == 1 and "只读" in shown and "Traceback" not in err


def test_a_folder_without_permission(qapp, tmp_path, capsys, monkeypatch):
    def denied(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", denied)
    code, shown, err = start(qapp, tmp_path / "data", capsys)
    assert code == 1 and "没有写入权限" in shown and "Traceback" not in err


def test_a_good_folder_is_created_and_resolved(tmp_path):
    folder = prepare_data_dir(tmp_path / "x" / ".." / "数据")
    assert folder == (tmp_path / "数据").resolve() and folder.is_dir()
    assert list(folder.iterdir()) == []  # the write probe leaves nothing behind
    with pytest.raises(DataFolderError) as raised:
        prepare_data_dir(Path(sys.executable))
    assert raised.value.reason == "not_a_folder"
