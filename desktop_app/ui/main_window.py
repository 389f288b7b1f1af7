"""The main window: header strip, the five tabs, the findings panel, menus and status bar."""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..demo import DEMO_REPORT_ID
from ..domain.checks import Finding, Severity, Tab, grade_label, has_errors
from ..domain.model import Report
from ..domain.money import format_number, format_percent
from ..domain.totals import Totals
from ..system.filenames import safe_file_name
from .document import ReportDocument, SaveState
from .errors import Messages, storage_message, write_error_message
from .models.findings import FindingsModel, severity_icon
from .report_output import ReportOutput
from .tabs.base import ReportTab
from .tabs.funds import FundsTab
from .tabs.outputs import OutputsTab
from .tabs.overview import OverviewTab
from .tabs.scoring import ScoringTab
from .tabs.team import TeamTab

log = logging.getLogger(__name__)

STYLE_SHEET = """
#headerStrip { background: #f8f9fa; border-bottom: 1px solid #dee2e6; }
#headerStrip QLabel#stripTitle { font-size: 15px; font-weight: 600; }
#headerStrip QLabel#stripMeta { color: #495057; }
#headerStrip QLabel#stripFigure { font-size: 15px; font-weight: 600; }
#headerStrip QLabel#stripCaption { color: #6c757d; }
QLabel#sectionTitle { font-size: 14px; font-weight: 600; color: #1c7ed6; padding-top: 6px; }
QLabel#fieldHeading { color: #343a40; font-weight: 600; }
QLabel#fieldError { color: #c92a2a; }
QLabel#fieldError[severity="warning"] { color: #b35c00; }
QLineEdit[finding="error"], QPlainTextEdit[finding="error"] { border: 1px solid #e03131; background: #fff5f5; }
QLineEdit[finding="warning"], QPlainTextEdit[finding="warning"] { border: 1px solid #f59f00; background: #fff9db; }
QLabel#figure { font-weight: 600; }
QLabel#figure[finding="error"] { color: #c92a2a; background: #fde2e1; }
QLabel#demoBanner { background: #e7f5ff; color: #1864ab; padding: 6px 14px; border-bottom: 1px solid #a5d8ff; }
QLabel#bigGrade { font-size: 40px; font-weight: 700; color: #1c7ed6; }
QLabel#gridHeader { color: #6c757d; }
QFrame#scoreBox { border: 1px solid #dee2e6; border-radius: 4px; background: #ffffff; }
QPushButton#findingsButton { padding: 3px 10px; }
"""


class GlyphCheck:
    """Characters no installed font can print (errors: they would print as boxes).

    Kept up to date field by field: a keystroke re-checks the one text it changed, not the
    whole report; rows added, removed or moved, another report or other fonts rescan all.
    """

    def __init__(self, document: ReportDocument) -> None:
        self.document = document
        self._fonts: Any = None
        self._missing: dict[tuple, tuple[str, ...]] = {}
        document.edit_applied.connect(self._on_document_edit_applied)
        document.report_replaced.connect(self.rescan)
        self.rescan()

    def rescan(self) -> None:
        """Check every text of the report again (with the currently chosen fonts)."""
        from ..pdf import FontsUnavailableError, resolve_fonts
        from ..pdf.glyphs import missing_in_text, report_texts
        from .printing import font_choice

        try:
            self._fonts = resolve_fonts(font_choice() or None)
        except FontsUnavailableError:
            self._fonts = None  # said when printing, with what to install
        self._missing = {}
        if self._fonts is not None:
            for path, text in report_texts(self.document.report):
                found = missing_in_text(self._fonts, text)
                if found:
                    self._missing[path] = found

    def _on_document_edit_applied(self, edit: Any) -> None:
        from ..domain.edits import SetValue
        from ..domain.model import Unparsed
        from ..pdf.glyphs import missing_in_text

        value = getattr(edit, "value", None)
        if not isinstance(edit, SetValue) or not isinstance(value, (str, Unparsed, Decimal, type(None))):
            self.rescan()
            return
        self._missing.pop(edit.path, None)
        text = value.text if isinstance(value, Unparsed) else value if isinstance(value, str) else ""
        if text and self._fonts is not None:
            found = missing_in_text(self._fonts, text)
            if found:
                self._missing[edit.path] = found

    def __call__(self, _report: Report) -> list[Finding]:
        from ..pdf.glyphs import glyph_finding

        return [glyph_finding(path, ch) for path, chars in self._missing.items() for ch in chars]


