"""The one place that turns failures into message boxes (quiet in tests and headless runs).

Storage and PDF raise typed exceptions; :func:`storage_message` and friends give the
Chinese sentence for each; :class:`Messages` shows it — or, when ``quiet`` is set (tests,
snapshots), records it instead of opening a modal box.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def tr(text: str) -> str:
    """Translate in the Errors context."""
    return QCoreApplication.translate("Errors", text)


def storage_message(error: Exception) -> str:
    """A plain Chinese sentence for a storage failure."""
    code = getattr(error, "code", "")
    texts = {
        "not_ours": tr("这个文件不是本程序的报告文件（或已损坏），无法打开。"),
        "newer_version": tr("这个文件由更新版本的程序创建，请升级本程序后再打开。"),
        "damaged": tr("文件已损坏，无法读取。请使用备份或重新导入报告文件。"),
        "not_found": tr("找不到这份报告，它可能已被删除。"),
        "write_failed": tr("无法写入所选位置（磁盘已满、只读或位置不存在）。原有数据没有改动。"),
    }
    return texts.get(code, tr("操作失败：{error}").format(error=error))


class Messages:
    """Shows errors and questions; in quiet mode records them instead."""

    quiet = False
    shown: list[tuple[str, str]] = []

    @classmethod
    def error(cls, parent: QWidget | None, title: str, text: str) -> None:
        """Tell the user something failed."""
        if cls.quiet:
            cls.shown.append((title, text))
            return
        QMessageBox.warning(parent, title, text)

    @classmethod
    def info(cls, parent: QWidget | None, title: str, text: str) -> None:
        """Tell the user something worked."""
        if cls.quiet:
            cls.shown.append((title, text))
            return
        QMessageBox.information(parent, title, text)

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str) -> bool:
        """Ask a yes/no question (tests patch this)."""
        if cls.quiet:
            cls.shown.append((title, text))
            return True
        answer = QMessageBox.question(parent, title, text)
        return answer == QMessageBox.StandardButton.Yes
