"""Which characters of a report no font can print, and where they are.

:func:`missing_glyphs` walks every text field of a report (a dataclass tree) and checks
each character against the whole fallback chain of a :class:`~.fonts.FontSet`: a
character the role font lacks but another font has is not missing (it is drawn from that
font); one that no font has would print as an empty box. The result is data (path,
character); the UI and the CLI turn it into findings.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, Iterator

from desktop_app.domain.checks import Finding, Severity
from desktop_app.domain.model import Unparsed

from .fonts import FontSet, is_neutral

if TYPE_CHECKING:  # pragma: no cover
    from desktop_app.domain.model import Report

#: Fields that are never printed.
_SKIPPED = frozenset({"report_id"})

Path = tuple[Any, ...]


def missing_glyphs(report: Report, fonts: FontSet) -> list[tuple[Path, str]]:
    """``(path, character)`` for each character of ``report`` that no font can draw.

    ``path`` is the report path of the field (e.g. ``("team", "members", 2, "name")``),
    as used by the domain's edits and findings; a character is listed once per field, in
    the order the fields and characters come.
    """
    result: list[tuple[Path, str]] = []
    for path, text in report_texts(report):
        for ch in _missing_in(fonts, text):
            result.append((path, ch))
    return result


_MISSING_CACHE: dict[tuple[int, str], tuple[str, ...]] = {}


def _missing_in(fonts: FontSet, text: str) -> tuple[str, ...]:
    # Memoised per font set and text: the window asks again after every keystroke, and
    # all fields but one are unchanged.
    key = (id(fonts), text)
    found = _MISSING_CACHE.get(key)
    if found is None:
        # dict.fromkeys: the distinct characters in order of appearance, found at C speed;
        # a 25 000-character field has a few hundred of them.
        found = tuple(ch for ch in dict.fromkeys(text) if not is_neutral(ch) and fonts.font_for(ch, "") is None)
        if len(_MISSING_CACHE) > 4096:
            _MISSING_CACHE.clear()
        _MISSING_CACHE[key] = found
    return found


def missing_in_text(fonts: FontSet, text: str) -> tuple[str, ...]:
    """The characters of one text that no font of ``fonts`` can draw (memoised)."""
    return _missing_in(fonts, text)


def glyph_finding(path: Path, ch: str) -> Finding:
    """The finding for one character no font has, in the field at ``path``."""
    return Finding(Severity.ERROR, "glyph_missing", path, {"char": ch, "codepoint": f"U+{ord(ch):04X}"})


def glyph_findings(report: Report, fonts: FontSet) -> list[Finding]:
    """:func:`missing_glyphs` as findings (code ``glyph_missing``, an error: it prints a box)."""
    return [glyph_finding(path, ch) for path, ch in missing_glyphs(report, fonts)]


def report_texts(value: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every text of a report with its path: strings, and unreadable values as typed."""
    if isinstance(value, str):
        if value:
            yield path, value
    elif isinstance(value, Unparsed):
        yield path, value.text
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if field.name not in _SKIPPED:
                yield from report_texts(getattr(value, field.name), (*path, field.name))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from report_texts(item, (*path, index))
