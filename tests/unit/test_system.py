"""desktop_app.system: each platform answer tested for Windows and Linux on either system.

The same file runs under Linux and, through packaging/windows/test.sh, under the Windows
Python in Wine; where a function asks the running system, both answers are asked for here.
"""

from __future__ import annotations

import errno
import io
import os
import sqlite3
from pathlib import Path, PureWindowsPath

import pytest

from desktop_app.system import console, filenames, font_dirs, locks, paths
from desktop_app.system import files as system_files
from tests.platforms import WINDOWS

# -- paths: SQLite URIs ------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "expected"), [
    ("/srv/共享 #1/a?b%.jxzp", "file:///srv/%E5%85%B1%E4%BA%AB%20%231/a%3Fb%25.jxzp"),
    ("/home/张三/报告.jxzp", "file:///home/%E5%BC%A0%E4%B8%89/%E6%8A%A5%E5%91%8A.jxzp"),
    ("//srv/x.jxzp", "file:///srv/x.jxzp"),
])
def test_posix_paths_become_sqlite_uris(path: str, expected: str) -> None:
    assert paths.sqlite_uri(path, "mode=ro", nt=False) == expected + "?mode=ro"


@pytest.mark.parametrize(("path", "expected"), [
    (r"C:\Users\张三\Documents\报告.jxzp",
     "file:///C:/Users/%E5%BC%A0%E4%B8%89/Documents/%E6%8A%A5%E5%91%8A.jxzp"),
    (r"d:\a #1\b?.jxzp", "file:///d:/a%20%231/b%3F.jxzp"),
    (r"\\server\共享\报告.jxzp", "file:////server/%E5%85%B1%E4%BA%AB/%E6%8A%A5%E5%91%8A.jxzp"),
    (r"\\?\C:\很长的路径\a.jxzp", "file:///C:/%E5%BE%88%E9%95%BF%E7%9A%84%E8%B7%AF%E5%BE%84/a.jxzp"),
    (r"\\?\UNC\server\share\a.jxzp", "file:////server/share/a.jxzp"),
    ("C:/mixed/slashes.jxzp", "file:///C:/mixed/slashes.jxzp"),
])
def test_windows_paths_become_sqlite_uris(path: str, expected: str) -> None:
    assert paths.sqlite_uri(path, "mode=ro", nt=True) == expected + "?mode=ro"
    assert paths.sqlite_uri(PureWindowsPath(path), nt=True) == expected


@pytest.mark.parametrize("nt", [False, True])
def test_relative_paths_are_refused(nt: bool) -> None:
    with pytest.raises(ValueError):
        paths.sqlite_uri("报告.jxzp", "mode=ro", nt=nt)


def test_network_paths_are_recognised() -> None:
    assert paths.is_network_path(r"\\server\共享\a.jxzp", nt=True)
    assert paths.is_network_path(r"\\?\UNC\server\share\a.jxzp", nt=True)
    assert not paths.is_network_path(r"C:\a.jxzp", nt=True)
    assert not paths.is_network_path(r"\\?\C:\a.jxzp", nt=True)
    assert not paths.is_network_path("//server/share", nt=False)


def test_this_systems_uri_opens_a_file_under_a_chinese_user_name(tmp_path: Path) -> None:
    """A data folder under C:\\Users\\张三 (or /home/张三) with '#' and '%' in it."""
    folder = tmp_path / "张三 #1 100%" / "AppData"
    folder.mkdir(parents=True)
    db = folder / "报告.jxzp"
    sqlite3.connect(db).close()
    conn = sqlite3.connect(paths.sqlite_uri(db.resolve(), "mode=ro"), uri=True)
    try:
        assert conn.execute("PRAGMA schema_version").fetchone() == (0,)
    finally:
        conn.close()


# -- filenames ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("title", "stem"), [
    ("2024年度 农村饮水安全工程", "2024年度 农村饮水安全工程"),
    ('项目:一期/二期 "重点" <A|B>? *', "项目：一期／二期 ＂重点＂ ＜A｜B＞？ ＊"),
    ("路径\\名", "路径＼名"),
    ("结尾的点...", "结尾的点"),
    ("  前后空格 . ", "前后空格"),
    ("换行\n和\t制表", "换行 和 制表"),
    ("CON", "CON_"),
    ("nul", "nul_"),
    ("com1", "com1_"),
    ("LPT9", "LPT9_"),
    ("CON.备份", "CON.备份_"),
    ("CONSOLE", "CONSOLE"),
    ("", "report"),
    ("...", "report"),
    ("\x00\x1f", "report"),
])
def test_titles_become_windows_safe_stems(title: str, stem: str) -> None:
    assert filenames.safe_file_stem(title) == stem


