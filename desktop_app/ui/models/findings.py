"""The findings panel's model: severity, where, message — one row per finding."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from ...domain.checks import Finding, Severity
from ...messages import SEVERITIES, finding_location, finding_message, finding_reason

Index = QModelIndex | QPersistentModelIndex


def severity_icon(severity: Severity) -> QIcon:
    """A small red (error) or amber (warning) dot."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#e03131") if severity is Severity.ERROR else QColor("#f59f00"))
    painter.setPen(QColor(0, 0, 0, 0))
    painter.drawEllipse(1, 1, 10, 10)
    painter.end()
    return QIcon(pixmap)


class FindingsModel(QAbstractTableModel):
    """Read-only list of the current findings."""

    COLUMNS = 3

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.findings: list[Finding] = []
        self._icons: dict[Severity, QIcon] = {}
        self._texts: dict[int, tuple[str, str, str]] = {}  # row → (location, message, tooltip)

    def set_findings(self, findings: list[Finding]) -> None:
        """Replace the list (a reset: the list is rebuilt on every check run)."""
        if findings == self.findings and [f.params for f in findings] == [f.params for f in self.findings]:
            return
        if len(findings) == len(self.findings) and findings:
            # Same rows, new figures (the usual keystroke): repaint, don't rebuild the view.
            self.findings = list(findings)
            self._texts.clear()
            self.dataChanged.emit(self.index(0, 0), self.index(len(findings) - 1, self.COLUMNS - 1))
            return
        self.beginResetModel()
        self.findings = list(findings)
        self._texts.clear()
        self.endResetModel()

    def _row_texts(self, row: int) -> tuple[str, str, str]:
        # Formatting a message is the costly part of painting the panel: once per row and reset.
        texts = self._texts.get(row)
        if texts is None:
            finding = self.findings[row]
            message = finding_message(finding, QCoreApplication.translate)
            reason = finding_reason(finding, QCoreApplication.translate)
            texts = (finding_location(finding, QCoreApplication.translate), message,
                     f"{message}\n{reason}" if reason else message)
            self._texts[row] = texts
        return texts

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 3:
            return (QCoreApplication.translate("Findings", "类别"), QCoreApplication.translate("Findings", "位置"),
                    QCoreApplication.translate("Findings", "问题"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.findings):
            return None
        finding = self.findings[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return QCoreApplication.translate("Findings", SEVERITIES[finding.severity])
            location, message, _tooltip = self._row_texts(index.row())
            return location if column == 1 else message
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            if finding.severity not in self._icons:
                self._icons[finding.severity] = severity_icon(finding.severity)
            return self._icons[finding.severity]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._row_texts(index.row())[2]
        if role == Qt.ItemDataRole.UserRole:
            return finding
        return None
