"""Preferences in one QSettings wrapper, stored as an ini file in the data folder.

The report itself lives in SQLite; this keeps only window-level preferences (the last
report opened, the font chosen for each role of the printed report). The path is
injected, so ``--data-dir`` and tests keep it where they say.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from PySide6.QtCore import QSettings

#: Roles of the printed report's fonts (``desktop_app.pdf.fonts.FontRole`` values).
FONT_ROLES = ("title", "body", "heading1", "heading2", "numbers")


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

    def font_choice(self) -> dict[str, str]:
        """The font file chosen for each role (role value → path; ``path#N`` for face N of
        a collection). Roles left on 自动 are absent. Handed to ``pdf.resolve_fonts``."""
        self._settings.beginGroup("fonts")
        try:
            values = {role: self._settings.value(role, "") for role in FONT_ROLES}
        finally:
            self._settings.endGroup()
        return {role: str(value) for role, value in values.items() if value}

    def set_font_choice(self, choice: Mapping[str, str]) -> None:
        """Remember the font file of each role; roles missing or empty go back to 自动."""
        self._settings.beginGroup("fonts")
        try:
            for role in FONT_ROLES:
                value = str(choice.get(role, "") or "").strip()
                if value:
                    self._settings.setValue(role, value)
                else:
                    self._settings.remove(role)
        finally:
            self._settings.endGroup()
        self._settings.sync()
