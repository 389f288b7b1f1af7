"""版本 and 核对校验码: the report's 定稿 revisions, and what a code on paper refers to.

:class:`RevisionsDialog` lists the revisions (number, time, 校验码, whether the data still
matches) and asks the window to preview, print or export one — always the bytes stored
when it was finalized. :class:`VerifyCodeDialog` takes a code as typed and says which
report and revision it belongs to and whether the data has changed since.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.revisions import Revision, parse_code

Index = QModelIndex | QPersistentModelIndex


def local_time(revision: Revision) -> str:
    """A revision's time on this computer's clock, to the minute."""
    return revision.created_at.astimezone().strftime("%Y-%m-%d %H:%M")


class RevisionsModel(QAbstractTableModel):
    """One row per revision, newest first: 版本, 定稿时间, 校验码, 与当前内容."""

    def __init__(self, revisions: list[Revision], current_digest: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.revisions = sorted(revisions, key=lambda r: r.number, reverse=True)
        self.current_digest = current_digest

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.revisions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 4:
            return (self.tr("版本"), self.tr("定稿时间"), self.tr("校验码"), self.tr("与当前内容"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.revisions):
            return None
        revision = self.revisions[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return self.tr("第{n}版").format(n=revision.number)
            if column == 1:
                return local_time(revision)
            if column == 2:
                return revision.code
            if column == 3:
                return self.tr("一致") if revision.digest == self.current_digest else self.tr("已修改")
        if role == Qt.ItemDataRole.UserRole:
            return revision
        return None


class RevisionsDialog(QDialog):
    """版本: the revisions of the open report; reprint, preview or export one."""

    preview_requested = Signal(object)
    print_requested = Signal(object)
    export_requested = Signal(object)

    def __init__(self, revisions: list[Revision], current_digest: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("版本"))
        self.resize(620, 360)
        self.model = RevisionsModel(revisions, current_digest, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.summary = QLabel(self._summary_text(revisions, current_digest), self)
        self.summary.setWordWrap(True)
        self.preview_button = QPushButton(self.tr("预览…"), self)
        self.print_button = QPushButton(self.tr("重印…"), self)
        self.export_button = QPushButton(self.tr("导出PDF…"), self)
        self.close_button = QPushButton(self.tr("关闭"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        note = QLabel(self.tr("定稿的版本不能修改；重印和导出的文件与定稿时打印的完全相同。"), self)
        note.setObjectName("fieldHint")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(buttons)
        self.preview_button.clicked.connect(lambda: self._emit(self.preview_requested))
        self.print_button.clicked.connect(lambda: self._emit(self.print_requested))
        self.export_button.clicked.connect(lambda: self._emit(self.export_requested))
        self.close_button.clicked.connect(self.close)
        self.view.doubleClicked.connect(lambda _index: self._emit(self.preview_requested))
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        if revisions:
            self.view.selectRow(0)
        self._update_buttons()

    def _summary_text(self, revisions: list[Revision], current_digest: str) -> str:
        if not revisions:
            return self.tr("这份报告还没有定稿。使用“报告 › 定稿并打印…”冻结第1版。")
        latest = max(revisions, key=lambda r: r.number)
        if latest.digest == current_digest:
            return self.tr("当前内容就是第{n}版（校验码 {code}）。").format(n=latest.number, code=latest.code)
        return self.tr("第{n}版定稿后内容已修改，当前为第{next}版草稿。").format(n=latest.number, next=latest.number + 1)

    def selected(self) -> Revision | None:
        """The chosen revision."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.data(rows[0], Qt.ItemDataRole.UserRole) if rows else None

    def select_number(self, number: int) -> None:
        """Select revision ``number``."""
        for row, revision in enumerate(self.model.revisions):
            if revision.number == number:
                self.view.selectRow(row)

    def _emit(self, signal: Any) -> None:
        revision = self.selected()
        if revision is not None:
            signal.emit(revision)

    @Slot()
    def _update_buttons(self, *_: Any) -> None:
        chosen = self.selected() is not None
        for button in (self.preview_button, self.print_button, self.export_button):
            button.setEnabled(chosen)


class VerifyCodeDialog(QDialog):
    """核对校验码: which revision a code on paper belongs to, and whether data changed since.

    ``check(code)`` is the workspace's :meth:`check_code` bound to the open report.
    """

    def __init__(self, check: Callable[[str], list[Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self.setWindowTitle(self.tr("核对校验码"))
        self.resize(520, 260)
        self.code_edit = QLineEdit(self)
        self.code_edit.setPlaceholderText(self.tr("如 3F9A-C21B（见每页页脚）"))
        self.code_edit.setMaxLength(20)
        self.check_button = QPushButton(self.tr("核对"), self)
        self.check_button.setDefault(True)
        self.result = QLabel(self.tr("输入打印件页脚上的校验码。"), self)
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.close_button = QPushButton(self.tr("关闭"), self)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("校验码"), self))
        row.addWidget(self.code_edit, 1)
        row.addWidget(self.check_button)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.result, 1)
        layout.addLayout(bottom)
        self.check_button.clicked.connect(self.verify)
        self.code_edit.returnPressed.connect(self.verify)
        self.close_button.clicked.connect(self.close)

    @Slot()
    def verify(self) -> None:
        """Look the typed code up and show the answer."""
        typed = self.code_edit.text()
        code = parse_code(typed)
        if code is None:
            self.result.setText(self.tr("校验码应为 8 位，由数字 0–9 和字母 A–F 组成，如 3F9A-C21B。"))
            return
        try:
            matches = self._check(code)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            from ..errors import storage_message

            self.result.setText(escape(storage_message(exc)))
            return
        if not matches:
            self.result.setText(self.tr("<b>未找到校验码 {code}。</b><br>本机没有以此校验码定稿的版本："
                                        "请核对输入，或导入打印这份文件的报告文件。").format(code=code))
            return
        self.result.setText("<hr>".join(self._describe(code, match) for match in matches))

    def _describe(self, code: str, match: Any) -> str:
        header = match.report.header
        year = header.fiscal_year if isinstance(header.fiscal_year, int) else None
        name = " · ".join(filter(None, [header.unit_name, header.project_name,
                                        self.tr("{year}年度").format(year=year) if year else ""]))
        lines = [self.tr("<b>校验码 {code} 是第{n}版</b>，定稿于 {time}。").format(
            code=code, n=match.revision.number, time=local_time(match.revision)),
            self.tr("报告：{name}").format(name=escape(name or self.tr("（未命名项目）")))]
        if match.unchanged:
            lines.append(self.tr("当前数据与该版一致，打印件反映的就是现在的内容。"))
        else:
            lines.append(self.tr("<b>定稿后数据已修改</b>：当前内容与打印件不同。"))
        if match.latest_number > match.revision.number:
            lines.append(self.tr("此后又定稿了第{latest}版。").format(latest=match.latest_number))
        return "<br>".join(lines)
