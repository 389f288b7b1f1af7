#!/usr/bin/env python3
"""List the newest glibc symbol version each ELF file needs, and fail above a limit.

A binary built on a newer system silently picks up newer versioned symbols
(``memcpy@GLIBC_2.14``, ``__libc_start_main@GLIBC_2.34``...) and then refuses to start
on an older one ("version `GLIBC_2.34' not found"). The needed versions are recorded in
the dynamic section's version-needs table (``.gnu.version_r``, ``SHT_GNU_verneed``), which
this module reads with the standard library only (no readelf), for 32/64-bit files of
either byte order.

Usage::

    glibc_check.py [--max 2.28] [--quiet] [--symbols] PATH...

Every ELF file under each PATH (or each PATH that is a file) is read; non-ELF files are
skipped and files reached twice (symlinks, hard links) are read once. The table shows the
highest ``GLIBC_``, ``GLIBCXX_`` and ``CXXABI_`` version per file; only ``GLIBC_`` is held
against ``--max``. ``GLIBC_PRIVATE`` always fails: it ties a file to one exact glibc build.
Exit status: 0 when every file is within the limit, 1 when some file needs more (they are
named, with the symbols that need the new versions), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import os
import re
import struct
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
SHT_DYNSYM = 11
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF
PT_LOAD = 1
PT_DYNAMIC = 2
DT_NULL = 0
DT_STRTAB = 5
DT_STRSZ = 10
DT_VERNEED = 0x6FFFFFFE
DT_VERNEEDNUM = 0x6FFFFFFF

_VERSION_RE = re.compile(r"^(GLIBC|GLIBCXX|CXXABI)_(\d+(?:\.\d+)*)$")

Version = tuple[int, ...]


class NotElf(Exception):
    """The file is not an ELF file (or too damaged to be read as one)."""


@dataclass
class ElfNeeds:
    """What one ELF file needs from the versioned libraries it links against.

    Attributes:
        path: the file as it was found.
        machine: the ELF e_machine number (62 = x86-64, 183 = AArch64, 3 = i386...).
        versions: every needed version name, e.g. ``{"GLIBC_2.2.5", "GLIBCXX_3.4"}``.
        symbols: version name -> undefined symbols bound to it (when a symbol table exists).
    """

    path: Path
    machine: int
    versions: set[str] = field(default_factory=set)
    symbols: dict[str, list[str]] = field(default_factory=dict)

    def highest(self, family: str) -> Version | None:
        """The highest numeric version of a family ("GLIBC", "GLIBCXX", "CXXABI")."""
        found = [parse_version(v)[1] for v in self.versions if parse_version(v)[0] == family]
        return max(found) if found else None

    @property
    def private(self) -> bool:
        """True when the file needs GLIBC_PRIVATE (only works with the very same glibc)."""
        return "GLIBC_PRIVATE" in self.versions


def parse_version(name: str) -> tuple[str, Version]:
    """Split "GLIBC_2.28" into ("GLIBC", (2, 28)); unknown names give ("", ())."""
    m = _VERSION_RE.match(name)
    if not m:
        return "", ()
    return m.group(1), tuple(int(p) for p in m.group(2).split("."))


def format_version(v: Version | None) -> str:
    """(2, 28) -> "2.28"; None -> "-"."""
    return ".".join(map(str, v)) if v else "-"


class _Reader:
    """Bounds-checked struct reads from the file's bytes, in the file's byte order."""

    def __init__(self, data: bytes, little: bool, is64: bool) -> None:
        self.data = data
        self.end = "<" if little else ">"
        self.is64 = is64

    def unpack(self, fmt: str, offset: int) -> tuple[int, ...]:
        fmt = self.end + fmt
        size = struct.calcsize(fmt)
        if offset < 0 or offset + size > len(self.data):
            raise NotElf(f"truncated: {size} bytes at {offset} past the end ({len(self.data)})")
        return struct.unpack_from(fmt, self.data, offset)

    def cstring(self, offset: int) -> str:
        if offset < 0 or offset >= len(self.data):
            raise NotElf(f"string offset {offset} out of range")
        end = self.data.find(b"\0", offset)
        if end < 0:
            raise NotElf("unterminated string")
        return self.data[offset:end].decode("latin-1")


@dataclass
class _Section:
    type: int
    offset: int
    size: int
    link: int
    info: int
    entsize: int


def read_elf_needs(path: str | os.PathLike[str]) -> ElfNeeds:
    """Read the needed symbol versions of one ELF file.

    Raises:
        NotElf: the file is not ELF, or is truncated/damaged where it matters.
        OSError: the file cannot be read.
    """
    with open(path, "rb") as f:
        head = f.read(64)
        if len(head) < 16 or head[:4] != ELF_MAGIC:
            raise NotElf("no ELF magic")
        data = head + f.read()
    ei_class, ei_data = data[4], data[5]
    if ei_class not in (1, 2) or ei_data not in (1, 2):
        raise NotElf(f"bad class/data bytes {ei_class}/{ei_data}")
    r = _Reader(data, little=ei_data == 1, is64=ei_class == 2)
    if r.is64:
        (e_machine,) = r.unpack("H", 18)
        e_phoff, e_shoff = r.unpack("QQ", 32)
        e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx = r.unpack("HHHHH", 54)
    else:
        (e_machine,) = r.unpack("H", 18)
        e_phoff, e_shoff = r.unpack("II", 28)
        e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx = r.unpack("HHHHH", 42)
    needs = ElfNeeds(Path(path), e_machine)

    sections = _read_sections(r, e_shoff, e_shentsize, e_shnum)
    verneed = [s for s in sections if s.type == SHT_GNU_VERNEED]
    if verneed:
        sec = verneed[0]
        if not 0 <= sec.link < len(sections):
            raise NotElf("verneed string table index out of range")
        strtab = sections[sec.link].offset
        index_names = _read_verneed(r, sec.offset, sec.info, strtab, needs.versions)
        _read_symbols(r, sections, index_names, needs.symbols)
    elif not sections:
        # No section headers (stripped by sstrip and the like): use the dynamic segment.
        _read_verneed_from_dynamic(r, e_phoff, e_phentsize, e_phnum, needs.versions)
    return needs


def _read_sections(r: _Reader, shoff: int, shentsize: int, shnum: int) -> list[_Section]:
    if shoff == 0:
        return []
    if shnum == 0:  # extended numbering: the count is in section 0's sh_size
        first = _read_section(r, shoff)
        shnum = first.size
    if shentsize < (64 if r.is64 else 40) or shnum > 65535 * 16:
        raise NotElf("implausible section header table")
    return [_read_section(r, shoff + i * shentsize) for i in range(shnum)]


def _read_section(r: _Reader, at: int) -> _Section:
    if r.is64:
        _, sh_type, _, _, off, size, link, info, _, entsize = r.unpack("IIQQQQIIQQ", at)
    else:
        _, sh_type, _, _, off, size, link, info, _, entsize = r.unpack("IIIIIIIIII", at)
    return _Section(sh_type, off, size, link, info, entsize)


def _read_verneed(r: _Reader, at: int, count: int, strtab: int, out: set[str]) -> dict[int, str]:
    """Walk Elf_Verneed/Elf_Vernaux (same layout for 32 and 64 bit); return index -> name."""
    index_names: dict[int, str] = {}
    for _ in range(min(count, 4096)):
        _vn_version, vn_cnt, _vn_file, vn_aux, vn_next = r.unpack("HHIII", at)
        aux = at + vn_aux
        for _ in range(min(vn_cnt, 4096)):
            _hash, _flags, other, name, next_aux = r.unpack("IHHII", aux)
            version = r.cstring(strtab + name)
            out.add(version)
            index_names[other & 0x7FFF] = version
            if next_aux == 0:
                break
            aux += next_aux
        if vn_next == 0:
            break
        at += vn_next
    return index_names


def _read_symbols(
    r: _Reader, sections: list[_Section], index_names: dict[int, str], out: dict[str, list[str]]
) -> None:
    """Map each undefined dynamic symbol to the needed version it binds to (best effort)."""
    dynsym = next((s for s in sections if s.type == SHT_DYNSYM), None)
    versym = next((s for s in sections if s.type == SHT_GNU_VERSYM), None)
    if dynsym is None or versym is None or not 0 <= dynsym.link < len(sections):
        return
    strtab = sections[dynsym.link].offset
    entsize = dynsym.entsize or (24 if r.is64 else 16)
    try:
        for i in range(dynsym.size // entsize):
            at = dynsym.offset + i * entsize
            if r.is64:
                st_name, _info, _other, st_shndx = r.unpack("IBBH", at)
            else:
                st_name, _v, _s, _info, _other, st_shndx = r.unpack("IIIBBH", at)
            (ver,) = r.unpack("H", versym.offset + 2 * i)
            name = index_names.get(ver & 0x7FFF)
            if name and st_shndx == 0:
                out.setdefault(name, []).append(r.cstring(strtab + st_name))
    except NotElf:
        return  # the versions are known; the names are only a help


def _read_verneed_from_dynamic(
    r: _Reader, phoff: int, phentsize: int, phnum: int, out: set[str]
) -> None:
    loads: list[tuple[int, int, int]] = []  # (vaddr, offset, filesz)
    dynamic: tuple[int, int] | None = None
    for i in range(phnum):
        at = phoff + i * phentsize
        if r.is64:
            p_type, _flags, p_offset, p_vaddr, _paddr, p_filesz = r.unpack("IIQQQQ", at)
        else:
            p_type, p_offset, p_vaddr, _paddr, p_filesz = r.unpack("IIIII", at)
        if p_type == PT_LOAD:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == PT_DYNAMIC:
            dynamic = (p_offset, p_filesz)
    if dynamic is None:
        return  # static or not a linked object: needs nothing

    def to_offset(vaddr: int) -> int:
        for v, off, size in loads:
            if v <= vaddr < v + size:
                return vaddr - v + off
        raise NotElf(f"address {vaddr:#x} is in no loaded segment")

    tags: dict[int, int] = {}
    size = 16 if r.is64 else 8
    for i in range(dynamic[1] // size):
        tag, val = r.unpack("qQ" if r.is64 else "iI", dynamic[0] + i * size)
        if tag == DT_NULL:
            break
        tags.setdefault(tag, val)
    if DT_VERNEED in tags and DT_STRTAB in tags:
        _read_verneed(
            r, to_offset(tags[DT_VERNEED]), tags.get(DT_VERNEEDNUM, 1), to_offset(tags[DT_STRTAB]), out
        )


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Every regular file under the paths, each real file once (symlinks deduplicated)."""
    seen: set[tuple[int, int]] = set()

    def once(p: Path) -> bool:
        try:
            st = p.stat()  # follows symlinks: the file a link points to is the one shipped
        except OSError:
            return False  # dangling link
        if not os.path.isfile(p):
            return False
        key = (st.st_dev, st.st_ino)
        if key in seen:
            return False
        seen.add(key)
        return True

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs.sort()
                for name in sorted(files):
                    f = Path(root) / name
                    if once(f):
                        yield f
        elif once(p):
            yield p


