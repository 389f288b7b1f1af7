"""Paths as the two systems spell them: SQLite ``file:`` URIs for local, drive and UNC paths.

SQLite opens read-only files through a URI (``mode=ro``, ``immutable=1``). The URI must
have an empty authority (SQLite refuses a host), so

* a POSIX path ``/srv/共享/a.jxzp`` is ``file:///srv/%E5%85%B1%E4%BA%AB/a.jxzp``;
* a drive path ``C:\\报告\\a.jxzp`` is ``file:///C:/%E6%8A%A5%E5%91%8A/a.jxzp`` (SQLite's Windows
  layer drops the ``/`` before the drive letter);
* a UNC path ``\\\\server\\共享\\a.jxzp`` is ``file:////server/%E5%85%B1%E4%BA%AB/a.jxzp``, which
  SQLite turns back into ``\\\\server\\共享\\a.jxzp``;
* the long-path forms ``\\\\?\\C:\\…`` and ``\\\\?\\UNC\\server\\…`` become the plain forms above.

``?``, ``#``, ``%`` and spaces in names are percent-encoded (they would end the path).
"""

from __future__ import annotations

import os
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from urllib.parse import quote

_NT = os.name == "nt"


def sqlite_uri(path: str | PurePath, params: str = "", *, nt: bool = _NT) -> str:
    """The SQLite URI of the absolute ``path`` with query ``params`` (e.g. ``"mode=ro"``).

    Args:
        path: an absolute path (resolve it first) in the spelling of the system ``nt`` says.
        params: the URI query without ``?``; empty for none.
        nt: spell for Windows (default: the running system).

    Raises:
        ValueError: ``path`` is relative.
    """
    text = str(path)
    if nt:
        if text.startswith("\\\\?\\UNC\\"):
            text = "\\\\" + text[len("\\\\?\\UNC\\"):]
        elif text.startswith("\\\\?\\"):
            text = text[len("\\\\?\\"):]
        windows = PureWindowsPath(text)
        if not windows.is_absolute():
            raise ValueError(f"not an absolute path: {path}")
        posix = windows.as_posix()
        if not posix.startswith("//"):  # drive: C:/… → /C:/… (UNC //server/… stays)
            posix = "/" + posix
    else:
        posix_path = PurePosixPath(text)
        if not posix_path.is_absolute():
            raise ValueError(f"not an absolute path: {path}")
        posix = str(posix_path)
        if posix.startswith("//"):  # POSIX allows a leading //: keep the authority empty
            posix = "/" + posix.lstrip("/")
    uri = "file://" + quote(posix, safe="/:")
    return f"{uri}?{params}" if params else uri


def is_network_path(path: str | PurePath, *, nt: bool = _NT) -> bool:
    """Whether ``path`` names a file on a network share by its UNC name (Windows only)."""
    if not nt:
        return False
    text = str(path)
    return text.startswith("\\\\?\\UNC\\") or (text.startswith(("\\\\", "//")) and not text.startswith("\\\\?\\")
                                                and not text.startswith("\\\\.\\"))
