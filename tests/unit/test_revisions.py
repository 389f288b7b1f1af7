"""定稿: the content digest and 校验码 (domain), revisions in the workspace (storage)."""

from __future__ import annotations

import copy
import dataclasses
import io
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_app.domain.model import PolicyDocument, Report, Unparsed
from desktop_app.domain.revisions import content_digest, parse_code, short_code
from desktop_app.storage import Workspace, migrations
from desktop_app.storage.revisions import RevisionNotFoundError

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2021, 3, 10, 9, 30, tzinfo=timezone.utc)


# -- domain --------------------------------------------------------------------------------------


def test_digest_ignores_the_report_id_and_how_a_number_is_written(demo: Report) -> None:
    digest = content_digest(demo)
    assert len(digest) == 64 and digest == digest.lower()
    assert content_digest(dataclasses.replace(demo, report_id="another")) == digest
    tenths = copy.deepcopy(demo)
    tenths.execution_weight = Decimal("10.00")
    demo.execution_weight = Decimal("1E+1")
    assert content_digest(tenths) == content_digest(demo)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: setattr(r.header, "project_name", r.header.project_name + "。"),
        lambda r: setattr(r.fund_lines[0], "spent", r.fund_lines[0].spent + Decimal("0.01")),
        lambda r: setattr(r, "execution_score", Decimal("8.11")),
        lambda r: setattr(r, "execution_score", Unparsed("八分")),
        lambda r: r.closing.problems.append("新问题"),
        lambda r: r.header.policy_documents.insert(0, PolicyDocument("通知", "财预〔2020〕10号")),
        lambda r: r.team.members.reverse(),
        lambda r: setattr(r.overview, "conclusion", r.overview.conclusion.replace("优", "良", 1)),
    ],
)
def test_digest_changes_with_any_printed_content(demo: Report, change) -> None:
    before = content_digest(demo)
    change(demo)
    assert content_digest(demo) != before


def test_digest_is_the_same_in_another_process(demo: Report) -> None:
    code = "from desktop_app.demo import load_demo; from desktop_app.domain.revisions import content_digest; " \
           "print(content_digest(load_demo()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PYTHONHASHSEED": "12345"}).stdout.strip()
    assert out == content_digest(demo)


def test_short_code_and_typed_codes() -> None:
    digest = "3f9ac21b" + "0" * 56
    assert short_code(digest) == "3F9A-C21B"
    for typed in ("3F9A-C21B", "3f9ac21b", " 3f9a c21b ", "３Ｆ９Ａ－Ｃ２１Ｂ", "3F9A—C21B"):
        assert parse_code(typed) == "3F9A-C21B", typed
    for bad in ("", "3F9A-C21", "3F9A-C21BX", "3G9A-C21B", "第1版"):
        assert parse_code(bad) is None, bad


# -- storage -------------------------------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path):
    with Workspace.open(tmp_path / "w.jxdb") as ws:
        yield ws


def test_finalize_edit_finalize_gives_two_revisions_with_different_codes(workspace, demo: Report) -> None:
    original_score = demo.execution_score
    first = workspace.finalize(demo, T0)
    assert (first.number, first.created_at, first.digest) == (1, T0, content_digest(demo))
    assert workspace.finalize(copy.deepcopy(demo), T0 + timedelta(hours=1)) == first  # unchanged: same revision
    demo.execution_score = Decimal("8.11")
    second = workspace.finalize(demo, T0 + timedelta(days=1))
    assert second.number == 2 and second.code != first.code
    assert [r.number for r in workspace.revisions(demo.report_id)] == [1, 2]
    assert workspace.revision(demo.report_id, 1).report().execution_score == original_score
    assert workspace.load(demo.report_id).execution_score == Decimal("8.11")  # finalize saved it
    with pytest.raises(RevisionNotFoundError):
        workspace.revision(demo.report_id, 3)

    assert workspace.find_revision_by_code(first.code) == (demo.report_id, first)
    assert workspace.find_revision_by_code(second.code.lower().replace("-", "")) == (demo.report_id, second)
    wrong = "0000-0000" if "0000-0000" not in (first.code, second.code) else "FFFF-FFFF"
    assert workspace.find_revision_by_code(wrong) is None
    assert workspace.find_revision_by_code("not a code") is None

    old, new = workspace.check_code(first.code)[0], workspace.check_code(second.code)[0]
    assert (old.revision.number, old.unchanged, old.latest_number) == (1, False, 2)
    assert (new.revision.number, new.unchanged) == (2, True)
    demo.closing.problems.append("未保存的修改")
    assert workspace.check_code(second.code, current=demo)[0].unchanged is False


