"""The database schema, as an ordered list of migration steps.

Uses :class:`sqlite_utils.Migrations` (built into sqlite-utils since 4.0; it records
applied steps in the ``_sqlite_migrations`` table). :func:`migrate` runs every pending
step *and* the two header stamps in one transaction, so a file is either untouched or
fully at :data:`SCHEMA_VERSION`:

* ``PRAGMA application_id`` = :data:`APPLICATION_ID` ('JXZP') marks the file as ours;
* ``PRAGMA user_version`` = :data:`SCHEMA_VERSION` lets an older program refuse a newer
  file before touching it.

Rules: never edit a step once released; a schema change is a new step appended at the
end, and :data:`SCHEMA_VERSION` grows by one with it.

Schema conventions (the mapping itself lives in :mod:`desktop_app.storage.repository`):

* money: ``<field>_fen INTEGER`` (exact fen; a ``CHECK`` refuses REAL values);
* weights and scores: ``TEXT`` holding ``str(Decimal)`` (exact);
* dates: ISO ``TEXT``; enums: their ``value``; booleans: ``INTEGER`` 0/1;
* a value typed but not readable (:class:`~desktop_app.domain.model.Unparsed`) is kept in
  the same row, in ``<field>_raw`` (the text) and ``<field>_raw_reason`` (its reason
  code); at most one of the value and the raw text is set;
* lists are child tables keyed ``(report_id, seq)``; ``seq`` is the 0-based order. (The
  order column is not called ``position``: that is the glossary's name for 职务.)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database, Migrations

#: ``PRAGMA application_id`` of every workspace and ``.jxzp`` file: b"JXZP".
APPLICATION_ID = 0x4A585A50
#: ``PRAGMA user_version`` after all steps below; equals the number of steps.
SCHEMA_VERSION = 3
#: The name of our migration set in ``_sqlite_migrations``.
MIGRATION_SET = "jxzp"

MIGRATIONS = Migrations(MIGRATION_SET)


# -- column helpers; their output is part of step 1 and must never change ------------


def _v1_text(name: str) -> str:
    return f"{name} TEXT NOT NULL DEFAULT ''"


def _v1_raw(name: str, value_column: str) -> list[str]:
    # Column-level CHECKs may name other columns in SQLite; keeping them on the columns
    # lets the definitions stay in field order.
    return [
        f"{name}_raw TEXT CHECK ({name}_raw IS NULL OR {value_column} IS NULL)",
        f"{name}_raw_reason TEXT CHECK (({name}_raw IS NULL) = ({name}_raw_reason IS NULL))",
    ]


def _v1_amount(name: str) -> list[str]:
    return [
        f"{name}_fen INTEGER CHECK ({name}_fen IS NULL OR typeof({name}_fen) = 'integer')",
        *_v1_raw(name, f"{name}_fen"),
    ]


def _v1_decimal_text(name: str) -> list[str]:
    """A Decimal or ISO date kept as text, with its raw fallback."""
    return [
        f"{name} TEXT CHECK ({name} IS NULL OR typeof({name}) = 'text')",
        *_v1_raw(name, name),
    ]


def _v1_child(name: str, columns: list[str], key: str = "report_id, seq") -> str:
    body = ",\n    ".join(
        [
            "report_id TEXT NOT NULL REFERENCES reports (report_id) ON DELETE CASCADE",
            *columns,
            f"PRIMARY KEY ({key})",
        ]
    )
    return f"CREATE TABLE {name} (\n    {body}\n) WITHOUT ROWID"


_V1_SEQ = "seq INTEGER NOT NULL CHECK (typeof(seq) = 'integer' AND seq >= 0)"


@MIGRATIONS(name="0001_initial")
def _initial(db: Database) -> None:
    """Step 1: reports and their child tables."""
    report_columns = [
        "report_id TEXT PRIMARY KEY NOT NULL CHECK (typeof(report_id) = 'text' AND report_id <> '')",
        # Header
        *map(_v1_text, ["unit_name", "supervising_department", "implementing_unit", "project_name"]),
        "fiscal_year INTEGER CHECK (fiscal_year IS NULL OR typeof(fiscal_year) = 'integer')",
        *_v1_raw("fiscal_year", "fiscal_year"),
        _v1_text("title"),
        *_v1_decimal_text("report_date"),
        # Overview
        *map(
            _v1_text,
            [
                "opening",
                "background",
                "implementation",
                "funding",
                "annual_goal",
                "goal_achieved",
                "management",
                "outputs",
                "effects",
                "conclusion",
            ],
        ),
        # EvaluationTeam (members are a child table)
        *_v1_decimal_text("formed_on"),
        *_v1_decimal_text("site_check_on"),
        *map(
            _v1_text,
            ["office", "contact", "leader_duties", "deputy_duties", "member_duties", "site_check"],
        ),
        # Report scalars
        *_v1_decimal_text("execution_weight"),
        *_v1_decimal_text("execution_score"),
        "outline TEXT NOT NULL",
        # Closing (problems and suggestions are closing_items)
        _v1_text("lessons"),
        # Bookkeeping: ISO 8601 UTC with microseconds, so text order is time order.
        "created_at TEXT NOT NULL",
        "updated_at TEXT NOT NULL",
        "deleted_at TEXT",
    ]
    statements = [
        "CREATE TABLE reports (\n    " + ",\n    ".join(report_columns) + "\n)",
        "CREATE INDEX reports_updated_at ON reports (updated_at)",
        _v1_child("policy_documents", [_V1_SEQ, _v1_text("title"), _v1_text("doc_number")]),
        _v1_child(
            "team_members",
            [_V1_SEQ, "role TEXT NOT NULL", _v1_text("name"), _v1_text("position")],
        ),
        _v1_child(
            "fund_lines",
            [
                _V1_SEQ,
                _v1_text("name"),
                "source TEXT NOT NULL",
                "is_child INTEGER NOT NULL CHECK (is_child IN (0, 1))",
                *_v1_amount("initial_budget"),
                *_v1_amount("budget"),
                *_v1_amount("allocated"),
                *_v1_amount("spent"),
            ],
        ),
        _v1_child(
            "indicators",
            [
                _V1_SEQ,
                "level1 TEXT NOT NULL",
                _v1_text("level2"),
                _v1_text("name"),
                "direction TEXT NOT NULL",
                _v1_text("target"),
                _v1_text("actual"),
                _v1_text("unit"),
                *_v1_decimal_text("weight"),
                *_v1_decimal_text("score"),
                _v1_text("deviation_note"),
                "applicable INTEGER NOT NULL CHECK (applicable IN (0, 1))",
            ],
        ),
        _v1_child(
            "output_items",
            [_V1_SEQ, _v1_text("name"), *_v1_amount("amount"), "unit TEXT NOT NULL", _v1_text("category")],
        ),
        _v1_child(
            "closing_items",
            [
                "kind TEXT NOT NULL CHECK (kind IN ('problem', 'suggestion'))",
                _V1_SEQ,
                _v1_text("text"),
            ],
            key="report_id, kind, seq",
        ),
    ]
    for statement in statements:
        db.execute(statement)


@MIGRATIONS(name="0002_revisions")
def _revisions(db: Database) -> None:
    """Step 2: 定稿 revisions — frozen, numbered snapshots with their printed PDF.

    ``digest`` is the full SHA-256 hex of the content (the 校验码 is its first 8 digits,
    indexed); ``data`` is the canonical JSON snapshot; ``pdf`` the exact bytes printed
    at finalize, so reprints are byte-identical. A trigger makes rows read-only: the
    only update allowed is filling a still-empty ``pdf`` once.
    """
    statements = [
        """CREATE TABLE revisions (
    report_id TEXT NOT NULL REFERENCES reports (report_id) ON DELETE CASCADE,
    number INTEGER NOT NULL CHECK (typeof(number) = 'integer' AND number >= 1),
    created_at TEXT NOT NULL CHECK (typeof(created_at) = 'text'),
    digest TEXT NOT NULL CHECK (length(digest) = 64 AND digest NOT GLOB '*[^0-9a-f]*'),
    data TEXT NOT NULL CHECK (typeof(data) = 'text'),
    pdf BLOB CHECK (pdf IS NULL OR typeof(pdf) = 'blob'),
    PRIMARY KEY (report_id, number)
)""",
        "CREATE INDEX revisions_code ON revisions (substr(digest, 1, 8))",
        """CREATE TRIGGER revisions_read_only BEFORE UPDATE ON revisions
