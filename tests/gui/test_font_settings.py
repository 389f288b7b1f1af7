"""字体设置: the choice of a font per role, saved through Settings and read back as data."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.pdf.fonts import FontRole, available_fonts, resolve_fonts
from desktop_app.ui.dialogs.font_settings import FontSettingsDialog
from desktop_app.ui.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.ini")


@pytest.fixture(scope="module")
def fonts():
    found = available_fonts()
    if not found:
        pytest.skip("no Chinese TrueType font on this machine")
    return found


def test_settings_keep_a_font_per_role(settings: Settings, tmp_path: Path) -> None:
    assert settings.font_choice() == {}
    settings.set_font_choice({"body": "/fonts/simfang.ttf", "title": "", "bogus": "x"})
    assert Settings(tmp_path / "settings.ini").font_choice() == {"body": "/fonts/simfang.ttf"}
    settings.set_font_choice({})
    assert settings.font_choice() == {}


def test_dialog_lists_the_fonts_found_and_saves_the_choice(qtbot, settings: Settings, fonts) -> None:
    dialog = FontSettingsDialog(settings, fonts=fonts)
    qtbot.addWidget(dialog)
    combo = dialog.combos[FontRole.BODY]
    assert combo.count() == len(fonts) + 1
    assert combo.itemText(0).startswith("自动")
    assert combo.currentIndex() == 0
    combo.setCurrentIndex(1)
    with qtbot.waitSignal(dialog.fonts_changed) as signal:
        dialog.accept()
    chosen = {"body": str(fonts[0].path)}
    assert signal.args == [chosen]
    assert settings.font_choice() == chosen
    # The PDF layer takes the saved choice as data.
    assert resolve_fonts(settings.font_choice()).roles[FontRole.BODY].path == fonts[0].path


def test_dialog_shows_the_saved_choice_and_restores_automatic(qtbot, settings: Settings, fonts) -> None:
    settings.set_font_choice({"heading2": str(fonts[-1].path), "title": "/gone/FZXBSJW.TTF"})
    dialog = FontSettingsDialog(settings, fonts=fonts)
    qtbot.addWidget(dialog)
    assert dialog.choice() == {"heading2": str(fonts[-1].path), "title": "/gone/FZXBSJW.TTF"}
    assert "无法使用" in dialog.combos[FontRole.TITLE].currentText()
    dialog._on_restore_clicked()
    assert dialog.choice() == {}
    dialog.accept()
    assert settings.font_choice() == {}
