"""packaging/linux/glibc_check.py: needed glibc versions read from ELF files.

Hand-built ELF images cover both classes and byte orders (no compiler needed); tiny C
programs compiled by the machine's cc prove the reader against what a real linker writes.
"""

from __future__ import annotations

import importlib.util
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[2] / "packaging" / "linux" / "glibc_check.py"
_spec = importlib.util.spec_from_file_location("glibc_check", _PATH)
assert _spec and _spec.loader
gc = importlib.util.module_from_spec(_spec)
sys.modules["glibc_check"] = gc  # dataclasses look the module up by name
_spec.loader.exec_module(gc)

CC = shutil.which("cc") or shutil.which("gcc")
needs_cc = pytest.mark.skipif(CC is None, reason="no C compiler (cc/gcc) on PATH")


def make_elf(is64: bool, little: bool, needs: dict[str, list[str]], machine: int = 62) -> bytes:
    """A minimal ELF image: header, .dynstr, .gnu.version_r and a section header table.

    ``needs`` maps a library name to the version names needed from it, as a linker
    would record them.
    """
    e = "<" if little else ">"
    strtab = bytearray(b"\0")

    def add_str(s: str) -> int:
        off = len(strtab)
        strtab.extend(s.encode() + b"\0")
        return off

    verneed = bytearray()
    libs = list(needs.items())
    index = 2
    for li, (lib, versions) in enumerate(libs):
        vn_size, aux_size = 16, 16
        next_vn = 0 if li == len(libs) - 1 else vn_size + aux_size * len(versions)
        verneed += struct.pack(e + "HHIII", 1, len(versions), add_str(lib), vn_size, next_vn)
        for vi, v in enumerate(versions):
            next_aux = 0 if vi == len(versions) - 1 else aux_size
            verneed += struct.pack(e + "IHHII", 0, 0, index, add_str(v), next_aux)
            index += 1

    ehsize, shentsize = (64, 64) if is64 else (52, 40)
    strtab_off = ehsize
    verneed_off = strtab_off + len(strtab)
    verneed_off += (-verneed_off) % 8
    shoff = verneed_off + len(verneed)
    shoff += (-shoff) % 8
    ident = b"\x7fELF" + bytes([2 if is64 else 1, 1 if little else 2, 1]) + bytes(9)

    if is64:
        header = ident + struct.pack(e + "HHIQQQIHHHHHH", 3, machine, 1, 0, 0, shoff, 0,
                                     ehsize, 0, 0, shentsize, 3, 0)
        sh = "IIQQQQIIQQ"
    else:
        header = ident + struct.pack(e + "HHIIIIIHHHHHH", 3, machine, 1, 0, 0, shoff, 0,
                                     ehsize, 0, 0, shentsize, 3, 0)
        sh = "IIIIIIIIII"
    sections = [
        struct.pack(e + sh, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
        struct.pack(e + sh, 0, 3, 2, 0, strtab_off, len(strtab), 0, 0, 1, 0),  # SHT_STRTAB
        struct.pack(e + sh, 0, gc.SHT_GNU_VERNEED, 2, 0, verneed_off, len(verneed), 1,
                    len(libs), 4, 0),
    ]
    image = bytearray(header)
    image += strtab
    image += bytes(verneed_off - len(image)) + verneed
    image += bytes(shoff - len(image)) + b"".join(sections)
    return bytes(image)


def make_elf_without_sections(is64: bool, little: bool, needs: dict[str, list[str]]) -> bytes:
    """An ELF image with program headers only (as after sstrip): PT_LOAD + PT_DYNAMIC."""
    e = "<" if little else ">"
    with_sections = make_elf(is64, little, needs)
    ehsize = 64 if is64 else 52
    # Reuse the string table and verneed bytes of the sectioned image (same offsets).
    shoff = struct.unpack_from(e + ("Q" if is64 else "I"), with_sections, 40 if is64 else 32)[0]
    body = with_sections[ehsize:shoff]
    phentsize = 56 if is64 else 32
    base = 0x400000
    # Layout: header | 2 program headers | body (strtab, verneed) | dynamic array
    shift = 2 * phentsize
    strtab_off = ehsize + shift
    shentsize = 64 if is64 else 40
    at = shoff + 2 * shentsize + (24 if is64 else 16)  # sh_offset of section 2 (.gnu.version_r)
    verneed_off = shift + struct.unpack_from(e + ("Q" if is64 else "I"), with_sections, at)[0]
    dyn_off = ehsize + shift + len(body)
    dyn_off += (-dyn_off) % 8
    tags = [(5, base + strtab_off), (10, 64), (0x6FFFFFFE, base + verneed_off),
            (0x6FFFFFFF, len(needs)), (0, 0)]
    dyn = b"".join(struct.pack(e + ("qQ" if is64 else "iI"), t, v) for t, v in tags)
    total = dyn_off + len(dyn)
    ident = b"\x7fELF" + bytes([2 if is64 else 1, 1 if little else 2, 1]) + bytes(9)
    if is64:
        header = ident + struct.pack(e + "HHIQQQIHHHHHH", 3, 62, 1, 0, ehsize, 0, 0,
                                     ehsize, phentsize, 2, 64, 0, 0)
        ph = [struct.pack(e + "IIQQQQQQ", 1, 5, 0, base, base, total, total, 0x1000),
              struct.pack(e + "IIQQQQQQ", 2, 6, dyn_off, base + dyn_off, base + dyn_off,
                          len(dyn), len(dyn), 8)]
    else:
        header = ident + struct.pack(e + "HHIIIIIHHHHHH", 3, 62, 1, 0, ehsize, 0, 0,
                                     ehsize, phentsize, 2, 40, 0, 0)
        ph = [struct.pack(e + "IIIIIIII", 1, 0, base, base, total, total, 5, 0x1000),
              struct.pack(e + "IIIIIIII", 2, dyn_off, base + dyn_off, base + dyn_off,
                          len(dyn), len(dyn), 6, 4)]
    image = header + b"".join(ph) + body
    image += bytes(dyn_off - len(image)) + dyn
    return image


LIBC = {"libc.so.6": ["GLIBC_2.2.5", "GLIBC_2.17", "GLIBC_2.28"],
        "libstdc++.so.6": ["GLIBCXX_3.4.25", "CXXABI_1.3.11", "GLIBCXX_3.4"],
        "libm.so.6": ["GLIBC_2.29"]}


@pytest.mark.parametrize("is64", [True, False], ids=["64bit", "32bit"])
@pytest.mark.parametrize("little", [True, False], ids=["LE", "BE"])
def test_hand_made_elf_all_classes_and_byte_orders(tmp_path, is64, little):
    f = tmp_path / "lib.so"
    f.write_bytes(make_elf(is64, little, LIBC))
    needs = gc.read_elf_needs(f)
    assert needs.highest("GLIBC") == (2, 29)
    assert needs.highest("GLIBCXX") == (3, 4, 25)
    assert needs.highest("CXXABI") == (1, 3, 11)
    assert needs.machine == 62
    assert not needs.private


@pytest.mark.parametrize("is64", [True, False], ids=["64bit", "32bit"])
@pytest.mark.parametrize("little", [True, False], ids=["LE", "BE"])
def test_without_section_headers_the_dynamic_segment_is_read(tmp_path, is64, little):
    f = tmp_path / "stripped.so"
    f.write_bytes(make_elf_without_sections(is64, little, {"libc.so.6": ["GLIBC_2.17", "GLIBC_2.34"]}))
    assert gc.read_elf_needs(f).versions == {"GLIBC_2.17", "GLIBC_2.34"}


def test_versions_compare_as_numbers_not_text():
    assert gc.parse_version("GLIBC_2.9")[1] < gc.parse_version("GLIBC_2.17")[1]
    assert gc.parse_version("GLIBC_2.2.5")[1] < gc.parse_version("GLIBC_2.3")[1]
    assert gc.parse_version("GLIBC_PRIVATE") == ("", ())


def test_non_elf_truncated_and_empty_files_are_skipped(tmp_path):
    (tmp_path / "text.txt").write_text("not an ELF file\n")
    (tmp_path / "empty").write_bytes(b"")
    (tmp_path / "magic-only").write_bytes(b"\x7fELF")
    (tmp_path / "bad-class").write_bytes(b"\x7fELF\x07\x01" + bytes(100))
    whole = make_elf(True, True, LIBC)
    (tmp_path / "truncated.so").write_bytes(whole[: len(whole) - 50])
    (tmp_path / "good.so").write_bytes(whole)
    for name in ("text.txt", "empty", "magic-only", "bad-class", "truncated.so"):
        with pytest.raises(gc.NotElf):
            gc.read_elf_needs(tmp_path / name)
    assert [n.path.name for n in gc.scan([tmp_path])] == ["good.so"]


def test_symlinks_and_hard_links_are_read_once(tmp_path):
    real = tmp_path / "libx.so.1.2"
    real.write_bytes(make_elf(True, True, LIBC))
    (tmp_path / "libx.so.1").symlink_to(real.name)
    (tmp_path / "libx.so").symlink_to("libx.so.1")
    (tmp_path / "dangling").symlink_to("nowhere")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "hard.so").hardlink_to(real)
    assert len(gc.scan([tmp_path, real])) == 1


