"""Choosing Qt's input context on Linux (desktop_app.system.input_method): pure, no Qt."""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import threading
import time
from pathlib import Path

import pytest

from desktop_app.system import input_method as im
from desktop_app.system.input_method import choose_input_method
from tests.platforms import windows_lacks

#: The D-Bus session bus is reached over a Unix socket, which Python on Windows cannot open.
needs_unix_sockets = windows_lacks("AF_UNIX sockets in Python, and no D-Bus session bus (a Linux "
                                   "desktop's; input methods are chosen on Linux only)")

FCITX5_BUS = frozenset({"org.freedesktop.DBus", "org.fcitx.Fcitx5", "org.fcitx.Fcitx-0",
                        "org.freedesktop.portal.Fcitx", "org.freedesktop.portal.IBus"})
FCITX4_BUS = frozenset({"org.freedesktop.DBus", "org.fcitx.Fcitx-0", "org.freedesktop.portal.Fcitx"})
OLD_FCITX4_BUS = frozenset({"org.freedesktop.DBus", "org.fcitx.Fcitx-0"})
IBUS_BUS = frozenset({"org.freedesktop.DBus", "org.freedesktop.IBus", "org.freedesktop.portal.IBus"})
EMPTY_BUS = frozenset({"org.freedesktop.DBus"})


def plugins(tmp_path: Path, *keys: str) -> list[Path]:
    """A Qt plugin folder holding the given fcitx plugins (as the bundle has them)."""
    folder = tmp_path / "plugins" / "platforminputcontexts"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "libqtvirtualkeyboardplugin.so").write_bytes(b"")
    for key in keys:
        (folder / im.PLUGIN_FILES[key][0]).write_bytes(b"\x7fELF")
    return [tmp_path / "plugins"]


def choose(env: dict[str, str], dirs: list[Path], names: frozenset[str] | None, platform: str = "linux"):
    asked = []

    def bus() -> frozenset[str] | None:
        asked.append(True)
        return names

    choice = choose_input_method(env, dirs, bus, platform)
    return choice, bool(asked)


FCITX_ENV = {"QT_IM_MODULE": "fcitx", "XMODIFIERS": "@im=fcitx", "DBUS_SESSION_BUS_ADDRESS": "unix:path=/x"}


def test_other_systems_are_left_alone(tmp_path: Path) -> None:
    choice, asked = choose(FCITX_ENV, plugins(tmp_path, "fcitx"), FCITX5_BUS, platform="win32")
    assert choice.module is None and choice.env == {} and not asked


def test_the_apps_own_override_wins(tmp_path: Path) -> None:
    choice, asked = choose({**FCITX_ENV, im.OVERRIDE_VAR: "compose"}, plugins(tmp_path, "fcitx5"), FCITX5_BUS)
    assert choice.env == {"QT_IM_MODULE": "compose", "QT_IM_MODULES": "compose"} and not asked


@pytest.mark.parametrize("env", [{"QT_IM_MODULES": "ibus;compose"}, {"QT_IM_MODULE": "ibus"},
                                 {"QT_IM_MODULE": "compose", "XMODIFIERS": "@im=fcitx"}])
def test_an_explicit_non_fcitx_choice_is_respected(tmp_path: Path, env: dict[str, str]) -> None:
    choice, asked = choose(env, plugins(tmp_path, "fcitx", "fcitx5"), FCITX5_BUS)
    assert choice.module is None and choice.env == {} and not asked


@pytest.mark.parametrize("env", [FCITX_ENV, {"QT_IM_MODULE": "fcitx5"}, {"XMODIFIERS": "@im=fcitx"}, {}])
def test_fcitx5_on_the_bus_gets_the_fcitx5_plugin(tmp_path: Path, env: dict[str, str]) -> None:
    choice, _ = choose(env, plugins(tmp_path, "fcitx", "fcitx5"), FCITX5_BUS)
    assert choice.env == {"QT_IM_MODULE": "fcitx5", "QT_IM_MODULES": "fcitx5"}


def test_fcitx5_with_only_the_fcitx4_protocol_plugin(tmp_path: Path) -> None:
    choice, _ = choose(FCITX_ENV, plugins(tmp_path, "fcitx"), FCITX5_BUS)
    assert choice.module == "fcitx"


