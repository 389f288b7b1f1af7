"""打开报告: the workspace's reports with 新建 / 复制 / 删除 / 恢复."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.model import Report
from ..errors import Messages, storage_message

Index = QModelIndex | QPersistentModelIndex


class ReportListModel(QAbstractTableModel):
    """Unit, project, year and last edit of each report."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.summaries: list[Any] = []

    def set_summaries(self, summaries: list[Any]) -> None:
        """Replace the list."""
        self.beginResetModel()
        self.summaries = list(summaries)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.summaries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 4:
            return (self.tr("单位"), self.tr("项目"), self.tr("年度"), self.tr("最后修改"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.summaries):
            return None
        summary = self.summaries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return summary.unit_name or self.tr("（未填单位）")
            if index.column() == 1:
                name = summary.project_name or self.tr("（未命名项目）")
                return name + (self.tr("（已删除）") if summary.deleted else "")
            if index.column() == 2:
                year = summary.fiscal_year
                return "" if year is None else str(year)
            updated = summary.updated_at
            return updated.astimezone().strftime("%Y-%m-%d %H:%M") if hasattr(updated, "astimezone") else str(updated)
        if role == Qt.ItemDataRole.ForegroundRole and summary.deleted:
            return Qt.GlobalColor.gray
        return None


class ReportListDialog(QDialog):
    """Choose a report of the workspace; manage the list."""

    def __init__(self, workspace: Any, current_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("打开报告"))
        self.resize(720, 420)
        self.workspace = workspace
        self.current_id = current_id
        self.chosen_id: str | None = None
        self.model = ReportListModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().hide()
        self.view.doubleClicked.connect(lambda _index: self._on_open_clicked())
        self.show_deleted = QCheckBox(self.tr("显示已删除"), self)
        self.show_deleted.toggled.connect(lambda _checked: self.refresh())
        buttons = QHBoxLayout()
        self.open_button = QPushButton(self.tr("打开"), self)
        self.new_button = QPushButton(self.tr("新建"), self)
        self.copy_button = QPushButton(self.tr("复制"), self)
        self.delete_button = QPushButton(self.tr("删除"), self)
        self.restore_button = QPushButton(self.tr("恢复"), self)
        close = QPushButton(self.tr("关闭"), self)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.new_button.clicked.connect(self._on_new_clicked)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        close.clicked.connect(self.reject)
        for button in (self.open_button, self.new_button, self.copy_button, self.delete_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_deleted)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self, select_id: str | None = None) -> None:
        """Reload the list from the workspace."""
        self.model.set_summaries(self.workspace.list_reports(include_deleted=self.show_deleted.isChecked()))
        target = select_id or self.current_id
        for row, summary in enumerate(self.model.summaries):
            if summary.report_id == target:
                self.view.selectRow(row)
                return
        if self.model.summaries:
            self.view.selectRow(0)

    def selected(self) -> Any | None:
        """The selected report summary."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.summaries[rows[0].row()] if rows else None

    def _on_open_clicked(self) -> None:
        summary = self.selected()
        if summary is None:
            return
        if summary.deleted:
            try:
                self.workspace.restore(summary.report_id)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                Messages.error(self, self.tr("恢复报告"), storage_message(exc))
                return
        self.chosen_id = summary.report_id
        self.accept()

    def _on_new_clicked(self) -> None:
        report = Report()
        try:
            self.workspace.save(report)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            Messages.error(self, self.tr("新建报告"), storage_message(exc))
            return
        self.chosen_id = report.report_id
        self.accept()

    def _on_copy_clicked(self) -> None:
        summary = self.selected()
        if summary is None:
            return
        try:
            copy_id = self.workspace.copy(summary.report_id)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            Messages.error(self, self.tr("复制为新报告"), storage_message(exc))
            return
        self.refresh(copy_id)

    def _on_delete_clicked(self) -> None:
        summary = self.selected()
        if summary is None or summary.deleted:
            return
        if summary.report_id == self.current_id:
            Messages.error(self, self.tr("删除报告"), self.tr("不能删除正在编辑的报告，请先打开另一份报告。"))
            return
        if Messages.ask(self, self.tr("删除报告"),
                        self.tr("删除“{name}”？删除后可勾选“显示已删除”并点“恢复”找回。").format(
                            name=summary.project_name or self.tr("（未命名项目）"))):
            try:
                self.workspace.delete(summary.report_id)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                Messages.error(self, self.tr("删除报告"), storage_message(exc))
            self.refresh()

    def _on_restore_clicked(self) -> None:
        summary = self.selected()
        if summary is not None and summary.deleted:
            try:
                self.workspace.restore(summary.report_id)
            except Exception as exc:  # noqa: BLE001 - shown to the user
                Messages.error(self, self.tr("恢复报告"), storage_message(exc))
                return
            self.refresh(summary.report_id)