class HeaderStrip(QFrame):
    """Always-visible summary: unit, project, year; rate, total, grade; findings count."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("headerStrip")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        names = QVBoxLayout()
        self.project = QLabel()
        self.project.setObjectName("stripTitle")
        self.meta = QLabel()
        self.meta.setObjectName("stripMeta")
        names.addWidget(self.project)
        names.addWidget(self.meta)
        layout.addLayout(names, 1)
        self.figures: dict[str, QLabel] = {}
        for key, caption in (("rate", self.tr("预算执行率")), ("total", self.tr("总分")), ("grade", self.tr("等级"))):
            box = QVBoxLayout()
            value = QLabel("—")
            value.setObjectName("stripFigure")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            value.setMinimumWidth(84)  # a steady size: changing figures must not relayout the window
            label = QLabel(caption)
            label.setObjectName("stripCaption")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            box.addWidget(value)
            box.addWidget(label)
            layout.addSpacing(18)
            layout.addLayout(box)
            self.figures[key] = value
        layout.addSpacing(18)
        self.findings_button = QPushButton()
        self.findings_button.setObjectName("findingsButton")
        self.findings_button.setMinimumWidth(150)
        layout.addWidget(self.findings_button)

    def show_report(self, report: Report, totals: Totals, findings: list[Finding]) -> None:
        """Refresh every figure."""
        header = report.header
        self.project.setText(header.project_name or self.tr("（未命名项目）"))
        year = header.fiscal_year if isinstance(header.fiscal_year, int) else None
        self.meta.setText(" · ".join(filter(None, [header.unit_name or self.tr("（未填单位）"),
                                                   self.tr("{year}年度").format(year=year) if year else ""])))
        for key, text in (("rate", format_percent(totals.execution_rate)), ("total", format_number(totals.total_score)),
                          ("grade", grade_label(totals.grade))):
            if self.figures[key].text() != (text or "—"):
                self.figures[key].setText(text or "—")
        errors = sum(f.severity is Severity.ERROR for f in findings)
        warnings = len(findings) - errors
        if findings:
            self.findings_button.setText(self.tr("错误 {errors} · 提醒 {warnings}").format(errors=errors, warnings=warnings))
            self.findings_button.setIcon(severity_icon(Severity.ERROR if errors else Severity.WARNING))
        else:
            self.findings_button.setText(self.tr("未发现问题"))
            self.findings_button.setIcon(QIcon())


class FindingsPanel(QWidget):
    """The list of findings; a click jumps to the field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FindingsModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        # Fixed widths: measuring hundreds of rows on every keystroke would make typing lag.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(0, 70)
        self.view.setColumnWidth(1, 260)
        header.setStretchLastSection(True)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.empty = QLabel(self.tr("未发现问题"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def set_findings(self, findings: list[Finding]) -> None:
        """Show the current findings (or the empty state)."""
        self.model.set_findings(findings)
        self.stack.setCurrentWidget(self.view if findings else self.empty)


class MainWindow(QMainWindow):
    """绩效自评报告编制助手's main window, editing one report of the workspace."""

    TAB_ORDER = (Tab.OVERVIEW, Tab.TEAM, Tab.FUNDS, Tab.OUTPUTS, Tab.SCORING)

    def __init__(self, document: ReportDocument, workspace: Any = None, settings: Any = None) -> None:
        super().__init__()
        self.document = document
        self.workspace = workspace
        self.settings = settings
        self.setStyleSheet(STYLE_SHEET)
        self.resize(1200, 820)

        self.strip = HeaderStrip(self)
        self.tabs = QTabWidget(self)
        self.tab_pages: dict[Tab, ReportTab] = {
            Tab.OVERVIEW: OverviewTab(document),
            Tab.TEAM: TeamTab(document),
            Tab.FUNDS: FundsTab(document),
            Tab.OUTPUTS: OutputsTab(document),
            Tab.SCORING: ScoringTab(document),
        }
        self.tab_titles = {
            Tab.OVERVIEW: self.tr("概况"), Tab.TEAM: self.tr("工作组"), Tab.FUNDS: self.tr("资金"),
            Tab.OUTPUTS: self.tr("产出"), Tab.SCORING: self.tr("评分"),
        }
        for tab in self.TAB_ORDER:
            self.tabs.addTab(self.tab_pages[tab], self.tab_titles[tab])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.strip)
        self.demo_banner = QLabel(self.tr(
            "演示报告：取自丰都县2020年招商引资工作经费自评报告，保留了原文的错误以便查看校验效果；"
            "原报告没有绩效指标表，“产出”页指标表的年度指标值为按原文事实设定的示例值。"))
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setWordWrap(True)
        layout.addWidget(self.demo_banner)
        layout.addWidget(self.tabs)
        self.setCentralWidget(central)

        self.findings_panel = FindingsPanel(self)
        self.findings_dock = QDockWidget(self.tr("校验结果"), self)
        self.findings_dock.setObjectName("findingsDock")
        self.findings_dock.setWidget(self.findings_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.findings_dock)
        self.resizeDocks([self.findings_dock], [170], Qt.Orientation.Vertical)
        self.findings_panel.view.clicked.connect(self._on_findings_clicked)
        self.findings_panel.view.activated.connect(self._on_findings_clicked)
        self.strip.findings_button.clicked.connect(self._on_findings_button_clicked)

        self._tabs_with_errors: set[Tab] | None = None
        self._error_icon = severity_icon(Severity.ERROR)
        self.save_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.save_label)
        self._build_menus()
        if settings is not None:
            from .printing import set_font_choice

            set_font_choice(settings.font_choice())
        self.glyph_check = GlyphCheck(document)
        document.extra_checks.append(self.glyph_check)
        document.recompute()

        document.recomputed.connect(self._on_document_recomputed)
        document.save_state_changed.connect(self._on_document_save_state_changed)
        self._on_document_recomputed(document.totals, document.findings)
        self._on_document_save_state_changed(document.save_state, document.saved_at, document.last_error)

    # -- menus ---------------------------------------------------------------------------
    def _action(self, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("文件(&F)"))
        self.new_action = self._action(self.tr("新建报告"), self.new_report, QKeySequence.StandardKey.New)
        self.open_action = self._action(self.tr("打开报告…"), self.open_report_list, QKeySequence.StandardKey.Open)
        self.copy_action = self._action(self.tr("复制为新报告"), self.copy_report)
        self.import_action = self._action(self.tr("导入报告文件…"), self.import_report_file)
        self.export_action = self._action(self.tr("导出报告文件…"), self.export_report_file)
        self.pdf_action = self._action(self.tr("导出PDF…"), self.export_pdf, "Ctrl+E")
        self.quit_action = self._action(self.tr("退出"), self.close, QKeySequence.StandardKey.Quit)
        file_menu.addActions([self.new_action, self.open_action, self.copy_action])
        file_menu.addSeparator()
        file_menu.addActions([self.import_action, self.export_action, self.pdf_action])
        file_menu.addSeparator()
        self.restore_backup_action = self._action(self.tr("恢复备份…"), self.restore_backup)
        self.restore_backup_action.setEnabled(self.workspace is not None)
        file_menu.addAction(self.restore_backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        for action in (self.new_action, self.open_action, self.copy_action, self.import_action, self.export_action):
            action.setEnabled(self.workspace is not None)

        edit_menu = bar.addMenu(self.tr("编辑(&E)"))
        self.undo_action = self.document.undo_stack.createUndoAction(self, self.tr("撤销"))
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo_action = self.document.undo_stack.createRedoAction(self, self.tr("重做"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence(QKeySequence.StandardKey.Redo)])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        edit_menu.addActions([self.undo_action, self.redo_action])

        report_menu = bar.addMenu(self.tr("报告(&R)"))
        self.check_action = self._action(self.tr("校验"), self._on_findings_button_clicked, "F7")
        report_menu.addAction(self.check_action)
        self.font_action = self._action(self.tr("字体设置…"), self._on_font_settings_triggered)
        self.font_action.setEnabled(self.settings is not None)
        report_menu.addAction(self.findings_dock.toggleViewAction())
        # 预览 / 打印… / 定稿并打印… / 版本… / 核对校验码… (ui/report_output.py).
        self.output = ReportOutput(self)
        report_menu.addSeparator()
        report_menu.addActions(self.output.actions)
        after_pdf = file_menu.actions()[file_menu.actions().index(self.pdf_action) + 1]
        file_menu.insertActions(after_pdf, [self.output.preview_action, self.output.print_action])

        report_menu.addAction(self.font_action)

        help_menu = bar.addMenu(self.tr("帮助(&H)"))
        help_menu.addAction(self._action(self.tr("关于"), self._on_about_triggered))

    # -- document signals ------------------------------------------------------------------
    @Slot(object, object)
    def _on_document_recomputed(self, totals: Totals, findings: list[Finding]) -> None:
        self.strip.show_report(self.document.report, totals, findings)
        self.demo_banner.setVisible(self.document.report.report_id == DEMO_REPORT_ID)
        self.findings_panel.set_findings(findings)
        with_errors = {f.tab for f in findings if f.severity is Severity.ERROR}
        if with_errors != self._tabs_with_errors:  # touching the tab bar relayouts the window
            self._tabs_with_errors = with_errors
            for number, tab in enumerate(self.TAB_ORDER):
                self.tabs.setTabIcon(number, self._error_icon if tab in with_errors else QIcon())
                self.tabs.setTabToolTip(number, self.tr("此页有错误") if tab in with_errors else "")
        self._update_title()

    @Slot(str, object, str)
    def _on_document_save_state_changed(self, state: str, saved_at: datetime | None, error: str) -> None:
        if self.document.store is None:
            text = self.tr("预览：不保存修改")
        elif state == SaveState.SAVED:
            text = self.tr("已保存 {time}").format(time=saved_at.strftime("%H:%M:%S")) if saved_at else self.tr("已保存")
        elif state == SaveState.FAILED:
            text = self.tr("保存失败，正在重试：{error}").format(error=error)
        else:
            text = self.tr("正在保存…")
        self.save_label.setText(text)
        self._update_title()

    def _update_title(self) -> None:
        header = self.document.report.header
        year = header.fiscal_year if isinstance(header.fiscal_year, int) else None
        name = " · ".join(filter(None, [header.project_name or self.tr("未命名项目"), str(year) if year else ""]))
        marker = "" if self.document.save_state == SaveState.SAVED else " *"
        state = self.tr("已保存") if not marker else self.tr("未保存")
        title = f"{name}{marker} — {self.tr('绩效自评报告编制助手')}（{state}）"
        if title != self.windowTitle():
            self.setWindowTitle(title)

    # -- findings ----------------------------------------------------------------------------
    def _on_findings_button_clicked(self) -> None:
        self.findings_dock.show()
        self.findings_dock.raise_()

    def _on_findings_clicked(self, index: QModelIndex) -> None:
        finding = self.findings_panel.model.data(index, Qt.ItemDataRole.UserRole)
        if finding is not None:
            self.jump_to(finding)

    def jump_to(self, finding: Finding) -> bool:
        """Show the tab of a finding and select its field or cell."""
        tab = finding.tab
        page = self.tab_pages[tab]
        self.tabs.setCurrentWidget(page)
        return page.focus_path(finding.path)

    # -- file actions ----------------------------------------------------------------------------
    def open_report(self, report_id: str) -> None:
        """Switch the window to another report of the workspace."""
        try:
            report = self.workspace.load(report_id)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            Messages.error(self, self.tr("打开报告"), storage_message(exc))
            return
        self.document.replace_report(report)
        if self.settings is not None:
            self.settings.set_last_report(report_id)

    def new_report(self) -> None:
        """Start an empty report (a failed write is explained; the open report stays)."""
        self.document.flush()
        report = Report()
        try:
            self.workspace.save(report)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            log.warning("new report not saved", exc_info=exc)
            Messages.error(self, self.tr("新建报告"), storage_message(exc))
            return
        self.open_report(report.report_id)

    def copy_report(self) -> None:
        """Copy the current report as a new one and open the copy."""
        self.document.flush()
        try:
            copy_id = self.workspace.copy(self.document.report.report_id)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            log.warning("copy not saved", exc_info=exc)
            Messages.error(self, self.tr("复制为新报告"), storage_message(exc))
            return
        self.open_report(copy_id)

    def open_report_list(self) -> None:
        """Show 打开报告."""
        from .dialogs.report_list import ReportListDialog

        self.document.flush()
        dialog = ReportListDialog(self.workspace, self.document.report.report_id, self)
        if dialog.exec() and dialog.chosen_id:
            self.open_report(dialog.chosen_id)

    @classmethod
    def ask_open_path(cls, parent: QWidget, title: str, filter_text: str) -> str:
        """Ask for a file to read (tests patch this)."""
        return QFileDialog.getOpenFileName(parent, title, "", filter_text)[0]

    @classmethod
    def ask_save_path(cls, parent: QWidget, title: str, suggested: str, filter_text: str) -> str:
        """Ask where to write a file (tests patch this)."""
        return QFileDialog.getSaveFileName(parent, title, suggested, filter_text)[0]

    def _suggested_name(self, suffix: str) -> str:
        header = self.document.report.header
        year = header.fiscal_year if isinstance(header.fiscal_year, int) else ""
        stem = f"{year}{header.project_name or self.tr('绩效自评报告')}"
        # Valid on Windows too (full-width ？：／, no CON/NUL, no trailing dot): system/filenames.py
        return str(Path.home() / safe_file_name(stem, suffix))

    def import_report_file(self) -> None:
        """导入报告文件: copy a .jxzp into the workspace and open it."""
        path = self.ask_open_path(self, self.tr("导入报告文件"), self.tr("报告文件 (*.jxzp);;所有文件 (*)"))
        if path:
            self.import_path(path)

    def import_path(self, path: str | Path) -> bool:
        """Copy the reports of the file at ``path`` into the workspace and open the first.

        Also what a double-click on a ``.jxzp`` runs (``jxzp FILE``, see app.main). Returns
        False when the file was refused (the user was told why).
        """
        self.document.flush()
        try:
            imported = self.workspace.import_file(Path(path))
        except Exception as exc:  # noqa: BLE001 - shown to the user
            Messages.error(self, self.tr("导入报告文件"), storage_message(exc))
            return False
        report_id = imported[0] if isinstance(imported, list) else imported
        self.open_report(report_id)
        self.statusBar().showMessage(self.tr("已导入：{path}").format(path=path), 8000)
        return True

    def export_report_file(self) -> None:
        """导出报告文件: write the current report as a single .jxzp file."""
        path = self.ask_save_path(self, self.tr("导出报告文件"), self._suggested_name(".jxzp"),
                                  self.tr("报告文件 (*.jxzp)"))
        if not path:
            return
        if not path.lower().endswith(".jxzp"):
            path += ".jxzp"
        if not self.document.flush():
            Messages.error(self, self.tr("导出报告文件"), self.tr("报告尚未保存成功，暂不能导出。"))
            return
        try:
            self.workspace.export_file(self.document.report.report_id, Path(path))
        except Exception as exc:  # noqa: BLE001 - shown to the user
            Messages.error(self, self.tr("导出报告文件"), storage_message(exc))
            return
        self.statusBar().showMessage(self.tr("已导出：{path}").format(path=path), 8000)

    def export_pdf(self) -> None:
        """导出PDF: render the report to a file the user picks."""
        path = self.ask_save_path(self, self.tr("导出PDF"), self._suggested_name(".pdf"), self.tr("PDF 文件 (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.write_pdf(Path(path))

    def write_pdf(self, path: Path) -> bool:
        """Render the current report to ``path``; True on success."""
        from ..pdf import FontsUnavailableError

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.output.write_current_pdf(path)  # the 草稿 mark, or the finalized copy
        except FontsUnavailableError as exc:
            Messages.error(self, self.tr("导出PDF"), self.tr("找不到可用的中文字体：{detail}").format(detail=exc))
            return False
        except OSError as exc:
            Messages.error(self, self.tr("导出PDF"), self.tr("无法写入 {path}。").format(path=path)
                           + write_error_message(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        note = self.tr("（报告仍有错误，请核对校验结果）") if has_errors(self.document.findings) else ""
        self.statusBar().showMessage(self.tr("已导出PDF：{path}").format(path=path) + note, 8000)
        return True

    def restore_backup(self) -> None:
        """恢复备份…: put one of the workspace's automatic backups back (ui/dialogs/backups.py)."""
        from .dialogs.backups import restore_from_backup

        restore_from_backup(self)

    @Slot()
    def _on_font_settings_triggered(self) -> None:
        from .dialogs.font_settings import FontSettingsDialog
        from .printing import set_font_choice

        if self.settings is not None and FontSettingsDialog(self.settings, parent=self).exec():
            set_font_choice(self.settings.font_choice())
            self.glyph_check.rescan()
            self.document.recompute()

    def _on_about_triggered(self) -> None:
        Messages.info(self, self.tr("关于"), self.tr(
            "绩效自评报告编制助手\n编写、校验并打印项目支出绩效自评报告。\n全部数据保存在本机，不联网。"))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        """Write anything unsaved before the window goes."""
        if not self.document.flush():
            if not Messages.ask(self, self.tr("退出"), self.tr("最近的修改未能保存（{error}）。仍要退出吗？").format(
                    error=self.document.last_error)):
                event.ignore()
                return
        if self.settings is not None:
            self.settings.set_last_report(self.document.report.report_id)
        event.accept()
