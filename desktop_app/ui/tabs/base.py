"""What every tab shares: bound fields, tables, and jumping to the place of a finding."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from ..document import ReportDocument
from ..widgets.fields import BoundField, LineEdit, TextEditor, field_block
from ..widgets.table_editor import TableEditor


class ReportTab(QScrollArea):
    """A scrollable page of the report; subclasses lay out fields and tables."""

    def __init__(self, document: ReportDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.fields: dict[tuple, BoundField] = {}
        self.tables: dict[tuple, TableEditor] = {}
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.page = QWidget()
        self.page.setObjectName("tabPage")
        self.body = QVBoxLayout(self.page)
        self.body.setContentsMargins(16, 12, 16, 16)
        self.body.setSpacing(10)
        self.setWidget(self.page)

    def finish(self) -> None:
        """Push everything up: extra space goes below the last block."""
        self.body.addStretch(1)

    # -- building blocks ---------------------------------------------------------------
    def form(self) -> QFormLayout:
        """A two-column form added to the page."""
        layout = QFormLayout()
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setVerticalSpacing(6)
        self.body.addLayout(layout)
        return layout

    def line(self, form: QFormLayout, label: str, path: tuple, kind: str = "text",
             placeholder: str = "") -> LineEdit:
        """A one-line field in ``form`` bound to ``path``."""
        editor = LineEdit()
        editor.setPlaceholderText(placeholder)
        if kind != "text":
            editor.setMaximumWidth(260)
        editor.setObjectName("field_" + "_".join(str(p) for p in path))
        box, error = field_block(None, editor)
        form.addRow(label, box)
        self.fields[path] = BoundField(self.document, path, editor, error, kind)
        return editor

    def text(self, heading: str, path: tuple, height: int = 110) -> TextEditor:
        """A roomy text editor with its printed heading, bound to ``path``."""
        editor = TextEditor()
        editor.setFixedHeight(height)
        editor.setObjectName("field_" + "_".join(str(p) for p in path))
        box, error = field_block(heading, editor)
        self.body.addWidget(box)
        self.fields[path] = BoundField(self.document, path, editor, error, "text")
        return editor

    def section(self, title: str) -> QLabel:
        """A section title on the page."""
        label = QLabel(title)
        label.setObjectName("sectionTitle")
        self.body.addWidget(label)
        return label

    def add_table(self, editor: TableEditor) -> TableEditor:
        """Add a table editor for the model's list path."""
        self.tables[editor.model.path] = editor
        self.body.addWidget(editor)
        return editor

    # -- findings ------------------------------------------------------------------------
    def focus_path(self, path: tuple) -> bool:
        """Show and select the field or cell at ``path``; False when not on this tab."""
        for length in range(len(path), 0, -1):
            field = self.fields.get(path[:length])
            if field is not None:
                self.ensureWidgetVisible(field.widget)
                field.focus()
                return True
        for table_path, table in self.tables.items():
            depth = len(table_path)
            if path[:depth] == table_path:
                self.ensureWidgetVisible(table)
                if len(path) > depth and isinstance(path[depth], int):
                    key = path[depth + 1] if len(path) > depth + 1 else None
                    table.select_cell(path[depth], key if isinstance(key, str) else None)
                else:
                    table.view.setFocus()
                return True
        return False
