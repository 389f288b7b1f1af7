"""The CI-sized check of the packaging: the spec's inputs exist, the smoke test works.

The full builds (packaging/linux/build.sh, packaging/windows/build.sh) take minutes and
are scripts; these tests keep the recipe honest on every run: the spec is executed with
stand-ins for PyInstaller's classes, so a renamed resource, icon or entry script fails
here, and ``--smoke-test`` runs unfrozen exactly as the frozen app runs it.
"""

from __future__ import annotations

import locale
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.platforms import wine_lacks_qtpdf

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "jxzp.spec"


class _Recorder:
    """Stand-in for PyInstaller's spec classes: keeps the arguments."""

    made: list[_Recorder] = []

    def __init__(self, *args, **kwargs):
        self.args, self.kwargs = args, kwargs
        self.binaries: list = []
        self.datas: list = []
        self.pure = self.scripts = []
        _Recorder.made.append(self)


def exec_spec(platform: str, monkeypatch, **env: str) -> dict:
    """Run the spec as PyInstaller would on ``platform``; returns its namespace."""
    for key in ("JXZP_FONTS", "JXZP_LICENSES", "JXZP_QT_PLUGINS", "JXZP_QT_LIBS", "JXZP_RUNTIME_HOOKS"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(sys, "platform", platform)
    _Recorder.made = []
    names = {name: type(name, (_Recorder,), {}) for name in ("Analysis", "PYZ", "EXE", "COLLECT")}
    namespace = {"SPECPATH": str(SPEC.parent), "__file__": str(SPEC), **names}
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)  # noqa: S102
    return namespace


@pytest.mark.parametrize("platform", ["linux", "win32"])
def test_every_input_of_the_spec_exists(platform, monkeypatch):
    spec = exec_spec(platform, monkeypatch)
    analysis = spec["a"]
    (entry,) = analysis.args[0]
    assert Path(entry).is_file()
    for source, target in analysis.kwargs["datas"]:
        assert Path(source).exists(), (source, target)
    assert any(target == "resources/demo" for _, target in analysis.kwargs["datas"])
    executables = [made for made in _Recorder.made if type(made).__name__ == "EXE"]
    names = [exe.kwargs["name"] for exe in executables]
    assert names == (["jxzp", "jxzp-cli"] if platform == "win32" else ["jxzp"])
    for exe in executables:
        assert Path(exe.kwargs["icon"]).is_file()
    if platform == "win32":  # the window opens without a console; the CLI keeps one
        assert [exe.kwargs["console"] for exe in executables] == [False, True]


def test_spec_bundles_the_build_scripts_folders_and_refuses_a_wrong_one(tmp_path, monkeypatch):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    plugin = tmp_path / "plugins" / "platforminputcontexts"
    plugin.mkdir(parents=True)
    (plugin / "libfcitx5platforminputcontextplugin.so").write_bytes(b"\x7fELF")
    spec = exec_spec("linux", monkeypatch, JXZP_FONTS=str(fonts), JXZP_QT_PLUGINS=str(tmp_path / "plugins"))
    assert (str(fonts), "resources/fonts") in spec["a"].kwargs["datas"]
    assert (str(plugin / "libfcitx5platforminputcontextplugin.so"),
            "PySide6/Qt/plugins/platforminputcontexts") in spec["a"].kwargs["binaries"]
    with pytest.raises(SystemExit, match="JXZP_FONTS"):
        exec_spec("linux", monkeypatch, JXZP_FONTS=str(tmp_path / "missing"))


def test_spec_drops_what_the_app_never_uses_and_keeps_chinese_qt_texts(monkeypatch):
    spec = exec_spec("win32", monkeypatch)
    unused = spec["_unused"]
    assert unused(("PySide6/opengl32sw.dll", "", ""))
    assert unused(("PySide6/Qt6Quick.dll", "", ""))
    assert unused(("PySide6/translations/qtbase_de.qm", "", ""))
    assert not unused(("PySide6/translations/qtbase_zh_CN.qm", "", ""))
    assert not unused(("PySide6/Qt6Pdf.dll", "", ""))
    assert not unused(("PySide6/Qt6Network.dll", "", ""))  # QtPdf needs it
    assert not unused(("PySide6/plugins/platforms/qwindows.dll", "", ""))


