"""Foreign schema objects in the workspace are removed on open, after a backup (issue 15, defect 6).

Before: a trigger added to the workspace (or to a backup that was then restored) deleted a
fund line on disk on every save while the window said 已保存, and was copied into every
later backup.
"""

from __future__ import annotations

import contextlib
import sqlite3

from desktop_app.app import WORKSPACE_FILE, create_window
from desktop_app.demo import load_demo
from desktop_app.storage import Workspace
from desktop_app.storage.backups import list_backups
from desktop_app.ui.errors import Messages


def plant(path, sql: str) -> None:
    connection = sqlite3.connect(path)
    connection.executescript(sql)
    connection.commit()
    connection.close()


def schema(path) -> set[tuple[str, str]]:
    connection = sqlite3.connect(path)
    try:
        return set(connection.execute("SELECT type, name FROM sqlite_master").fetchall())
    finally:
        connection.close()


EVIL = """
CREATE TRIGGER eat_fund_lines AFTER INSERT ON fund_lines BEGIN DELETE FROM fund_lines WHERE seq = 0; END;
CREATE VIEW spy AS SELECT project_name FROM reports;
CREATE TABLE stash (x);
DROP TRIGGER revisions_read_only;
CREATE TRIGGER revisions_read_only BEFORE UPDATE ON revisions BEGIN SELECT 1; END;
"""


def test_a_planted_trigger_can_no_longer_undo_a_save(tmp_path):
    path = tmp_path / "workspace.jxdb"
    report = load_demo()
    with Workspace.open(path) as workspace:
        workspace.save(report)
    clean = schema(path)
    plant(path, EVIL)
    with Workspace.open(path, backup_dir=tmp_path / "backups") as workspace:
        assert sorted(workspace.removed_objects) == ["eat_fund_lines", "revisions_read_only", "spy", "stash"]
        assert workspace.opening_backup is not None  # taken before the removal: the evidence is kept
        workspace.save(report)
        assert len(workspace.load(report.report_id).fund_lines) == len(report.fund_lines)
    assert schema(path) == clean
    # our own read-only trigger is back, as we wrote it ("with connect()" would not close it:
    # Python 3.13, the Windows build's, warns about the unclosed connection)
    with contextlib.closing(sqlite3.connect(path)) as connection:
        sql = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'revisions_read_only'").fetchone()[0]
    assert "a finalized revision is read-only" in sql
    (backup,) = list_backups(tmp_path / "backups", path.stem)
    assert ("trigger", "eat_fund_lines") in schema(backup.path)
    with Workspace.open(path) as workspace:
        assert workspace.removed_objects == []  # nothing left to remove


def test_the_window_says_it_cleaned_the_workspace(qtbot, tmp_path):
    Messages.quiet = True
    Messages.shown.clear()
    data = tmp_path / "data"
    window = create_window(data)
    window.workspace.close()
    window.close()
    plant(data / WORKSPACE_FILE, EVIL)
    window = create_window(data)
    qtbot.addWidget(window)
    try:
        title, text = Messages.shown[-1]
        assert title == "工作区已清理" and "4 个" in text and "恢复备份" in text
    finally:
        window.workspace.close()
