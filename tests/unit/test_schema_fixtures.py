"""Every released schema version opens, upgrades in place (backup first, one transaction), round-trips.

Each ``tests/fixtures/schema/v<N>/`` holds files written by the release with schema
version N (see ``make_fixture.py`` there): a workspace and a ``.jxzp`` report file, and
``expected.json`` — the reports as that release read them. A new schema step means a new
fixture folder written with the release that ships it; the old folders stay forever.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop_app.domain.serialize import from_data
from desktop_app.storage import SCHEMA_VERSION, Workspace, backups, migrations, open_any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "schema"
VERSIONS = sorted(FIXTURES.glob("v*/"), key=lambda p: int(p.name[1:]))


def test_there_is_a_fixture_for_every_released_version() -> None:
    assert [int(p.name[1:]) for p in VERSIONS][:1] == [1]
    assert all((p / name).is_file() for p in VERSIONS for name in ("workspace.jxdb", "report.jxzp", "expected.json"))


def expected(folder: Path) -> dict:
    return json.loads((folder / "expected.json").read_text(encoding="utf-8"))


def raw(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture(params=VERSIONS, ids=lambda p: p.name)
def fixture(request, tmp_path: Path) -> tuple[Path, dict, Path]:
    """A copy of one fixture folder (the committed files are never opened for writing)."""
    copy = tmp_path / request.param.name
    shutil.copytree(request.param, copy)
    return copy, expected(request.param), tmp_path / "backups"


def test_workspace_upgrades_in_place_with_a_backup_first(fixture) -> None:
    folder, wanted, backup_dir = fixture
    path = folder / "workspace.jxdb"
    old_version = wanted["schema_version"]
    with Workspace.open(path, backup_dir=backup_dir) as workspace:
        assert migrations.schema_version(workspace.db) == SCHEMA_VERSION
        assert not migrations.needs_migration(workspace.db)
        for report_id, data in wanted["reports"].items():
            assert workspace.load(report_id) == from_data(data)
        deleted = [s.report_id for s in workspace.list_reports(include_deleted=True) if s.deleted]
        assert deleted == wanted["deleted"]
        backup = workspace.opening_backup
    assert raw(path, "PRAGMA integrity_check") == [("ok",)]
    # the backup was taken before the upgrade: it is the old version, whole
    assert backup is not None
    assert backup.reason == ("migration" if old_version < SCHEMA_VERSION else "open")
    assert backups.verify(backup.path) == old_version
    with open_any(backup.path) as old:  # read-only: upgraded in memory only
        for report_id, data in wanted["reports"].items():
            assert old.load(report_id) == from_data(data)


def test_upgraded_workspace_round_trips(fixture, tmp_path: Path) -> None:
    folder, wanted, backup_dir = fixture
    path = folder / "workspace.jxdb"
    with Workspace.open(path, backup_dir=backup_dir) as workspace:
        reports = {report_id: workspace.load(report_id) for report_id in wanted["reports"]}
        for report in reports.values():
            report.closing.lessons += "（升级后修改）"
            workspace.save(report)
        demo_id = next(iter(wanted["reports"]))
        workspace.export_file(demo_id, tmp_path / "out.jxzp")
    with Workspace.open(path) as again:
        for report_id, report in reports.items():
            assert again.load(report_id) == report
    with Workspace.open(tmp_path / "fresh" / "workspace.jxdb") as fresh:
        (imported,) = fresh.import_file(tmp_path / "out.jxzp")
        assert fresh.load(imported) == reports[demo_id]


def test_report_file_of_an_old_version_opens_read_only_and_imports(fixture, tmp_path: Path) -> None:
    folder, wanted, _ = fixture
    source = folder / "report.jxzp"
    before = source.read_bytes()
    with open_any(source) as reader:
        (report_id,) = [s.report_id for s in reader.list_reports()]
        assert reader.load(report_id) == from_data(wanted["reports"][report_id])
    with Workspace.open(tmp_path / "mine" / "workspace.jxdb") as mine:
        (imported,) = mine.import_file(source)
        assert mine.load(imported) == from_data(wanted["reports"][report_id])
    assert source.read_bytes() == before


def test_a_failing_upgrade_leaves_the_file_as_it_was(fixture) -> None:
    """A step that fails halfway is rolled back with every other step: one transaction."""
    folder, wanted, backup_dir = fixture
    path = folder / "workspace.jxdb"

    def broken_step(db) -> None:
        db.execute("CREATE TABLE half_done (x)")
        db.execute("UPDATE reports SET lessons = 'changed'")
        raise RuntimeError("a bug in a future migration step")

    steps = migrations.MIGRATIONS._migrations
    steps.append(migrations.MIGRATIONS._Migration("9999_broken", broken_step, True))
    old_schema = migrations.SCHEMA_VERSION
    migrations.SCHEMA_VERSION = old_schema + 1
    try:
        with pytest.raises(RuntimeError):
            Workspace.open(path, backup_dir=backup_dir)
    finally:
        steps.pop()
        migrations.SCHEMA_VERSION = old_schema
    assert raw(path, "PRAGMA user_version") == [(wanted["schema_version"],)]
    assert raw(path, "SELECT count(*) FROM sqlite_master WHERE name = 'half_done'") == [(0,)]
    assert raw(path, "PRAGMA integrity_check") == [("ok",)]
    (backup,) = backups.list_backups(backup_dir, "workspace")
    assert backup.reason == "migration"
    with open_any(path) as unchanged:
        for report_id, data in wanted["reports"].items():
            assert unchanged.load(report_id) == from_data(data)