def test_safe_names_are_short_enough_and_keep_the_suffix() -> None:
    name = filenames.safe_file_name("很" * 300, "（第12版）.pdf")
    assert name.endswith("（第12版）.pdf") and len(name) <= filenames.MAX_STEM + len("（第12版）.pdf")
    assert filenames.safe_file_name("", ".jxzp", fallback="绩效自评报告") == "绩效自评报告.jxzp"


@pytest.mark.parametrize("name", ["CON", "con.txt", "Aux.jxzp", "COM9", "lpt1.pdf", "CONIN$", "NUL .pdf"])
def test_device_names_are_reserved(name: str) -> None:
    assert filenames.is_reserved_name(name)


def test_every_safe_name_can_be_created_here(tmp_path: Path) -> None:
    """On this system (Windows under Wine, Linux), each made name is a real, separate file."""
    titles = ['a:b', 'a?b', 'a*b', 'a"b', 'a<b>', 'a|b', 'a/b', 'a\\b', "尾点.", "尾空 ", "CON", "PRN",
              "AUX", "NUL", "COM1", "LPT1", "\t", "报告"]
    made = {filenames.safe_file_name(title, ".jxzp") for title in titles}
    folder = tmp_path / "names"
    folder.mkdir()
    for name in made:
        (folder / name).write_bytes(b"x")
    assert sorted(p.name for p in folder.iterdir()) == sorted(made)


# -- console ----------------------------------------------------------------------------------------

LINE = "错误\t资金 › 执行数 › 第2行\t“预算”—超出 ✓ 100%\n"


@pytest.mark.parametrize(("encoding", "expected"), [
    ("cp936", "错误\t资金 > 执行数 > 第2行\t“预算”—超出 √ 100%\n"),  # a Chinese Windows, piped
    ("gbk", "错误\t资金 > 执行数 > 第2行\t“预算”—超出 √ 100%\n"),
    ("cp65001", LINE),  # the UTF-8 code page
    ("utf-8", LINE),  # Linux
    ("gb18030", LINE),
])
def test_cli_output_survives_every_code_page(encoding: str, expected: str) -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="\n")
    console.configure_stream(stream, environ={})
    stream.write(LINE)
    stream.flush()
    assert raw.getvalue().decode(encoding) == expected


def test_a_character_with_no_close_form_becomes_a_question_mark() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii", newline="\n")
    assert console.configure_stream(stream, environ={})
    stream.write("中文 › ok\n")
    stream.flush()
    assert raw.getvalue().decode("ascii") == "?? > ok\n"


def test_utf8_streams_and_a_chosen_pythonioencoding_are_left_alone() -> None:
    utf8 = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    assert not console.configure_stream(utf8, environ={})
    assert utf8.errors == "strict"
    gbk = io.TextIOWrapper(io.BytesIO(), encoding="gbk")
    assert not console.configure_stream(gbk, environ={"PYTHONIOENCODING": "gbk:strict"})
    assert gbk.errors == "strict"
    assert not console.configure_stream(None, environ={})


@pytest.mark.parametrize(("encoding", "universal"), [
    ("utf-8", True), ("UTF8", True), ("cp65001", True), ("gb18030", True), ("utf-16-le", True),
    ("cp936", False), ("gbk", False), ("cp1252", False), ("ascii", False), ("no-such", False), (None, False),
])
def test_which_encodings_write_everything(encoding: str | None, universal: bool) -> None:
    assert console.encodes_everything(encoding) is universal


# -- files: replace, delete --------------------------------------------------------------------------


def _held(winerror: int) -> PermissionError:
    error = PermissionError(13, "The process cannot access the file because it is being used by another process")
    error.winerror = winerror  # type: ignore[attr-defined]
    return error


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps = 0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.sleeps += 1


