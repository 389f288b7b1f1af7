#!/usr/bin/env python3
"""What a PyInstaller bundle needs from the target system, as Debian package names.

    bundle_deps.py BUNDLE            prints the .deb's Depends line (exit 1: unknown library)
    bundle_deps.py --list BUNDLE     prints each outside library and the package that has it

The build (packaging/linux/build.sh) leaves the build machine's system libraries out of the
bundle (``JXZP_SYSTEM_LIBS=exclude`` in the spec): Debian 12's copies need glibc 2.36. Every
``DT_NEEDED`` name that no file of the bundle provides must then come from the target, and
``PACKAGES`` says from which package. Names are those of Debian 10 (buster, ≈ UOS 20) that
still exist in Ubuntu 20.04 (≈ Kylin V10), Debian 11 and 12; where a package was renamed
both names are given as alternatives. A library not in the table fails the build: deciding
whether the target has it (then add it here) or it must be bundled (JXZP_QT_LIBS) is a
human decision, not a guess. Reads ELF headers itself (no readelf): works for either arch.

``libc6`` and ``libstdc++6`` get a minimum version from the highest ``GLIBC_`` / ``GLIBCXX_``
symbol version the bundle needs (read by glibc_check.py), so that dpkg refuses a system that
is too old instead of the app failing at start ("GLIBCXX_3.4.28 not found": the aarch64
PySide6 6.8 wheels need GCC 10's libstdc++, which Debian 10 / UOS 20 do not have).
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

#: soname → the Debian package (buster names; "a | b" where the name changed since).
PACKAGES: dict[str, str] = {
    # glibc itself (its version is checked by glibc_check.py, not here)
    **{name: "libc6" for name in (
        "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1", "libutil.so.1",
        "libresolv.so.2", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1")},
    # C++ runtime: the manylinux_2_28 wheels need GCC 8's libstdc++ at most (buster has it)
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1 | libgcc1",
    "libatomic.so.1": "libatomic1",  # QtPdf (PDFium) of 6.9
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
    "libbrotlidec.so.1": "libbrotli1",
    "libbrotlicommon.so.1": "libbrotli1",
    # OpenGL/EGL through libglvnd: QtGui links them even when nothing is drawn with GL
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libdrm.so.2": "libdrm2",
    # fonts: the system's fontconfig reads the system's configuration; never bundle it
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    # GLib event loop and D-Bus (QtCore, QtDBus: input methods, portals)
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    # X11 / xcb (the xcb platform plugin; libxcb-cursor0 since Qt 6.5)
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libSM.so.6": "libsm6",
    "libICE.so.6": "libice6",
    # Wayland client (Qt's wayland plugin; the fcitx5 input plugin links QtWaylandClient)
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1 | libwayland-egl1-mesa",
    # printing (QtPrintSupport's CUPS plugin), Kerberos (QtNetwork links GSSAPI)
    "libcups.so.2": "libcups2",
    "libgssapi_krb5.so.2": "libgssapi-krb5-2",
}

#: GLIBCXX_3.4.N → the GCC release whose libstdc++ first has it (Debian's libstdc++6 carries
#: the GCC version: buster 8.3, bullseye 10.2, bookworm 12.2; Ubuntu 20.04 10.5).
GLIBCXX_GCC = {20: "5", 21: "5", 22: "6", 23: "7", 24: "7", 25: "8", 26: "9", 27: "9.1", 28: "10",
               29: "11", 30: "12", 31: "13", 32: "14"}

ELF_MAGIC = b"\x7fELF"
DT_NEEDED, DT_SONAME = 1, 14


def elf_names(path: Path) -> tuple[str | None, list[str]] | None:
    """(SONAME, NEEDED list) of an ELF file, or None if ``path`` is not one (64-bit LE only)."""
    data = path.read_bytes()
    if data[:4] != ELF_MAGIC or data[4] != 2 or data[5] != 1:
        return None
    e_shoff, = struct.unpack_from("<Q", data, 0x28)
    e_shentsize, e_shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, e_shoff + i * e_shentsize) for i in range(e_shnum)]
    dynamic = next((s for s in sections if s[1] == 6), None)  # SHT_DYNAMIC
    if dynamic is None:
        return None, []
    strtab = sections[dynamic[6]]  # sh_link → the string table
    def string(offset: int) -> str:
        start = strtab[4] + offset
        return data[start:data.index(b"\0", start)].decode()
    soname, needed = None, []
    for pos in range(dynamic[4], dynamic[4] + dynamic[5], 16):
        tag, value = struct.unpack_from("<qQ", data, pos)
        if tag == 0:
            break
        if tag == DT_NEEDED:
            needed.append(string(value))
        elif tag == DT_SONAME:
            soname = string(value)
    return soname, needed


def outside_libraries(bundle: Path) -> dict[str, list[str]]:
    """Sonames the bundle's ELF files need that no file of the bundle provides → who needs them."""
    provided: set[str] = set()
    needs: dict[str, list[str]] = {}
    for path in sorted(bundle.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        try:
            names = elf_names(path)
        except (struct.error, ValueError, IndexError):
            continue
        if names is None:
            continue
        soname, needed = names
        provided.update({path.name, soname} - {None})
        for name in needed:
            needs.setdefault(name, []).append(str(path.relative_to(bundle)))
    return {name: users for name, users in sorted(needs.items()) if name not in provided}


def depends(outside: dict[str, list[str]]) -> tuple[list[str], list[str]]:
    """(sorted Depends entries, sonames with no known package)."""
    entries = sorted({PACKAGES[name] for name in outside if name in PACKAGES})
    return entries, [name for name in outside if name not in PACKAGES]


def highest_versions(bundle: Path) -> tuple[str | None, str | None]:
    """The highest GLIBC and GLIBCXX versions ("2.28", "3.4.21") any file of the bundle needs."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        import glibc_check
    finally:
        sys.path.pop(0)
    results = glibc_check.scan([bundle])
    found = {}
    for family in ("GLIBC", "GLIBCXX"):
        versions = [v for v in (r.highest(family) for r in results) if v]
        found[family] = glibc_check.format_version(max(versions)) if versions else None
    return found["GLIBC"], found["GLIBCXX"]


def versioned(entries: list[str], glibc: str | None, glibcxx: str | None) -> list[str]:
    """``entries`` with ``libc6 (>= glibc)`` and ``libstdc++6 (>= gcc)`` where known."""
    out = []
    for entry in entries:
        if entry == "libc6" and glibc:
            entry = f"libc6 (>= {glibc})"
        elif entry == "libstdc++6" and glibcxx and glibcxx.startswith("3.4."):
            minor = int(glibcxx.split(".")[2])
            gcc = GLIBCXX_GCC.get(minor) if minor >= 20 else None
            if minor > max(GLIBCXX_GCC):
                raise SystemExit(f"GLIBCXX_{glibcxx}: add the GCC release that brought it to GLIBCXX_GCC")
            if gcc:
                entry = f"libstdc++6 (>= {gcc})"
        out.append(entry)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--list", action="store_true", help="each library, its package and a user")
    args = parser.parse_args(argv)
    outside = outside_libraries(args.bundle)
    entries, unknown = depends(outside)
    entries = versioned(entries, *highest_versions(args.bundle))
    if args.list:
        for name, users in outside.items():
            print(f"{name:28} {PACKAGES.get(name, '?'):32} {users[0]}" + (f" (+{len(users) - 1})" if len(users) > 1 else ""))
    else:
        print(", ".join(entries))
    for name in unknown:
        print(f"unknown library {name} (needed by {', '.join(outside[name][:3])}): add it to "
              "PACKAGES if every target desktop has it, else bundle it", file=sys.stderr)
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main())
