"""The Linux packaging's own logic, CI-sized: what the spec leaves out, what the .deb depends on.

The full build (packaging/linux/build.sh) and the install check in fresh Debian roots
(packaging/linux/verify.sh) take minutes; these tests keep their decisions honest: the spec
drops the build machine's system libraries and the plugins that would drag in GTK or QtSvg,
bundle_deps.py reads ELF files itself and maps what a bundle needs from outside to Debian
packages (failing on an unknown library), collect_licenses.py refuses a wheel without one.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from .test_spec_and_smoke import exec_spec

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"


def _load(name: str):
    # under a name of its own: packaging/windows has a collect_licenses module too
    spec = importlib.util.spec_from_file_location(f"linux_{name}", LINUX / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle_deps = _load("bundle_deps")
collect_licenses = _load("collect_licenses")


@pytest.mark.skipif(os.name == "nt", reason="Windows has no Linux library folders: the Linux spec "
                                             "runs on the Linux build machine only")
def test_spec_knows_the_build_machines_library_folders(monkeypatch):
    system = exec_spec("linux", monkeypatch)["_system_library"]
    assert system(("libX11.so.6", "/usr/lib/x86_64-linux-gnu/libX11.so.6", "BINARY"))
    assert system(("libgcc_s.so.1", "/lib/aarch64-linux-gnu/libgcc_s.so.1", "BINARY"))
    assert system(("libz.so.1", "/usr/lib64/libz.so.1", "BINARY"))
    # a wheel's files stay, even inside a system Python's dist-packages
    assert not system(("PySide6/Qt/lib/libQt6Core.so.6",
                       "/usr/lib/python3/dist-packages/PySide6/Qt/lib/libQt6Core.so.6", "BINARY"))
    assert not system(("libpython3.11.so.1.0", "/root/.cache/jxzp/python-x86_64/lib/libpython3.11.so.1.0", "BINARY"))


def test_spec_drops_linux_plugins_that_drag_in_gtk_svg_or_gl_buffers(monkeypatch):
    unused = exec_spec("linux", monkeypatch)["_unused"]
    plugins = "PySide6/Qt/plugins/"
    for dropped in ("platformthemes/libqgtk3.so", "platforms/libqeglfs.so", "platforms/libqminimal.so",
                    "platforms/libqvnc.so", "wayland-decoration-client/libadwaita.so",
                    "wayland-graphics-integration-client/libqt-plugin-wayland-egl.so",
                    "imageformats/libqtiff.so", "platforms/libqwayland-egl.so"):
        assert unused((plugins + dropped, "", "")), dropped
    for kept in ("platforms/libqxcb.so", "platforms/libqoffscreen.so", "platforms/libqwayland.so",
                 "platforms/libqwayland-generic.so",
                 "platformthemes/libqxdgdesktopportal.so", "imageformats/libqjpeg.so",
                 "platforminputcontexts/libibusplatforminputcontextplugin.so",
                 "printsupport/libcupsprintersupport.so"):
        assert not unused((plugins + kept, "", "")), kept
    assert not unused(("PySide6/Qt/lib/libQt6WaylandClient.so.6", "", ""))  # the fcitx5 plugin needs it


def _qt_lib() -> Path:
    qt = pytest.importorskip("PySide6")
    lib = Path(qt.__file__).parent / "Qt" / "lib"
    if not (lib / "libQt6Core.so.6").is_file():
        pytest.skip("no Linux Qt libraries in this PySide6")
    return lib


def test_bundle_deps_maps_what_the_bundle_does_not_provide(tmp_path):
    lib = _qt_lib()
    bundle = tmp_path / "jxzp"
    (bundle / "_internal").mkdir(parents=True)
    shutil.copy(lib / "libQt6Core.so.6", bundle / "_internal")
    outside = bundle_deps.outside_libraries(bundle)
    assert "libglib-2.0.so.0" in outside and outside["libglib-2.0.so.0"] == ["_internal/libQt6Core.so.6"]
    entries, unknown = bundle_deps.depends(outside)
    assert "libglib2.0-0" in entries and "libstdc++6" in entries and "libgcc-s1 | libgcc1" in entries
    icu = [name for name in unknown if name.startswith("libicu")]
    assert icu, unknown  # ICU comes with the wheel: not in the table, so it must be bundled
    for name in icu:
        shutil.copy(lib / name, bundle / "_internal")
    (bundle / "_internal" / "notes.txt").write_text("not an ELF file")
    assert not [name for name in bundle_deps.outside_libraries(bundle) if name.startswith("libicu")]
    assert bundle_deps.main([str(bundle)]) == 0


def test_bundle_deps_fails_on_a_library_nobody_decided_about(tmp_path, capsys):
    lib = _qt_lib()
    shutil.copy(lib / "libQt6Core.so.6", tmp_path)
    assert bundle_deps.main([str(tmp_path)]) == 1
    assert "unknown library libicu" in capsys.readouterr().err


def test_every_depends_entry_is_a_plain_debian_package_name():
    for soname, package in bundle_deps.PACKAGES.items():
        for name in package.split(" | "):
            assert name == name.lower() and " " not in name and "," not in name, (soname, package)


def _dist_info(site: Path, name: str, licence: str | None) -> None:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Name: {name}\nVersion: 1.0\nLicense: X\n\nbody", encoding="utf-8")
    if licence:
        (info / "licenses").mkdir()
        (info / "licenses" / "LICENSE").write_text(licence, encoding="utf-8")


def test_collect_licenses_covers_every_shipped_wheel_and_the_extras(tmp_path):
    site = tmp_path / "site"
    for name in ("reportlab", "sqlite_utils", "pillow", "pyinstaller"):
        _dist_info(site, name, f"{name} licence")
    _dist_info(site, "pyside6_essentials", None)  # Qt's wheels carry none: Qt-NOTICE.txt covers them
    _dist_info(site, "shiboken6", None)
    _dist_info(site, "setuptools", None)  # build only, not shipped
    python_licence = tmp_path / "LICENSE.txt"
    python_licence.write_text("PSF")
    extra = tmp_path / "extra" / "fcitx5-qt"
    extra.mkdir(parents=True)
    (extra / "LGPL-2.1-or-later.txt").write_text("LGPL")
    dest = tmp_path / "out"
    covered = collect_licenses.collect(site, python_licence, dest, [tmp_path / "extra"])
    assert {"python", "reportlab", "sqlite-utils", "pillow", "fcitx5-qt"} <= set(covered)
    assert "setuptools" not in covered
    assert (dest / "fcitx5-qt" / "LGPL-2.1-or-later.txt").read_text() == "LGPL"
    assert "1.0" in (dest / "Qt-NOTICE.txt").read_text()
    _dist_info(site, "click", None)
    with pytest.raises(SystemExit, match="click"):
        collect_licenses.collect(site, python_licence, tmp_path / "again")


def test_libc_and_libstdcxx_get_the_versions_the_bundle_needs():
    entries = ["libc6", "libgl1", "libstdc++6"]
    assert bundle_deps.versioned(entries, "2.28", "3.4.21") == [
        "libc6 (>= 2.28)", "libgl1", "libstdc++6 (>= 5)"]
    # the aarch64 PySide6 6.8 wheels: GCC 10's libstdc++ (not in Debian 10 / UOS 20)
    assert bundle_deps.versioned(entries, "2.30", "3.4.28")[2] == "libstdc++6 (>= 10)"
    assert bundle_deps.versioned(entries, None, None) == entries
    with pytest.raises(SystemExit, match="GLIBCXX_3.4.40"):
        bundle_deps.versioned(entries, "2.28", "3.4.40")


def test_highest_versions_reads_the_bundles_symbol_versions():
    lib = _qt_lib()
    glibc, glibcxx = bundle_deps.highest_versions(lib / "libQt6Core.so.6")
    assert glibc and glibc.startswith("2.") and glibcxx and glibcxx.startswith("3.4.")
