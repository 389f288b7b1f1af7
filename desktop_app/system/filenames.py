"""File names that every system accepts, made from text the user typed (report titles).

A suggested name must be valid on Windows even when the app runs on Linux: the file is
mailed to, or saved on a USB stick for, a colleague at a Windows PC. Windows refuses
``\\ / : * ? " < > |`` and control characters anywhere in a name, strips trailing dots and
spaces (so ``报告.`` and ``报告`` are one file), and reserves the device names CON, PRN,
AUX, NUL, COM1–COM9 and LPT1–LPT9 with any extension (``NUL.pdf`` is the null device).
"""

from __future__ import annotations

import re

#: What Windows forbids, mapped to the full-width forms a Chinese title would use anyway
#: (``2024年：项目`` stays readable instead of losing the colon).
_FULL_WIDTH = str.maketrans({
    "\\": "＼", "/": "／", ":": "：", "*": "＊", "?": "？", '"': "＂", "<": "＜", ">": "＞", "|": "｜",
})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])$", re.IGNORECASE)
#: Room for a suffix such as "（第12版）.pdf" and the folder, within Windows' 255 per name.
MAX_STEM = 120


def is_reserved_name(name: str) -> bool:
    """Whether Windows treats ``name`` (with any extension) as a device, not a file."""
    base = name.split(".", 1)[0].rstrip(" ")
    return bool(_RESERVED.match(base))


def safe_file_stem(text: str, *, fallback: str = "report") -> str:
    """``text`` made into a file name stem (without extension) valid on Windows and Linux.

    Forbidden characters become their full-width forms, control characters (tabs,
    line breaks pasted from Word) become spaces, runs of spaces collapse, leading and
    trailing spaces and dots go, device names get a ``_``, and overlong text is cut to
    :data:`MAX_STEM` characters. An empty result is ``fallback``.
    """
    stem = _CONTROL.sub(" ", text).translate(_FULL_WIDTH)
    stem = re.sub(r"\s+", " ", stem)[:MAX_STEM].strip(" .")
    if not stem:
        stem = fallback
    if is_reserved_name(stem):
        stem += "_"
    return stem


def safe_file_name(text: str, suffix: str, *, fallback: str = "report") -> str:
    """A whole safe file name: :func:`safe_file_stem` of ``text`` plus ``suffix`` (e.g. ".pdf").

    ``suffix`` is the program's own (``（第2版）.pdf``) and is kept as given.
    """
    return safe_file_stem(text, fallback=fallback) + suffix
