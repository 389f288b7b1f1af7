"""Which system the tests run on, for skips that name what a system lacks.

Windows runs come in two kinds: a real Windows, and the real Windows CPython under Wine on
Linux (``packaging/windows/test.sh``). Wine lacks a few things a real Windows has; a test
skipped with :func:`wine_lacks` still runs on a real Windows. Wine is recognised as Wine
itself advertises it: ``ntdll.wine_get_version`` and the ``HKCU\\Software\\Wine`` key.
"""

from __future__ import annotations

import functools
import os
import sys

import pytest

WINDOWS = os.name == "nt"


@functools.cache
def under_wine() -> bool:
    """Whether this Windows process runs under Wine (False on a real Windows and on POSIX)."""
    if sys.platform != "win32":
        return False
    import ctypes

    try:
        if hasattr(ctypes.WinDLL("ntdll"), "wine_get_version"):  # type: ignore[attr-defined]
            return True
    except OSError:
        pass
    import winreg

    try:
        winreg.CloseKey(winreg.OpenKey(winreg.HKEY_CURRENT_USER, r"Software\Wine"))
    except OSError:
        return False
    return True


def wine_lacks(what: str) -> pytest.MarkDecorator:
    """Skip under Wine only, naming what Wine lacks; the test runs on a real Windows."""
    return pytest.mark.skipif(under_wine(), reason=f"Wine lacks {what} (runs on a real Windows)")


def windows_lacks(what: str) -> pytest.MarkDecorator:
    """Skip on Windows, naming the POSIX feature the test needs (its Windows twin is elsewhere)."""
    return pytest.mark.skipif(WINDOWS, reason=f"Windows has no {what}")


#: QtPdf's PDFium stops on a breakpoint (exception 0x80000003) as soon as QPdfDocument
#: loads a document under Wine 8; Qt apps on Windows use QtPdf every day.
wine_lacks_qtpdf = wine_lacks("what QtPdf (PDFium) needs: it stops on a breakpoint (0x80000003) "
                              "when QPdfDocument loads a PDF")
