"""The mouse wheel scrolls the page; it never changes a value.

A clerk scrolling the 评分 page with the wheel passes over the 分值分配 and 反向指标计分
drop-downs; Qt's default lets the wheel step through their choices, so one careless
scroll rewrites the scoring rules of the report. Every drop-down and spin box of the app
goes through :func:`guard_wheel`: a wheel event over it is passed on to the scroll area
underneath (the event is ignored, so Qt offers it to the parent), and the widget takes
focus only from a click or the keyboard. A value then changes only on purpose: a click
on the drop-down list, or the arrow keys while it has focus. The preview's page number
is navigation, not data, and keeps its wheel (``allow=True``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget

#: Dynamic property set on every widget that went through :func:`guard_wheel`.
GUARDED = "wheelGuarded"


class WheelGuard(QObject):
    """Event filter: a wheel over the watched widget goes to the widget's parent instead."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Wheel:
            # Filtered but not accepted: QApplication offers the event to the parent
            # widget next, so the page (or table) under the mouse scrolls.
            event.ignore()
            return True
        return False


_guard: WheelGuard | None = None


def guard_wheel(widget: QComboBox | QAbstractSpinBox, *, allow: bool = False) -> None:
    """Keep the wheel from changing ``widget``'s value (``allow``: it may, e.g. a page number)."""
    global _guard
    widget.setProperty(GUARDED, True)
    if allow:
        return
    if _guard is None:
        _guard = WheelGuard()
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no focus from the wheel
    widget.installEventFilter(_guard)


def unguarded(root: QWidget) -> list[QWidget]:
    """Drop-downs and spin boxes under ``root`` that skipped :func:`guard_wheel` (for tests)."""
    widgets: list[QWidget] = [*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox)]
    return [widget for widget in widgets if not widget.property(GUARDED)]
