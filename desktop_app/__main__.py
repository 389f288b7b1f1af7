"""``python -m desktop_app``: the window, or a CLI subcommand (render / check / snapshot)."""

from __future__ import annotations

import sys


def run() -> int:
    """Dispatch to the CLI for subcommands, else open the window."""
    from .cli import SUBCOMMANDS

    if len(sys.argv) > 1 and sys.argv[1] in SUBCOMMANDS:
        from .cli import main as cli_main

        return cli_main(sys.argv[1:])
    from .app import main

    return main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(run())
