"""Command-line subcommands: render, check and snapshot.

``render`` and ``check`` need no GUI and never import PySide6. FILE is a ``.jxzp``
report file or a workspace database (opened read-only); ``--report`` picks one report
when it holds several; ``--demo`` uses the bundled demo report.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .domain.model import Report

#: Printed on every page of a PDF made from a report that still has errors.
DRAFT_MARK = "草稿（未通过校验）"
SUBCOMMANDS = ("render", "check", "snapshot", "verify")


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
    verify = commands.add_parser("verify", help="核对打印件上的校验码；找到时退出码为 0，找不到为 1")
    verify.add_argument("file", type=Path, help=".jxzp 报告文件或工作区数据库")
    verify.add_argument("code", help="页脚上的校验码，如 3F9A-C21B")
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
        "too_slow": "这个文件过大或结构异常，读取用时过长，已停止读取。文件没有被改动。",
    }.get(code, f"无法读取文件：{exc}")


def cmd_render(args: argparse.Namespace) -> int:
    """Write the PDF; a report with errors prints with the 草稿（未通过校验） mark."""
    from .domain.checks import has_errors, validate
    from .messages import finding_location, finding_message
    from .pdf import FontsUnavailableError, glyph_findings, render_pdf, resolve_fonts
    from .system.files import write_bytes_atomically

    check_output(args.output, args.file)
    report = load_report(args.file, args.demo, args.report)
    started = time.perf_counter()
    try:
        fonts = resolve_fonts()
        findings = validate(report) + glyph_findings(report, fonts)
        mark = DRAFT_MARK if has_errors(findings) else ""
        pdf = io.BytesIO()
        pages = render_pdf(report, pdf, mark=mark, fonts=fonts)
        write_bytes_atomically(args.output, pdf.getvalue())
    except FontsUnavailableError as exc:
        raise CliError(str(exc)) from exc
    except OSError as exc:
        raise CliError(f"无法写入 {args.output}：{exc.strerror or exc}") from exc
    for finding in findings:
        if finding.code == "glyph_missing":
            print(f"提醒：{finding_location(finding)}：{finding_message(finding)}", file=sys.stderr)
    print(f"已生成 {args.output}（{pages} 页，{time.perf_counter() - started:.2f} 秒）")
    if mark:
        errors = sum(1 for f in findings if f.severity.value == "error")
        print(f"报告有 {errors} 个错误，每页已加“{mark}”标记；用 check 查看详情。")
    return 0


def check_output(output: Path, source: Path | None) -> None:
    """Refuse an output path whose writing would destroy data.

    An export never replaces its own input, a workspace or report file (the live
    workspace of an open window among them), one of their journal, WAL or lock files, or
    a folder; what it writes goes through a temporary file and a rename, so the old file
    survives any failure.
    """
    if output.is_dir():
        raise CliError(f"{output} 是一个文件夹，请指定 PDF 文件名")
    if source is not None and output.exists() and source.exists() and os.path.samefile(output, source):
        raise CliError(f"输出文件就是要读取的报告文件本身，不会覆盖它：{output}")
    from .system.files import holds_our_data

    if holds_our_data(output):
        raise CliError(f"{output} 是报告文件或工作区数据（或其附属文件），不会用 PDF 覆盖它；请换一个 .pdf 文件名")


def cmd_check(args: argparse.Namespace) -> int:
    """Print the findings; exit 1 when there are errors."""
    from .domain.checks import Severity, has_errors, validate
    from .messages import SEVERITIES, finding_location, finding_message

    report = load_report(args.file, args.demo, args.report)
    findings = validate(report)
    try:
        from .pdf import glyph_findings, resolve_fonts

        findings += glyph_findings(report, resolve_fonts())
    except Exception as exc:  # noqa: BLE001 - no usable font: say so, still list the rest
        print(f"提醒\t字体\t{exc}")
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


def cmd_verify(args: argparse.Namespace) -> int:
    """Say which revision a 校验码 belongs to and whether the data changed since."""
    from .domain.revisions import parse_code
    from .storage import StorageError, open_any

    code = parse_code(args.code)
    if code is None:
        raise CliError(f"校验码格式不对：{args.code}（应为 8 位，由 0-9 和 A-F 组成，如 3F9A-C21B）")
    if not args.file.exists():
        raise CliError(f"文件不存在：{args.file}")
    try:
        with open_any(args.file) as workspace:
            matches = workspace.check_code(code)
    except StorageError as exc:
        raise CliError(_storage_text(exc)) from exc
    if not matches:
        print(f"未找到校验码 {code}：{args.file} 中没有以此校验码定稿的版本。")
        return 1
    for match in matches:
        header = match.report.header
        year = f"{header.fiscal_year}年度" if isinstance(header.fiscal_year, int) else ""
        name = " · ".join(filter(None, [header.unit_name, header.project_name, year])) or "（未命名项目）"
        finalized = match.revision.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        print(f"校验码 {code}：第{match.revision.number}版，定稿于 {finalized}")
        print(f"报告：{name}（编号 {match.report_id}）")
        print("当前数据与该版一致。" if match.unchanged else "定稿后数据已修改：当前内容与打印件不同。")
        if match.latest_number > match.revision.number:
            print(f"此后又定稿了第{match.latest_number}版。")
    return 0


def pdf_to_pngs_with_poppler(pdf: Path, directory: Path, dpi: int = 80) -> list[Path]:
    """Fallback page rasteriser when QtPdf is not installed."""
    if shutil.which("pdftoppm") is None:
        raise CliError("无法把 PDF 转为图片：请安装 PySide6-Pdf 或 poppler-utils")
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(pdf), str(directory / "page")], check=True)
    return sorted(directory.glob("page-*.png"))


def main(argv: list[str]) -> int:
    """Run one subcommand; returns the exit code."""
    from .system.console import configure_standard_streams

    configure_standard_streams()  # a pipe or file on code page 936 must not end the run
    args = build_parser().parse_args(argv)
    handler: Any = {"render": cmd_render, "check": cmd_check, "snapshot": cmd_snapshot,
                    "verify": cmd_verify}[args.command]
    try:
        return int(handler(args))
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return 2
