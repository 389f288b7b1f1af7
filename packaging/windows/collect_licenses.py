"""Copy the licence texts of everything the Windows bundle carries into one folder.

The Windows one-folder app ships CPython, Qt (through PySide6/shiboken6), the PyInstaller
bootloader and the app's pure-Python dependencies. Their licences come from where they were
installed, never from the network: the Windows CPython's ``LICENSE.txt`` (PSF, with the
third-party notices of what python313.dll links), each wheel's ``*.dist-info`` licence files,
and — because the PySide6 wheels carry only Qt's commercial notice while their metadata says
``LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only`` — the LGPLv3 and the GPLv3 it builds on, from
Debian's ``/usr/share/common-licenses``, plus a short note naming which option applies and
where Qt's source is.

Usage: python collect_licenses.py SITE_PACKAGES PYTHON_HOME DEST
(run by packaging/windows/build.sh with the Linux Python; stdlib only)
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

#: Distributions in the build site that run the build but are not shipped.
BUILD_ONLY = {
    "altgraph", "pefile", "pip", "pyinstaller-hooks-contrib", "pywin32-ctypes", "setuptools",
    "packaging",
}
#: Shipped although a build tool: the bootloader inside jxzp.exe / jxzp-cli.exe (GPL with an
#: exception that allows shipping it with any program).
BOOTLOADER = "pyinstaller"
COMMON_LICENSES = Path("/usr/share/common-licenses")

QT_NOTE = """\
Qt (Qt6*.dll, plugins, translations) and Qt for Python (PySide6, shiboken6) {version}
are used under the GNU Lesser General Public License version 3 (LGPL-3.0-only), one of the
options their licence metadata offers ("LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only").
The texts are LGPL-3.0.txt and GPL-3.0.txt in this folder (the LGPLv3 adds its permissions
to the GPLv3). The Qt libraries are unmodified and dynamically linked: they are separate
files in _internal/PySide6 and can be replaced by the user with compatible builds.
Source: https://download.qt.io/official_releases/qt/ and
https://download.qt.io/official_releases/QtForPython/ (version {version}).
Qt includes third-party components (among them FreeType, HarfBuzz, libpng, libjpeg,
zlib, PCRE2, double-conversion, md4c and, in Qt PDF, PDFium); their notices are listed at
https://doc.qt.io/qt-6/licenses-used-in-qt.html.
"""


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _dist_infos(site: Path) -> dict[str, Path]:
    found = {}
    for info in site.glob("*.dist-info"):
        name = info.name[: -len(".dist-info")].rsplit("-", 1)[0]
        found[_normalise(name)] = info
    return found


def _licence_files(info: Path) -> list[Path]:
    files = [p for p in (info / "licenses").rglob("*") if p.is_file()] if (info / "licenses").is_dir() else []
    files += [p for p in info.iterdir() if p.is_file() and re.match(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", p.name, re.I)]
    return sorted(set(files))


def collect(site: Path, python_home: Path, dest: Path) -> list[str]:
    """Fill ``dest`` with the licences; returns the names of the distributions covered."""
    dest.mkdir(parents=True, exist_ok=True)
    covered = []
    shutil.copy2(python_home / "LICENSE.txt", dest / "Python-LICENSE.txt")
    covered.append("python")
    qt_version = ""
    for name, info in sorted(_dist_infos(site).items()):
        if name in BUILD_ONLY:
            continue
        files = _licence_files(info)
        if not files:
            raise SystemExit(f"{info.name}: no licence file in the wheel")
        target = dest / name
        target.mkdir(exist_ok=True)
        for file in files:
            shutil.copy2(file, target / file.relative_to(info).as_posix().replace("/", "_"))
        metadata = (info / "METADATA").read_text(encoding="utf-8", errors="replace")
        header = metadata.split("\n\n", 1)[0]
        if name == "pyside6-essentials":
            qt_version = info.name.rsplit("-", 1)[0].split("-")[-1]
        wanted = [line for line in header.splitlines()
                  if line.startswith(("Name:", "Version:", "License:", "License-Expression:", "Home-page:"))]
        (target / "METADATA.txt").write_text("\n".join(wanted) + "\n", encoding="utf-8")
        covered.append(name)
    if name_missing := {"pyside6-essentials", "shiboken6", BOOTLOADER} - set(covered):
        raise SystemExit(f"not in {site}: {sorted(name_missing)}")
    for text in ("LGPL-3", "GPL-3"):
        shutil.copy2(COMMON_LICENSES / text, dest / f"{text}.0.txt")
    (dest / "Qt-NOTICE.txt").write_text(QT_NOTE.format(version=qt_version), encoding="utf-8")
    (dest / BOOTLOADER / "NOTE.txt").write_text(
        "The PyInstaller bootloader in jxzp.exe and jxzp-cli.exe is distributed under the GPL\n"
        "with PyInstaller's bootloader exception (see COPYING.txt): it may be shipped with any program.\n",
        encoding="utf-8")
    return covered


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    for covered_name in collect(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])):
        print(covered_name)
