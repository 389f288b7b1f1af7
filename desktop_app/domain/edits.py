"""The one edit path: every change to a report is an :class:`Edit` applied here.

A path names a place in the report: attribute names and list indices, e.g.
``("fund_lines", 2, "budget")``, ``("header", "project_name")`` or
``("closing", "problems", 0)``. :func:`apply` performs an edit and returns its inverse,
which is all undo/redo needs; the UI wraps these in its undo stack and storage saves
the report after each one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from .model import Report

Path = tuple


@dataclass(frozen=True)
class SetValue:
    """Put ``value`` at ``path``."""

    path: Path
    value: Any


@dataclass(frozen=True)
class InsertRow:
    """Insert ``row`` into the list at ``path`` before ``index``."""

    path: Path
    index: int
    row: Any


@dataclass(frozen=True)
class RemoveRow:
    """Remove the row at ``index`` from the list at ``path``."""

    path: Path
    index: int


@dataclass(frozen=True)
class MoveRow:
    """Move the row at ``source`` of the list at ``path`` so that it ends up at ``target``."""

    path: Path
    source: int
    target: int


@dataclass(frozen=True)
class Batch:
    """Several edits done as one user action (one undo step, one transaction)."""

    edits: tuple["Edit", ...]


Edit = Union[SetValue, InsertRow, RemoveRow, MoveRow, Batch]


class EditError(ValueError):
    """An edit that does not fit the report (bad path or index)."""


def resolve(report: Report, path: Path) -> Any:
    """The object at ``path``."""
    node: Any = report
    for step in path:
        try:
            node = node[step] if isinstance(step, int) else getattr(node, step)
        except (IndexError, AttributeError, TypeError) as exc:
            raise EditError(f"no such place in the report: {path!r}") from exc
    return node


def _set(report: Report, path: Path, value: Any) -> Any:
    if not path:
        raise EditError("empty path")
    owner = resolve(report, path[:-1])
    last = path[-1]
    old = resolve(report, path)
    if isinstance(last, int):
        owner[last] = value
    else:
        setattr(owner, last, value)
    return old


def _list(report: Report, path: Path) -> list:
    target = resolve(report, path)
    if not isinstance(target, list):
        raise EditError(f"not a list: {path!r}")
    return target


def apply(report: Report, edit: Edit) -> Edit:
    """Apply ``edit`` to ``report`` in place and return the edit that undoes it."""
    if isinstance(edit, SetValue):
        return SetValue(edit.path, _set(report, edit.path, edit.value))
    if isinstance(edit, InsertRow):
        rows = _list(report, edit.path)
        if not 0 <= edit.index <= len(rows):
            raise EditError(f"index {edit.index} out of range")
        rows.insert(edit.index, edit.row)
        return RemoveRow(edit.path, edit.index)
    if isinstance(edit, RemoveRow):
        rows = _list(report, edit.path)
        if not 0 <= edit.index < len(rows):
            raise EditError(f"index {edit.index} out of range")
        return InsertRow(edit.path, edit.index, rows.pop(edit.index))
    if isinstance(edit, MoveRow):
        rows = _list(report, edit.path)
        if not (0 <= edit.source < len(rows) and 0 <= edit.target < len(rows)):
            raise EditError("move out of range")
        rows.insert(edit.target, rows.pop(edit.source))
        return MoveRow(edit.path, edit.target, edit.source)
    if isinstance(edit, Batch):
        inverses = []
        for part in edit.edits:
            inverses.append(apply(report, part))
        return Batch(tuple(reversed(inverses)))
    raise EditError(f"unknown edit {edit!r}")
