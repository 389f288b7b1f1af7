"""The computer's name, for the workspace lock's "held by … on …" message.

Asked of the operating system without the ``socket`` module (the app opens no socket and
its privacy test audits every ``socket.*`` call) and without :mod:`platform`, which asks
WMI first on Windows (slow there, and missing under Wine).
"""

from __future__ import annotations

import os


def host_name(nt: bool = os.name == "nt", environ: os._Environ[str] | dict[str, str] = os.environ) -> str:
    """This computer's network name ("" when the system does not say)."""
    if nt:
        return environ.get("COMPUTERNAME", "")  # set by Windows for every process
    try:
        return os.uname().nodename
    except (AttributeError, OSError):  # pragma: no cover - every POSIX system has uname
        return ""
