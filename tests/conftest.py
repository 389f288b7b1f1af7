"""Shared fixtures. Qt runs offscreen; nothing touches the real user data folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.name == "nt":  # offscreen Qt on Windows reads fonts from a folder, not from the system
    os.environ.setdefault("QT_QPA_FONTDIR", os.path.join(os.environ.get("WINDIR", r"C:\Windows"), "Fonts"))

import pytest  # noqa: E402

from desktop_app.demo import load_demo  # noqa: E402
from desktop_app.domain.model import Report  # noqa: E402


@pytest.fixture
def demo() -> Report:
    """A fresh copy of the Fengdu demo report."""
    return load_demo()


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Point HOME and XDG folders at tmp so no test writes to the real user folders."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    yield
