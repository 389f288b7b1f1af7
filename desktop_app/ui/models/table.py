"""One table model for every list in the report, configured by column specs.

:class:`RowTableModel` adapts a list of the report (``fund_lines``, ``indicators``, …) to
a ``QTableView``. It never holds a copy of the data: it reads the document and writes
through the document's one edit path, so undo, saving and checks apply to table edits
exactly as to any other field. Cells with findings are tinted and carry the message as a
tooltip; what was typed but could not be read stays in the cell, as typed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ...domain.checks import Finding, Severity
from ...domain.edits import Batch, Edit, InsertRow, MoveRow, RemoveRow, SetValue
from ...domain.model import Unit, Unparsed
from ...domain.money import amount_text, number_text, parse_amount, parse_decimal
from ...domain.totals import Totals
from ...messages import finding_message
from ..document import ReportDocument

Index = QModelIndex | QPersistentModelIndex


class Kind(enum.Enum):
    """How a column's values are shown, edited and read back."""

    TEXT = "text"
    AMOUNT = "amount"  # money, Decimal yuan shown in a unit
    NUMBER = "number"  # weights and scores
    CHOICE = "choice"  # an enum, edited with a combo box
    CHECK = "check"  # a bool, a check box
    COMPUTED = "computed"  # derived, read-only, grey


@dataclass
class Column:
    """One column: which attribute it shows and how.

    Attributes:
        key: attribute of the row; None when the row itself is the value (lists of str).
        header: the header text (already translated).
        kind: how the value is shown and edited.
        choices: for CHOICE columns, (enum value, label) pairs.
        unit: for AMOUNT columns, the display unit, or a function of the row giving it.
        compute: for COMPUTED columns, (row index, row, totals) → text.
        total: for the total row, totals → text (None leaves the cell empty).
        width: preferred width in pixels.
    """

    key: str | None
    header: str
    kind: Kind = Kind.TEXT
    choices: tuple[tuple[Any, str], ...] = ()
    unit: Unit | Callable[[Any], Unit] = Unit.WAN
    compute: Callable[[int, Any, Totals], str] | None = None
    total: Callable[[Totals], str] | None = None
    width: int = 0
    tooltip: str = ""

    def unit_of(self, row: Any) -> Unit:
        """The display unit of this column for ``row``."""
        return self.unit(row) if callable(self.unit) else self.unit

    @property
    def numeric(self) -> bool:
        """True for right-aligned number columns."""
        return self.kind in (Kind.AMOUNT, Kind.NUMBER, Kind.COMPUTED)


_ERROR_BRUSH = QBrush(QColor("#fde2e1"))
_WARNING_BRUSH = QBrush(QColor("#fff4d6"))
_COMPUTED_BRUSH = QBrush(QColor("#f1f3f5"))
_COMPUTED_TEXT = QBrush(QColor("#495057"))


def _translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


@dataclass
class _Pending:
    kind: str = ""
    rows: tuple[int, ...] = field(default_factory=tuple)


