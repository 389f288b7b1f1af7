"""The UI font choice (desktop_app.system.ui_font): Windows names its font, Linux keeps its own."""

from __future__ import annotations

from desktop_app.system.ui_font import BUNDLED_FAMILY, chooses_ui_font, ui_font_families

#: What a Chinese Windows 10/11 lists (Qt registers a family under its English and local name).
CHINESE_WINDOWS = ["Arial", "Segoe UI", "Microsoft YaHei", "微软雅黑", "Microsoft YaHei UI", "SimSun",
                   "宋体", "NSimSun", "SimHei", "KaiTi", "FangSong", "Tahoma"]


def test_a_chinese_windows_gets_yahei_ui_first_then_simsun():
    assert ui_font_families(CHINESE_WINDOWS, "win32") == ["Microsoft YaHei UI", "Microsoft YaHei", "SimSun"]


def test_the_bundled_font_comes_last_and_alone_where_windows_has_no_chinese_ui_font():
    english = ["Arial", "Segoe UI", "Tahoma", BUNDLED_FAMILY]
    assert ui_font_families(english, "win32") == [BUNDLED_FAMILY]
    assert ui_font_families([*CHINESE_WINDOWS, BUNDLED_FAMILY], "win32")[-1] == BUNDLED_FAMILY


def test_names_are_matched_without_case_and_given_as_the_database_spells_them():
    assert ui_font_families(["microsoft yahei ui", "SIMSUN"], "win32") == ["microsoft yahei ui", "SIMSUN"]


def test_only_chinese_local_names_are_enough():
    assert ui_font_families(["微软雅黑", "宋体"], "win32") == ["微软雅黑", "宋体"]


def test_nothing_known_means_the_system_font_stays():
    assert ui_font_families(["Arial", "Tahoma"], "win32") == []


def test_linux_keeps_the_desktop_font():
    assert not chooses_ui_font("linux")
    assert chooses_ui_font("win32")
    assert ui_font_families(CHINESE_WINDOWS, "linux") == []
