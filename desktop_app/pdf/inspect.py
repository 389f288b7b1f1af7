"""Read back what a written PDF says about its fonts (for the smoke test and tests).

Reportlab writes plain, uncompressed object dictionaries (no object streams), so the
font objects can be read with a small object scanner instead of a PDF library: every
``/Type /Font`` dictionary is followed to its ``/FontDescriptor`` (through
``/DescendantFonts`` for composite fonts), and a font counts as embedded when that
descriptor carries a ``/FontFile``, ``/FontFile2`` or ``/FontFile3`` stream.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OBJECT = re.compile(rb"(\d+)\s+(\d+)\s+obj\b(.*?)\bendobj", re.S)
_REF = rb"(\d+)\s+\d+\s+R"


@dataclass(frozen=True)
class PdfFont:
    """One font of a PDF: its name as written and whether its glyphs are in the file."""

    name: str
    embedded: bool


def pdf_fonts(data: bytes) -> list[PdfFont]:
    """Every font dictionary of ``data`` (a PDF written by reportlab), in object order.

    Raises:
        ValueError: ``data`` is not a PDF.
    """
    if not data.startswith(b"%PDF-"):
        raise ValueError("not a PDF file")
    objects = {int(m.group(1)): _dictionary(m.group(3)) for m in _OBJECT.finditer(data)}
    fonts = []
    for body in objects.values():
        if not re.search(rb"/Type\s*/Font\b", body) or b"/Subtype" not in body:
            continue
        name = re.search(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", body)
        fonts.append(PdfFont(
            name=name.group(1).decode("latin-1") if name else "?",
            embedded=_embedded(body, objects)))
    return fonts


def _dictionary(body: bytes) -> bytes:
    """The dictionary of an object, without its stream data."""
    return body.split(b"stream", 1)[0]


def _embedded(font: bytes, objects: dict[int, bytes]) -> bool:
    descendants = re.search(rb"/DescendantFonts\s*\[\s*" + _REF, font)
    if descendants:
        font = objects.get(int(descendants.group(1)), b"")
    descriptor = re.search(rb"/FontDescriptor\s+" + _REF, font)
    if not descriptor:
        return False  # one of the 14 standard fonts: the reader substitutes its own
    body = objects.get(int(descriptor.group(1)), b"")
    return re.search(rb"/FontFile[23]?\s+" + _REF, body) is not None
