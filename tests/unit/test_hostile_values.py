"""Numbers from files that the app cannot compute with never stop it (issue 15, defect 1).

A crafted ``.jxzp`` with a custom weight of ``1e999999999`` used to import without a word
and then raise ``decimal.InvalidOperation`` on every recompute — after a restart the app
refused to start and every report was out of reach. Such values now arrive as typed and
flagged (an error finding under the field), so the report opens, totals are computed from
everything else, and the user can correct or clear the value.
"""

from __future__ import annotations

import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_app.demo import load_demo
from desktop_app.domain.checks import Severity, validate
from desktop_app.domain.model import Unparsed, WeightSplit
from desktop_app.domain.money import admissible, parse_decimal
from desktop_app.domain.serialize import from_data, to_data
from desktop_app.domain.totals import compute_totals
from desktop_app.messages import finding_location, finding_message
from desktop_app.storage import Workspace

HUGE = "1e999999999"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    """The demo as a .jxzp file, the template every hostile file is made from."""
    folder = tmp_path_factory.mktemp("template")
    report = load_demo()
    with Workspace.open(folder / "w.jxdb") as workspace:
        workspace.save(report)
        workspace.export_file(report.report_id, folder / "demo.jxzp")
    return folder / "demo.jxzp"


def crafted(exported: Path, folder: Path, sql: str, params: tuple = ()) -> Path:
    """A copy of the demo file changed by ``sql`` — what a hostile or broken writer makes."""
    path = folder / "crafted.jxzp"
    shutil.copy(exported, path)
    connection = sqlite3.connect(path)
    connection.execute(sql, params)
    connection.commit()
    connection.close()
    return path


def imported(path: Path, folder: Path):
    with Workspace.open(folder / "w.jxdb") as workspace:
        (report_id,) = workspace.import_file(path)
        return workspace.load(report_id)


def errors_at(report, path: tuple) -> list[str]:
    return [finding_message(f) for f in validate(report) if f.path == path and f.severity is Severity.ERROR]


CASES = [
    # (what, sql setting the value, path of the field, the text kept)
    ("custom weight 1e999999999", "UPDATE reports SET split = 'custom', custom_weights = ?",
     ('["1e999999999", "30", "10"]',), ("rules", "custom_weights", 0), HUGE),
    ("custom weight as a huge JSON number", "UPDATE reports SET split = 'custom', custom_weights = ?",
     ('[1.5e300, 30, 10]',), ("rules", "custom_weights", 0), "1.5e+300"),
    ("custom weight NaN", "UPDATE reports SET split = 'custom', custom_weights = ?",
     ('["NaN", "30", "10"]',), ("rules", "custom_weights", 0), "NaN"),
    ("custom weights nested 100,000 deep", "UPDATE reports SET split = 'custom', custom_weights = ?",
     ("[" * 100_000 + "]" * 100_000,), ("rules", "custom_weights", 0), "[" * 200 + "…"),
    ("custom weights not JSON", "UPDATE reports SET split = 'custom', custom_weights = ?",
     ("{oops",), ("rules", "custom_weights", 0), "{oops"),
    ("execution weight 1e999999999", "UPDATE reports SET execution_weight = ?", (HUGE,),
     ("execution_weight",), HUGE),
    ("execution weight with 60 digits", "UPDATE reports SET execution_weight = ?", ("0." + "1" * 60,),
     ("execution_weight",), "0." + "1" * 60),
    ("indicator score -Infinity", "UPDATE indicators SET score = ? WHERE seq = 0", ("-Infinity",),
     ("indicators", 0, "score"), "-Infinity"),
    ("indicator weight not a number", "UPDATE indicators SET weight = ? WHERE seq = 0", ("abc",),
     ("indicators", 0, "weight"), "abc"),
    ("amount of 10^17 yuan", "UPDATE fund_lines SET spent_fen = ? WHERE seq = 0", (10**18,),
     ("fund_lines", 0, "spent"), "10000000000000000.00"),
]


@pytest.mark.parametrize(("what", "sql", "params", "path", "kept"), CASES, ids=[case[0] for case in CASES])
def test_a_number_the_app_cannot_use_is_imported_as_typed_and_flagged(
        exported, tmp_path, what, sql, params, path, kept):
    report = imported(crafted(exported, tmp_path, sql, params), tmp_path)
    totals = compute_totals(report)  # raised decimal.InvalidOperation / Overflow before
    findings = validate(report, totals)
    value = report
    for step in path:
        value = value[step] if isinstance(step, int) else getattr(value, step)
    assert isinstance(value, Unparsed) and value.text == kept
    (message,) = errors_at(report, path)
    assert message.startswith(f"无法识别“{kept}”")
    assert all(finding_location(f) for f in findings)  # every finding can say where it is
    # the flagged value is saved back unchanged, and a corrected one replaces it
    with Workspace.open(tmp_path / "w.jxdb") as workspace:
        workspace.save(report)
        assert workspace.load(report.report_id) == report


def test_a_workspace_that_holds_such_a_value_opens_and_the_value_can_be_fixed(exported, tmp_path):
    path = crafted(exported, tmp_path, "UPDATE reports SET split = 'custom', custom_weights = ?",
                   ('["1e999999999", "30", "10"]',))
    workspace_file = tmp_path / "workspace.jxdb"
    shutil.copy(path, workspace_file)  # a .jxzp file is a workspace with one report
    with Workspace.open(workspace_file) as workspace:
        (summary,) = workspace.list_reports()
        report = workspace.load(summary.report_id)
        assert report.rules.split is WeightSplit.CUSTOM
        assert compute_totals(report).total_score is not None
        report.rules.custom_weights[0] = Decimal(50)
        workspace.save(report)
    with Workspace.open(workspace_file) as workspace:
        fixed = workspace.load(summary.report_id)
    assert fixed.rules.custom_weights == [Decimal(50), Decimal(30), Decimal(10)]
    assert errors_at(fixed, ("rules", "custom_weights", 0)) == []


def test_the_location_of_a_custom_weight_names_its_block(exported, tmp_path):
    report = imported(crafted(exported, tmp_path, "UPDATE reports SET split = 'custom', custom_weights = ?",
                              ('["10", "NaN", "10"]',)), tmp_path)
    (finding,) = [f for f in validate(report) if f.code == "value_unparsed"]
    assert finding_location(finding) == "评分 › 自定义分值 › 效益"


@pytest.mark.parametrize("text", [HUGE, "NaN", "sNaN", "Infinity", "1" * 29, "0." + "0" * 40 + "1", "1e13"])
def test_one_rule_for_numbers_typed_and_numbers_read(text):
    number = Decimal(text)
    assert admissible(number) is not None
    typed = parse_decimal(text)
    assert not isinstance(typed, Decimal)  # typed: refused (or not even a number to the parser)
    data = to_data(load_demo())
    data["execution_weight"] = text
    assert isinstance(from_data(data).execution_weight, Unparsed)  # JSON: kept, flagged


@pytest.mark.parametrize("text", ["0", "10", "99.995", "-5", "9999999999999.99", "0." + "0" * 27 + "1"])
def test_ordinary_numbers_stay_numbers(text):
    assert admissible(Decimal(text)) is None
    assert parse_decimal(text) == Decimal(text)
