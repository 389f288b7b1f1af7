"""Form fields bound to a path of the report, with their own error line.

A :class:`BoundField` keeps a line edit or text editor and one report path in step:
every keystroke goes to the document (one merged undo step per field), undo and redo
write back into the widget, and the findings about that path appear right under the
field, in Chinese, while what was typed stays as typed.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QTextCharFormat, QColor, QTextCursor
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from ...domain.checks import Finding, Severity
from ...domain.edits import Edit
from ...domain.model import Unparsed
from ...domain.money import date_text, number_text, parse_date, parse_decimal, parse_year
from ...messages import finding_message
from ..document import ReportDocument


def _is_undo_redo(event: QEvent) -> bool:
    return isinstance(event, QKeyEvent) and (
        event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
        or (event.key() == Qt.Key.Key_Y and event.modifiers() == Qt.KeyboardModifier.ControlModifier)
    )


class LineEdit(QLineEdit):
    """A line edit that leaves Ctrl+Z / Ctrl+Y to the window's one undo stack."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _is_undo_redo(event):
            event.ignore()
            return False
        return super().event(event)


class TextEditor(QPlainTextEdit):
    """A roomy plain-text editor that leaves undo/redo to the window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setUndoRedoEnabled(False)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(90)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and _is_undo_redo(event):
            event.ignore()
            return False
        return super().event(event)

    def highlight(self, spans: list[tuple[int, int]]) -> None:
        """Underline the given character spans in red (text contradicting the data)."""
        if spans == getattr(self, "_spans", []):
            return  # unchanged: leave the selections alone (this runs on every keystroke)
        self._spans = list(spans)
        selections = []
        for start, end in spans:
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#fde2e1"))
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(QColor("#c92a2a"))
            selection.format = fmt
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selections.append(selection)
        self.setExtraSelections(selections)


#: No value remembered (the field does not have focus).
_NOTHING = object()

Parser = Callable[[str], Any]
Formatter = Callable[[Any], str]


def _text_format(value: Any) -> str:
    return "" if value is None else str(value)


def _year_format(value: Any) -> str:
    if isinstance(value, Unparsed):
        return value.text
    return "" if value is None else str(value)


KINDS: dict[str, tuple[Parser, Formatter]] = {
    "text": (str, _text_format),
    "date": (parse_date, date_text),
    "year": (parse_year, _year_format),
    "number": (parse_decimal, number_text),
}


class BoundField(QObject):
    """Keeps one widget and one report path in step, and shows the path's findings."""

    def __init__(self, document: ReportDocument, path: tuple, widget: QLineEdit | TextEditor,
                 error_label: QLabel, kind: str = "text") -> None:
        super().__init__(widget)
        self.document = document
        self.path = path
        self.widget = widget
        self.error_label = error_label
        self.parse, self.format = KINDS[kind]
        self._updating = False
        self._shown: tuple[str, str] = ("", "")
        self._key: tuple | None = None
        self._before: Any = _NOTHING  # the value when the field got focus (Esc goes back to it)
        self.refresh()
        widget.installEventFilter(self)
        if isinstance(widget, QLineEdit):
            widget.textChanged.connect(self._on_widget_text_changed)
        else:
            widget.textChanged.connect(self._on_widget_text_changed)
        document.edit_applied.connect(self._on_document_edit_applied)
        document.report_replaced.connect(self.refresh)
        document.recomputed.connect(self._on_document_recomputed)
        self._on_document_recomputed(document.totals, document.findings)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Remember the value on focus; Esc puts it back (and its undo step goes away)."""
        kind = event.type()
        if kind == QEvent.Type.FocusIn:
            self._before = self.document.value(self.path)
        elif kind == QEvent.Type.FocusOut:
            self._before = _NOTHING
        elif (kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape
              and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            return self.cancel_edit()
        return False

    def cancel_edit(self) -> bool:
        """Restore the value the field had when it got focus; False when nothing changed."""
        before = self._before
        if before is _NOTHING:
            return False
        current = self.document.value(self.path)
        if current == before and type(current) is type(before):
            return False
        self.document.set_value(self.path, before, text=QCoreApplication.translate("Edits", "输入"))
        self.refresh()
        return True

    def _text(self) -> str:
        widget = self.widget
        return widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()

    def _on_widget_text_changed(self, *_: Any) -> None:
        if self._updating:
            return
        self.document.set_value(
            self.path, self.parse(self._text()),
            text=QCoreApplication.translate("Edits", "输入"),
        )

    def _on_document_edit_applied(self, edit: Edit) -> None:
        path = getattr(edit, "path", None)
        if path is None or path == self.path[: len(path)]:
            self.refresh()

    def refresh(self) -> None:
        """Show the document's value unless the widget already says the same thing."""
        try:
            value = self.document.value(self.path)
        except Exception:  # noqa: BLE001 - path vanished with a replaced report
            return
        current = self.parse(self._text())
        if current == value and type(current) is type(value):
            return
        self._updating = True
        try:
            text = self.format(value)
            if isinstance(self.widget, QLineEdit):
                self.widget.setText(text)
            else:
                self.widget.setPlainText(text)
        finally:
            self._updating = False

    def _on_document_recomputed(self, _totals: Any, findings: list[Finding]) -> None:
        mine = self.document.findings_by_path.get(self.path, [])
        key = tuple((f.code, f.severity, f.span, tuple(f.params.items())) for f in mine)
        if key == self._key:
            return  # the same findings as before this keystroke: nothing to redo
        self._key = key
        if isinstance(self.widget, TextEditor):
            self.widget.highlight([f.span for f in mine if f.span])
        severity = min(mine, key=lambda f: f.severity is not Severity.ERROR).severity.value if mine else ""
        text = "\n".join(finding_message(f, QCoreApplication.translate) for f in mine)
        if (severity, text) == self._shown:
            return  # nothing changed: no restyling on every keystroke
        self._shown = (severity, text)
        self.error_label.setText(text)
        self.error_label.setVisible(bool(mine))
        _restyle(self.error_label, "severity", severity)
        _restyle(self.widget, "finding", severity)

    def focus(self) -> None:
        """Put the cursor in this field (used when a finding is clicked)."""
        self.widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(self.widget, QLineEdit):
            self.widget.selectAll()


def _restyle(widget: QWidget, name: str, value: str) -> None:
    """Set a style-sheet property and re-apply the style sheet to ``widget``."""
    widget.setProperty(name, value)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


def field_block(label: str | None, editor: QWidget) -> tuple[QWidget, QLabel]:
    """A labelled editor with an (initially hidden) error line under it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    if label:
        heading = QLabel(label)
        heading.setObjectName("fieldHeading")
        layout.addWidget(heading)
    layout.addWidget(editor)
    error = QLabel()
    error.setObjectName("fieldError")
    error.setWordWrap(True)
    error.hide()
    layout.addWidget(error)
    return box, error
