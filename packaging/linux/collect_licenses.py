#!/usr/bin/env python3
"""Copy the licence texts of everything the Linux bundle carries into one folder.

The bundle ships CPython (built by python/build-python.sh, with zlib, bzip2, xz, libffi and
SQLite linked in), Qt through PySide6/shiboken6, the PyInstaller bootloader, the app's
Python dependencies (reportlab, sqlite-utils, Pillow with the libraries its wheel carries…),
the fcitx input-method plugins and any library added to Qt's folder (libxcb-util). Their
licences come from where they were installed, never from the network: the Python's
``LICENSE.txt`` (PSF and the notices of what it links), each wheel's ``*.dist-info`` licence
files, folders of extra licences (fcitx plugins: ``licenses/<project>/``), and the LGPLv3/GPLv3
texts from Debian's ``/usr/share/common-licenses`` with a note on which Qt option applies.

Usage: collect_licenses.py SITE_PACKAGES PYTHON_LICENSE DEST [EXTRA_FOLDER...]
(stdlib only; runs with any Python 3.8+)
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

#: Distributions in the build environment that build the bundle but are not part of it.
BUILD_ONLY = {"altgraph", "pip", "pyinstaller-hooks-contrib", "setuptools", "packaging", "wheel"}
#: Shipped although a build tool: the bootloader that is the ``jxzp`` executable.
BOOTLOADER = "pyinstaller"
COMMON_LICENSES = Path("/usr/share/common-licenses")
#: The static libraries build-python.sh links into the interpreter's extension modules.
PYTHON_STATIC = ("zlib", "bzip2", "xz (liblzma)", "libffi", "SQLite (public domain)")

QT_NOTE = """\
Qt (libQt6*.so, plugins, translations) and Qt for Python (PySide6, shiboken6) {version}
are used under the GNU Lesser General Public License version 3 (LGPL-3.0-only), one of the
options their licence metadata offers ("LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only").
The texts are LGPL-3.0.txt and GPL-3.0.txt in this folder (the LGPLv3 adds its permissions
to the GPLv3). The Qt libraries are unmodified and dynamically linked: they are separate
files in _internal/PySide6/Qt and can be replaced by the user with compatible builds.
Source: https://download.qt.io/official_releases/qt/ and
https://download.qt.io/official_releases/QtForPython/ (version {version}).
Qt includes third-party components (among them HarfBuzz, libpng, libjpeg, PCRE2, ICU,
double-conversion, md4c and, in Qt PDF, PDFium); their notices are listed at
https://doc.qt.io/qt-6/licenses-used-in-qt.html.
"""


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dist_infos(site: Path) -> dict[str, Path]:
    """Normalised distribution name → its ``.dist-info`` folder."""
    return {_normalise(info.name[: -len(".dist-info")].rsplit("-", 1)[0]): info
            for info in site.glob("*.dist-info")}


def licence_files(info: Path) -> list[Path]:
    """The licence texts a wheel carries (PEP 639 ``licenses/`` or the old top-level names)."""
    files = [p for p in (info / "licenses").rglob("*") if p.is_file()] if (info / "licenses").is_dir() else []
    files += [p for p in info.iterdir()
              if p.is_file() and re.match(r"(LICEN[CS]E|COPYING|NOTICE|AUTHORS)", p.name, re.I)]
    return sorted(set(files))


def collect(site: Path, python_licence: Path, dest: Path, extras: list[Path] = ()) -> list[str]:
    """Fill ``dest`` with the licences; returns the names of what is covered."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(python_licence, dest / "Python-LICENSE.txt")
    (dest / "Python-NOTE.txt").write_text(
        "CPython 3.11 is built from source with these libraries linked in statically: "
        + ", ".join(PYTHON_STATIC) + ".\nTheir notices are part of Python-LICENSE.txt.\n",
        encoding="utf-8")
    covered, qt_version = ["python"], ""
    for name, info in sorted(dist_infos(site).items()):
        if name in BUILD_ONLY:
            continue
        files = licence_files(info)
        if not files and not name.startswith(("pyside6", "shiboken6")):  # see Qt-NOTICE.txt
            raise SystemExit(f"{info.name}: no licence file in the wheel")
        target = dest / name
        target.mkdir(exist_ok=True)
        for file in files:
            shutil.copy2(file, target / file.relative_to(info).as_posix().replace("/", "_"))
        header = (info / "METADATA").read_text(encoding="utf-8", errors="replace").split("\n\n", 1)[0]
        wanted = [line for line in header.splitlines()
                  if line.startswith(("Name:", "Version:", "License:", "License-Expression:", "Home-page:"))]
        (target / "METADATA.txt").write_text("\n".join(wanted) + "\n", encoding="utf-8")
        if name == "pyside6-essentials":
            qt_version = info.name[: -len(".dist-info")].rsplit("-", 1)[1]
        covered.append(name)
    if missing := {"pyside6-essentials", "shiboken6", "reportlab", "sqlite-utils", "pillow", BOOTLOADER} - set(covered):
        raise SystemExit(f"not in {site}: {sorted(missing)}")
    for text in ("LGPL-3", "GPL-3"):
        shutil.copy2(COMMON_LICENSES / text, dest / f"{text}.0.txt")
    (dest / "Qt-NOTICE.txt").write_text(QT_NOTE.format(version=qt_version), encoding="utf-8")
    (dest / BOOTLOADER / "NOTE.txt").write_text(
        "The PyInstaller bootloader (the jxzp executable) is distributed under the GPL with\n"
        "PyInstaller's bootloader exception (see COPYING.txt): it may be shipped with any program.\n",
        encoding="utf-8")
    for extra in extras:
        for project in sorted(p for p in extra.iterdir() if p.is_dir()):
            shutil.copytree(project, dest / project.name, dirs_exist_ok=True)
            covered.append(project.name)
    return covered


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        raise SystemExit(__doc__)
    site, python_licence, dest, *extras = map(Path, argv)
    for name in collect(site, python_licence, dest, extras):
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