def scan(paths: Iterable[str | os.PathLike[str]]) -> list[ElfNeeds]:
    """ElfNeeds for every ELF file under the paths; non-ELF files are skipped."""
    result = []
    for f in iter_files(paths):
        try:
            result.append(read_elf_needs(f))
        except NotElf:
            continue
    return result


def offenders(results: Iterable[ElfNeeds], limit: Version) -> list[ElfNeeds]:
    """Files needing a GLIBC version above ``limit`` or GLIBC_PRIVATE."""
    return [n for n in results if n.private or (n.highest("GLIBC") or ()) > limit]


def _display(path: Path, roots: list[Path]) -> str:
    for root in roots:
        if root.is_dir():
            try:
                return str(path.relative_to(root))
            except ValueError:
                pass
    return str(path)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="folders to walk and/or files")
    parser.add_argument("--max", default="2.28", help="highest GLIBC version allowed (2.28)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print offenders only")
    parser.add_argument(
        "--symbols", action="store_true", help="list the symbols that need each too-new version"
    )
    args = parser.parse_args(argv)
    family, limit = parse_version("GLIBC_" + args.max)
    if family != "GLIBC":
        parser.error(f"--max must look like 2.28, not {args.max!r}")
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        parser.error(f"no such file or folder: {', '.join(missing)}")

    roots = [Path(p) for p in args.paths]
    results = scan(roots)
    bad = offenders(results, limit)
    if not args.quiet:
        print(f"{'GLIBC':>8} {'GLIBCXX':>8} {'CXXABI':>7}  file")
        for n in sorted(results, key=lambda n: _display(n.path, roots)):
            glibc = "PRIVATE" if n.private else format_version(n.highest("GLIBC"))
            flag = "  <-- too new" if n in bad else ""
            print(
                f"{glibc:>8} {format_version(n.highest('GLIBCXX')):>8} "
                f"{format_version(n.highest('CXXABI')):>7}  {_display(n.path, roots)}{flag}"
            )
    overall = max((n.highest("GLIBC") or () for n in results), default=())
    print(
        f"{len(results)} ELF files, highest GLIBC {format_version(overall or None)}, "
        f"limit {args.max}: {len(bad)} too new"
    )
    for n in bad:
        newer = sorted(
            (v for v in n.versions
             if v == "GLIBC_PRIVATE" or (parse_version(v)[0] == "GLIBC" and parse_version(v)[1] > limit)),
            key=lambda v: parse_version(v)[1],
        )
        print(f"TOO NEW: {_display(n.path, roots)} needs {', '.join(newer)}", file=sys.stderr)
        if args.symbols:
            for v in newer:
                names = ", ".join(sorted(set(n.symbols.get(v, [])))) or "(names unknown)"
                print(f"    {v}: {names}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
