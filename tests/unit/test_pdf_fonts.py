"""Fonts by role: the fast loader, the user's choice, missing glyphs, rare characters, the grid."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from desktop_app.demo import load_demo
from desktop_app.domain.model import TeamMember, Unparsed
from desktop_app.pdf import missing_glyphs, render_pdf
from desktop_app.pdf.flowables import CANNOT_START, GridParagraph, GridStyle, ascii_word
from desktop_app.pdf.fonts import FontRole, available_fonts, resolve_fonts
from desktop_app.pdf.styles import CHAR_SPACE, LEADING, PAGE, SIZE_3

needs_poppler = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
                                   reason="poppler-utils missing")
PRIVATE = "\U000f0001"  # a private-use character: no font has it


@pytest.fixture(scope="module")
def fonts():
    return resolve_fonts()


# --- the fast TrueType loader agrees with reportlab's own ----------------------------------------


def test_fast_loader_reads_what_reportlab_reads(fonts):
    from reportlab.pdfbase.ttfonts import TTFontFace

    from desktop_app.pdf.ttf import FastTTFontFace

    checked = 0
    for loaded in {font.candidate: font for font in fonts.roles.values()}.values():
        fast = FastTTFontFace(str(loaded.path), loaded.subfont_index)
        slow = TTFontFace(str(loaded.path), subfontIndex=loaded.subfont_index)
        assert fast.charToGlyph == slow.charToGlyph
        assert fast.charWidths == slow.charWidths and fast.defaultWidth == slow.defaultWidth
        assert all(fast.glyphPos[g] == slow.glyphPos[g] for g in range(0, slow.numGlyphs + 1, 97))
        sample = [ord(ch) for ch in "项目支出绩效自评报告，2021年3月10日（一）"]
        assert fast.makeSubset(sample) == slow.makeSubset(sample)
        checked += 1
    assert checked >= 1


def test_font_files_are_listed_by_name_without_loading_them():
    found = available_fonts()
    assert found, "no Chinese TrueType font found"
    assert all(info.truetype and info.cjk and info.family for info in found)
    assert not any("NotoSansCJK" in info.path.name for info in found)  # CFF: not offered


# --- the user's choice ------------------------------------------------------------------------------


def test_chosen_font_serves_its_role_and_a_bad_choice_falls_back(fonts, tmp_path):
    automatic = fonts.roles[FontRole.BODY]
    other = next(font for font in fonts.chain if font.path != automatic.path and font.is_cjk)
    chosen = resolve_fonts({"body": str(other.path)})
    assert chosen.roles[FontRole.BODY].path == other.path
    assert chosen.roles[FontRole.HEADING1].path == fonts.roles[FontRole.HEADING1].path
    assert not chosen.rejected

    bogus = tmp_path / "simfang.ttf"
    bogus.write_bytes(b"not a font")
    fallback = resolve_fonts({FontRole.BODY: bogus, "title": str(tmp_path / "missing.ttf")})
    assert fallback.roles[FontRole.BODY].path == automatic.path
    assert set(fallback.rejected) == {FontRole.BODY, FontRole.TITLE}


@needs_poppler
def test_render_uses_the_fonts_given(fonts, tmp_path):
    other = next(font for font in fonts.chain if font.path != fonts.roles[FontRole.BODY].path
                 and font.is_cjk)
    path = tmp_path / "chosen.pdf"
    render_pdf(load_demo(), path, fonts=resolve_fonts({role.value: str(other.path) for role in FontRole}))
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    name = other.font.face.name
    base_font = name.decode("latin-1") if isinstance(name, bytes) else str(name)
    names = {line.split()[0].split("+", 1)[1] for line in listed.splitlines()[2:]}
    assert all(listed.startswith(base_font) for listed in names), names


# --- characters no font has -------------------------------------------------------------------------


def test_missing_glyphs_names_the_character_and_its_place(fonts):
    report = load_demo()
    report.team.members.append(TeamMember(name=f"王{PRIVATE}𬌗"))
    report.closing.problems.append(f"缺字{PRIVATE}{PRIVATE}")
    report.fund_lines[0].spent = Unparsed(f"九十{PRIVATE}")
    index = len(report.team.members) - 1
    assert missing_glyphs(report, fonts) == [  # in the report's order, once per field
        (("team", "members", index, "name"), PRIVATE),
        (("fund_lines", 0, "spent"), PRIVATE),
        (("closing", "problems", len(report.closing.problems) - 1), PRIVATE),
    ]
    assert missing_glyphs(load_demo(), fonts) == []


def test_a_character_the_role_font_lacks_comes_from_the_next_font(fonts):
    body = fonts.name(FontRole.BODY)
    if fonts.font(body).has("𬌗"):
        pytest.skip("the body font has 𬌗 itself")
    runs = fonts.runs("王𬌗同志", body)
    assert [text for _, text in runs] == ["王", "𬌗", "同志"]
    assert runs[1][0] != body and fonts.font(runs[1][0]).has("𬌗")


@needs_poppler
def test_rare_name_characters_render_and_extract(fonts, tmp_path):
    report = load_demo()
    report.team.members[0].name = "王𬌗巽"
    report.output_items[0].name = "青巽石材加工𬌗"
    path = tmp_path / "rare.pdf"
    render_pdf(report, path)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                          check=True, text=True).stdout
    assert "王𬌗巽" in text.replace(" ", "").replace("\u3000", "")
    assert "青巽石材加工𬌗" in text
    # And there is ink where the name is (a glyph, not an empty space).
    bbox = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout
    page = 0
    for line in bbox.splitlines():
        if "<page " in line:
            page += 1
        if "王𬌗巽" in line:
            break
    else:
        pytest.fail("name not found in the bbox listing")
    x0, y0, x1, y1 = (float(line.split(f'{key}="')[1].split('"')[0]) for key in ("xMin", "yMin", "xMax", "yMax"))
    crop = subprocess.run(["pdftoppm", "-gray", "-r", "72", "-f", str(page), "-l", str(page),
                           "-x", str(int(x0 + (x1 - x0) / 3)), "-y", str(int(y0)),
                           "-W", str(int((x1 - x0) / 3)), "-H", str(int(y1 - y0) + 1), str(path)],
                          capture_output=True, check=True).stdout
    pixels = crop.split(b"\n", 3)[3]  # PGM: P5, size, max value, then the bytes
    assert min(pixels) < 100


# --- the grid paragraph ------------------------------------------------------------------------------


def grid_lines(text: str, fonts, width: float = PAGE.frame_width, **style) -> list[str]:
    paragraph = GridParagraph(text, fonts.name(FontRole.BODY),
                              GridStyle(SIZE_3, LEADING, CHAR_SPACE, **style), fonts)
    paragraph.wrap(width, 10 ** 6)
    return paragraph.plain_lines()


def test_grid_lines_hold_28_characters_and_keep_the_break_rules(fonts):
    lines = grid_lines("国" * 60, fonts)
    assert [len(line) for line in lines] == [28, 28, 4]
    # A comma due at the start of line 2 takes the last character of line 1 with it.
    lines = grid_lines("国" * 28 + "，" + "国" * 10, fonts)
    assert lines[1].startswith("国，") and len(lines[0]) == 27
    # An opening mark never ends a line; numbers and —— stay whole.
    lines = grid_lines("国" * 27 + "《国》" + "国" * 5, fonts)
    assert not lines[0].endswith("《")
    lines = grid_lines("国" * 26 + "2020年" + "国" * 5, fonts)
    assert "2020" in "".join(line for line in lines if "2020" in line)
    for before in (26, 27):
        lines = grid_lines("国" * before + "——国", fonts)
        assert any("——" in line for line in lines), lines
    for text in ("国国，" * 40, "“国国”。" * 30, "国（国）、" * 30, "国《国》：" * 30, "国1.5%；" * 30):
        lines = grid_lines(text, fonts)
        assert all(line[:1] not in CANNOT_START for line in lines[1:]), lines
        assert all(line[-1:] not in "（《“" for line in lines), lines


def gaps(glyphs: list[tuple[str, float, float]]) -> list[tuple[str, str, float]]:
    """(character, next character, space between them) along one laid-out line."""
    return [(a, b, b_left - a_right) for (a, _, a_right), (b, b_left, _) in zip(glyphs, glyphs[1:])]


def test_justified_lines_stretch_between_chinese_characters_only(fonts):
    # Line 2 stops two characters short (the quoted word cannot start there): it is
    # justified, but the space goes between Chinese characters, not inside the number.
    text = "国" * 26 + "1234567890" + "国" * 21 + "“ABCDEFGHIJ”" + "国" * 20 + "〔2019〕22号，81.05%"
    paragraph = GridParagraph(text, fonts.name(FontRole.BODY), GridStyle(SIZE_3, LEADING, CHAR_SPACE), fonts)
    paragraph.wrap(PAGE.frame_width, 10 ** 6)
    lines = paragraph.line_glyphs()
    plain = paragraph.plain_lines()
    assert len(lines) >= 3 and "1234567890" in plain[1]
    for glyphs in lines[:-1]:  # every line but the last reaches the right margin
        assert glyphs[-1][2] == pytest.approx(PAGE.frame_width, abs=0.05)
    for glyphs in lines:
        for a, b, space in gaps(glyphs):
            if ascii_word(a) and ascii_word(b):
                assert space == pytest.approx(CHAR_SPACE, abs=1e-3), (a, b)
    assert max(space for _, _, space in gaps(lines[1])) > CHAR_SPACE + 1  # it was stretched


def test_demo_paragraphs_fill_every_line_but_the_last(fonts):
    """No justified line stops short of the margin (after a break rule moved a character),
    and no number or Latin word in the demo is spaced out."""
    from reportlab.platypus import KeepTogether

    from desktop_app.pdf import build_story
    from desktop_app.pdf.styles import build_styles

    def flat(items):
        for item in items:
            if isinstance(item, KeepTogether):
                yield from flat(item._content)
            else:
                yield item

    story = build_story(load_demo(), fonts, build_styles(fonts))
    checked = 0
    for paragraph in flat(story):
        if not isinstance(paragraph, GridParagraph) or paragraph.style.align != "justify":
            continue
        paragraph.wrap(PAGE.frame_width, 10 ** 6)
        right = PAGE.frame_width - paragraph.style.right_indent
        lines = paragraph.line_glyphs()
        for glyphs in lines[:-1]:
            assert glyphs[-1][2] == pytest.approx(right, abs=0.05), "".join(g[0] for g in glyphs)
            checked += 1
        for glyphs in lines:
            for a, b, space in gaps(glyphs):
                if ascii_word(a) and ascii_word(b):
                    assert space == pytest.approx(paragraph.style.char_space, abs=1e-3), (a, b)
    assert checked > 80


def test_grid_paragraph_splits_between_lines_without_widows_or_orphans(fonts):
    paragraph = GridParagraph("国" * 28 * 5, fonts.name(FontRole.BODY),
                              GridStyle(SIZE_3, LEADING, CHAR_SPACE), fonts)
    width = PAGE.frame_width
    assert paragraph.wrap(width, 10 ** 6)[1] == pytest.approx(5 * LEADING)
    assert paragraph.split(width, 1.5 * LEADING) == []  # one line alone: move it all
    head, tail = paragraph.split(width, 4.2 * LEADING)  # 4 fit, but 1 would be left alone
    assert len(head.plain_lines()) == 3 and len(tail.plain_lines()) == 2
    head, tail = paragraph.split(width, 2 * LEADING)
    assert len(head.plain_lines()) == 2 and len(tail.plain_lines()) == 3


def test_last_lines_of_the_text_stay_with_the_signature(fonts):
    from reportlab.platypus import KeepTogether, Spacer

    from desktop_app.pdf.flowables import KeepLastLines

    paragraph = GridParagraph("国" * 28 * 8, fonts.name(FontRole.BODY),
                              GridStyle(SIZE_3, LEADING, CHAR_SPACE), fonts)
    signature = Spacer(1, 4 * LEADING)
    width = PAGE.frame_width

    def keep() -> KeepLastLines:
        kept = KeepLastLines(paragraph, [signature])
        kept.canv = None  # measured outside a document
        return kept

    assert keep().split(width, 12.5 * LEADING) == [paragraph, signature]
    for room, kept in ((7.5, 6), (9.5, 6), (3.2, 3)):  # lines of room on the page, lines left there
        head, rest = keep().split(width, room * LEADING)
        assert len(head.plain_lines()) == kept, room
        assert isinstance(rest, KeepTogether) and rest._content[-1] is signature
        assert len(rest._content[0].plain_lines()) == 8 - kept


def test_grid_paragraph_draws_plain_text_never_markup(fonts):
    out = io.BytesIO()
    report = load_demo()
    report.overview.effects = "<b>不是粗体</b> & <font name='x'>也不是</font>"
    render_pdf(report, out)
    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils missing")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=out.getvalue(),
                          capture_output=True, check=True).stdout.decode()
    assert "<b>不是粗体</b> & <font name='x'>也不是</font>" in text
