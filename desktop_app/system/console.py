"""What the command line prints, on any console, pipe or file, under any code page.

Python writes to a Windows *console* in UTF-16 (any character shows), but to a pipe or a
redirected file (``jxzp check --demo > 结果.txt``, ``| findstr 错误``) it encodes with the
ANSI code page: 936 (GBK) on a Chinese Windows, 65001 (UTF-8) when "Beta: Unicode UTF-8"
is ticked. GBK has no ``›`` (the separator of finding locations) or ``✓``, so one such
character used to end ``check`` with ``UnicodeEncodeError``.

Decision: keep the stream's encoding — what ``type``, ``findstr``, Notepad and Excel on that
PC expect of a text file — and let characters it lacks fall back to a close ASCII or GBK
form (``›`` → ``>``), else ``?``, instead of failing. Under UTF-8 (Linux, code page 65001,
``PYTHONUTF8=1``) nothing changes. A ``PYTHONIOENCODING`` the user set is left alone.
"""

from __future__ import annotations

import codecs
import os
import sys
from collections.abc import Mapping
from typing import TextIO

#: The name of the codec error handler registered by this module.
FALLBACK_ERRORS = "jxzp-fallback"

#: Close forms for characters some code pages lack (each tried in order; then "?").
_SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "›": (">",), "‹": ("<",), "»": (">>",), "«": ("<<",),
    "–": ("-",), "‑": ("-",), "−": ("-",),
    "‘": ("'",), "’": ("'",), "“": ('"',), "”": ('"',),
    "…": ("...",), "•": ("·", "*"), "✓": ("√", "v"), "✔": ("√", "v"), "✗": ("×", "x"),
    "\u00a0": (" ",), "\u2009": (" ",), "\u202f": (" ",),
}
#: Encodings that can write every character: nothing to do for them.
_UNIVERSAL = {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
              "utf-32-be", "gb18030"}


def _fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start:exc.end]:
        for candidate in (*_SUBSTITUTES.get(ch, ()), "?"):
            try:
                candidate.encode(exc.encoding)
            except UnicodeEncodeError:
                continue
            out.append(candidate)
            break
    return "".join(out), exc.end


codecs.register_error(FALLBACK_ERRORS, _fallback)


def encodes_everything(encoding: str | None) -> bool:
    """Whether ``encoding`` (a codec name or alias such as ``cp65001``) can write any text."""
    if not encoding:
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    return name in _UNIVERSAL


def configure_stream(stream: TextIO | None, *, environ: Mapping[str, str] = os.environ) -> bool:
    """Make ``stream`` write any text; returns True when it was changed.

    Only the error handling changes (to :data:`FALLBACK_ERRORS`); the encoding stays.
    """
    if stream is None or environ.get("PYTHONIOENCODING"):
        return False
    if encodes_everything(getattr(stream, "encoding", None)):
        return False
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is None:
        return False
    reconfigure(errors=FALLBACK_ERRORS)
    return True


def configure_standard_streams() -> None:
    """:func:`configure_stream` for ``sys.stdout`` and ``sys.stderr`` (CLI start-up)."""
    configure_stream(sys.stdout)
    configure_stream(sys.stderr)
