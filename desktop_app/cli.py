"""Command-line subcommands: render, check and snapshot.

``render`` and ``check`` need no GUI and never import PySide6. FILE is a ``.jxzp``
report file or a workspace database (opened read-only); ``--report`` picks one report
when it holds several; ``--demo`` uses the bundled demo report.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .domain.model import Report

SUBCOMMANDS = ("render", "check", "snapshot")


class CliError(Exception):
    """A problem to print as one line, with exit code 2."""


def _add_source(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", type=Path, help=".jxzp 报告文件或工作区数据库")
    parser.add_argument("--demo", action="store_true", help="使用内置演示报告")
    parser.add_argument("--report", help="文件中有多份报告时，指定报告编号")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the subcommands."""
    parser = argparse.ArgumentParser(prog="python -m desktop_app", description="绩效自评报告编制助手")
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="生成 PDF")
    _add_source(render)
    render.add_argument("-o", "--output", type=Path, required=True, help="PDF 输出路径")
    check = commands.add_parser("check", help="校验报告，有错误时退出码为 1")
    _add_source(check)
    snapshot = commands.add_parser("snapshot", help="把每个页签和每页 PDF 截图为 PNG")
    _add_source(snapshot)
    snapshot.add_argument("directory", type=Path, help="输出文件夹")
    return parser


def load_report(file: Path | None, demo: bool, report_id: str | None) -> Report:
    """The report named on the command line."""
    if demo:
        from .demo import load_demo

        return load_demo()
    if file is None:
        raise CliError("请指定报告文件，或使用 --demo")
    if not file.exists():
        raise CliError(f"文件不存在：{file}")
    from .storage import StorageError, open_any

    try:
        with open_any(file) as workspace:
            summaries = workspace.list_reports()
            if report_id is None:
                if len(summaries) != 1:
                    listing = "\n".join(f"  {s.report_id}  {s.fiscal_year or ''} {s.project_name}" for s in summaries)
                    raise CliError(f"文件中有 {len(summaries)} 份报告，请用 --report 指定：\n{listing}")
                report_id = summaries[0].report_id
            return workspace.load(report_id)
    except StorageError as exc:
        raise CliError(_storage_text(exc)) from exc


def _storage_text(exc: Exception) -> str:
    code = getattr(exc, "code", "")
    return {
        "not_ours": "这个文件不是本程序的报告文件（或已损坏）。",
        "newer_version": "这个文件由更新版本的程序创建，请升级后再打开。",
        "damaged": "文件已损坏，无法读取。",
        "not_found": "文件中没有这份报告。",
    }.get(code, f"无法读取文件：{exc}")


def cmd_render(args: argparse.Namespace) -> int:
    """Write the PDF."""
    from .pdf import FontsUnavailableError, render_pdf

    report = load_report(args.file, args.demo, args.report)
    started = time.perf_counter()
    try:
        pages = render_pdf(report, args.output)
    except FontsUnavailableError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"无法写入 {args.output}：{exc.strerror or exc}") from exc
    print(f"已生成 {args.output}（{pages} 页，{time.perf_counter() - started:.2f} 秒）")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Print the findings; exit 1 when there are errors."""
    from .domain.checks import Severity, has_errors, validate
    from .messages import SEVERITIES, finding_location, finding_message

    report = load_report(args.file, args.demo, args.report)
    findings = validate(report)
    for finding in findings:
        print(f"{SEVERITIES[finding.severity]}\t{finding_location(finding)}\t{finding_message(finding)}")
    errors = sum(f.severity is Severity.ERROR for f in findings)
    print(f"共 {errors} 个错误，{len(findings) - errors} 个提醒" if findings else "未发现问题")
    return 1 if has_errors(findings) else 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    """PNG of every tab (offscreen) and of every page of the PDF."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    report = load_report(args.file, args.demo, args.report)
    directory: Path = args.directory
    directory.mkdir(parents=True, exist_ok=True)
    from .ui.snapshot import snapshot_pdf_pages, snapshot_tabs

    written = snapshot_tabs(report, directory)
    from .pdf import render_pdf

    pdf_path = directory / "report.pdf"
    render_pdf(report, pdf_path)
    written += snapshot_pdf_pages(pdf_path, directory)
    for path in written:
        print(path)
    return 0


def pdf_to_pngs_with_poppler(pdf: Path, directory: Path, dpi: int = 80) -> list[Path]:
    """Fallback page rasteriser when QtPdf is not installed."""
    if shutil.which("pdftoppm") is None:
        raise CliError("无法把 PDF 转为图片：请安装 PySide6-Pdf 或 poppler-utils")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(directory / "page")], check=True)
    return sorted(directory.glob("page-*.png"))


def main(argv: list[str]) -> int:
    """Run one subcommand; returns the exit code."""
    args = build_parser().parse_args(argv)
    handler: Any = {"render": cmd_render, "check": cmd_check, "snapshot": cmd_snapshot}[args.command]
    try:
        return int(handler(args))
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return 2