def test_fcitx5_without_a_plugin_falls_back_to_its_ibus_frontend(tmp_path: Path) -> None:
    choice, _ = choose(FCITX_ENV, plugins(tmp_path), FCITX5_BUS)
    assert choice.env == {"QT_IM_MODULE": "ibus", "QT_IM_MODULES": "ibus", "IBUS_USE_PORTAL": "1"}


def test_fcitx5_with_its_ibus_frontend_off_and_no_plugin(tmp_path: Path) -> None:
    choice, _ = choose(FCITX_ENV, plugins(tmp_path), FCITX5_BUS - {"org.freedesktop.portal.IBus"})
    assert choice.module is None and choice.env == {}


def test_fcitx4_prefers_its_own_protocol(tmp_path: Path) -> None:
    assert choose(FCITX_ENV, plugins(tmp_path, "fcitx", "fcitx5"), FCITX4_BUS)[0].module == "fcitx"
    # fcitx5-qt reaches fcitx 4 >= 4.2.9.7 through org.freedesktop.portal.Fcitx
    assert choose(FCITX_ENV, plugins(tmp_path / "b", "fcitx5"), FCITX4_BUS)[0].module == "fcitx5"


def test_old_fcitx4_needs_the_fcitx4_protocol_plugin(tmp_path: Path) -> None:
    assert choose(FCITX_ENV, plugins(tmp_path, "fcitx5"), OLD_FCITX4_BUS)[0].module is None


def test_fcitx4_without_any_plugin_changes_nothing(tmp_path: Path) -> None:
    choice, _ = choose(FCITX_ENV, plugins(tmp_path), FCITX4_BUS)
    assert choice.module is None and "unavailable" in choice.reason


def test_a_stale_fcitx_export_while_ibus_runs(tmp_path: Path) -> None:
    choice, _ = choose(FCITX_ENV, plugins(tmp_path, "fcitx", "fcitx5"), IBUS_BUS)
    assert choice.env == {"QT_IM_MODULE": "ibus", "QT_IM_MODULES": "ibus"}


def test_an_ibus_session_keeps_qts_default(tmp_path: Path) -> None:
    assert choose({}, plugins(tmp_path, "fcitx"), IBUS_BUS)[0].env == {}


def test_no_input_method_running(tmp_path: Path) -> None:
    """A fcitx plugin stays valid with no fcitx running: it is not chosen then."""
    assert choose(FCITX_ENV, plugins(tmp_path, "fcitx", "fcitx5"), EMPTY_BUS)[0].env == {}


def test_unknown_bus_trusts_the_session_and_the_bundle(tmp_path: Path) -> None:
    dirs = plugins(tmp_path, "fcitx", "fcitx5")
    assert choose(FCITX_ENV, dirs, None)[0].module == "fcitx"
    assert choose({"QT_IM_MODULE": "fcitx5"}, dirs, None)[0].module == "fcitx5"
    assert choose(FCITX_ENV, plugins(tmp_path / "b"), None)[0].env == {}
    assert choose({}, dirs, None)[0].env == {}