WHEN NOT (OLD.pdf IS NULL AND NEW.pdf IS NOT NULL
          AND NEW.report_id IS OLD.report_id AND NEW.number IS OLD.number
          AND NEW.created_at IS OLD.created_at AND NEW.digest IS OLD.digest AND NEW.data IS OLD.data)
BEGIN
    SELECT RAISE(ABORT, 'a finalized revision is read-only');
END""",
    ]
    for statement in statements:
        db.execute(statement)


@MIGRATIONS(name="0003_rules")
def _rules(db: Database) -> None:
    """Step 3: the scoring rule set each report is written under (defaults: national rules)."""
    statements = [
        "ALTER TABLE reports ADD COLUMN split TEXT NOT NULL DEFAULT 'national' CHECK (typeof(split) = 'text')",
        "ALTER TABLE reports ADD COLUMN custom_weights TEXT NOT NULL DEFAULT '[\"50\", \"30\", \"10\"]'"
        " CHECK (typeof(custom_weights) = 'text')",
        "ALTER TABLE reports ADD COLUMN reverse_formula TEXT NOT NULL DEFAULT 'ratio'"
        " CHECK (typeof(reverse_formula) = 'text')",
        "ALTER TABLE reports ADD COLUMN cap_by_execution_rate INTEGER NOT NULL DEFAULT 0"
        " CHECK (cap_by_execution_rate IN (0, 1))",
        "ALTER TABLE reports ADD COLUMN deduct_over_achievement INTEGER NOT NULL DEFAULT 0"
        " CHECK (deduct_over_achievement IN (0, 1))",
    ]
    for statement in statements:
        db.execute(statement)


def schema_version(db: Database) -> int:
    """The file's ``PRAGMA user_version``."""
    return schema_version_of(db.conn)


