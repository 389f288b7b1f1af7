"""预览, 打印 and 定稿 through the window: the same pages everywhere, traceable signed copies."""

from __future__ import annotations

import shutil
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_app.domain.checks import grade_label, has_errors, validate
from desktop_app.domain.money import format_number
from desktop_app.domain.totals import compute_totals
from desktop_app.storage import Workspace
from desktop_app.ui import printing
from desktop_app.ui.dialogs.preview import HAVE_PREVIEW, PreviewDialog
from desktop_app.ui.document import ReportDocument
from desktop_app.ui.errors import Messages
from desktop_app.ui.main_window import MainWindow

pytestmark = [
    pytest.mark.skipif(not HAVE_PREVIEW, reason="QtPdf (PySide6-Pdf) not installed"),
    pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed"),
]


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())


@pytest.fixture
def clean_report(demo):
    """The demo with its two errors mended (execution score within the rate, one grade)."""
    demo.execution_score = Decimal("8.11")
    totals = compute_totals(demo)
    demo.overview.conclusion = (f"项目自评评价等级：招商引资工作经费自评分为{format_number(totals.total_score)}分，"
                                f"为{grade_label(totals.grade)}等级，均已达到预期绩效目标。")
    assert not has_errors(validate(demo)), validate(demo)
    return demo


def open_window(qtbot, tmp_path, report):
    Messages.quiet = True
    Messages.shown.clear()
    workspace = Workspace.open(tmp_path / "w.jxdb")
    workspace.save(report)
    window = MainWindow(ReportDocument(report, workspace), workspace)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def window(qtbot, tmp_path, clean_report):
    win = open_window(qtbot, tmp_path, clean_report)
    yield win
    win.close()
    win.workspace.close()


