"""Composition root: data folder, logging, the excepthook, the workspace, the window.

``python -m desktop_app [--data-dir DIR]`` opens the workspace in the user data folder
(or ``DIR``), creating it with a copy of the demo report on first start, and shows the
report edited last.

Startup is where the file situations of a whole workspace are explained: a second
instance is refused (the first one holds the workspace lock), a damaged workspace is
offered a restore from its newest good backup, a workspace from a newer version is
refused naming both versions. Every open takes a verified backup (``backups/``).

The log (``logs/app.log`` in the data folder) never holds report content: log messages
carry no user text and exception messages are withheld (:class:`PrivateFormatter`).
"""

from __future__ import annotations

import argparse
import errno
import logging
import logging.handlers
import os
import sys
import tempfile
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from . import APP_NAME, __version__

WORKSPACE_FILE = "workspace.jxdb"
#: Folder of the workspace's rolling backups, inside the data folder.
BACKUP_DIR = "backups"
LOG_FILE = ("logs", "app.log")
log = logging.getLogger("desktop_app")


class DataFolderError(Exception):
    """The data folder cannot hold the workspace: not a folder, a link loop, not writable.

    Attributes:
        path: the folder as given.
        reason: ``not_a_folder``, ``loop``, or a write reason of
            :func:`~desktop_app.storage.errors.write_reason` (``read_only``, ``disk_full``…).
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"data folder {path}: {reason}")
        self.path = path
        self.reason = reason


def prepare_data_dir(path: Path) -> Path:
    """The data folder ``path``, resolved, created and proven writable.

    Raises:
        DataFolderError: the folder cannot be used, with the reason.
    """
    from .storage.errors import write_reason

    try:
        resolved = path.expanduser().resolve()
    except RuntimeError as exc:  # Python ≤ 3.12: a symlink loop
        raise DataFolderError(path, "loop") from exc
    except OSError as exc:  # 3.13+: ELOOP; or a device gone
        raise DataFolderError(path, "loop" if exc.errno == errno.ELOOP else write_reason(exc)) from exc
    if resolved.exists() and not resolved.is_dir():
        raise DataFolderError(path, "not_a_folder")
    try:
        resolved.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=resolved):  # a read-only mount says so only on a write
            pass
    except OSError as exc:
        reason = "loop" if exc.errno == errno.ELOOP else (
            "not_a_folder" if exc.errno in (errno.EEXIST, errno.ENOTDIR) else write_reason(exc))
        raise DataFolderError(path, reason) from exc
    return resolved


def default_data_dir() -> Path:
    """The platform's user data folder for this app."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


class PrivateFormatter(logging.Formatter):
    """A formatter whose tracebacks keep the code path and withhold exception messages.

    Exception messages can quote what the user typed (a value that did not parse, a file
    name that is a project name), so the log keeps the frames (our code), the exception
    types and the storage error ``code``/``reason`` — enough to find the bug — and
    replaces each message by its length.
    """

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        return private_traceback(ei[1])


def private_traceback(error: BaseException | None) -> str:
    """A traceback of ``error`` (and its causes) without any exception message."""
    lines: list[str] = []
    seen: set[int] = set()
    chain: list[BaseException] = []
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        chain.append(error)
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    for number, item in enumerate(reversed(chain)):
        if number:
            lines.append("The above exception led to:")
        lines.append("Traceback (most recent call last):")
        for frame in traceback.extract_tb(item.__traceback__):
            lines.append(f'  File "{frame.filename}", line {frame.lineno}, in {frame.name}')
        kind = type(item)
        details = [f"{name}={getattr(item, name)}" for name in ("code", "reason")
                   if isinstance(getattr(item, name, None), str)]
        text = str(item)
        withheld = f"<message withheld: {len(text)} characters>" if text else ""
        lines.append(" ".join(filter(None, [f"{kind.__module__}.{kind.__qualname__}:", *details, withheld])))
    return "\n".join(lines)


