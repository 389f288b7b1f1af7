"""The one place that turns failures into message boxes (quiet in tests and headless runs).

Storage and PDF raise typed exceptions; :func:`storage_message` and friends give the
Chinese sentence for each; :class:`Messages` shows it — or, when ``quiet`` is set (tests,
snapshots), records it instead of opening a modal box.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def tr(text: str) -> str:
    """Translate in the Errors context."""
    return QCoreApplication.translate("Errors", text)


def _write_failed_message(reason: str) -> str:
    texts = {
        "disk_full": tr("磁盘空间不足，无法写入。请清理磁盘或换一个位置后重试。"),
        "read_only": tr("所选位置是只读的，或者没有写入权限（例如光盘、写保护的U盘、只读的共享文件夹）。"
                        "请换一个位置，例如“文档”文件夹。"),
        "locked": tr("文件正被其他程序占用（例如 WPS、Office 或杀毒软件）。请关闭该程序后重试。"),
        "vanished": tr("所选位置已经不存在（U盘被拔出、网络断开或文件夹被删除）。请检查后重试。"),
        "io": tr("读写设备时出错（U盘或网络盘不稳定）。请检查设备后重试。"),
    }
    return texts.get(reason, tr("无法写入所选位置。")) + tr("原有数据没有改动，也没有留下不完整的文件。")


def write_error_message(error: BaseException) -> str:
    """The Chinese sentence for a failed file write (an ``OSError``), never its English text."""
    from ..storage.errors import write_reason

    return _write_failed_message(write_reason(error))


def storage_message(error: Exception) -> str:
    """A plain Chinese sentence for a storage failure (by its code and reason, never its text)."""
    code = getattr(error, "code", "")
    reason = getattr(error, "reason", "")
    if code == "write_failed":
        return _write_failed_message(reason)
    if code == "damaged":
        if reason == "truncated":
            return tr("文件不完整（复制或下载可能被中断），无法读取。请重新复制该文件；文件没有被改动。")
        return tr("文件已损坏，无法读取。请使用备份或重新导入报告文件；文件没有被改动。")
    if code == "newer_version":
        return tr("这个文件由更新版本的程序创建（数据格式第 {version} 版，本程序只支持到第 {supported} 版），"
                  "无法打开。请升级本程序后再打开；文件没有被改动。").format(
            version=getattr(error, "version", "?"), supported=getattr(error, "supported", "?"))
    if code == "locked":
        since = getattr(error, "since", "")
        try:
            since = datetime.fromisoformat(since).astimezone().strftime("%H:%M") if since else ""
        except ValueError:
            since = ""
        who = tr("（进程 {pid}，{since} 起）").format(pid=error.pid, since=since) if getattr(error, "pid", 0) else ""
        return tr("工作区已在另一个程序窗口中打开{who}。同一份数据不能在两个窗口中同时修改，"
                  "请切换到已打开的窗口继续工作。").format(who=who)
    if code == "not_found" and not getattr(error, "report_id", None):
        return tr("这个文件里没有报告（可能是空文件，或其中的报告都已删除）。文件没有被改动。")
    texts = {
        "not_ours": tr("这个文件不是本程序的报告文件（或已损坏），无法打开。文件没有被改动。"),
        "not_found": tr("找不到这份报告，它可能已被删除。"),
        "missing_file": tr("找不到该文件，它可能已被移动、删除，或所在的U盘已拔出。"),
        "storage_error": tr("无法读取该文件（位置不可访问或设备出错）。文件没有被改动。"),
        "too_slow": tr("这个文件过大或结构异常，读取用时过长，已停止读取。文件没有被改动。"),
    }
    return texts.get(code, tr("操作失败：{error}").format(error=error))


def data_folder_message(path: Path, reason: str) -> str:
    """Why the data folder cannot be used, and how to start with another one."""
    reasons = {
        "not_a_folder": tr("这个位置是一个文件，不是文件夹。"),
        "loop": tr("路径中的链接（快捷方式）互相指向，找不到真正的位置。"),
        "read_only": tr("该文件夹是只读的，或者没有写入权限（例如只读挂载的磁盘、写保护的U盘）。"),
        "disk_full": tr("磁盘已满。"),
        "vanished": tr("该位置不存在或无法访问（U盘被拔出、网络断开？）。"),
        "io": tr("读写设备时出错。"),
        "locked": tr("该位置正被其他程序占用。"),
    }
    return tr("无法使用数据文件夹：\n{path}\n{reason}\n\n"
              "报告都保存在这个文件夹里，程序没有改动其中的任何内容。请检查该文件夹（或它所在的磁盘、U盘）"
              "后重新启动；也可以用 --data-dir 指定另一个可以写入的文件夹，例如：\n"
              "  jxzp --data-dir \"D:\\报告数据\"（Windows）\n"
              "  jxzp --data-dir ~/报告数据（统信UOS、银河麒麟）").format(
        path=path, reason=reasons.get(reason, tr("无法写入该位置。")))


def foreign_objects_message(count: int) -> str:
    """Told once when the workspace held database objects (triggers…) this program never creates."""
    return tr("工作区文件中有 {count} 个不是本程序创建的数据库对象（触发器、视图或表），可能来自其他软件，"
              "或是文件被改动过。它们可能在保存时改动您的报告，已被移除；报告内容没有改变。"
              "移除前的工作区已自动备份（文件 › 恢复备份…）。").format(count=count)


def crash_message(*, saved: bool, saved_at: datetime | None, workspace: Path | None, log_path: Path,
                  error: str = "") -> str:
    """What the crash dialog says: whether the data is safe, where it is, where the log is."""
    if saved:
        when = saved_at.strftime("%H:%M:%S") if saved_at else ""
        text = tr("程序遇到了一个意外错误，但您的数据是安全的：报告已于 {time} 保存到\n{path}").format(
            time=when, path=workspace or "")
    else:
        text = tr("程序遇到了一个意外错误。最近的修改暂时未能保存（{error}），程序会继续自动重试，"
                  "请先不要关闭程序。此前已保存的内容不受影响。").format(error=error)
    return text + "\n\n" + tr("错误经过已记录在日志文件中（不含报告内容）：\n{log}\n\n"
                                "可以继续工作。如果问题反复出现，请把这个日志文件发给技术支持。").format(log=log_path)


def damaged_workspace_question(newest: datetime, count: int) -> str:
    """The question asked when the workspace fails its check on start."""
    return tr("工作区文件已损坏，无法打开（可能是上次断电或存储设备出错造成的）。\n\n"
              "找到 {count} 个备份，最近一个是 {time} 自动保存的。是否用它恢复工作区？\n"
              "恢复后，损坏的文件会保留在原文件夹中，不会被删除。").format(
        count=count, time=newest.astimezone().strftime("%Y-%m-%d %H:%M"))


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
