"""Open mutated report files: every one opens, or is refused with a clear message — never a crash.

Valid ``.jxzp`` files and a workspace are mutated the ways files get damaged and forged:
flipped bits, overwritten or zeroed pages, truncation, garbage appended, forged header
fields (page size, page count, journal mode, encoding, application id, schema version),
and — through SQLite itself, checks switched off — rows holding values of the wrong
type, out-of-range numbers, unknown enum values, invalid UTF-8, missing or extra tables
and columns, a rewritten schema. Each file is then opened as the CLI does (read-only:
list, load, totals, checks) and imported as the window does. The outcome is one of:

* opened — the damage did not matter (the file still reads as a valid report);
* refused — a ``StorageError`` whose code (and reason) has a Chinese message, shown as
  the window would show it;
* crash — any other exception (or a hang): must never happen.

Run::

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/fuzz_files.py --files 1000

The smaller run is ``tests/unit/test_fuzz_files.py``.
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SECONDS_PER_FILE = 20


# -- seeds ------------------------------------------------------------------------------------


def make_seeds(folder: Path) -> list[Path]:
    """Valid files to mutate: small and large ``.jxzp`` files and a multi-report workspace."""
    from desktop_app.demo import load_demo
    from desktop_app.domain.model import FundLine, Report, Unparsed
    from desktop_app.storage import Workspace

    folder.mkdir(parents=True, exist_ok=True)
    demo = load_demo()
    big = load_demo()
    big.report_id = "big"
    big.overview.background = "立项背景𬌗" * 4000
    big.fund_lines = [FundLine(f"资金{n}", budget=Decimal(n), allocated=Unparsed("一百", "not_a_number"))
                      for n in range(300)]
    with Workspace.open(folder / "seed-workspace.jxdb") as workspace:
        for report in (demo, big, Report(report_id="empty")):
            workspace.save(report)
        workspace.delete("empty")
        workspace.export_file(demo.report_id, folder / "seed-demo.jxzp")
        workspace.export_file("big", folder / "seed-big.jxzp")
    return [folder / "seed-demo.jxzp", folder / "seed-big.jxzp", folder / "seed-workspace.jxdb"]


# -- mutations --------------------------------------------------------------------------------

Mutation = Callable[[bytearray, random.Random], str]


def _page_size(data: bytes) -> int:
    size = int.from_bytes(data[16:18], "big") if len(data) >= 18 else 4096
    return 65536 if size == 1 else (size or 4096)


def flip_bits(data: bytearray, rng: random.Random) -> str:
    count = rng.choice([1, 2, 8, 64])
    for _ in range(count):
        position = rng.randrange(len(data))
        data[position] ^= 1 << rng.randrange(8)
    return f"flip {count} bits"


def overwrite_range(data: bytearray, rng: random.Random) -> str:
    start = rng.randrange(len(data))
    length = rng.choice([1, 4, 16, 100, 512, 4096])
    data[start:start + length] = bytes(rng.randrange(256) for _ in range(min(length, len(data) - start)))
    return f"overwrite {length} bytes at {start}"


def zero_page(data: bytearray, rng: random.Random) -> str:
    size = _page_size(data)
    page = rng.randrange(max(len(data) // size, 1))
    data[page * size:(page + 1) * size] = bytes(min(size, len(data) - page * size))
    return f"zero page {page + 1}"


def copy_page(data: bytearray, rng: random.Random) -> str:
    size = _page_size(data)
    pages = max(len(data) // size, 1)
    source, target = rng.randrange(pages), rng.randrange(pages)
    data[target * size:(target + 1) * size] = data[source * size:(source + 1) * size]
    return f"copy page {source + 1} over {target + 1}"


def truncate(data: bytearray, rng: random.Random) -> str:
    keep = rng.choice([0, 1, 15, 16, 50, 99, 100, 101, rng.randrange(len(data))])
    del data[keep:]
    return f"truncate to {keep}"


def append_garbage(data: bytearray, rng: random.Random) -> str:
    extra = rng.choice([1, 100, 4096, 10000])
    data.extend(rng.randrange(256) for _ in range(extra))
    return f"append {extra} bytes"


HEADER_FIELDS = {
    "page size": (16, 2), "write version": (18, 1), "read version": (19, 1), "reserved": (20, 1),
    "page count": (28, 4), "freelist": (32, 4), "schema cookie": (40, 4), "schema format": (44, 4),
    "cache size": (48, 4), "encoding": (56, 4), "user_version": (60, 4), "application_id": (68, 4),
    "version valid for": (92, 4),
}


def forge_header(data: bytearray, rng: random.Random) -> str:
    name = rng.choice(sorted(HEADER_FIELDS))
    offset, width = HEADER_FIELDS[name]
    value = rng.choice([0, 1, 2, 3, 255, 2**(8 * width) - 1, rng.randrange(2**(8 * width))])
    data[offset:offset + width] = value.to_bytes(width, "big")
    return f"header {name} = {value}"


BYTE_MUTATIONS: list[Mutation] = [flip_bits, overwrite_range, zero_page, copy_page, truncate, append_garbage,
                                  forge_header, forge_header]

HOSTILE_VALUES: list[Any] = [
    None, 0, -1, 2**63 - 1, -(2**63), 1.5, float("inf"), float("nan"), "", "x", "1E+999999", "-0", "NaN",
    "Infinity", "2021-02-30", "9999-99-99", "not_an_enum", "现场", "\x00", b"\xff\xfe\x00", b"",
    "1" * 100, "9" * 40, "1E-999999", "0.000000001", " 12 ", "<script>",
]


def mutate_rows(path: Path, rng: random.Random) -> str:
    """Valid SQLite, hostile content: wrong types, bad values, missing or extra schema."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute("PRAGMA foreign_keys = OFF")
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        kind = rng.random()
        table = rng.choice(tables)
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        if kind < 0.55:
            column = rng.choice(columns)
            value = rng.choice(HOSTILE_VALUES)
            if isinstance(value, str) and value == "\x00":
                value = "a\x00b"
            if isinstance(value, bytes) and value.startswith(b"\xff"):
                conn.execute(f"UPDATE {table} SET {column} = CAST(? AS TEXT)", (value,))  # invalid UTF-8 text
                described = f"{table}.{column} = invalid UTF-8"
            else:
                conn.execute(f"UPDATE {table} SET {column} = ?", (value,))
                described = f"{table}.{column} = {value!r:.30}"
        elif kind < 0.65:
            conn.execute(f"DELETE FROM {table}")
            described = f"delete all rows of {table}"
        elif kind < 0.72:
            conn.execute(f"DROP TABLE {table}")
            described = f"drop table {table}"
        elif kind < 0.78:
            column = rng.choice(columns)
            conn.execute(f"ALTER TABLE {table} RENAME COLUMN {column} TO renamed_{column}")
            described = f"rename {table}.{column}"
        elif kind < 0.84:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN extra TEXT DEFAULT 'x'")
            described = f"add a column to {table}"
        elif kind < 0.90:
            conn.execute("PRAGMA writable_schema = ON")
            conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?",
                         (rng.choice(["CREATE TABLE x(", "garbage", f"CREATE TABLE {table} (a)"]), table))
            conn.execute("PRAGMA writable_schema = OFF")
            described = f"rewrite the schema of {table}"
        elif kind < 0.95:
            conn.execute(f"INSERT INTO reports (report_id, outline, created_at, updated_at) VALUES (?, ?, ?, ?)",
                         (rng.choice(["", "x", "a" * 1000]), rng.choice(["county_4", "bogus"]),
                          rng.choice(["2021-01-01T00:00:00+00:00", "yesterday"]), "now"))
            described = "insert a half-empty report"
        else:
            conn.execute("UPDATE reports SET updated_at = ?", (rng.choice(["soon", "", "2021-13-45"]),))
            described = "bad timestamps"
        conn.commit()
    except sqlite3.Error as exc:
        described = f"row mutation refused by SQLite ({exc})"
    finally:
        conn.close()
    return described


