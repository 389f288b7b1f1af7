"""Preferences in one QSettings wrapper, stored as an ini file in the data folder.

The report itself lives in SQLite; this keeps only window-level preferences (the last
report opened). The path is injected, so ``--data-dir`` and tests keep it where they say.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings


class Settings:
    """Typed access to the few preferences the app keeps."""

    def __init__(self, path: Path) -> None:
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    def last_report(self) -> str | None:
        """Id of the report open when the app last closed."""
        value = self._settings.value("last_report", "")
        return str(value) if value else None

    def set_last_report(self, report_id: str) -> None:
        """Remember the report being edited."""
        self._settings.setValue("last_report", report_id)
        self._settings.sync()
