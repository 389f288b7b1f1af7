"""Reports to and from plain JSON-able data (the bundled demo is stored this way).

Decimals travel as strings (never floats), dates as ISO strings, enums as their values,
unreadable input as ``{"unparsed": text, "reason": code}``.
"""

from __future__ import annotations

import dataclasses
import typing
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from . import model
from .model import Report, Unparsed
from .money import REASON_NOT_A_NUMBER, checked_number


def to_data(value: Any) -> Any:
    """Turn a report (or any part of it) into JSON-able data."""
    if isinstance(value, Unparsed):
        return {"unparsed": value.text, "reason": value.reason}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [to_data(item) for item in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _from(kind: Any, data: Any) -> Any:
    if data is None:
        return None
    if isinstance(data, dict) and "unparsed" in data:
        return Unparsed(data["unparsed"], data.get("reason", "not_a_number"))
    origin = typing.get_origin(kind)
    if origin is list:
        (item_kind,) = typing.get_args(kind)
        return [_from(item_kind, item) for item in data]
    if origin is typing.Union or str(origin) == "<class 'types.UnionType'>":
        options = [k for k in typing.get_args(kind) if k is not type(None) and k is not Unparsed]
        return _from(options[0], data)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind, vars(model))
        known = {f.name for f in dataclasses.fields(kind)}
        return kind(**{name: _from(hints[name], value) for name, value in data.items() if name in known})
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(data)
    if kind is Decimal:
        return _number(data)
    if kind is date:
        return date.fromisoformat(data)
    return data


def from_data(data: dict[str, Any]) -> Report:
    """Build a :class:`Report` from :func:`to_data` output (unknown keys are ignored)."""
    return _from(Report, data)


def _number(data: Any) -> Decimal | Unparsed:
    """A number from JSON; one the app cannot compute with is kept as written, flagged."""
    text = str(data)
    try:
        number = Decimal(text)
    except ArithmeticError:
        return Unparsed(text, REASON_NOT_A_NUMBER)
    return checked_number(number, text)