def mutate(seed_file: Path, target: Path, rng: random.Random) -> str:
    """Write a mutated copy of ``seed_file`` to ``target``; describe what was done."""
    shutil.copyfile(seed_file, target)
    steps = []
    if rng.random() < 0.45:
        steps.append(mutate_rows(target, rng))
        for side in target.parent.glob(target.name + "-*"):
            side.unlink()
    if not steps or rng.random() < 0.4:
        data = bytearray(target.read_bytes())
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            if data:
                steps.append(rng.choice(BYTE_MUTATIONS)(data, rng))
        target.write_bytes(bytes(data))
    return "; ".join(steps)


# -- opening ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What opening one file did."""

    name: str
    mutation: str
    result: str  # "opened", "refused", "crash"
    message: str = ""
    detail: str = ""


@dataclass
class Tally:
    """All outcomes."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def crashes(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.result == "crash"]

    def lines(self) -> list[str]:
        counts = Counter(o.result for o in self.outcomes)
        messages = Counter(o.message for o in self.outcomes if o.result == "refused")
        silent = sum(1 for o in self.outcomes if o.result == "refused" and not o.message)
        lines = [
            f"mutated files opened: {len(self.outcomes)}",
            f"crashes: {counts['crash']}",
            f"refused with a clear message: {counts['refused']}",
            f"still readable (the damage did not matter): {counts['opened']}",
            f"refusals without a Chinese message: {silent}",
            "messages shown:",
        ]
        lines += [f"  {count:4d} × {text}" for text, count in messages.most_common()]
        return lines


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise _Timeout()


def open_like_the_app(path: Path, scratch: Path, render: bool) -> None:
    """Open as the CLI does (read-only, every report, totals, checks) and import as the window does."""
    from desktop_app.domain.checks import validate
    from desktop_app.domain.totals import compute_totals
    from desktop_app.storage import Workspace, open_any

    with open_any(path) as source:
        for summary in source.list_reports(include_deleted=True):
            report = source.load(summary.report_id)
            validate(report, compute_totals(report))
            if render:
                from desktop_app.pdf import render_pdf

                render_pdf(report, io.BytesIO())
    with Workspace.open(scratch) as workspace:
        workspace.import_file(path)


def open_one(path: Path, mutation: str, scratch: Path, render: bool) -> Outcome:
    """Open one mutated file and classify the outcome."""
    from desktop_app.storage import StorageError
    from desktop_app.ui.errors import storage_message

    use_alarm = hasattr(signal, "SIGALRM")
    if use_alarm:
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(SECONDS_PER_FILE)
    try:
        open_like_the_app(path, scratch, render)
    except StorageError as exc:
        message = storage_message(exc)
        clear = bool(message) and not message.startswith("操作失败") and getattr(exc, "code", "") != ""
        return Outcome(path.name, mutation, "refused", message if clear else "",
                       f"{exc.code}/{getattr(exc, 'reason', '')}")
    except _Timeout:
        return Outcome(path.name, mutation, "crash", detail=f"hang over {SECONDS_PER_FILE} s")
    except Exception as exc:  # noqa: BLE001 - this is what is being counted
        return Outcome(path.name, mutation, "crash",
                       detail="".join(traceback.format_exception_only(type(exc), exc)).strip()[:300]
                       + " | " + traceback.format_exc(limit=-3).replace("\n", " ")[-600:])
    finally:
        if use_alarm:
            signal.alarm(0)
    return Outcome(path.name, mutation, "opened")


def fuzz(folder: Path, files: int, seed: int = 7, *, render_every: int = 0, verbose: bool = False) -> Tally:
    """Mutate and open ``files`` files in ``folder``."""
    rng = random.Random(seed)
    seeds = make_seeds(folder / "seeds")
    work = folder / "mutated"
    work.mkdir(exist_ok=True)
    tally = Tally()
    for number in range(files):
        seed_file = seeds[number % len(seeds)]
        target = work / f"{number:04d}{seed_file.suffix}"
        mutation = mutate(seed_file, target, rng)
        scratch = folder / "scratch" / f"{number:04d}.jxdb"
        render = bool(render_every) and number % render_every == 0
        tally.outcomes.append(open_one(target, mutation, scratch, render))
        shutil.rmtree(folder / "scratch", ignore_errors=True)
        target.unlink(missing_ok=True)
        for side in work.glob(target.name + "*"):
            side.unlink()
        if verbose and (number + 1) % 200 == 0:
            print(f"  … {number + 1} files, {len(tally.crashes)} crashes", flush=True)
    return tally


def main(argv: list[str] | None = None) -> int:
    """``fuzz_files.py [--files N] [--seed S] [--render-every K]``."""
    import logging
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.CRITICAL)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--render-every", type=int, default=10, help="also render every K-th file that opens")
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="jxzp-fuzz-") as temp:
        tally = fuzz(Path(temp), args.files, args.seed, render_every=args.render_every, verbose=True)
    for line in tally.lines():
        print(line)
    print(f"time: {time.monotonic() - started:.0f} s")
    for crash in tally.crashes[:15]:
        print(f"CRASH {crash.name}: {crash.mutation}\n    {crash.detail}")
    return 0 if not tally.crashes else 1


if __name__ == "__main__":
    sys.exit(main())
