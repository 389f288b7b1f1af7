"""When the app fails, and what it never does: the exception hook, no network, private metadata and logs.

The whole session runs in a child process (``offline_session.py``) so the real
``sys.excepthook``, a forbidden ``socket`` and an audit hook apply to the real app, not
to pytest.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.app import PrivateFormatter, private_traceback
from tests.platforms import under_wine

ROOT = Path(__file__).resolve().parents[2]
SESSION = Path(__file__).with_name("offline_session.py")
sys.path.insert(0, str(SESSION.parent))
from offline_session import NOTE, PROJECT, UNIT  # noqa: E402

USER = "zhangsan_privacy_probe"


def hostile_report(path: Path, template: Path) -> Path:
    """A real .jxzp with a trigger and a view that would load a native library if ever run."""
    path.write_bytes(template.read_bytes())
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TRIGGER evil AFTER INSERT ON reports BEGIN SELECT load_extension('/tmp/evil.so'); END;
        CREATE VIEW evil_view AS SELECT load_extension('/tmp/evil.so') AS x;
        UPDATE reports SET project_name = '<script>alert(1)</script>{{7*7}}${jndi:ldap://x}';
    """)
    conn.commit()
    conn.close()
    return path


@pytest.fixture(scope="module")
def session(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("offline")
    data_dir, out = base / "data", base / "out"
    out.mkdir()
    template = ROOT / "tests" / "fixtures" / "schema" / "v1" / "report.jxzp"
    hostile = hostile_report(base / "hostile.jxzp", template)
    home = base / "home" / USER
    home.mkdir(parents=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", USER=USER, LOGNAME=USER, USERNAME=USER, HOME=str(home))
    if under_wine():
        env["JXZP_TEST_NO_QTPDF"] = "1"  # PDFium stops on a breakpoint under Wine: no print-to-file
    command = [sys.executable, str(SESSION), str(data_dir), str(out), str(hostile)]
    trace = base / "syscalls.txt"
    if STRACE:  # sockets opened by C code (Qt, CUPS) are invisible to the Python-level guard
        command = [STRACE, "-f", "-qq", "-o", str(trace), "-e", "trace=socket,connect,sendto,sendmsg,access,"
                   "faccessat,faccessat2", *command]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data.update(base=str(base), data_dir=str(data_dir), out=str(out), home=str(home), stderr=result.stderr,
                trace=str(trace) if STRACE else "")
    return data


def test_a_whole_session_opens_no_socket_and_runs_nothing_from_files(session) -> None:
    assert session["events"] == []
    assert session["saved"] and session["pdf_written"] and session["imported"] == 1
    assert session["findings"] >= 0
    assert session["hostile"] in ("imported 1", "refused storage_error", "refused damaged")
    assert "network access is forbidden" not in session["stderr"]


#: strace, where the system has it (Linux; .ci/run installs it): sees every socket of the process.
STRACE = shutil.which("strace") if sys.platform.startswith("linux") else None
_INET = re.compile(r"\b(socket|connect|sendto|sendmsg)\(.*\bAF_INET6?\b")
_PORT = re.compile(r"sin6?_port=htons\((\d+)\)")
_ADDRESS = re.compile(r'inet_(?:addr|pton)\((?:AF_INET6, )?"([^"]+)"')


@pytest.mark.skipif(STRACE is None, reason="needs strace (Linux): there is no system-call tracer on Windows")
def test_no_network_socket_from_any_code_and_printing_only_asks_the_local_print_service(session) -> None:
    """The whole session, Qt's and the C libraries' sockets included: no IPv4/IPv6 socket at all,
    except while printing, when Qt asks the system print service (CUPS) on this computer
    (127.0.0.1 / ::1, port 631) which printers exist; local sockets (X11, D-Bus) are not network."""
    from offline_session import PHASE_MARK

    phase = "start"
    outside, printing = [], []
    for line in Path(session["trace"]).read_text(encoding="utf-8", errors="replace").splitlines():
        if PHASE_MARK in line:
            phase = line.split(PHASE_MARK, 1)[1].split('"', 1)[0]
        elif _INET.search(line):
            (printing if phase == "print" else outside).append(line)
    assert outside == []
    for line in printing:
        if "connect(" in line:
            assert _PORT.search(line).group(1) == "631", line
            assert _ADDRESS.search(line).group(1) in ("127.0.0.1", "::1"), line


def test_the_exception_hook_saves_the_edit_first_and_says_where_things_are(session) -> None:
    assert session["pending_before_crash"] is True
    assert session["lessons_on_disk"] == NOTE  # flushed by the hook before anything else
    title, text = session["dialog"]
    assert title == "意外错误"
    assert "数据是安全的" in text and "报告已于" in text
    assert str(Path(session["data_dir"]) / "workspace.jxdb") in text  # where the file was saved
    assert session["log"] in text  # where the log is
    assert Path(session["log"]) == Path(session["data_dir"]) / "logs" / "app.log"


def test_the_log_explains_the_error_without_report_content(session) -> None:
    log = Path(session["log"]).read_text(encoding="utf-8")
    assert "unexpected error; the report was saved" in log
    assert "RuntimeError" in log and "in boom" in log and "<message withheld" in log
    for secret in (PROJECT, UNIT, NOTE, "2500000", "<script>"):
        assert secret not in log


@pytest.mark.parametrize("name", ["report.pdf", "printed.pdf"])
def test_pdf_metadata_has_unit_and_title_but_no_user_or_path(session, name) -> None:
    path = Path(session["out"]) / name
    if name == "printed.pdf" and under_wine():
        pytest.skip("Wine lacks what QtPdf (PDFium) needs: it stops on a breakpoint (0x80000003) when "
                    "QPdfDocument loads a PDF; no print-to-file (runs on a real Windows)")
    if not path.exists():
        pytest.skip("QtPdf is not installed: no print-to-file")
    # The metadata fields need poppler's pdfinfo; the privacy check of the raw bytes does not.
    info = "".join(subprocess.run(["pdfinfo", "-enc", "UTF-8", *flag, str(path)], capture_output=True, text=True,
                                  check=True).stdout for flag in ([], ["-meta"])) if shutil.which("pdfinfo") else ""
    if name == "report.pdf" and info:
        assert re.search(rf"^Author:\s+{UNIT}$", info, re.MULTILINE), info
        assert re.search(rf"^Title:\s+{PROJECT}项目支出绩效自评报告$", info, re.MULTILINE), info
    raw = path.read_bytes()
    for private in (USER, session["home"], session["base"], session["data_dir"], "/tmp/", "/root"):
        assert private not in info, (private, info)
        assert private.encode() not in raw


def test_private_traceback_keeps_frames_and_withholds_messages() -> None:
    def inner() -> None:
        raise ValueError("金额 1234.567 不是整数分")

    try:
        try:
            inner()
        except ValueError as exc:
            raise KeyError("项目甲") from exc
    except KeyError as error:
        text = private_traceback(error)
        formatted = PrivateFormatter().formatException((KeyError, error, error.__traceback__))
    assert "in inner" in text and "builtins.ValueError:" in text and "builtins.KeyError:" in text
    assert "1234.567" not in text and "项目甲" not in text
    assert formatted == text


def test_the_source_never_unpickles_or_evaluates() -> None:
    """Nothing read from a file is executed: no pickle, marshal, eval/exec, extension loading."""
    pattern = re.compile(r"\b(pickle|marshal|shelve|dill)\b|(?<![.\w])(eval|exec)\(|enable_load_extension|"
                         r"load_extension\(|yaml\.load\(|__import__\(")  # Qt's dialog.exec() is fine
    offenders = []
    for path in (ROOT / "desktop_app").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if pattern.search(code):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
