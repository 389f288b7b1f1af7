"""The open report: one edit path, undo/redo, live totals and checks, saving.

Every change a widget makes goes through :meth:`ReportDocument.set_value` (or the row
methods), which pushes an :class:`EditCommand` on the one ``QUndoStack``. Applying an
edit recomputes totals and findings at once (cheap, pure functions) and schedules a save;
the save runs within :data:`SAVE_DELAY_MS` of the first unsaved edit, in one transaction,
and the document says 已保存 only after the repository call returned.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Callable, Protocol

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..domain import edits
from ..domain.checks import Finding, validate
from ..domain.edits import Edit, InsertRow, MoveRow, RemoveRow, SetValue
from ..domain.model import Report
from ..domain.totals import Totals, compute_totals

log = logging.getLogger(__name__)

#: Longest time an edit waits before it is written (the promise is "within a second").
SAVE_DELAY_MS = 300
#: Wait before retrying a failed save.
RETRY_DELAY_MS = 2000


class ReportStore(Protocol):
    """What the document needs from storage (the workspace repository)."""

    def save(self, report: Report) -> None: ...


#: Parts of the report that hold only words: no figure of compute_totals depends on them.
_TEXT_ONLY = {("overview",), ("closing",), ("team",)}


def _only_text(edit: Edit) -> bool:
    return isinstance(edit, SetValue) and isinstance(edit.value, str) and edit.path[:1] in _TEXT_ONLY


class SaveState:
    """Saved-state values shown in the status bar and the title."""

    SAVED = "saved"
    PENDING = "pending"
    SAVING = "saving"
    FAILED = "failed"


class EditCommand(QUndoCommand):
    """An undoable edit; consecutive edits of the same field merge into one step."""

    MERGE_ID = 0x4A58

    def __init__(self, document: "ReportDocument", edit: Edit, text: str, merge: bool) -> None:
        super().__init__(text)
        self._document = document
        self._edit = edit
        self._inverse: Edit | None = None
        self._merge = merge

    def id(self) -> int:  # noqa: A003 - Qt's name
        return self.MERGE_ID if self._merge and isinstance(self._edit, SetValue) else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, EditCommand) or not other._merge:
            return False
        mine, theirs = self._edit, other._edit
        if not (isinstance(mine, SetValue) and isinstance(theirs, SetValue) and mine.path == theirs.path):
            return False
        self._edit = theirs  # keep our inverse: undo goes back to before the first keystroke
        before = self._inverse
        if isinstance(before, SetValue) and before.value == theirs.value and type(before.value) is type(theirs.value):
            # Back where the field started (Esc, or typed back): QUndoStack drops the step.
            self.setObsolete(True)
        return True

    def redo(self) -> None:
        self._inverse = self._document._apply(self._edit)

    def undo(self) -> None:
        assert self._inverse is not None
        self._document._apply(self._inverse)


class ReportDocument(QObject):
    """A report being edited, with its undo stack, derived figures and save state."""

    #: Emitted before an edit changes the report (models begin row changes here).
    edit_about_to_apply = Signal(object)
    #: Emitted after an edit changed the report.
    edit_applied = Signal(object)
    #: Emitted after every change with the new totals and findings.
    recomputed = Signal(object, object)
    #: Emitted when the save state changes: (state, time of last save or None, error text).
    save_state_changed = Signal(str, object, str)
    #: Emitted just before / after the whole report is replaced (another report opened).
    report_about_to_be_replaced = Signal()
    report_replaced = Signal()

    def __init__(self, report: Report, store: ReportStore | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.store = store
        self.undo_stack = QUndoStack(self)
        #: More checks beyond the domain's (the window adds the fonts' missing characters).
        self.extra_checks: list[Callable[[Report], list[Finding]]] = []
        self.totals: Totals = compute_totals(report)
        self.findings: list[Finding] = validate(report, self.totals)
        self.findings_by_path: dict[tuple, list[Finding]] = self._by_path(self.findings)
        self.save_state = SaveState.SAVED
        self.saved_at: datetime | None = None
        self.last_error = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.save_now)

    # -- editing -----------------------------------------------------------------
    def value(self, path: tuple) -> Any:
        """The current value at ``path``."""
        return edits.resolve(self.report, path)

    def set_value(self, path: tuple, value: Any, *, merge: bool = True, text: str = "") -> None:
        """Set one field; typing into the same field merges into one undo step."""
        if self.value(path) == value and type(self.value(path)) is type(value):
            return
        self.push(SetValue(path, value), text=text, merge=merge)

    def insert_row(self, path: tuple, index: int, row: Any) -> None:
        """Insert a row into the list at ``path``."""
        self.push(InsertRow(path, index, row))

    def remove_row(self, path: tuple, index: int) -> None:
        """Remove a row from the list at ``path``."""
        self.push(RemoveRow(path, index))

    def move_row(self, path: tuple, source: int, target: int) -> None:
        """Move a row within the list at ``path``."""
        if source != target:
            self.push(MoveRow(path, source, target))

    def push(self, edit: Edit, *, text: str = "", merge: bool = False) -> None:
        """Apply ``edit`` as one undoable user action."""
        self.undo_stack.push(EditCommand(self, edit, text or self.tr("编辑"), merge))

    def _apply(self, edit: Edit) -> Edit:
        self.edit_about_to_apply.emit(edit)
        inverse = edits.apply(self.report, edit)
        self.edit_applied.emit(edit)
        self.recompute(reuse_totals=_only_text(edit))
        self._schedule_save()
        return inverse

    def recompute(self, reuse_totals: bool = False) -> None:
        """Recompute totals and findings and tell the views.

        Args:
            reuse_totals: the edit changed only narrative text, which no total depends on.
        """
        if not reuse_totals:
            self.totals = compute_totals(self.report)
        self.findings = validate(self.report, self.totals)
        for check in self.extra_checks:
            self.findings += check(self.report)
        self.findings_by_path = self._by_path(self.findings)
        self.recomputed.emit(self.totals, self.findings)

    @staticmethod
    def _by_path(findings: list[Finding]) -> dict[tuple, list[Finding]]:
        index: dict[tuple, list[Finding]] = {}
        for finding in findings:
            index.setdefault(finding.path, []).append(finding)
        return index

    def replace_report(self, report: Report) -> None:
        """Show another report: flush the current one, clear undo, refresh everything."""
        self.flush()
        self.report_about_to_be_replaced.emit()
        self.report = report
        self.undo_stack.clear()
        self.report_replaced.emit()
        self.recompute()

    # -- saving ------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        self.save_state = state
        self.save_state_changed.emit(state, self.saved_at, self.last_error)

    def _schedule_save(self) -> None:
        if self.store is None:
            return
        if self.save_state != SaveState.PENDING:
            self._set_state(SaveState.PENDING)
        if not self._timer.isActive():
            self._timer.start(SAVE_DELAY_MS)

    def save_now(self) -> bool:
        """Write the report in one transaction; True when the commit returned."""
        self._timer.stop()
        if self.store is None:
            return True
        self._set_state(SaveState.SAVING)
        try:
            self.store.save(self.report)
        except Exception as exc:  # noqa: BLE001 - any failure must be shown and retried
            log.exception("saving the report failed")
            from .errors import storage_message

            self.last_error = storage_message(exc)  # the reason in Chinese, never the English text
            self._set_state(SaveState.FAILED)
            self._timer.start(RETRY_DELAY_MS)
            return False
        self.saved_at = datetime.now()
        self.last_error = ""
        self._set_state(SaveState.SAVED)
        return True

    def flush(self) -> bool:
        """Save now if anything is unsaved (before closing, switching or crashing)."""
        if self.save_state in (SaveState.PENDING, SaveState.FAILED, SaveState.SAVING):
            return self.save_now()
        return True

    @property
    def dirty(self) -> bool:
        """True while some edit has not reached the database."""
        return self.save_state != SaveState.SAVED
