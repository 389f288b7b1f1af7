"""恢复备份…: choose one of the workspace's rolling backups and put it back.

The workspace takes a verified backup every time it is opened (see
:mod:`desktop_app.storage.backups`); this dialog lists them newest first and restores
the chosen one in place. The state before the restore is itself backed up first, so a
restore can be undone by restoring that backup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import Messages, storage_message


def _size_text(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


class RestoreBackupDialog(QDialog):
    """Lists the backups of a workspace; :attr:`chosen` is the one picked."""

    def __init__(self, backups: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("恢复备份"))
        self.resize(560, 360)
        self.chosen: Path | None = None
        reasons = {
            "open": self.tr("启动时自动备份"),
            "migration": self.tr("升级数据格式前的备份"),
            "restore": self.tr("恢复备份前的备份"),
            "manual": self.tr("手动备份"),
        }
        intro = QLabel(self.tr(
            "选择一个备份，用它替换当前工作区中的全部报告。\n"
            "当前的内容会先自动备份，恢复之后仍可以再恢复回来。"), self)
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        for backup in backups:
            when = backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            item = QListWidgetItem(f"{when}    {reasons.get(backup.reason, backup.reason)}    "
                                   f"{_size_text(backup.size)}")
            item.setData(Qt.ItemDataRole.UserRole, str(backup.path))
            self.list.addItem(item)
        if backups:
            self.list.setCurrentRow(0)
        self.empty = QLabel(self.tr("还没有备份。每次启动程序时会自动备份工作区。"), self)
        self.empty.setVisible(not backups)
        buttons = QDialogButtonBox(self)
        self.restore_button = buttons.addButton(self.tr("恢复"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setEnabled(bool(backups))
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self._on_buttons_accepted())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)

    def _on_buttons_accepted(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen = Path(item.data(Qt.ItemDataRole.UserRole))
        self.accept()

    @classmethod
    def ask(cls, backups: list[Any], parent: QWidget | None = None) -> Path | None:
        """Show the dialog; the chosen backup, or None (tests patch this)."""
        dialog = cls(backups, parent)
        return dialog.chosen if dialog.exec() else None


def restore_from_backup(window: Any) -> bool:
    """The 恢复备份… action of the main window; True when a backup was restored."""
    title = window.tr("恢复备份")
    workspace = window.workspace
    if not window.document.flush():
        Messages.error(window, title, window.tr("当前的修改尚未保存成功，暂不能恢复备份。"))
        return False
    chosen = RestoreBackupDialog.ask(workspace.backups(), window)
    if chosen is None:
        return False
    if not Messages.ask(window, title, window.tr(
            "用所选备份替换工作区中的全部报告？\n当前内容会先自动备份，可以再恢复回来。")):
        return False
    current = window.document.report.report_id
    try:
        workspace.restore_backup(chosen)
    except Exception as exc:  # noqa: BLE001 - shown to the user
        Messages.error(window, title, storage_message(exc))
        return False
    ids = [summary.report_id for summary in workspace.list_reports()]
    if current not in ids:
        if not ids:
            from ...domain.model import Report

            report = Report()
            workspace.save(report)
            ids = [report.report_id]
        current = ids[0]
    window.open_report(current)
    window.statusBar().showMessage(window.tr("已恢复备份"), 8000)
    return True
