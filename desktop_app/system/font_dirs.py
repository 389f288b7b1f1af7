"""Where each system keeps its fonts (file names are looked up there; no font is loaded).

Windows keeps fonts flat in ``%WINDIR%\\Fonts`` (宋体 ``simsun.ttc``, 黑体 ``simhei.ttf``, 楷体
``simkai.ttf``, 仿宋 ``simfang.ttf``, 微软雅黑 ``msyh.ttc``), plus, since Windows 10 1809, the
fonts a user installed "for me only" in ``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts`` — where a
licensed 方正小标宋 often is, under a user name that may be Chinese. Linux has no fixed
place for the Windows or 方正 fonts users copy over: the folders domestic systems (UOS,
Kylin) and users use are searched, and the settings page also lists ``/usr/share/fonts``
recursively.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

_NT = os.name == "nt"


def named_font_dirs(*, nt: bool = _NT, environ: Mapping[str, str] | None = None,
                    home: Path | None = None) -> list[Path]:
    """Folders searched for fonts by file name, most preferred first.

    Args:
        nt: answer for Windows (default: the running system).
        environ: the environment (``WINDIR``, ``LOCALAPPDATA``); default ``os.environ``.
        home: the user's home folder (Linux); default ``Path.home()``.
    """
    env = os.environ if environ is None else environ
    if nt:
        dirs = [Path(env.get("WINDIR") or env.get("SystemRoot") or "C:\\Windows") / "Fonts"]
        local = env.get("LOCALAPPDATA")
        if local:  # fonts installed for this user only
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    home = Path.home() if home is None else home
    return [
        Path("/usr/share/fonts/fonts-cesi"),  # UOS
        Path("/usr/share/fonts/truetype/fonts-cesi"),
        Path("/usr/share/fonts/fangzheng"),
        Path("/usr/share/fonts/truetype/fangzheng"),
        Path("/usr/share/fonts/winfonts"),  # Windows fonts copied over (Kylin habit)
        Path("/usr/share/fonts/truetype/windows"),
        Path("/usr/share/fonts/windows"),
        Path("/usr/share/fonts/chinese/TrueType"),
        home / ".local/share/fonts",
        home / ".fonts",
    ]


def listed_font_dirs(*, nt: bool = _NT, environ: Mapping[str, str] | None = None,
                     home: Path | None = None) -> list[Path]:
    """Folders whose fonts a font chooser lists: the named ones, on Linux also the system's."""
    dirs = named_font_dirs(nt=nt, environ=environ, home=home)
    if not nt:
        dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts")]
    return dirs


def font_glob(*, nt: bool = _NT) -> str:
    """The pattern that finds the fonts of a listed folder: flat on Windows, nested on Linux."""
    return "*" if nt else "**/*"
