"""Entry script of the frozen app (PyInstaller runs it as ``__main__``, outside the package)."""

import sys

from desktop_app.__main__ import run

if __name__ == "__main__":
    sys.exit(run())
