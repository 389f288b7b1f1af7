"""定稿: numbered, frozen revisions of a report and the 校验码 printed on them.

A :class:`Revision` is what was printed for signing: its number (第N版), when it was
frozen, the full data snapshot, and :func:`content_digest` of that data. The 校验码 on
every page is :func:`short_code` of the digest.

The digest is SHA-256 over a canonical JSON form of the report's content:

* everything :func:`~desktop_app.domain.serialize.to_data` produces, **except**
  ``report_id`` — the id is never printed, and a report imported as a copy (new id) still
  holds the same content, so its signed copies must still verify;
* every ``Decimal`` by its value (``243.1`` and ``243.10`` are one number and print alike;
  storage turns amounts into fen and back, which changes the exponent, not the value);
* keys sorted, no insignificant white space, UTF-8, prefixed by :data:`DIGEST_VERSION`.

So the digest changes whenever anything that can reach the paper changes (it is, on
purpose, also sensitive to a few things that may not print, e.g. trailing spaces), and
it is the same in every process and on every machine.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from .model import Report, Unparsed
from .serialize import from_data, to_data

#: Prefix of the hashed text; bump it (and keep the old one readable) if the form changes.
DIGEST_VERSION = "jxzp-content-v1"
#: Hex digits of the digest shown as the 校验码.
CODE_LENGTH = 8

_CODE_RE = re.compile(r"[0-9A-F]{%d}" % CODE_LENGTH)


@dataclass(frozen=True)
class Revision:
    """A finalized (定稿) revision: read-only once created.

    Attributes:
        number: 第N版, 1 for the first finalize of a report.
        created_at: when it was frozen (timezone-aware).
        digest: :func:`content_digest` of ``data`` (64 lowercase hex digits).
        data: the :func:`~desktop_app.domain.serialize.to_data` snapshot of the report.
    """

    number: int
    created_at: datetime
    digest: str
    data: dict[str, Any] = dataclasses.field(compare=False, repr=False)

    @property
    def code(self) -> str:
        """The 校验码 printed on every page, e.g. ``3F9A-C21B``."""
        return short_code(self.digest)

    def report(self) -> Report:
        """The report exactly as it was finalized."""
        return from_data(self.data)


def _canonical(value: Any) -> Any:
    if isinstance(value, Unparsed):
        return to_data(value)
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return to_data(value)


def _decimal_text(value: Decimal) -> str:
    """A Decimal by its value: no exponent, no trailing zeros, no negative zero."""
    if not value.is_finite():
        return str(value)
    if value.is_zero():
        return "0"
    text = format(value, "f")  # exact; normalize() would round to the context precision
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def canonical_json(report: Report) -> str:
    """The text :func:`content_digest` hashes (without the version prefix)."""
    data = _canonical(report)
    data.pop("report_id", None)
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def content_digest(report: Report) -> str:
    """SHA-256 (64 lowercase hex digits) of the report's printable content."""
    text = f"{DIGEST_VERSION}\n{canonical_json(report)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short_code(digest: str) -> str:
    """The 校验码 of a digest: its first 8 hex digits, upper case, as ``XXXX-XXXX``."""
    head = digest[:CODE_LENGTH].upper()
    if not _CODE_RE.fullmatch(head):
        raise ValueError(f"not a hex digest: {digest!r}")
    return f"{head[:4]}-{head[4:]}"


def parse_code(text: str) -> str | None:
    """Read a 校验码 as typed (any case, full-width, with or without dash or spaces).

    Returns:
        The canonical ``XXXX-XXXX`` form, or None when ``text`` is not 8 hex digits.
    """
    folded = unicodedata.normalize("NFKC", text).upper()
    digits = re.sub(r"[\s\-‐‑‒–—―_·.]", "", folded)
    if not _CODE_RE.fullmatch(digits):
        return None
    return f"{digits[:4]}-{digits[4:]}"


def snapshot_data(report: Report) -> dict[str, Any]:
    """The data a revision keeps: :func:`to_data` of the report (exact, reloadable)."""
    data: dict[str, Any] = to_data(report)
    return data


def snapshot_json(data: dict[str, Any]) -> str:
    """A revision's data as stored: canonical JSON text (sorted keys, UTF-8)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