class RowTableModel(QAbstractTableModel):
    """A list of the report as an editable table (optionally with a total row)."""

    def __init__(
        self,
        document: ReportDocument,
        path: tuple,
        columns: list[Column],
        row_factory: Callable[[], Any],
        *,
        total_label: str | None = None,
        display_hook: Callable[[int, Any, Column, str], str] | None = None,
        live_keys: tuple[str, ...] = (),
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.path = path
        self.columns = columns
        self.row_factory = row_factory
        self.total_label = total_label
        self._display_hook = display_hook
        self._cell_findings: dict[tuple[int, str | None], Finding] = {}
        self._pending: list[str] = []
        self._rows: list | None = None
        self._dirty_rows: set[int] = set()
        self._dirty_total = False
        self._dirty_all = False
        # Columns whose text depends on derived figures: refreshed after every recompute.
        self._live_columns = [n for n, c in enumerate(columns) if c.kind is Kind.COMPUTED or c.key in live_keys]
        document.edit_about_to_apply.connect(self._on_document_edit_about_to_apply)
        document.edit_applied.connect(self._on_document_edit_applied)
        document.recomputed.connect(self._on_document_recomputed)
        document.report_about_to_be_replaced.connect(self.beginResetModel)
        document.report_replaced.connect(self._on_document_report_replaced)
        self._index_findings(document.findings)

    # -- helpers -------------------------------------------------------------------
    @property
    def rows(self) -> list:
        """The list this model shows (the document's own list, never a copy)."""
        if self._rows is None:
            self._rows = self.document.value(self.path)
        return self._rows

    def _on_document_report_replaced(self) -> None:
        self._rows = None
        self.endResetModel()

    @property
    def has_total(self) -> bool:
        """True when the last row is a read-only total row."""
        return self.total_label is not None

    def is_total_row(self, row: int) -> bool:
        """True for the total row."""
        return self.has_total and row == len(self.rows)

    def column(self, column: int) -> Column:
        """The spec of a column."""
        return self.columns[column]

    def cell_path(self, row: int, column: int) -> tuple:
        """The report path edited by a cell."""
        key = self.columns[column].key
        return self.path + (row,) if key is None else self.path + (row, key)

    def column_of_key(self, key: str | None) -> int:
        """The column index showing attribute ``key`` (or -1)."""
        for number, spec in enumerate(self.columns):
            if spec.key == key and spec.kind is not Kind.COMPUTED:
                return number
        return -1

    def finding_at(self, row: int, column: int) -> Finding | None:
        """The most severe finding about a cell, if any."""
        return self._cell_findings.get((row, self.columns[column].key))

    def _index_findings(self, findings: list[Finding]) -> None:
        cells: dict[tuple[int, str | None], Finding] = {}
        depth = len(self.path)
        for finding in findings:
            path = finding.path
            if len(path) > depth and path[:depth] == self.path and isinstance(path[depth], int):
                key = path[depth + 1] if len(path) > depth + 1 else None
                current = cells.get((path[depth], key))
                if current is None or (current.severity is Severity.WARNING and finding.severity is Severity.ERROR):
                    cells[(path[depth], key)] = finding
        self._cell_findings = cells

    # -- Qt model API --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid():
            return 0
        return len(self.rows) + (1 if self.has_total else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            spec = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return spec.header
            if role == Qt.ItemDataRole.ToolTipRole and spec.tooltip:
                return spec.tooltip
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            if self.is_total_row(section):
                return ""
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        spec = self.columns[index.column()]
        if self.is_total_row(index.row()) or spec.kind is Kind.COMPUTED:
            return base
        if spec.kind is Kind.CHECK:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def _value(self, row: int, spec: Column) -> Any:
        item = self.rows[row]
        return item if spec.key is None else getattr(item, spec.key)

    def _text(self, row: int, spec: Column, role: int) -> str:
        item = self.rows[row]
        value = self._value(row, spec)
        if spec.kind is Kind.COMPUTED:
            return spec.compute(row, item, self.document.totals) if spec.compute else ""
        if spec.kind is Kind.AMOUNT:
            return amount_text(value, spec.unit_of(item))
        if spec.kind is Kind.NUMBER:
            return number_text(value)
        if spec.kind is Kind.CHOICE:
            return dict(spec.choices).get(value, "")
        if spec.kind is Kind.CHECK:
            return ""
        return "" if value is None else str(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, spec = index.row(), self.columns[index.column()]
        count = len(self.rows)
        if self.has_total and row == count:
            return self._total_data(index.column(), spec, role)
        if not 0 <= row < count:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            text = self._text(row, spec, role)
            if role == Qt.ItemDataRole.DisplayRole and self._display_hook is not None:
                text = self._display_hook(row, self.rows[row], spec, text)
            if role == Qt.ItemDataRole.EditRole and spec.kind is Kind.CHOICE:
                return self._value(row, spec)
            return text
        if role == Qt.ItemDataRole.CheckStateRole and spec.kind is Kind.CHECK:
            return Qt.CheckState.Checked if self._value(row, spec) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if spec.numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        finding = self._cell_findings.get((row, spec.key)) if spec.kind is not Kind.COMPUTED else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if finding is not None:
                return _ERROR_BRUSH if finding.severity is Severity.ERROR else _WARNING_BRUSH
            if spec.kind is Kind.COMPUTED:
                return _COMPUTED_BRUSH
            return None
        if role == Qt.ItemDataRole.ForegroundRole and spec.kind is Kind.COMPUTED:
            return _COMPUTED_TEXT
        if role == Qt.ItemDataRole.ToolTipRole:
            if finding is not None:
                return finding_message(finding, _translate)
            value = self._value(row, spec) if spec.kind is not Kind.COMPUTED else None
            if isinstance(value, Unparsed):
                return value.text
            if spec.kind is Kind.TEXT and isinstance(value, str) and len(value) > 12:
                return value  # long text is elided in the cell: show all of it on hover
            return spec.tooltip or None
        return None

    def multiData(self, index: Index, roleDataSpan: Any) -> None:  # noqa: N802, N803 - Qt's names
        """All roles of one cell in one call (what item delegates ask for when painting).

        Painting a visible table asks ~8 roles for each cell; answering them together
        looks the row, its finding and its text up once instead of once per role.
        """
        if not index.isValid():
            return
        row, column = index.row(), index.column()
        spec = self.columns[column]
        count = len(self.rows)
        if not 0 <= row < count or (spec.kind is Kind.CHECK):
            for role_data in roleDataSpan:
                role_data.setData(self.data(index, role_data.role()))
            return
        item = self.rows[row]
        text = self._text(row, spec, Qt.ItemDataRole.DisplayRole)
        if self._display_hook is not None:
            text = self._display_hook(row, item, spec, text)
        finding = self._cell_findings.get((row, spec.key)) if spec.kind is not Kind.COMPUTED else None
        for role_data in roleDataSpan:
            role = role_data.role()
            if role == Qt.ItemDataRole.DisplayRole:
                role_data.setData(text)
            elif role == Qt.ItemDataRole.TextAlignmentRole:
                horizontal = Qt.AlignmentFlag.AlignRight if spec.numeric else Qt.AlignmentFlag.AlignLeft
                role_data.setData(int(horizontal | Qt.AlignmentFlag.AlignVCenter))
            elif role == Qt.ItemDataRole.BackgroundRole:
                if finding is not None:
                    role_data.setData(_ERROR_BRUSH if finding.severity is Severity.ERROR else _WARNING_BRUSH)
                elif spec.kind is Kind.COMPUTED:
                    role_data.setData(_COMPUTED_BRUSH)
                else:
                    role_data.setData(None)
            elif role == Qt.ItemDataRole.ForegroundRole:
                role_data.setData(_COMPUTED_TEXT if spec.kind is Kind.COMPUTED else None)
            elif role in (Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.CheckStateRole):
                role_data.setData(None)
            else:
                role_data.setData(self.data(index, role))

    def _total_data(self, column: int, spec: Column, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return self.total_label
            return spec.total(self.document.totals) if spec.total else ""
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return _COMPUTED_BRUSH
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if spec.numeric and column else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def parse(self, row: int, spec: Column, value: Any) -> Any:
        """Turn what an editor gives into the domain value for a cell."""
        if spec.kind is Kind.AMOUNT:
            return parse_amount(str(value), spec.unit_of(self.rows[row]))
        if spec.kind is Kind.NUMBER:
            return parse_decimal(str(value))
        if spec.kind is Kind.CHECK:
            return value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, True)
        if spec.kind is Kind.CHOICE:
            return value
        return "" if value is None else str(value)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or not (self.flags(index) & (Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)):
            return False
        spec = self.columns[index.column()]
        if spec.kind is Kind.CHECK and role != Qt.ItemDataRole.CheckStateRole:
            return False
        if spec.kind is not Kind.CHECK and role != Qt.ItemDataRole.EditRole:
            return False
        if spec.kind is Kind.CHOICE and value not in dict(spec.choices):
            return False
        parsed = self.parse(index.row(), spec, value)
        self.document.set_value(
            self.cell_path(index.row(), index.column()), parsed,
            text=_translate("Edits", "修改{field}").format(field=spec.header),
        )
        return True

    # -- row operations (all through the document) --------------------------------
    def insert_row(self, row: int, item: Any | None = None) -> None:
        """Insert a new row before ``row``."""
        self.document.insert_row(self.path, row, item if item is not None else self.row_factory())

    def remove_row(self, row: int) -> None:
        """Remove ``row``."""
        if 0 <= row < len(self.rows):
            self.document.remove_row(self.path, row)

    def move_row(self, row: int, target: int) -> None:
        """Move ``row`` to position ``target``."""
        if 0 <= row < len(self.rows) and 0 <= target < len(self.rows):
            self.document.move_row(self.path, row, target)

    # -- document signals ----------------------------------------------------------
    def _concerns_me(self, edit: Edit) -> bool:
        if isinstance(edit, Batch):
            return any(self._concerns_me(part) for part in edit.edits)
        if isinstance(edit, (InsertRow, RemoveRow, MoveRow)):
            return edit.path == self.path
        return len(edit.path) <= len(self.path) and self.path[: len(edit.path)] == edit.path

    def _on_document_edit_about_to_apply(self, edit: Edit) -> None:
        if not self._concerns_me(edit):
            self._pending.append("")
            return
        root = QModelIndex()
        if isinstance(edit, InsertRow):
            self.beginInsertRows(root, edit.index, edit.index)
            self._pending.append("insert")
        elif isinstance(edit, RemoveRow):
            self.beginRemoveRows(root, edit.index, edit.index)
            self._pending.append("remove")
        elif isinstance(edit, MoveRow):
            destination = edit.target + 1 if edit.target > edit.source else edit.target
            self.beginMoveRows(root, edit.source, edit.source, root, destination)
            self._pending.append("move")
        else:
            self.beginResetModel()
            self._pending.append("reset")

    def _on_document_edit_applied(self, edit: Edit) -> None:
        kind = self._pending.pop() if self._pending else ""
        if kind:
            self._rows = None  # the list itself may have been replaced
        depth = len(self.path)
        if isinstance(edit, SetValue) and len(edit.path) > depth and edit.path[:depth] == self.path:
            row = edit.path[depth]
            if isinstance(row, int) and 0 <= row < self.rowCount():
                self._dirty_rows.add(row)
                self._dirty_total = True
        elif not isinstance(edit, SetValue) or edit.path[:1] == ("rules",):
            # Rows moved, several edits at once, or the rule set: derived columns may all change.
            self._dirty_all = True
        if kind == "insert":
            self.endInsertRows()
        elif kind == "remove":
            self.endRemoveRows()
        elif kind == "move":
            self.endMoveRows()
        elif kind == "reset":
            self.endResetModel()

    def _emit_cells(self, cells: set[tuple[int, int]]) -> None:
        # One signal per cell: Qt repaints just that cell. A range signal repaints the
        # whole visible table, which is what made typing lag in long tables.
        for row, column in sorted(cells):
            index = self.index(row, column)
            self.dataChanged.emit(index, index)

    def _on_document_recomputed(self, totals: Totals, findings: list[Finding]) -> None:
        """Tell the view only what changed: the edited row, its total, re-coloured cells."""
        before = self._cell_findings
        self._index_findings(findings)
        after = self._cell_findings
        rows = self.rowCount()
        dirty_rows, dirty_total, dirty_all = self._dirty_rows, self._dirty_total, self._dirty_all
        self._dirty_rows, self._dirty_total, self._dirty_all = set(), False, False
        if not rows:
            return
        last_column = len(self.columns) - 1
        if dirty_all and self._live_columns:
            first, last = min(self._live_columns), max(self._live_columns)
            self.dataChanged.emit(self.index(0, first), self.index(rows - 1, last))
        cells: set[tuple[int, int]] = set()
        for key in before.keys() ^ after.keys():
            cells.add(key)  # type: ignore[arg-type]
        for key, finding in after.items():
            if key in before and (before[key] != finding or before[key].params != finding.params):
                cells.add(key)  # type: ignore[arg-type]
        columns = {spec.key: number for number, spec in enumerate(self.columns) if spec.kind is not Kind.COMPUTED}
        marked = {(row, columns.get(key, 0)) for row, key in cells}  # type: ignore[misc]
        marked |= {(row, column) for row in dirty_rows for column in range(last_column + 1)}
        if self.has_total and (dirty_total or dirty_all):
            marked |= {(rows - 1, column) for column in range(last_column + 1)}
        self._emit_cells({(row, column) for row, column in marked if 0 <= row < rows})