def test_plugin_dirs_follow_qt_plugin_path_then_pyside6(tmp_path: Path) -> None:
    dirs = im.qt_plugin_dirs({"QT_PLUGIN_PATH": f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}"})
    assert dirs[:2] == [tmp_path / "a", tmp_path / "b"]
    assert all(d.parts[-2:] == ("Qt", "plugins") for d in dirs[2:])


def test_the_frozen_app_uses_its_bundled_qt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(im.sys, "_MEIPASS", str(tmp_path), raising=False)
    assert im.qt_plugin_dirs({}) == [tmp_path / "PySide6" / "Qt" / "plugins"]


def test_a_plugin_on_qt_plugin_path_counts(tmp_path: Path) -> None:
    extra = plugins(tmp_path / "extra", "fcitx5")[0]
    dirs = im.qt_plugin_dirs({"QT_PLUGIN_PATH": str(extra)})
    assert choose(FCITX_ENV, dirs, FCITX5_BUS)[0].module == "fcitx5"


def test_configure_exports_the_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(im, "session_bus_names", lambda env, timeout=0.2: FCITX5_BUS)
    monkeypatch.setattr(im, "qt_plugin_dirs", lambda env: [])
    env = dict(FCITX_ENV)
    choice = im.configure_input_method(env)
    if not im.sys.platform.startswith("linux"):
        assert choice.module is None and env == FCITX_ENV
        return
    assert choice.module == "ibus"
    assert env["QT_IM_MODULES"] == "ibus" and env["IBUS_USE_PORTAL"] == "1" and env["XMODIFIERS"] == "@im=fcitx"


# --- the raw D-Bus call, against a fake bus and (when installed) a real dbus-daemon -------------


def _reply(serial: int, reply_to: int, signature: str, body: bytes, msg_type: int = 2) -> bytes:
    fields = b""
    if reply_to:
        fields += struct.pack("<BB", 5, 1) + b"u\0" + struct.pack("<I", reply_to)
    if signature:
        fields += b"\0" * (-len(fields) % 8)
        fields += struct.pack("<BB", 8, 1) + b"g\0" + bytes([len(signature)]) + signature.encode() + b"\0"
    header = struct.pack("<cBBBIII", b"l", msg_type, 0, 1, len(body), serial, len(fields)) + fields
    return header + b"\0" * (-len(header) % 8) + body


def _string_array(names: list[str]) -> bytes:
    items = b""
    for name in names:
        items += b"\0" * (-len(items) % 4)
        items += struct.pack("<I", len(name)) + name.encode() + b"\0"
    return struct.pack("<I", len(items)) + items


def _fake_bus(path: str, answer: bool) -> threading.Thread:
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(1)

    def serve() -> None:
        conn, _ = server.accept()
        with conn, server:
            data = b""
            while b"\r\n" not in data:
                data += conn.recv(1024)
            assert data.startswith(b"\0AUTH EXTERNAL ")
            if not answer:
                time.sleep(1.0)
                return
            conn.sendall(b"OK 0123456789abcdef0123456789abcdef\r\n")
            while b"ListNames" not in data:
                data += conn.recv(4096)
            conn.sendall(_reply(1, 1, "s", struct.pack("<I", 4) + b":1.7\0")
                         + _reply(2, 0, "s", struct.pack("<I", 4) + b":1.7\0", msg_type=4)
                         + _reply(3, 2, "as", _string_array(["org.freedesktop.DBus", "org.fcitx.Fcitx5", ":1.7"])))
            time.sleep(0.05)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


@needs_unix_sockets
def test_bus_names_from_a_fake_bus(tmp_path: Path) -> None:
    sock = str(tmp_path / "bus")
    thread = _fake_bus(sock, answer=True)
    names = im.session_bus_names({"DBUS_SESSION_BUS_ADDRESS": f"unix:path={sock},guid=00"})
    thread.join(2)
    assert names == frozenset({"org.freedesktop.DBus", "org.fcitx.Fcitx5", ":1.7"})


@needs_unix_sockets
def test_a_silent_bus_times_out(tmp_path: Path) -> None:
    sock = str(tmp_path / "bus")
    _fake_bus(sock, answer=False)
    started = time.monotonic()
    assert im.session_bus_names({"DBUS_SESSION_BUS_ADDRESS": f"unix:path={sock}"}, timeout=0.1) is None
    assert time.monotonic() - started < 0.5


@needs_unix_sockets
@pytest.mark.parametrize("address", ["", "unix:path=/nonexistent/bus", "tcp:host=localhost,port=1",
                                     "unix:abstract=/nonexistent-jxzp-test"])
def test_no_bus_is_unknown(address: str) -> None:
    assert im.session_bus_names({"DBUS_SESSION_BUS_ADDRESS": address, "XDG_RUNTIME_DIR": "/nonexistent"}) is None


def test_address_parsing() -> None:
    assert im._unix_targets("unix:abstract=/tmp/dbus-x,guid=1;unix:path=/run/user/1%2c/bus") == [
        "\0/tmp/dbus-x", "/run/user/1,/bus"]


@pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="dbus-daemon not installed")
@needs_unix_sockets  # the closest mark is evaluated first: on Windows this is the reason
def test_bus_names_from_a_real_dbus_daemon(tmp_path: Path) -> None:
    address = f"unix:path={tmp_path / 'bus'}"
    config = tmp_path / "session.conf"
    config.write_text(f"""<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>{address}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
<allow own="*"/></policy></busconfig>""")
    daemon = subprocess.Popen(["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert daemon.stdout is not None and daemon.stdout.readline()
        started = time.monotonic()
        names = im.session_bus_names({"DBUS_SESSION_BUS_ADDRESS": address}, timeout=1.0)
        assert names is not None and "org.freedesktop.DBus" in names
        assert time.monotonic() - started < 0.5
    finally:
        daemon.terminate()
        daemon.wait(5)
        assert daemon.stdout is not None
        daemon.stdout.close()