def test_reprinting_revision_1_gives_the_bytes_of_the_first_print(workspace, demo: Report) -> None:
    from desktop_app.pdf import render_pdf

    first = workspace.finalize(demo, T0)
    printed = io.BytesIO()
    render_pdf(first.report(), printed)
    stored = workspace.store_revision_pdf(demo.report_id, 1, printed.getvalue())
    assert stored == printed.getvalue()
    assert workspace.store_revision_pdf(demo.report_id, 1, b"%PDF- a later rendering") == printed.getvalue()
    demo.execution_score = Decimal("8.11")
    workspace.finalize(demo, T0 + timedelta(days=1))
    assert workspace.revision_pdf(demo.report_id, 1) == printed.getvalue()
    assert workspace.revision_pdf(demo.report_id, 2) is None  # not printed yet


def test_a_finalized_revision_is_read_only(workspace, demo: Report) -> None:
    workspace.finalize(demo, T0)
    for statement in ("UPDATE revisions SET data = '{}'", "UPDATE revisions SET number = 5",
                      "UPDATE revisions SET digest = substr(digest, 2) || '0'"):
        with pytest.raises(sqlite3.IntegrityError, match="read-only"):
            with workspace.db.atomic():
                workspace.db.execute(statement)
    workspace.store_revision_pdf(demo.report_id, 1, b"%PDF-1.4")
    with pytest.raises(sqlite3.IntegrityError, match="read-only"):
        with workspace.db.atomic():
            workspace.db.execute("UPDATE revisions SET pdf = x'00'")
    assert workspace.revision(demo.report_id, 1).digest == content_digest(demo)


def test_revisions_travel_in_report_files(workspace, demo: Report, tmp_path: Path) -> None:
    first = workspace.finalize(demo, T0)
    workspace.store_revision_pdf(demo.report_id, 1, b"%PDF-first")
    demo.execution_score = Decimal("8.11")
    second = workspace.finalize(demo, T0 + timedelta(days=1))
    workspace.export_file(demo.report_id, tmp_path / "r.jxzp")
    with Workspace.open(tmp_path / "other.jxdb") as other:
        (imported,) = other.import_file(tmp_path / "r.jxzp")
        assert other.revisions(imported) == [first, second]
        assert other.revision_pdf(imported, 1) == b"%PDF-first"
    # Imported again into the same workspace it arrives as a copy with a new id,
    # carrying its own revisions; the codes still verify against the copy's data.
    (copy_id,) = workspace.import_file(tmp_path / "r.jxzp")
    assert copy_id != demo.report_id
    matches = {m.report_id: m for m in workspace.check_code(second.code)}
    assert set(matches) == {demo.report_id, copy_id} and all(m.unchanged for m in matches.values())
    workspace.purge(copy_id)
    assert workspace.check_code(second.code)[0].report_id == demo.report_id
    assert workspace.copy(demo.report_id) not in {m.report_id for m in workspace.check_code(second.code)}


def test_an_older_workspace_gains_the_revisions_table(tmp_path: Path, demo: Report) -> None:
    from sqlite_utils import Database

    path = tmp_path / "v1.jxdb"
    db = Database(path)
    db.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    migrations.MIGRATIONS.apply(db, stop_before="0002_revisions")
    db.execute("PRAGMA user_version = 1")
    db.close()
    with Workspace.open(path, read_only=True) as old:  # migrated in memory only
        assert old.revisions(demo.report_id) == []
    with Workspace.open(path) as ws:
        ws.save(demo)
        assert ws.finalize(demo, T0).number == 1