def setup_logging(data_dir: Path) -> Path:
    """Log to ``data_dir/logs/app.log`` (no report content is ever logged); returns its path."""
    path = data_dir.joinpath(*LOG_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=2, encoding="utf-8")
    handler.setFormatter(PrivateFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def open_workspace(data_dir: Path) -> Any:
    """Open (or create) the workspace database; seed it with the demo on first start."""
    from .demo import load_demo
    from .storage import Workspace

    data_dir.mkdir(parents=True, exist_ok=True)
    workspace = Workspace.open(data_dir / WORKSPACE_FILE, backup_dir=data_dir / BACKUP_DIR)
    try:
        if workspace.backup_error is not None:
            log.warning("no backup taken on open", exc_info=workspace.backup_error)
        if not workspace.list_reports(include_deleted=True):
            workspace.save(load_demo())
            log.info("workspace created with the demo report")
    except BaseException:
        workspace.close()
        raise
    return workspace


def choose_report(workspace: Any, preferred: str | None) -> str:
    """The report to show: the one edited last, else the most recent."""
    summaries = workspace.list_reports()
    ids = [s.report_id for s in summaries]
    if preferred in ids:
        return preferred  # type: ignore[return-value]
    if ids:
        return ids[0]
    from .domain.model import Report

    report = Report()  # every report was deleted: start a fresh one
    workspace.save(report)
    return report.report_id


def has_display() -> bool:
    """False on a Linux box with no screen (and no offscreen platform requested)."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))
    return True


def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options of the window."""
    parser = argparse.ArgumentParser(prog="python -m desktop_app", description="绩效自评报告编制助手")
    parser.add_argument("--data-dir", type=Path, help="use this folder for the workspace (portable use, tests)")
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--smoke-test", action="store_true",
                        help="check that the installed app works (offscreen, temporary data) and exit")
    parser.add_argument("file", nargs="?", type=Path,
                        help="a report file (.jxzp) to import and open: what a double-click on one runs")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Open the window; returns the exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.smoke_test:
        from .smoke import run as smoke_test

        return smoke_test()
    if not has_display():
        print(
            "没有可用的图形界面（未设置 DISPLAY）。可以先生成演示报告的 PDF：\n"
            "  ./run cli render --demo -o demo.pdf      （在源码目录中）\n"
            "  python -m desktop_app render --demo -o demo.pdf\n"
            "No display found. To render the demo report instead run (in the source folder):\n"
            "  ./run cli render --demo -o demo.pdf",
            file=sys.stderr,
        )
        return 2
    try:
        data_dir = prepare_data_dir(args.data_dir or default_data_dir())
        log_path = setup_logging(data_dir)
    except DataFolderError as exc:
        return explain_data_folder(exc)
    except OSError as exc:  # the logs folder inside it
        from .storage.errors import write_reason

        return explain_data_folder(DataFolderError(args.data_dir or default_data_dir(), write_reason(exc)))
    from .system.input_method import configure_input_method

    configure_input_method()  # Linux: the fcitx/ibus choice must be in the environment before QApplication

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("绩效自评报告编制助手")
    app.setOrganizationName(APP_NAME)
    install_qt_translations(app)
    install_ui_font(app)
    window = start_window(data_dir)
    if window is None:
        return 1
    document, workspace = window.document, window.workspace
    install_excepthook(document, window, log_path)
    window.show()
    if args.file is not None:
        window.import_path(args.file)
    code = app.exec()
    document.flush()
    workspace.close()
    return int(code)


def explain_data_folder(error: DataFolderError) -> int:
    """Say why the data folder cannot be used and how to choose another; returns 1."""
    from PySide6.QtWidgets import QApplication

    from .ui.errors import Messages, data_folder_message, tr

    text = data_folder_message(error.path, error.reason)
    print(text, file=sys.stderr)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    install_qt_translations(app)
    Messages.error(None, tr("无法使用数据文件夹"), text)
    return 1