def application_id(db: Database) -> int:
    """The file's ``PRAGMA application_id``."""
    return application_id_of(db.conn)


def schema_version_of(conn: sqlite3.Connection) -> int:
    """``PRAGMA user_version`` of a plain sqlite3 connection."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def application_id_of(conn: sqlite3.Connection) -> int:
    """``PRAGMA application_id`` of a plain sqlite3 connection."""
    return int(conn.execute("PRAGMA application_id").fetchone()[0])


def _bookkeeping(action: Callable[[], Any]) -> Any:
    # sqlite-utils reads its _sqlite_migrations table by column name: a damaged or edited
    # table raises KeyError/TypeError from Python, not sqlite3 errors. Call it damage.
    try:
        return action()
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise sqlite3.DatabaseError(f"the migration records are damaged: {exc!r}") from exc


def needs_migration(db: Database) -> bool:
    """Whether :func:`migrate` would change anything (read-only check)."""
    if application_id(db) != APPLICATION_ID or schema_version(db) != SCHEMA_VERSION:
        return True
    return bool(_bookkeeping(lambda: MIGRATIONS.pending(db)))


def migrate(db: Database) -> None:
    """Bring ``db`` to :data:`SCHEMA_VERSION` in one transaction (no-op when current).

    The caller has already checked that the file is ours or empty and not newer.
    """
    if not needs_migration(db):
        return
    with db.atomic():
        db.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
        _bookkeeping(lambda: MIGRATIONS.apply(db))
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")
