"""A table with its row tools: the view, a live-committing delegate, paste and a context menu.

Typing in a cell commits on every keystroke (so totals and findings update before focus
leaves the cell); consecutive keystrokes merge into one undo step in the document.
Enter moves down, Tab moves right, Delete clears, Ctrl+V pastes a block copied from
Excel/WPS (tab-separated), the context menu inserts, deletes, moves and indents rows.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...domain.edits import Batch, InsertRow, SetValue
from ..models.table import Kind, RowTableModel
from .wheel_guard import guard_wheel

Index = QModelIndex | QPersistentModelIndex
MAX_VISIBLE_ROWS = 24


class CellDelegate(QStyledItemDelegate):
    """Editors for every column kind; text editors commit on each keystroke."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._committing = False
        #: Each open editor's cell and the text it held before (Esc puts it back).
        self._originals: dict[int, tuple[QPersistentModelIndex, Any]] = {}

    def _model(self, index: Index) -> RowTableModel:
        model = index.model()
        assert isinstance(model, RowTableModel)
        return model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # noqa: N802
        editor = self._create_editor(parent, index)
        self._originals[id(editor)] = (QPersistentModelIndex(index), index.data(Qt.ItemDataRole.EditRole))
        return editor

    def editor_closed(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """Forget ``editor``; on Esc (RevertModelCache) put its cell's old value back.

        Cells commit on every keystroke, so "cancel" means writing the old text again; the
        document then merges it into the typing's undo step and drops that step.
        """
        index, original = self._originals.pop(id(editor), (None, None))
        if hint != QAbstractItemDelegate.EndEditHint.RevertModelCache or index is None or not index.isValid():
            return
        model = index.model()
        if model.data(index, Qt.ItemDataRole.EditRole) != original:
            model.setData(model.index(index.row(), index.column()), original, Qt.ItemDataRole.EditRole)

    def _create_editor(self, parent: QWidget, index: Index) -> QWidget:
        spec = self._model(index).column(index.column())
        if spec.kind is Kind.CHOICE:
            combo = QComboBox(parent)
            guard_wheel(combo)
            for value, label in spec.choices:
                combo.addItem(label, value)
            combo.activated.connect(lambda _=0, c=combo: self._commit_and_close(c))
            return combo
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if spec.numeric:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.textEdited.connect(lambda _text, e=editor: self._commit_live(e))
        return editor

    def _commit_live(self, editor: QWidget) -> None:
        self._committing = True
        try:
            self.commitData.emit(editor)
        finally:
            self._committing = False

    def _commit_and_close(self, editor: QWidget) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        if self._committing:
            return  # never rewrite what the user is typing
        if isinstance(editor, QComboBox):
            value = index.data(Qt.ItemDataRole.EditRole)
            position = editor.findData(value)
            editor.setCurrentIndex(max(position, 0))
            return
        if isinstance(editor, QLineEdit):
            text = index.data(Qt.ItemDataRole.EditRole) or ""
            if editor.text() != text:
                editor.setText(text)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class TableView(QTableView):
    """QTableView with the keyboard habits of a spreadsheet."""

    paste_requested = Signal()
    clear_requested = Signal()

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        delegate = self.itemDelegate()
        if isinstance(delegate, CellDelegate):
            delegate.editor_closed(editor, hint)
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter: move down
            current = self.currentIndex()
            below = current.sibling(current.row() + 1, current.column())
            if below.isValid():
                self.setCurrentIndex(below)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit()
            return
        if event.key() == Qt.Key.Key_Delete and self.state() != QAbstractItemView.State.EditingState:
            self.clear_requested.emit()
            return
        super().keyPressEvent(event)


class TableEditor(QWidget):
    """A report list as a table with add / insert / delete / move (and indent) tools."""

    def __init__(
        self,
        model: RowTableModel,
        parent: QWidget | None = None,
        *,
        indent: Callable[[int, bool], None] | None = None,
        minimum_rows: int = 4,
        stretch_key: str | None = "",
        wrap: bool = False,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._indent = indent
        self.view = TableView(self)
        self.view.setModel(model)
        self.view.setItemDelegate(CellDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_view_context_menu)
        self.view.paste_requested.connect(self.paste)
        self.view.clear_requested.connect(self.clear_selection)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for number, spec in enumerate(model.columns):
            if spec.width:
                self.view.setColumnWidth(number, spec.width)
        stretch = model.column_of_key(stretch_key) if stretch_key != "" else -1
        if stretch >= 0:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        else:
            header.setStretchLastSection(True)
        # The page scrolls, not the table: the view is as tall as its rows, up to
        # MAX_VISIBLE_ROWS; longer tables scroll inside (painting hundreds of rows that
        # the page does not show would make every keystroke slow).
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._minimum_rows = minimum_rows
        self._wrap = wrap
        self.view.setWordWrap(wrap)
        signals = [model.rowsInserted, model.rowsRemoved, model.modelReset, model.layoutChanged]
        if wrap:
            signals.append(model.dataChanged)
            header.sectionResized.connect(lambda *_: self._fit_height())
        for signal in signals:
            signal.connect(self._fit_height)
        self._fit_height()

        self.add_button = QPushButton(self.tr("添加行"), self)
        self.remove_button = QPushButton(self.tr("删除行"), self)
        self.up_button = QPushButton(self.tr("上移"), self)
        self.down_button = QPushButton(self.tr("下移"), self)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        tools = QHBoxLayout()
        tools.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            button.setAutoDefault(False)
            tools.addWidget(button)
        if indent is not None:
            self.indent_button = QPushButton(self.tr("设为“其中”行"), self)
            self.outdent_button = QPushButton(self.tr("取消“其中”"), self)
            self.indent_button.clicked.connect(lambda: self._set_indent(True))
            self.outdent_button.clicked.connect(lambda: self._set_indent(False))
            tools.addWidget(self.indent_button)
            tools.addWidget(self.outdent_button)
        tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(tools)
        layout.addWidget(self.view)

    def _fit_height(self, *_: Any) -> None:
        if self._wrap:
            self.view.resizeRowsToContents()
        vertical = self.view.verticalHeader()
        height = self.view.horizontalHeader().sizeHint().height() + 2 * self.view.frameWidth() + 4
        rows = self.model.rowCount()
        if rows > MAX_VISIBLE_ROWS:
            height += MAX_VISIBLE_ROWS * vertical.defaultSectionSize()
        else:
            height += vertical.length() + max(self._minimum_rows - rows, 0) * vertical.defaultSectionSize()
        # Room for the horizontal scroll bar, which appears when the columns are wider than
        # the window (not yet known while the page is being built).
        height += self.view.horizontalScrollBar().sizeHint().height()
        self.view.setFixedHeight(height)

    # -- row tools -----------------------------------------------------------------
    def _current_row(self) -> int:
        index = self.view.currentIndex()
        return index.row() if index.isValid() and not self.model.is_total_row(index.row()) else -1

    def add_row(self) -> None:
        """Append a row and start editing its first cell."""
        row = len(self.model.rows)
        self.model.insert_row(row)
        self.view.setCurrentIndex(self.model.index(row, 0))

    def insert_at(self, row: int) -> None:
        """Insert a row before ``row``."""
        self.model.insert_row(row)
        self.view.setCurrentIndex(self.model.index(row, 0))

    def remove_current(self) -> None:
        """Delete the current row."""
        row = self._current_row()
        if row >= 0:
            self.model.remove_row(row)

    def move_current(self, step: int) -> None:
        """Move the current row up (-1) or down (+1)."""
        row = self._current_row()
        target = row + step
        if row >= 0 and 0 <= target < len(self.model.rows):
            column = self.view.currentIndex().column()
            self.model.move_row(row, target)
            self.view.setCurrentIndex(self.model.index(target, column))

    def _set_indent(self, child: bool) -> None:
        row = self._current_row()
        if row >= 0 and self._indent is not None:
            self._indent(row, child)

    def clear_selection(self) -> None:
        """Delete: empty the selected editable cells (one undo step)."""
        parts = []
        for index in self.view.selectionModel().selectedIndexes():
            spec = self.model.column(index.column())
            if self.model.flags(index) & Qt.ItemFlag.ItemIsEditable and spec.kind in (Kind.TEXT, Kind.AMOUNT, Kind.NUMBER):
                parts.append(SetValue(self.model.cell_path(index.row(), index.column()),
                                      self.model.parse(index.row(), spec, "")))
        if parts:
            self.model.document.push(Batch(tuple(parts)), text=self.tr("清除"))

    def paste(self) -> None:
        """Paste a tab-separated block at the current cell, adding rows as needed."""
        text = QGuiApplication.clipboard().text()
        start = self.view.currentIndex()
        if not text or not start.isValid():
            return
        lines = [line.split("\t") for line in text.rstrip("\r\n").replace("\r\n", "\n").split("\n")]
        parts: list[Any] = []
        existing = len(self.model.rows)
        first_row = start.row() if not self.model.is_total_row(start.row()) else existing
        for offset, cells in enumerate(lines):
            row = first_row + offset
            if row >= existing:
                parts.append(InsertRow(self.model.path, row, self.model.row_factory()))
            for step, cell in enumerate(cells):
                column = start.column() + step
                if column >= len(self.model.columns):
                    break
                spec = self.model.column(column)
                if spec.kind in (Kind.TEXT, Kind.AMOUNT, Kind.NUMBER):
                    parts.append(SetValue(self.model.cell_path(row, column), self._parse_later(row, spec, cell)))
        if parts:
            self.model.document.push(Batch(tuple(parts)), text=self.tr("粘贴"))

    def _parse_later(self, row: int, spec: Any, cell: str) -> Any:
        # Rows being added by this paste do not exist yet; their unit is the column default.
        if row < len(self.model.rows):
            return self.model.parse(row, spec, cell.strip())
        from ...domain.money import parse_amount, parse_decimal

        if spec.kind is Kind.AMOUNT:
            return parse_amount(cell.strip(), spec.unit_of(self.model.row_factory()))
        if spec.kind is Kind.NUMBER:
            return parse_decimal(cell.strip())
        return cell.strip()

    def _on_view_context_menu(self, position: Any) -> None:
        index = self.view.indexAt(position)
        row = index.row() if index.isValid() and not self.model.is_total_row(index.row()) else -1
        menu = QMenu(self)
        above = QAction(self.tr("在上方插入行"), menu)
        below = QAction(self.tr("在下方插入行"), menu)
        delete = QAction(self.tr("删除此行"), menu)
        up = QAction(self.tr("上移"), menu)
        down = QAction(self.tr("下移"), menu)
        for action in (above, delete, up, down):
            action.setEnabled(row >= 0)
        above.triggered.connect(lambda: self.insert_at(row))
        below.triggered.connect(lambda: self.insert_at(row + 1 if row >= 0 else len(self.model.rows)))
        delete.triggered.connect(lambda: self.model.remove_row(row))
        up.triggered.connect(lambda: (self.view.setCurrentIndex(index), self.move_current(-1)))
        down.triggered.connect(lambda: (self.view.setCurrentIndex(index), self.move_current(1)))
        menu.addActions([above, below, delete, up, down])
        if self._indent is not None and row >= 0:
            menu.addSeparator()
            indent = QAction(self.tr("设为“其中”行"), menu)
            outdent = QAction(self.tr("取消“其中”"), menu)
            indent.triggered.connect(lambda: self._indent(row, True))  # type: ignore[misc]
            outdent.triggered.connect(lambda: self._indent(row, False))  # type: ignore[misc]
            menu.addActions([indent, outdent])
        menu.popup(self.view.viewport().mapToGlobal(position))

    def select_cell(self, row: int, key: str | None) -> None:
        """Select and show the cell of ``row`` showing attribute ``key``."""
        column = max(self.model.column_of_key(key), 0)
        index = self.model.index(row, column)
        if index.isValid():
            self.view.setCurrentIndex(index)
            self.view.scrollTo(index)
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
