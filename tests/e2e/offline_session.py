"""A whole session with the network forbidden, run in its own process by test_crash_and_privacy.py.

open → edit → check → render (导出PDF) → print to a file → export and import ``.jxzp``
(and a hostile ``.jxzp``) → an unexpected error in a slot with an edit still unsaved.
``socket.socket`` and friends raise, and an audit hook records every network, process,
unpickling or extension-loading event while the session runs. Prints one JSON object.

Usage: ``python tests/e2e/offline_session.py DATA_DIR OUT_DIR HOSTILE_JXZP``
"""

from __future__ import annotations

import json
import os
import socket
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROJECT = "机密项目名称XQ7"
UNIT = "机密单位名称ZK9"
NOTE = "只在内存里的最后一笔修改W3"
FORBIDDEN = ("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "imaplib.", "poplib.", "webbrowser.",
             "pickle.", "shelve.", "subprocess.", "os.system", "os.exec", "os.spawn", "os.posix_spawn",
             "os.fork", "sqlite3.enable_load_extension", "sqlite3.load_extension")
events: list[tuple[str, str]] = []
watching = False


def audit(event: str, args: tuple) -> None:
    if watching and event.startswith(FORBIDDEN):
        events.append((event, repr(args)[:200]))


class NoSocket(socket.socket):
    """Creating any socket fails (a subclass, so modules subclassing socket.socket still import)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise OSError("network access is forbidden in this session")


def forbidden(*args: object, **kwargs: object) -> None:
    raise OSError("network access is forbidden in this session")


#: Marks where the session is, for a system-call trace of it (test_crash_and_privacy.py):
#: an access() of a path under this folder, which does not exist, shows in the trace.
PHASE_MARK = "/nonexistent-jxzp-phase/"


def phase(name: str) -> None:
    """Tell a tracer (strace) that the session enters phase ``name``."""
    os.access(PHASE_MARK + name, os.F_OK)


def main() -> int:
    global watching
    data_dir, out, hostile = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    socket.socket = NoSocket  # type: ignore[misc]
    socket.create_connection = forbidden  # type: ignore[assignment]
    socket.getaddrinfo = forbidden  # type: ignore[assignment]
    socket.socketpair = forbidden  # type: ignore[assignment]
    sys.addaudithook(audit)

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtGui import QPageLayout  # noqa: F401 - QtGui before QPrinter
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication

    from desktop_app.app import create_window, install_excepthook, setup_logging
    from desktop_app.domain.checks import validate
    from desktop_app.storage import StorageError, Workspace
    from desktop_app.ui import printing
    from desktop_app.ui.errors import Messages

    app = QApplication.instance() or QApplication([sys.argv[0]])
    Messages.quiet = True
    result: dict[str, object] = {}
    watching = True
    log_path = setup_logging(data_dir)
    window = create_window(data_dir)
    install_excepthook(window.document, window, log_path)
    window.show()
    document = window.document
    document.set_value(("header", "project_name"), PROJECT)
    document.set_value(("header", "unit_name"), UNIT)
    document.set_value(("header", "title"), "")  # the printed title follows the project name
    document.set_value(("fund_lines", 0, "budget"), Decimal("2500000.00"))
    result["saved"] = document.flush()
    result["findings"] = len(validate(document.report))
    result["pdf_written"] = window.write_pdf(out / "report.pdf")
    data, pages = printing.render_bytes(document.report)
    # JXZP_TEST_NO_QTPDF: the caller knows QtPdf cannot run here (PDFium under Wine).
    if printing.QPdfDocument is not None and not os.environ.get("JXZP_TEST_NO_QTPDF"):
        pdf = printing.load_pdf(data)
        phase("print")  # Qt's printing asks the system print service (CUPS) for its printers
        printer = printing.new_printer(pdf)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out / "printed.pdf"))
        result["printed_pages"] = printing.print_pdf(pdf, printer, max_dpi=72)
        phase("after-print")
    report_id = document.report.report_id
    window.workspace.export_file(report_id, out / "report.jxzp")
    result["imported"] = len(window.workspace.import_file(out / "report.jxzp"))
    try:
        result["hostile"] = f"imported {len(window.workspace.import_file(hostile))}"
    except StorageError as exc:
        result["hostile"] = f"refused {exc.code}"

    # An unexpected error in a slot while an edit is still waiting for its save.
    def boom() -> None:
        raise RuntimeError(f"unexpected failure while showing {PROJECT} / {UNIT}")

    document.set_value(("closing", "lessons"), NOTE)
    result["pending_before_crash"] = document.dirty
    # A real event loop, as in the app: PySide6 6.9 re-raises an exception of a slot that
    # ran inside a bare processEvents() in its caller instead of calling sys.excepthook.
    loop = QEventLoop()
    QTimer.singleShot(0, boom)
    QTimer.singleShot(50, loop.quit)
    loop.exec()
    result["dialog"] = Messages.shown[-1] if Messages.shown else None
    window.close()
    window.workspace.close()
    watching = False
    with Workspace.open(data_dir / "workspace.jxdb", read_only=True) as reader:
        result["lessons_on_disk"] = reader.load(report_id).closing.lessons
    result["log"] = str(log_path)
    result["events"] = events
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