def test_a_replace_waits_for_a_scanner_that_holds_the_file(tmp_path: Path, monkeypatch) -> None:
    """Windows: a virus scanner holds the new file for a moment; the rename is retried."""
    src, dst = tmp_path / "new", tmp_path / "final"
    src.write_bytes(b"new")
    dst.write_bytes(b"old")
    real_replace, calls = os.replace, []

    def held_twice(a: object, b: object) -> None:
        calls.append(1)
        if len(calls) <= 2:
            raise _held(32)
        real_replace(a, b)

    monkeypatch.setattr(system_files.os, "replace", held_twice)
    clock = _Clock()
    system_files.replace_file(src, dst, sleep=clock.sleep, clock=clock)
    assert dst.read_bytes() == b"new" and not src.exists() and clock.sleeps == 2


def test_a_replace_gives_up_on_a_file_held_for_good(tmp_path: Path, monkeypatch) -> None:
    """WPS keeps the old export open: after the retries the sharing violation is raised."""
    monkeypatch.setattr(system_files.os, "replace", lambda a, b: (_ for _ in ()).throw(_held(32)))
    clock = _Clock()
    with pytest.raises(PermissionError) as info:
        system_files.replace_file(tmp_path / "a", tmp_path / "b", retry_seconds=0.5, sleep=clock.sleep,
                                  clock=clock)
    assert system_files.is_sharing_violation(info.value)
    assert 0.5 <= clock.now <= 0.6


def test_other_errors_are_not_retried(tmp_path: Path) -> None:
    clock = _Clock()
    with pytest.raises(FileNotFoundError):
        system_files.replace_file(tmp_path / "missing", tmp_path / "b", sleep=clock.sleep, clock=clock)
    assert clock.sleeps == 0
    assert not system_files.is_sharing_violation(PermissionError(13, "denied"))  # POSIX: no winerror


def test_remove_file_never_raises_and_retries_a_held_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "temp"
    path.write_bytes(b"x")
    assert system_files.remove_file(path) and not path.exists()
    assert system_files.remove_file(path)  # already gone
    calls = []

    def held(self: Path, missing_ok: bool = False) -> None:
        calls.append(1)
        raise _held(32)

    monkeypatch.setattr(Path, "unlink", held)
    clock = _Clock()
    assert not system_files.remove_file(path, retry_seconds=0.2, sleep=clock.sleep, clock=clock)
    assert len(calls) > 1


def test_open_files_and_folders_per_system() -> None:
    assert system_files.delete_after_close(nt=True) and not system_files.delete_after_close(nt=False)
    assert system_files.can_fsync_folder(nt=False) and not system_files.can_fsync_folder(nt=True)
    assert system_files.delete_after_close() is WINDOWS


def test_an_open_file_on_this_system(tmp_path: Path) -> None:
    """What delete_after_close says is what this system does with a file held open."""
    path = tmp_path / "held.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        deleted = system_files.remove_file(path, retry_seconds=0.1)
    finally:
        os.close(fd)
    assert deleted is not system_files.delete_after_close()
    assert system_files.remove_file(path) and not path.exists()


# -- font folders -------------------------------------------------------------------------------------


def test_font_folders_per_system(tmp_path: Path) -> None:
    user_fonts = tmp_path / "Users" / "张三" / "AppData" / "Local"
    windows = font_dirs.named_font_dirs(nt=True, environ={"WINDIR": str(tmp_path / "Windows"),
                                                          "LOCALAPPDATA": str(user_fonts)})
    assert windows == [tmp_path / "Windows" / "Fonts", user_fonts / "Microsoft" / "Windows" / "Fonts"]
    assert font_dirs.named_font_dirs(nt=True, environ={"SystemRoot": "C:\\Windows"}) == [Path("C:\\Windows") / "Fonts"]
    assert font_dirs.listed_font_dirs(nt=True, environ={"WINDIR": "W"}) == [Path("W") / "Fonts"]
    linux = font_dirs.named_font_dirs(nt=False, environ={}, home=Path("/home/张三"))
    assert Path("/usr/share/fonts/fonts-cesi") in linux and Path("/home/张三/.local/share/fonts") in linux
    assert Path("/usr/share/fonts") in font_dirs.listed_font_dirs(nt=False, environ={}, home=Path("/h"))
    assert (font_dirs.font_glob(nt=True), font_dirs.font_glob(nt=False)) == ("*", "**/*")


