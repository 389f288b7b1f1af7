"""Composition root: data folder, logging, the excepthook, the workspace, the window.

``python -m desktop_app [--data-dir DIR]`` opens the workspace in the user data folder
(or ``DIR``), creating it with a copy of the demo report on first start, and shows the
report edited last.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from . import APP_NAME, __version__

WORKSPACE_FILE = "workspace.jxdb"
log = logging.getLogger("desktop_app")


def default_data_dir() -> Path:
    """The platform's user data folder for this app."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def setup_logging(data_dir: Path) -> Path:
    """Log to ``data_dir/logs/app.log`` (no report content is ever logged)."""
    log_dir = data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / "app.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def open_workspace(data_dir: Path) -> Any:
    """Open (or create) the workspace database; seed it with the demo on first start."""
    from .demo import load_demo
    from .storage import Workspace

    data_dir.mkdir(parents=True, exist_ok=True)
    workspace = Workspace.open(data_dir / WORKSPACE_FILE)
    if not workspace.list_reports(include_deleted=True):
        workspace.save(load_demo())
        log.info("workspace created with the demo report")
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
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Open the window; returns the exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not has_display():
        print(
            "没有可用的图形界面（未设置 DISPLAY）。可以先生成演示报告的 PDF：\n"
            "  python -m desktop_app render --demo -o demo.pdf\n"
            "No display found. To render the demo report instead run:\n"
            "  python -m desktop_app render --demo -o demo.pdf",
            file=sys.stderr,
        )
        return 2
    data_dir = (args.data_dir or default_data_dir()).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = setup_logging(data_dir)

    from PySide6.QtWidgets import QApplication

    from .ui.errors import Messages, storage_message

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("绩效自评报告编制助手")
    app.setOrganizationName(APP_NAME)
    try:
        window = create_window(data_dir)
    except Exception as exc:  # noqa: BLE001 - the one place a bad workspace is explained
        log.exception("cannot open the workspace")
        Messages.error(None, "绩效自评报告编制助手",
                       storage_message(exc) + f"\n\n{data_dir / WORKSPACE_FILE}")
        return 1
    document, workspace = window.document, window.workspace
    install_excepthook(document, window, log_path)
    window.show()
    code = app.exec()
    document.flush()
    workspace.close()
    return int(code)


def create_window(data_dir: Path) -> Any:
    """The main window on the workspace in ``data_dir``, showing the report edited last."""
    from .ui.document import ReportDocument
    from .ui.main_window import MainWindow
    from .ui.settings import Settings

    workspace = open_workspace(data_dir)
    settings = Settings(data_dir / "settings.ini")
    report = workspace.load(choose_report(workspace, settings.last_report()))
    document = ReportDocument(report, workspace)
    window = MainWindow(document, workspace, settings)
    document.setParent(window)
    return window


def install_excepthook(document: Any, window: Any, log_path: Path) -> None:
    """One hook for unexpected errors: flush the edit, log, tell the user the data is safe."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        saved = False
        try:
            saved = document.flush()
        except Exception:  # noqa: BLE001 - already failing; keep going to tell the user
            log.exception("flush after an unexpected error failed")
        from .ui.errors import Messages

        text = window.tr("程序遇到意外错误。") + (
            window.tr("您的报告已保存，数据安全。") if saved else window.tr("最近的修改可能未保存。"))
        Messages.error(window, window.tr("意外错误"), text + "\n" + window.tr("日志：{path}").format(path=log_path))

    sys.excepthook = hook
