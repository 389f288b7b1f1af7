"""Cold start of the packaged app to a shown window (issue 8, item 6): target ≤ 1.5 s.

Run (as any user, needs Xvfb and xdotool)::

    python3 bench/start_bench.py [--app /opt/apps/cn.gov.czj.jxzp/files/jxzp] [-n 7]

Without ``--app`` the installed package is measured if present, else the last bundle
built by packaging/linux/build.sh (``$JXZP_CACHE/pkg-<arch>/dist/jxzp/jxzp``). The app is
measured from outside, unchanged: the clock starts when the process is started and stops
when xdotool first sees a visible window of that process id (``_NET_WM_PID``, polled every
10 ms) — the same moment a user sees the window appear. Each run is a new process in its
own Xvfb with a window manager when openbox is there, on one data folder that a first
(unmeasured) run fills with the demo report, like every start after the first. "Cold" is
a new process, not an empty page cache (dropping the caches needs root and slows the whole
machine). Prints each run, the median and the first start (which also creates the data).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 1.5
APPID = "cn.gov.czj.jxzp"


def default_app() -> Path:
    installed = Path(f"/opt/apps/{APPID}/files/jxzp")
    if installed.exists():
        return installed
    cache = Path(os.environ.get("JXZP_CACHE", Path.home() / ".cache" / "jxzp"))
    return cache / f"pkg-{platform.machine()}" / "dist" / "jxzp" / "jxzp"


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """An Xvfb on a free display number (-displayfd), and that display's name."""
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24",
                             "-nolisten", "tcp"], pass_fds=(write,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        raise SystemExit("Xvfb did not start")
    return xvfb, f":{number}"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_to_window(app: Path, data: Path, env: dict[str, str], timeout: float = 30.0) -> tuple[float, float]:
    """(wall, CPU) seconds from starting ``app`` to xdotool seeing its visible window.

    The CPU time the app used until then is what the wall time would be on an idle machine
    with a warm cache (start-up is one thread): on a loaded machine it is the steadier figure.
    The app is ended afterwards.
    """
    start = time.perf_counter()
    proc = subprocess.Popen([str(app), "--data-dir", str(data)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < timeout:
            found = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(proc.pid)],
                                   env=env, capture_output=True, text=True)
            if found.stdout.strip():
                return time.perf_counter() - start, cpu_seconds(proc.pid)
            if proc.poll() is not None:
                raise SystemExit(f"{app} exited with {proc.returncode} before showing a window")
            time.sleep(0.01)
        raise SystemExit(f"no window of {app} within {timeout} s")
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=None, help="the jxzp executable to start")
    parser.add_argument("-n", type=int, default=7, help="measured starts (median printed)")
    args = parser.parse_args(argv)
    app = args.app or default_app()
    if not app.exists():
        raise SystemExit(f"no {app}: build it (packaging/linux/build.sh) or pass --app")
    for tool in ("Xvfb", "xdotool"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed")
    xvfb, display = start_xvfb()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "WAYLAND"))}
    env.update(DISPLAY=display, LANG="zh_CN.UTF-8" if "zh_CN.utf8" in _locales() else "C.UTF-8")
    wm = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL) if shutil.which("openbox") else None
    try:
        with tempfile.TemporaryDirectory(prefix="jxzp-start-") as tmp:
            data = Path(tmp) / "data"
            first = time_to_window(app, data, env)
            runs = [time_to_window(app, data, env) for _ in range(args.n)]
    finally:
        for proc in (wm, xvfb):
            if proc:
                proc.terminate()
                proc.wait()
    median = statistics.median(wall for wall, _ in runs)
    cpu = statistics.median(used for _, used in runs)
    print(f"app: {app}")
    print("starts, wall (s): " + " ".join(f"{wall:.2f}" for wall, _ in runs))
    print("starts, CPU (s):  " + " ".join(f"{used:.2f}" for _, used in runs))
    print(f"first start (creates the data folder): {first[0]:.2f} s wall, {first[1]:.2f} s CPU")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"cold start to a shown window, median of {len(runs)}: {median:.2f} s wall, {cpu:.2f} s CPU "
          f"(target ≤ {TARGET_S} s: {'ok' if median <= TARGET_S else 'OVER'})")
    return 0 if median <= TARGET_S else 1


def _locales() -> str:
    try:
        return subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