def _a_chinese_ttf() -> Path:
    """A TrueType (not collection) file with Chinese glyphs from this machine's fonts."""
    from desktop_app.pdf.fonts import available_fonts

    for info in available_fonts():
        if info.path.suffix.lower() == ".ttf" and not info.path.name.lower().startswith("sim"):
            return info.path
    for info in available_fonts():
        if info.path.suffix.lower() == ".ttf":
            return info.path
    pytest.skip("no Chinese TrueType (.ttf) font on this machine to stand in for the Windows fonts")


def _place(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        import shutil

        shutil.copyfile(source, target)


def test_windows_fonts_are_found_by_their_windows_names(tmp_path: Path, monkeypatch) -> None:
    """A Chinese Windows: 宋体/黑体/楷体/仿宋 in %WINDIR%\\Fonts (upper-case names too, as some
    Windows versions write them) and a 方正小标宋 installed for one user named 张三."""
    from desktop_app.pdf import fonts

    source = _a_chinese_ttf()
    windir = tmp_path / "Windows"
    local = tmp_path / "Users" / "张三" / "AppData" / "Local"
    for name in ("simfang.ttf", "SIMHEI.TTF", "simkai.ttf", "msyh.ttc.txt"):
        _place(source, windir / "Fonts" / name)
    (windir / "Fonts" / "simsun.ttc").write_bytes(b"not read: found by name only")
    _place(source, local / "Microsoft" / "Windows" / "Fonts" / "FZXBSJW.TTF")
    environ = {"WINDIR": str(windir), "LOCALAPPDATA": str(local)}
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: font_dirs.named_font_dirs(nt=True, environ=environ))
    monkeypatch.setattr(fonts, "DEBIAN_FILES", {})
    monkeypatch.setattr(fonts, "bundled_font_dir", lambda: tmp_path / "nothing-bundled")
    fonts.clear_font_cache()
    try:
        first = {role: fonts.role_candidates(role)[0].path for role in fonts.FontRole}
    finally:
        fonts.clear_font_cache()
    assert first[fonts.FontRole.TITLE] == local / "Microsoft" / "Windows" / "Fonts" / "FZXBSJW.TTF"
    assert first[fonts.FontRole.BODY].name == "simfang.ttf"
    assert first[fonts.FontRole.HEADING1].name == "SIMHEI.TTF"
    assert first[fonts.FontRole.HEADING2].name == "simkai.ttf"
    assert first[fonts.FontRole.NUMBERS].name == "simsun.ttc"
    listed = fonts.available_fonts(font_dirs.listed_font_dirs(nt=True, environ=environ))
    assert {info.path.name for info in listed} == {"simfang.ttf", "SIMHEI.TTF", "simkai.ttf", "FZXBSJW.TTF"}


# -- locks ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("nt", "code", "held"), [
    (True, 13, True), (True, 36, True), (True, 0, True),  # MSVC EACCES, EDEADLOCK; Wine's 0
    (True, 22, False), (True, 40, False),  # EINVAL, ENOSYS: the file system cannot lock
    (False, errno.EWOULDBLOCK, True), (False, errno.EACCES, True), (False, errno.ENOLCK, False),
])
def test_which_lock_failures_mean_another_holder(nt: bool, code: int, held: bool) -> None:
    """Only "someone has it" refuses; a share without locks (ENOLCK…) is worked on unlocked."""
    assert locks.held_elsewhere(OSError(code, "x"), nt=nt) is held


def test_a_second_handle_is_refused_until_the_first_unlocks(tmp_path: Path) -> None:
    """On this system (flock here, msvcrt.locking under Wine): even in one process."""
    path = tmp_path / "工作区.jxdb.lock"
    first = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0))
    second = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        assert locks.try_lock(first)
        assert not locks.try_lock(second)
        os.lseek(second, 0, os.SEEK_SET)
        assert os.read(second, 10) == b""  # the holder data stays readable while locked
        locks.unlock(first)
        assert locks.try_lock(second)
        locks.unlock(second)
    finally:
        os.close(first)
        os.close(second)