def test_main_fails_above_the_limit_and_names_the_file(tmp_path, capsys):
    (tmp_path / "old.so").write_bytes(make_elf(True, True, {"libc.so.6": ["GLIBC_2.17"]}))
    (tmp_path / "new.so").write_bytes(make_elf(True, True, {"libc.so.6": ["GLIBC_2.34"]}))
    assert gc.main(["--max", "2.28", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert "new.so  <-- too new" in out
    assert "TOO NEW: new.so needs GLIBC_2.34" in err
    assert "old.so" not in err
    assert gc.main(["--max", "2.34", str(tmp_path)]) == 0


def test_glibc_private_always_fails(tmp_path):
    (tmp_path / "p.so").write_bytes(make_elf(True, True, {"ld-linux.so.2": ["GLIBC_PRIVATE"]}))
    assert gc.main(["-q", "--max", "9.99", str(tmp_path)]) == 1


def test_bad_max_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exc:
        gc.main(["--max", "two", str(tmp_path)])
    assert exc.value.code == 2


def _compile(tmp_path: Path, name: str, source: str, *flags: str) -> Path:
    c = tmp_path / f"{name}.c"
    c.write_text(source)
    out = tmp_path / name
    subprocess.run([CC, "-O0", "-o", str(out), str(c), *flags], check=True, capture_output=True)
    return out


@needs_cc
def test_real_shared_objects_from_the_machines_compiler(tmp_path):
    # Shared objects: no __libc_start_main, so the named symbol sets the highest version.
    realloc = _compile(tmp_path, "librealloc.so", "#define _GNU_SOURCE\n#include <stdlib.h>\n"
                       "void *f(void *p, size_t n) { return reallocarray(p, n, 8); }\n",
                       "-shared", "-fPIC")
    rnd = _compile(tmp_path, "librandom.so", "#include <sys/random.h>\n"
                   "long f(void *b) { return getrandom(b, 8, 0); }\n", "-shared", "-fPIC")
    needs = {n.path.name: n for n in gc.scan([tmp_path])}
    assert needs[realloc.name].highest("GLIBC") == (2, 26)
    assert "reallocarray" in needs[realloc.name].symbols["GLIBC_2.26"]
    assert needs[rnd.name].highest("GLIBC") == (2, 25)
    assert gc.main(["-q", "--max", "2.25", str(rnd)]) == 0
    assert gc.main(["-q", "--max", "2.25", str(realloc)]) == 1


@needs_cc
def test_real_executable_needs_at_least_the_build_machines_start_symbol(tmp_path):
    exe = _compile(tmp_path, "hello", "int main(void) { return 0; }\n")
    import os

    libc_version = tuple(int(p) for p in os.confstr("CS_GNU_LIBC_VERSION").split()[1].split(".")[:2])
    highest = gc.read_elf_needs(exe).highest("GLIBC")
    assert highest is not None
    # glibc 2.34 moved __libc_start_main to a new version; older machines give 2.2.5 or so.
    if libc_version >= (2, 34):
        assert highest == (2, 34)
    else:
        assert highest <= libc_version