def install_qt_translations(app: Any) -> bool:
    """Qt's own texts in Chinese (是/否/确定/取消 on message boxes, file dialogs); True if found."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        log.warning("Qt's Chinese translations were not found")
        return False
    return app.installTranslator(translator)


def install_ui_font(app: Any, platform: str = sys.platform) -> list[str]:
    """Name the window's font explicitly where the system's own choice is not safe.

    The choice is :func:`desktop_app.system.ui_font.ui_font_families` (Windows: 微软雅黑 UI,
    宋体, else the bundled LXGW WenKai, which is registered with Qt only when needed);
    returns the families set, [] when the system's font is kept (Linux).
    """
    from PySide6.QtGui import QFontDatabase

    from .resources import resource_path
    from .system.ui_font import chooses_ui_font, ui_font_families

    if not chooses_ui_font(platform):
        return []  # the system's font: nothing to ask the font database
    families = ui_font_families(QFontDatabase.families(), platform)
    if not families:
        for font_file in sorted(resource_path("fonts").glob("*.tt[fc]")):
            QFontDatabase.addApplicationFont(str(font_file))
        families = ui_font_families(QFontDatabase.families(), platform)
    if families:
        font = app.font()
        font.setFamilies(families)
        app.setFont(font)
    log.info("UI font: %s", ", ".join(families) or "the system's")
    return families


def start_window(data_dir: Path) -> Any:
    """The main window, or None after telling the user why the workspace cannot be used.

    A damaged workspace is offered a restore from its newest backup that passes
    ``integrity_check`` (the damaged file is kept beside it); every other refusal — a
    second instance, a newer version, a read-only folder — is explained and the app ends.
    """
    from .storage import DamagedFileError
    from .ui.errors import Messages, storage_message, tr

    path = data_dir / WORKSPACE_FILE
    try:
        return create_window(data_dir)
    except DamagedFileError:
        log.exception("the workspace is damaged")
        if not offer_restore(path, data_dir / BACKUP_DIR):
            return None
    except Exception as exc:  # noqa: BLE001 - the one place a bad workspace is explained
        log.exception("cannot open the workspace")
        Messages.error(None, tr("绩效自评报告编制助手"), storage_message(exc) + "\n\n" + str(path))
        return None
    try:
        return create_window(data_dir)
    except Exception as exc:  # noqa: BLE001 - explained here
        log.exception("cannot open the restored workspace")
        Messages.error(None, tr("绩效自评报告编制助手"), storage_message(exc) + "\n\n" + str(path))
        return None


def offer_restore(path: Path, backup_dir: Path) -> bool:
    """Offer to restore a damaged workspace from a backup; True when it was restored."""
    from .storage import StorageError, Workspace
    from .storage.backups import list_backups
    from .ui.errors import Messages, damaged_workspace_question, tr

    title = tr("工作区已损坏")
    candidates = list_backups(backup_dir, path.stem)
    if not candidates:
        Messages.error(None, title, tr(
            "工作区文件已损坏，无法打开，而且没有找到可用的备份。\n损坏的文件没有被改动：{path}\n"
            "请联系技术支持；在此之前不要删除该文件。").format(path=path))
        return False
    if not Messages.ask(None, title, damaged_workspace_question(candidates[0].taken_at, len(candidates))):
        return False
    for backup in candidates:
        try:
            aside = Workspace.restore_damaged(path, backup.path)
        except StorageError:
            log.exception("backup %s cannot be restored", backup.path.name)
            continue
        log.info("damaged workspace kept as %s", aside.name if aside else "-")
        Messages.info(None, title, tr(
            "已从 {time} 的备份恢复工作区。该时间之后的修改不在备份中。\n损坏的文件已保留为：{aside}").format(
                time=backup.taken_at.astimezone().strftime("%Y-%m-%d %H:%M"), aside=aside or "-"))
        return True
    Messages.error(None, title, tr("所有备份都无法使用，工作区没有被改动。请联系技术支持。"))
    return False


def create_window(data_dir: Path) -> Any:
    """The main window on the workspace in ``data_dir``, showing the report edited last."""
    from .ui.document import ReportDocument
    from .ui.main_window import MainWindow
    from .ui.settings import Settings

    workspace = open_workspace(data_dir)
    try:
        settings = Settings(data_dir / "settings.ini")
        report = workspace.load(choose_report(workspace, settings.last_report()))
        document = ReportDocument(report, workspace)
        window = MainWindow(document, workspace, settings)
    except BaseException:
        workspace.close()  # gives the lock up: the restore offered next needs it
        raise
    document.setParent(window)
    if workspace.removed_objects:
        from .ui.errors import Messages, foreign_objects_message, tr

        log.warning("removed %d database objects this program does not create", len(workspace.removed_objects))
        Messages.info(window, tr("工作区已清理"), foreign_objects_message(len(workspace.removed_objects)))
    return window


def install_excepthook(document: Any, window: Any, log_path: Path) -> None:
    """One hook for unexpected errors: flush the edit first, log, tell the user the data is safe.

    The edit in progress is written before anything else (even before logging), so a
    failure while logging or showing the dialog cannot cost the user's typing. An error
    raised while the dialog is up is logged only (no cascade of dialogs).
    """
    busy = False

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        nonlocal busy
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        saved = False
        try:
            saved = bool(document.flush())
        except Exception:  # noqa: BLE001 - already failing; keep going to tell the user
            log.exception("flush after an unexpected error failed")
        if error.__traceback__ is None:
            error = error.with_traceback(tb)
        try:  # a full disk must not stop the dialog below: the log is the lesser loss
            log.error("unexpected error; the report was %s", "saved" if saved else "NOT saved", exc_info=error)
            for handler in logging.getLogger().handlers:
                handler.flush()
        except Exception:  # noqa: BLE001 - already failing
            pass
        if busy:
            return
        busy = True
        try:
            from .ui.errors import Messages, crash_message, tr

            workspace = getattr(document.store, "path", None)
            Messages.error(window, tr("意外错误"), crash_message(
                saved=saved, saved_at=document.saved_at, workspace=workspace, log_path=log_path,
                error=document.last_error))
        except Exception:  # noqa: BLE001 - never let the hook itself raise
            log.exception("the crash dialog failed")
        finally:
            busy = False

    sys.excepthook = hook
