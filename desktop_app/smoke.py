"""``jxzp --smoke-test``: prove that an installed (or source) app works, in seconds.

Run by the packaging scripts on every build and by installers' verify scripts, frozen
and unfrozen alike. In a temporary data folder (the user's own is never touched) it
opens the main window offscreen on a workspace seeded with the demo, runs the checks,
renders the PDF, reads the PDF back to see that every font is embedded, and checks that
the parts a build can forget are there: Qt's Chinese translations (dialog buttons), the
QtPdf module of the preview, the demo resource. One line per step; exit 0 when every
step passed, 1 naming the failed step and why.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from .system.console import configure_stream


class SmokeFailure(Exception):
    """A step found the app broken; the message says how."""


class SmokeTest:
    """The steps, sharing the window and the report between them."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.app: Any = None
        self.window: Any = None
        self.report: Any = None
        self.pdf = data_dir / "smoke-test.pdf"

    def window_opens(self) -> str:
        from PySide6.QtWidgets import QApplication

        from .app import create_window, install_qt_translations
        from .ui.errors import Messages

        Messages.quiet = True  # a message box would wait forever offscreen
        self.app = QApplication.instance() or QApplication([sys.argv[0], "--smoke-test"])
        if not install_qt_translations(self.app):
            raise SmokeFailure("Qt's Chinese translations (qtbase_zh_CN.qm) are missing")
        self.window = create_window(self.data_dir)
        self.window.resize(1366, 768)
        self.window.show()
        self.app.processEvents()
        if not self.window.isVisible() or self.window.tabs.count() != 5:
            raise SmokeFailure(f"window not shown or wrong tabs ({self.window.tabs.count()})")
        self.report = self.window.document.report
        return f"{self.app.platformName()}, {self.window.windowTitle()}"

    def checks_run(self) -> str:
        from .domain.checks import Severity, validate

        findings = validate(self.report)
        errors = sum(f.severity is Severity.ERROR for f in findings)
        if errors == 0:  # the demo keeps the real report's mistakes on purpose
            raise SmokeFailure("the demo's known mistakes were not found")
        return f"{errors} errors, {len(findings) - errors} warnings (the demo's own mistakes)"

    def pdf_renders(self) -> str:
        from .pdf import render_pdf, resolve_fonts

        fonts = resolve_fonts()
        pages = render_pdf(self.report, self.pdf, fonts=fonts)
        if pages < 3:
            raise SmokeFailure(f"only {pages} pages")
        return f"{pages} pages, {self.pdf.stat().st_size // 1024} KB"

    def fonts_embedded(self) -> str:
        from .pdf.inspect import pdf_fonts

        fonts = pdf_fonts(self.pdf.read_bytes())
        missing = [font.name for font in fonts if not font.embedded]
        if not fonts or missing:
            raise SmokeFailure(f"fonts not embedded: {', '.join(missing) or 'no fonts at all'}")
        return ", ".join(sorted({font.name.split("+")[-1] for font in fonts}))

    def preview_available(self) -> str:
        try:
            from PySide6 import QtPdf  # noqa: F401 - the preview and printing need it
        except ImportError as exc:
            raise SmokeFailure(f"QtPdf missing ({exc})") from exc
        return "QtPdf"

    def close(self) -> None:
        if self.window is not None:
            self.window.document.flush()
            workspace = self.window.workspace
            self.window.close()
            self.window.deleteLater()
            self.app.processEvents()
            workspace.close()
            self.window = None


def run(out: TextIO | None = None) -> int:
    """Run every step; returns the exit code (0 = the app works)."""
    out = out or sys.stdout or open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - windowed exe
    configure_stream(out)  # a pipe on code page 936 must not end the run (system/console.py)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    frozen = "frozen" if getattr(sys, "frozen", False) else "source"
    print(f"smoke test ({frozen}, Python {sys.version.split()[0]}, {sys.platform})", file=out, flush=True)
    with tempfile.TemporaryDirectory(prefix="jxzp-smoke-") as folder:
        smoke = SmokeTest(Path(folder))
        steps: list[tuple[str, Callable[[], str]]] = [
            ("window", smoke.window_opens),
            ("checks", smoke.checks_run),
            ("pdf", smoke.pdf_renders),
            ("fonts", smoke.fonts_embedded),
            ("preview", smoke.preview_available),
        ]
        try:
            for name, step in steps:
                started = time.perf_counter()
                try:
                    detail = step()
                except Exception as exc:  # noqa: BLE001 - every failure is a finding here
                    print(f"FAIL {name}: {type(exc).__name__}: {exc}", file=out, flush=True)
                    if not isinstance(exc, SmokeFailure):
                        traceback.print_exc(file=out)
                    return 1
                print(f"ok   {name} ({(time.perf_counter() - started) * 1000:.0f} ms): {detail}", file=out, flush=True)
        finally:
            smoke.close()
    print("smoke test passed", file=out, flush=True)
    return 0
