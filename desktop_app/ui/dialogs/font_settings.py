"""字体设置: which font file prints each role of the report (title, body, headings, page numbers).

Each role has a combo box: 自动 (the first font of the role's candidate list found on this
machine, named in the item) and then every Chinese TrueType font found on this machine.
The choice is saved through :class:`~desktop_app.ui.settings.Settings` as role → path
and handed to the PDF layer as data (``pdf.resolve_fonts(settings.font_choice())``).
A chosen file that has gone missing stays listed, marked, until the user changes it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ...pdf.errors import FontsUnavailableError
from ...pdf.fonts import FontRole, available_fonts, clear_font_cache, resolve_fonts
from ...pdf.ttf import FontFileInfo, scan_font_file
from ..settings import Settings
from ..widgets.wheel_guard import guard_wheel

#: The sample printed under each combo, in the chosen font.
SAMPLE = "项目支出绩效自评报告 2021年3月10日"


class FontSettingsDialog(QDialog):
    """Choose the font file of each role; saved to ``settings`` on OK.

    Args:
        settings: where the choice is read from and saved to.
        parent: the parent widget.
        fonts: the fonts to offer (default: every Chinese TrueType font found).
    """

    #: Emitted after OK with the saved choice (role value → path).
    fonts_changed = Signal(dict)

    def __init__(self, settings: Settings, parent: QWidget | None = None,
                 fonts: Sequence[FontFileInfo] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("字体设置"))
        self._settings = settings
        clear_font_cache()  # pick up fonts installed since the app started
        self._fonts = list(fonts) if fonts is not None else available_fonts()
        self._labels = {
            FontRole.TITLE: self.tr("标题（小标宋，2号）"),
            FontRole.BODY: self.tr("正文（仿宋，3号）"),
            FontRole.HEADING1: self.tr("一级标题（黑体）"),
            FontRole.HEADING2: self.tr("二级标题（楷体）"),
            FontRole.NUMBERS: self.tr("页码（宋体，4号）"),
        }
        try:
            automatic: dict[str, str] = resolve_fonts().describe()
        except FontsUnavailableError:
            automatic = {}
        self._automatic = {role: scan_font_file(Path(path.partition("#")[0]))
                           for role, path in automatic.items()}
        self.combos: dict[FontRole, QComboBox] = {}
        self._samples: dict[FontRole, QLabel] = {}
        form = QFormLayout()
        chosen = settings.font_choice()
        for role in FontRole:
            combo = QComboBox(self)
            guard_wheel(combo)
            combo.setObjectName(f"font_{role.value}")
            combo.addItem(self._automatic_text(automatic.get(role.value)), "")
            for info in self._fonts:
                combo.addItem(self.tr("{name}（{file}）").format(name=info.family, file=info.path.name),
                              str(info.path))
            current = chosen.get(role.value, "")
            if current and combo.findData(current) < 0:
                combo.addItem(self.tr("{path}（文件不存在或无法使用）").format(path=current), current)
            combo.setCurrentIndex(max(combo.findData(current), 0))
            combo.currentIndexChanged.connect(self._on_combo_current_index_changed)
            sample = QLabel(SAMPLE, self)
            self.combos[role] = combo
            self._samples[role] = sample
            form.addRow(self._labels[role], combo)
            form.addRow("", sample)
        note = QLabel(self.tr("“自动”按 Windows 字体（仿宋、黑体、楷体、宋体、方正小标宋）、"
                              "国产系统字体、开源字体的顺序选用。某个字体缺少的字，"
                              "打印时自动改用其他字体中有此字的一种。"), self)
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults, parent=self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        restore = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        restore.setText(self.tr("全部自动"))
        restore.clicked.connect(self._on_restore_clicked)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._update_samples()

    def _automatic_text(self, path: str | None) -> str:
        if not path:
            return self.tr("自动（未找到中文字体）")
        info = scan_font_file(Path(path.partition("#")[0]))
        return self.tr("自动：{name}").format(name=info.family if info else Path(path).name)


    def choice(self) -> dict[str, str]:
        """The choice shown (role value → path), roles on 自动 left out."""
        return {role.value: str(combo.currentData()) for role, combo in self.combos.items()
                if combo.currentData()}

    def select(self, role: FontRole, path: str | Path) -> None:
        """Show ``path`` as the choice for ``role`` (``""`` for 自动)."""
        combo = self.combos[role]
        index = combo.findData(str(path))
        if index < 0:
            combo.addItem(str(path), str(path))
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def accept(self) -> None:
        """Save the choice, tell who listens, close."""
        choice = self.choice()
        self._settings.set_font_choice(choice)
        self.fonts_changed.emit(choice)
        super().accept()

    @Slot()
    def _on_restore_clicked(self) -> None:
        for combo in self.combos.values():
            combo.setCurrentIndex(0)

    @Slot(int)
    def _on_combo_current_index_changed(self, _index: int) -> None:
        self._update_samples()

    def _update_samples(self) -> None:
        by_path = {str(info.path): info for info in self._fonts}
        for role, combo in self.combos.items():
            data = str(combo.currentData() or "")
            info = by_path.get(data) if data else self._automatic.get(role.value)
            font: Any = QFont(self.font())
            if info is not None:
                font.setFamilies([info.english_family, info.family])
            self._samples[role].setFont(font)