@wine_lacks_qtpdf
def test_smoke_test_passes_unfrozen(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    work = tmp_path / "cwd"
    work.mkdir()
    # A pipe carries the ANSI code page on Windows (936 on a Chinese one), UTF-8 on Linux.
    result = subprocess.run([sys.executable, "-m", "desktop_app", "--smoke-test"], capture_output=True,
                            text=True, encoding=locale.getpreferredencoding(False), cwd=work, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[1] for line in lines if line.startswith("ok ")] == [
        "window", "checks", "pdf", "fonts", "preview"]
    assert lines[-1] == "smoke test passed"
    # a temporary data folder: nothing is written beside it or into the user's folders
    assert list(work.iterdir()) == []
    assert [p for p in Path(os.environ["HOME"]).rglob("*") if p.is_file()] == []


def test_smoke_test_fails_naming_a_font_that_is_not_embedded(tmp_path):
    from reportlab.pdfgen import canvas

    from desktop_app.smoke import SmokeFailure, SmokeTest

    smoke = SmokeTest(tmp_path)
    page = canvas.Canvas(str(smoke.pdf))
    page.drawString(72, 72, "Helvetica is never embedded")
    page.save()
    with pytest.raises(SmokeFailure, match="Helvetica"):
        smoke.fonts_embedded()


def test_smoke_test_exits_1_and_says_which_step_failed(monkeypatch):
    import io

    from desktop_app import smoke

    def broken(self):
        raise smoke.SmokeFailure("the demo's known mistakes were not found")

    monkeypatch.setattr(smoke.SmokeTest, "checks_run", broken)
    out = io.StringIO()
    assert smoke.run(out) == 1
    text = out.getvalue()
    assert "ok   window" in text and "FAIL checks: SmokeFailure: the demo's known mistakes" in text
    assert "smoke test passed" not in text and "ok   pdf" not in text


def test_pdf_fonts_reads_back_embedding(tmp_path, demo):
    from desktop_app.pdf import render_pdf
    from desktop_app.pdf.inspect import pdf_fonts

    out = tmp_path / "demo.pdf"
    render_pdf(demo, out)
    fonts = pdf_fonts(out.read_bytes())
    assert fonts and all(font.embedded for font in fonts)
    assert all("+" in font.name for font in fonts)  # subset names, as pdffonts shows them
    with pytest.raises(ValueError):
        pdf_fonts(b"PK\x03\x04 not a pdf")


def test_spec_never_collects_the_wine_harness_nor_unused_online_and_image_parts(monkeypatch):
    excludes = exec_spec("win32", monkeypatch)["a"].kwargs["excludes"]
    # the Windows build Python runs with packaging/windows/harness on its path (pyenv.sh)
    assert "sitecustomize" in excludes
    # OpenSSL (nothing goes online) and Pillow codecs reportlab never asks for
    assert {"ssl", "_ssl", "_hashlib", "PIL._avif", "PIL._webp", "PIL._imagingcms", "tzdata"} <= set(excludes)


def test_windows_licences_cover_python_qt_and_every_shipped_wheel(tmp_path):
    import importlib.util

    # By path, under a name of its own: packaging/linux has a collect_licenses module too,
    # and whichever was imported first as "collect_licenses" would be used.
    spec = importlib.util.spec_from_file_location("windows_collect_licenses",
                                                  ROOT / "packaging" / "windows" / "collect_licenses.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    collect = module.collect
    site = tmp_path / "site"
    for name, licence in [("pyside6_essentials-6.11.3", "LicenseRef-Qt-Commercial.txt"),
                          ("shiboken6-6.11.3", "LicenseRef-Qt-Commercial.txt"),
                          ("pyinstaller-6.22.3", "COPYING.txt"), ("reportlab-5.1.0", "LICENSE"),
                          ("pefile-2023.2.7", "LICENSE")]:
        info = site / f"{name}.dist-info"
        (info / "licenses").mkdir(parents=True)
        (info / "licenses" / licence).write_text("licence text", encoding="utf-8")
        (info / "METADATA").write_text(f"Name: {name}\nLicense: X\n\nlong description", encoding="utf-8")
    home = tmp_path / "cp313"
    home.mkdir()
    (home / "LICENSE.txt").write_text("PSF", encoding="utf-8")
    dest = tmp_path / "licenses"
    covered = collect(site, home, dest)
    assert {"python", "pyside6-essentials", "shiboken6", "pyinstaller", "reportlab"} <= set(covered)
    assert "pefile" not in covered  # a build tool, not shipped
    assert (dest / "Python-LICENSE.txt").is_file() and (dest / "LGPL-3.0.txt").is_file()
    assert "LGPL-3.0-only" in (dest / "Qt-NOTICE.txt").read_text(encoding="utf-8")
    assert (dest / "reportlab" / "licenses_LICENSE").is_file()
    (site / "reportlab-5.1.0.dist-info" / "licenses" / "LICENSE").unlink()
    with pytest.raises(SystemExit, match="reportlab"):
        collect(site, home, tmp_path / "again")