@pytest.fixture
def print_to_pdf(monkeypatch, tmp_path):
    """Make the print dialog choose a PDF printer at 96 dpi; records the files."""
    files: list[Path] = []

    def ask_printer(cls, parent, printer, page_count):
        path = tmp_path / f"printed-{len(files) + 1}.pdf"
        printer.setOutputFormat(printing.QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        printer.setResolution(96)
        files.append(path)
        return True

    monkeypatch.setattr(printing.PrintDialogs, "ask_printer", classmethod(ask_printer))
    return files


@pytest.fixture
def answers(monkeypatch):
    """Messages.ask answers yes; the questions are recorded."""
    asked: list[str] = []
    monkeypatch.setattr(Messages, "ask", classmethod(lambda cls, parent, title, text: asked.append(text) or True))
    return asked


def run_and_wait(qtbot, window, action):
    with qtbot.waitSignal(window.output.renderer.finished, timeout=15000):
        action()


def test_preview_shows_the_pages_of_the_exported_file_and_printing_them_gives_as_many(
        qtbot, window, tmp_path, monkeypatch, print_to_pdf):
    run_and_wait(qtbot, window, window.output.preview_action.trigger)
    dialog = window.output.preview_dialog
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "预览"
    exported = tmp_path / "exported.pdf"
    monkeypatch.setattr(PreviewDialog, "ask_save_path", classmethod(lambda cls, *args: str(exported)))
    dialog.export_button.click()
    assert exported.read_bytes() == dialog.pdf
    assert dialog.page_count == pdf_pages(exported) > 5
    assert window.write_pdf(tmp_path / "file-menu.pdf")  # 文件 › 导出PDF: the same bytes
    assert (tmp_path / "file-menu.pdf").read_bytes() == dialog.pdf

    assert dialog.current_page == 0 and not dialog.previous_button.isEnabled()
    dialog.next_button.click()
    assert dialog.current_page == 1 and dialog.page_spin.value() == 2
    dialog.page_spin.setValue(dialog.page_count)
    assert dialog.current_page == dialog.page_count - 1 and not dialog.next_button.isEnabled()
    width_zoom = dialog.view.zoomFactor()
    dialog.zoom_in_button.click()
    assert dialog.view.zoomFactor() == pytest.approx(width_zoom * 1.25) and dialog.zoom_label.text().endswith("%")
    dialog.fit_width_button.click()
    assert dialog.zoom_label.text() == "适合宽度"

    with qtbot.waitSignal(dialog.printed) as printed:
        dialog.print_button.click()
    assert printed.args == [dialog.page_count]
    assert pdf_pages(print_to_pdf[0]) == dialog.page_count


def test_finalize_is_refused_while_errors_remain(qtbot, tmp_path, demo, monkeypatch):
    win = open_window(qtbot, tmp_path, demo)
    monkeypatch.setattr(Messages, "ask", classmethod(lambda *args: pytest.fail("must not ask")))
    win.output.finalize_action.trigger()
    assert any("不能定稿" in text for _, text in Messages.shown)
    assert win.findings_dock.isVisible()
    assert win.workspace.revisions(demo.report_id) == []
    assert not win.output.renderer.busy
    win.close()
    win.workspace.close()


def test_finalize_edit_finalize_reprint_and_verify(qtbot, window, tmp_path, monkeypatch, answers, print_to_pdf,
                                                   qtmodeltester):
    output, workspace = window.output, window.workspace
    report_id = window.document.report.report_id
    assert output.state_text() == "" and output.mark() == ""

    run_and_wait(qtbot, window, output.finalize_action.trigger)
    (first,) = workspace.revisions(report_id)
    assert "第1版" in answers[0]
    first_pdf = workspace.revision_pdf(report_id, 1)
    assert first_pdf is not None and first_pdf.startswith(b"%PDF")
    (tmp_path / "first.pdf").write_bytes(first_pdf)
    assert pdf_pages(print_to_pdf[0]) == pdf_pages(tmp_path / "first.pdf")
    assert f"第1版校验码{first.code}" in pdf_text(tmp_path / "first.pdf")
    assert output.state_text() == f"第1版 已定稿 · 校验码 {first.code}"

    window.document.set_value(("closing", "lessons"), window.document.report.closing.lessons + "另：加强台账管理。")
    assert output.state_text() == "第2版草稿（第1版已定稿）" and output.mark() == "草稿"
    assert output.revision_label.isVisible()
    run_and_wait(qtbot, window, output.preview)
    assert output.preview_dialog.windowTitle() == "预览 — 第2版草稿"
    (tmp_path / "draft.pdf").write_bytes(output.preview_dialog.pdf)
    assert "草稿" in pdf_text(tmp_path / "draft.pdf")

    run_and_wait(qtbot, window, output.finalize_and_print)
    second = workspace.revision(report_id, 2)
    assert second.code != first.code and len(print_to_pdf) == 2
    assert output.state_text().startswith("第2版 已定稿")

    # Finalizing unchanged content makes no revision 3; it offers to reprint revision 2.
    monkeypatch.setattr(Messages, "ask", classmethod(lambda cls, parent, title, text: answers.append(text) and False))
    output.finalize_and_print()
    assert "无需再次定稿" in answers[-1] and len(workspace.revisions(report_id)) == 2

    # 版本: reprint revision 1 (export and print): the bytes printed the first time.
    output.show_revisions()
    dialog = output.revisions_dialog
    qtmodeltester.check(dialog.model)
    assert [dialog.model.index(row, 2).data() for row in range(2)] == [second.code, first.code]
    dialog.select_number(1)
    reprint = tmp_path / "reprint.pdf"
    monkeypatch.setattr(MainWindow, "ask_save_path", classmethod(lambda cls, *args: str(reprint)))
    dialog.export_button.click()
    assert reprint.read_bytes() == first_pdf
    dialog.print_button.click()
    assert pdf_pages(print_to_pdf[-1]) == pdf_pages(reprint)

    # 核对校验码: both codes and a wrong one.
    output.verify_code()
    verify = output.verify_dialog
    for code, expected in ((first.code.lower(), ["第1版", "定稿后数据已修改", "此后又定稿了第2版"]),
                           (second.code, ["第2版", "当前数据与该版一致"]),
                           ("0000-0001" if first.code != "0000-0001" else "0000-0002", ["未找到校验码"]),
                           ("3F9A", ["应为 8 位"])):
        verify.code_edit.setText(code)
        verify.check_button.click()
        for text in expected:
            assert text in verify.result.text(), (code, verify.result.text())


def test_a_long_render_keeps_the_window_alive_and_can_be_cancelled(qtbot, window, monkeypatch):
    def slow_render(report, *, progress=None, **options):
        for page in range(1, 400):
            time.sleep(0.01)
            progress(page)  # raises once cancelled
        raise AssertionError("not cancelled")

    monkeypatch.setattr(printing, "render_bytes", slow_render)
    renderer = window.output.renderer
    with qtbot.waitSignal(renderer.failed) as failed:
        window.output.preview()
        assert renderer.busy
        window.output.print_report()  # one render at a time: refused, said so
        assert window.statusBar().currentMessage() == "正在生成PDF，请稍候…"
        qtbot.wait(100)  # the GUI thread keeps running meanwhile
        renderer.cancel()
    assert isinstance(failed.args[0], printing.RenderCancelled)
    qtbot.waitUntil(lambda: not renderer.busy)
    assert window.output.preview_dialog is None
    assert window.statusBar().currentMessage() == "已取消生成PDF"
