"""Which Qt input context the app should use on Linux, decided before QApplication exists.

Facts this rests on (shared/linux-input.md, measured): the PySide6 wheels ship only the
``compose`` and ``ibus`` input contexts; a clerk on UOS 20 / Kylin V10 runs fcitx (4 or 5),
whose session exports ``QT_IM_MODULE=fcitx``. With no fcitx plugin Qt silently falls back to
``compose`` and Chinese cannot be typed. The packaged app bundles fcitx plugins (see
packaging/linux/fcitx): ``fcitx`` (fcitx-qt5, speaks fcitx 4's protocol, which fcitx5 also
serves) and, where the package ships it, ``fcitx5`` (fcitx5-qt). A fcitx plugin stays "valid"
with no input method running, so Qt never falls through it: the choice is made here from who
owns the session bus. Without
a bundled plugin (a source checkout), fcitx5 is still reached through its IBus frontend:
Qt's ``ibus`` plugin with ``IBUS_USE_PORTAL=1``. Qt 6.11 reads ``QT_IM_MODULES`` before
``QT_IM_MODULE``, so both are set.

Stdlib only: the session bus is asked with one raw D-Bus ``ListNames`` call over its socket,
bounded by a short timeout, because neither a dbus Python module nor ``gdbus`` can be assumed.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import socket
import struct
import sys
import time
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

log = logging.getLogger(__name__)

#: The app's own override: a Qt input-context key (``fcitx``, ``fcitx5``, ``ibus``, ``compose``…).
OVERRIDE_VAR = "JXZP_QT_IM_MODULE"

FCITX5_NAME = "org.fcitx.Fcitx5"
FCITX4_PREFIX = "org.fcitx.Fcitx-"  # fcitx 4 owns org.fcitx.Fcitx-<display number>
FCITX_PORTAL = "org.freedesktop.portal.Fcitx"  # fcitx5, and fcitx 4 >= 4.2.9.7
IBUS_NAME = "org.freedesktop.IBus"  # a real ibus-daemon
IBUS_PORTAL = "org.freedesktop.portal.IBus"  # ibus-daemon, or fcitx5's IBus frontend

#: Plugin file of each fcitx key, as built by packaging/linux/fcitx/build-plugins.sh.
PLUGIN_FILES = {
    "fcitx5": ("libfcitx5platforminputcontextplugin.so",),
    "fcitx": ("libfcitxplatforminputcontextplugin-qt6.so", "libfcitxplatforminputcontextplugin.so"),
}

BUS_TIMEOUT = 0.2  # seconds for the whole bus question; on any trouble the answer is "unknown"


@dataclass(frozen=True)
class InputMethodChoice:
    """What to tell Qt: ``module`` is None when the environment is left as it is."""

    module: str | None
    reason: str
    env: dict[str, str] = field(default_factory=dict)


def choose_input_method(
    environ: Mapping[str, str],
    plugin_dirs: Sequence[Path],
    bus_names: Callable[[], frozenset[str] | None],
    platform: str | None = None,
) -> InputMethodChoice:
    """Decide the Qt input context for this session.

    Args:
        environ: the process environment (read only).
        plugin_dirs: Qt plugin folders, each holding ``platforminputcontexts/``.
        bus_names: returns the names owned on the session bus, or None if it cannot tell;
            only called when the answer matters.
        platform: ``sys.platform`` of the system to answer for (default: this one).

    Returns:
        The choice; its ``env`` holds the variables to set before QApplication exists.
    """
    if not (platform or sys.platform).startswith("linux"):
        return InputMethodChoice(None, "not Linux: Qt's platform input context is right")
    override = environ.get(OVERRIDE_VAR, "").strip()
    if override:
        return InputMethodChoice(override, f"{OVERRIDE_VAR} set", _module_env(override))
    if environ.get("QT_IM_MODULES", "").strip():
        return InputMethodChoice(None, "QT_IM_MODULES set by the user: respected")
    requested = environ.get("QT_IM_MODULE", "").strip().lower()
    fcitx_session = requested in ("fcitx", "fcitx5") or "@im=fcitx" in environ.get("XMODIFIERS", "").lower()
    if requested and requested not in ("fcitx", "fcitx5"):
        return InputMethodChoice(None, f"QT_IM_MODULE={requested} chosen by the session: respected")

    names = bus_names()
    bundled = [key for key in ("fcitx5", "fcitx") if _bundled(key, plugin_dirs)]
    if names is None:
        if fcitx_session and bundled:
            preferred = requested if requested in bundled else bundled[0]
            return InputMethodChoice(preferred, "fcitx session, bus unknown: bundled plugin", _module_env(preferred))
        return InputMethodChoice(None, "session bus unknown: environment left as it is")

    fcitx5 = FCITX5_NAME in names
    fcitx4 = not fcitx5 and any(n.startswith(FCITX4_PREFIX) for n in names)
    if fcitx5 or fcitx4:
        order = ("fcitx5", "fcitx") if fcitx5 else ("fcitx", "fcitx5")
        if not fcitx5 and FCITX_PORTAL not in names:
            order = ("fcitx",)  # fcitx 4 older than 4.2.9.7: only fcitx-qt5's protocol
        for key in order:
            if key in bundled:
                who = "fcitx5" if fcitx5 else "fcitx 4"
                return InputMethodChoice(key, f"{who} owns the session bus; plugin {key} bundled", _module_env(key))
        if IBUS_PORTAL in names:
            return InputMethodChoice("ibus", "fcitx runs, no fcitx plugin: its IBus frontend",
                                     {**_module_env("ibus"), "IBUS_USE_PORTAL": "1"})
        return InputMethodChoice(None, "fcitx 4 runs but no fcitx plugin is bundled: Chinese input unavailable")
    if IBUS_NAME in names or IBUS_PORTAL in names:
        if fcitx_session:  # a stale fcitx export while ibus is what runs
            return InputMethodChoice("ibus", "ibus owns the session bus", _module_env("ibus"))
        return InputMethodChoice(None, "ibus session: Qt's default is right")
    return InputMethodChoice(None, "no input method on the session bus")


def configure_input_method(environ: MutableMapping[str, str] | None = None) -> InputMethodChoice:
    """Choose the input context for this process and export it; call before QApplication.

    Returns:
        The choice made (logged), for tests and diagnostics.
    """
    env = os.environ if environ is None else environ
    started = time.monotonic()
    choice = choose_input_method(env, qt_plugin_dirs(env), lambda: session_bus_names(env))
    env.update(choice.env)
    log.info("input method: %s (%s, %.0f ms)", choice.module or "unchanged", choice.reason,
             (time.monotonic() - started) * 1000)
    return choice


def _module_env(module: str) -> dict[str, str]:
    return {"QT_IM_MODULE": module, "QT_IM_MODULES": module}


def _bundled(key: str, plugin_dirs: Iterable[Path]) -> bool:
    return any((d / "platforminputcontexts" / name).is_file() for d in plugin_dirs for name in PLUGIN_FILES[key])


def qt_plugin_dirs(environ: Mapping[str, str]) -> list[Path]:
    """Qt plugin folders in Qt's order: ``QT_PLUGIN_PATH`` entries, then PySide6's own."""
    dirs = [Path(p) for p in environ.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        dirs.append(Path(frozen) / "PySide6" / "Qt" / "plugins")
    else:
        spec = importlib.util.find_spec("PySide6")  # locates the package without importing Qt
        if spec is not None and spec.submodule_search_locations:
            dirs.extend(Path(p) / "Qt" / "plugins" for p in spec.submodule_search_locations)
    return dirs


# --- a raw D-Bus ListNames call ------------------------------------------------------------------


def session_bus_names(environ: Mapping[str, str], timeout: float = BUS_TIMEOUT) -> frozenset[str] | None:
    """Names owned on the session bus, or None when the bus cannot be asked in ``timeout``."""
    address = environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    if not address:
        runtime = environ.get("XDG_RUNTIME_DIR", "")
        if not runtime or not os.path.exists(os.path.join(runtime, "bus")):
            return None
        address = f"unix:path={runtime}/bus"
    deadline = time.monotonic() + timeout
    for target in _unix_targets(address):
        try:
            return _list_names(target, deadline)
        except (OSError, ValueError, struct.error) as exc:
            log.debug("session bus %r: %s", address, exc)
    return None


def _unix_targets(address: str) -> list[str]:
    """Socket addresses of the ``unix:`` entries of a D-Bus address (abstract ones start with NUL)."""
    targets = []
    for entry in address.split(";"):
        transport, _, params = entry.partition(":")
        if transport != "unix":
            continue
        keys = dict(kv.split("=", 1) for kv in params.split(",") if "=" in kv)
        if "path" in keys:
            targets.append(unquote(keys["path"]))
        elif "abstract" in keys:
            targets.append("\0" + unquote(keys["abstract"]))
    return targets


def _list_names(target: str, deadline: float) -> frozenset[str]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(max(0.001, deadline - time.monotonic()))
        sock.connect(target)
        uid = str(os.getuid()).encode().hex()
        sock.sendall(b"\0AUTH EXTERNAL " + uid.encode() + b"\r\n")
        reader = _Reader(sock, deadline)
        if not reader.line().startswith(b"OK "):
            raise ValueError("D-Bus authentication refused")
        sock.sendall(b"BEGIN\r\n"
                     + _method_call(1, "Hello")
                     + _method_call(2, "ListNames"))
        while True:
            msg_type, reply_serial, signature, body = reader.message()
            if reply_serial != 2:
                continue  # Hello's reply and the NameAcquired signal
            if msg_type != 2 or signature != "as":
                raise ValueError("ListNames failed")
            return frozenset(_strings(body))


def _method_call(serial: int, member: str) -> bytes:
    """A little-endian METHOD_CALL to org.freedesktop.DBus with no arguments."""
    fields = b""
    for code, sig, value in ((1, b"o", "/org/freedesktop/DBus"), (2, b"s", "org.freedesktop.DBus"),
                             (3, b"s", member), (6, b"s", "org.freedesktop.DBus")):
        fields += b"\0" * (-len(fields) % 8)
        encoded = value.encode()
        fields += struct.pack("<B B", code, 1) + sig + b"\0"
        fields += b"\0" * (-len(fields) % 4)
        fields += struct.pack("<I", len(encoded)) + encoded + b"\0"
    header = struct.pack("<cBBBIII", b"l", 1, 0, 1, 0, serial, len(fields)) + fields
    return header + b"\0" * (-len(header) % 8)


def _strings(body: bytes) -> list[str]:
    (length,) = struct.unpack_from("<I", body, 0)
    pos, end, names = 4, 4 + length, []
    while pos < end:
        pos += -pos % 4
        (size,) = struct.unpack_from("<I", body, pos)
        names.append(body[pos + 4:pos + 4 + size].decode("utf-8", "replace"))
        pos += 4 + size + 1
    return names


class _Reader:
    """Buffered reads from the bus socket that respect one deadline."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock, self.deadline, self.buf = sock, deadline, b""

    def _fill(self, size: int) -> None:
        while len(self.buf) < size:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("session bus too slow")
            self.sock.settimeout(remaining)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("session bus closed the connection")
            self.buf += chunk

    def line(self) -> bytes:
        while b"\r\n" not in self.buf:
            self._fill(len(self.buf) + 1)
        line, _, self.buf = self.buf.partition(b"\r\n")
        return line

    def message(self) -> tuple[int, int, str, bytes]:
        """(type, reply serial, body signature, body) of the next message."""
        self._fill(16)
        endian = "<" if self.buf[:1] == b"l" else ">"
        msg_type = self.buf[1]
        body_len, _serial, fields_len = struct.unpack_from(endian + "III", self.buf, 4)
        header_len = 16 + fields_len + (-(16 + fields_len) % 8)
        self._fill(header_len + body_len)
        fields = self.buf[16:16 + fields_len]
        body = self.buf[header_len:header_len + body_len]
        self.buf = self.buf[header_len + body_len:]
        reply_serial, signature = _header_fields(fields, endian)
        if endian == ">" and signature == "as":
            raise ValueError("big-endian reply not supported")
        return msg_type, reply_serial, signature, body


def _header_fields(fields: bytes, endian: str) -> tuple[int, str]:
    """REPLY_SERIAL and SIGNATURE from a header-field array (offsets relative to byte 16: 8-aligned)."""
    pos, reply_serial, signature = 0, 0, ""
    while pos < len(fields):
        pos += -pos % 8
        if pos >= len(fields):
            break
        code, sig_len = fields[pos], fields[pos + 1]
        sig = fields[pos + 2:pos + 2 + sig_len].decode()
        pos += 3 + sig_len
        if sig in ("s", "o"):
            pos += -pos % 4
            (size,) = struct.unpack_from(endian + "I", fields, pos)
            pos += 4 + size + 1
        elif sig == "g":
            size = fields[pos]
            value = fields[pos + 1:pos + 1 + size].decode()
            pos += 2 + size
            if code == 8:
                signature = value
        elif sig == "u":
            pos += -pos % 4
            (value_u,) = struct.unpack_from(endian + "I", fields, pos)
            pos += 4
            if code == 5:
                reply_serial = value_u
        else:
            raise ValueError(f"unexpected header field type {sig!r}")
    return reply_serial, signature
