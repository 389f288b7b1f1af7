"""How long the live checks take: one full check run, and one keystroke to screen.

Run: ``./run cli`` is not needed — ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/check_bench.py``.
Prints the median and p95 of (1) compute_totals + validate after one text field changed
(what each keystroke costs; unchanged texts hit the extraction cache), also cold for
reference, and (2) a keystroke in the funds table and in a text field to the repainted
window, offscreen. Target: both medians ≤ 10 ms on the team's 2-core machine.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from big_report import big_report, text_size  # noqa: E402

from desktop_app.domain import textcheck  # noqa: E402
from desktop_app.domain.checks import validate  # noqa: E402
from desktop_app.domain.totals import compute_totals  # noqa: E402


def summary(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"{name:<44} median {statistics.median(ordered) * 1000:7.2f} ms   p95 {p95 * 1000:7.2f} ms   (n={len(ordered)})"


def bench_checks(report, rounds: int = 60) -> None:
    warm, cold = [], []
    for n in range(rounds):
        report.overview.effects += "据" if n % 2 else "悉"  # one keystroke in one field
        started = time.perf_counter()
        validate(report, compute_totals(report))
        warm.append(time.perf_counter() - started)
    for _ in range(10):
        textcheck.mentions.cache_clear()
        started = time.perf_counter()
        validate(report, compute_totals(report))
        cold.append(time.perf_counter() - started)
    print(summary("full check run after one keystroke", warm))
    print(summary("full check run, text cache cold", cold))


def bench_window(report, rounds: int = 40, label: str = "") -> None:
    from PySide6.QtWidgets import QApplication

    from desktop_app.domain.checks import Tab
    from desktop_app.ui.document import ReportDocument
    from desktop_app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow(ReportDocument(report))
    window.resize(1280, 900)
    window.show()
    app.processEvents()

    def measure(name: str, tab: Tab, keystroke) -> None:  # type: ignore[no-untyped-def]
        window.tabs.setCurrentWidget(window.tab_pages[tab])
        app.processEvents()
        samples = []
        for n in range(rounds):
            started = time.perf_counter()
            keystroke(n)
            app.processEvents()  # delivers the posted paint events: what changed is on screen
            samples.append(time.perf_counter() - started)
        print(summary(f"{name}{label}", samples))

    funds = window.tab_pages[Tab.FUNDS].model
    budget = funds.index(0, funds.column_of_key("budget"))
    measure("keystroke in the funds table → screen", Tab.FUNDS,
            lambda n: funds.setData(budget, f"3{n % 10}0"))
    editor = window.tab_pages[Tab.OVERVIEW].fields[("overview", "background")].widget
    measure("keystroke in a long text field → screen", Tab.OVERVIEW,
            lambda n: editor.insertPlainText("据"))
    window.close()


def main() -> None:
    report = big_report()
    print(f"report: {len(report.fund_lines)} fund lines, {len(report.indicators)} indicators, "
          f"{text_size(report) / 1000:.0f} KB of text, {len(validate(report))} findings")
    bench_checks(report)
    bench_window(big_report())
    from desktop_app.demo import load_demo

    bench_window(load_demo(), label=" (demo)")


if __name__ == "__main__":
    main()
