"""Typed exceptions of the PDF layer; the UI turns them into messages once, at its boundary."""

from __future__ import annotations

#: What to install on Debian, UOS and Kylin when no usable Chinese font is found.
LINUX_FONT_HINT = "sudo apt install fonts-lxgw-wenkai fonts-arphic-uming"
#: What is wrong on Windows when no usable Chinese font is found.
WINDOWS_FONT_HINT = (
    "the standard Windows fonts 仿宋/黑体/宋体 (simfang.ttf, simhei.ttf, simsun.ttc) "
    "are missing from C:\\Windows\\Fonts; reinstall or repair them"
)


class PdfError(Exception):
    """Base class of every error the PDF layer raises on purpose."""


class FontsUnavailableError(PdfError):
    """No TrueType font with Chinese characters could be found or loaded.

    Attributes:
        searched: the font files that were looked for, in order.
        linux_hint: the command that installs suitable fonts on Debian, UOS and Kylin.
        windows_hint: what is missing on Windows.
    """

    def __init__(self, searched: tuple[str, ...] = ()) -> None:
        self.searched = searched
        self.linux_hint = LINUX_FONT_HINT
        self.windows_hint = WINDOWS_FONT_HINT
        super().__init__(
            "No usable Chinese TrueType font was found. "
            f"On Debian, UOS or Kylin run: {LINUX_FONT_HINT}. "
            f"On Windows: {WINDOWS_FONT_HINT}."
        )
