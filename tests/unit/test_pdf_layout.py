"""The rendered demo measured against GB/T 9704, from the PDF itself (poppler).

Character positions and sizes come from ``pdftohtml -xml -zoom 1`` (points, top-left
origin, one element per run of text in one font), so these tests check what a reader of
the PDF sees, not what the code meant to draw.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop_app.demo import load_demo
from desktop_app.pdf import render_pdf
from desktop_app.pdf.flowables import CANNOT_START
from desktop_app.pdf.styles import LEADING, MM, PAGE

pytestmark = pytest.mark.skipif(not (shutil.which("pdftohtml") and shutil.which("pdftotext")),
                                reason="poppler-utils missing")

TOLERANCE = 1 * MM
PAGE_NUMBER = re.compile(r"^— (\d+) —$")
FOOTER = "第1版 校验码 3F9A-C21B"


@dataclass(frozen=True)
class Text:
    """One run of text on a page, in points from the page's top-left corner."""

    page: int
    top: float
    left: float
    width: float
    height: float
    size: int
    text: str

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


def texts_of(path: Path) -> list[Text]:
    """Every text run of the PDF with its box and font size."""
    out = subprocess.run(["pdftohtml", "-xml", "-i", "-zoom", "1", "-stdout", str(path)],
                         check=True, capture_output=True).stdout
    root = ET.fromstring(out)
    sizes: dict[str, int] = {}
    result = []
    for page in root.iter("page"):
        number = int(page.get("number", "0"))
        for spec in page.iter("fontspec"):
            sizes[spec.get("id", "")] = int(spec.get("size", "0"))
        for node in page.iter("text"):
            text = "".join(node.itertext())
            if text.strip():
                result.append(Text(number, float(node.get("top", 0)), float(node.get("left", 0)),
                                   float(node.get("width", 0)), float(node.get("height", 0)),
                                   sizes[node.get("font", "")], text))
    return result


def lines_of(texts: list[Text]) -> dict[tuple[int, float], list[Text]]:
    """Runs grouped into lines (same page, same top), each sorted left to right."""
    lines: dict[tuple[int, float], list[Text]] = defaultdict(list)
    for text in texts:
        lines[(text.page, text.top)].append(text)
    return {key: sorted(runs, key=lambda t: t.left) for key, runs in sorted(lines.items())}


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory) -> tuple[Path, int]:
    path = tmp_path_factory.mktemp("layout") / "demo.pdf"
    return path, render_pdf(load_demo(), path, footer=FOOTER)


@pytest.fixture(scope="module")
def demo_texts(demo_pdf) -> list[Text]:
    return texts_of(demo_pdf[0])


def furniture(text: Text) -> bool:
    """Page numbers and the footer line: outside the text block by design."""
    return bool(PAGE_NUMBER.match(text.text.strip())) or text.text.strip() == FOOTER


def narrative_pages(texts: list[Text]) -> set[int]:
    """The pages before 附件1."""
    first_attachment = min(t.page for t in texts if t.text.strip() == "附件1")
    return set(range(1, first_attachment))


# --- the text block -------------------------------------------------------------------------


def test_all_text_stays_inside_the_text_block(demo_texts):
    left, right = PAGE.margin_left, PAGE.width - PAGE.margin_right
    top, bottom = PAGE.margin_top, PAGE.height - PAGE.margin_bottom
    for text in demo_texts:
        if furniture(text):
            continue
        assert text.left >= left - TOLERANCE, text
        assert text.right <= right + TOLERANCE, text
        assert text.top >= top - TOLERANCE, text
        assert text.bottom <= bottom + TOLERANCE, text


def test_full_pages_fill_the_block_on_the_22_line_grid(demo_texts):
    body = [t for t in demo_texts if t.size == 16 and not furniture(t)]
    page_two = sorted({t.top for t in body if t.page == 2})
    assert len(page_two) == PAGE.lines_per_page
    gaps = [b - a for a, b in zip(page_two, page_two[1:])]
    assert all(abs(gap - LEADING) < 1 for gap in gaps), gaps
    assert page_two[0] - PAGE.margin_top < LEADING / 2  # the first line at the block's top
    # Full lines run from the left edge of the block to its right edge.
    lines = lines_of([t for t in body if t.page == 2])
    starts = {round(runs[0].left) for runs in lines.values()}
    ends = [runs[-1].right for runs in lines.values()]
    assert round(PAGE.margin_left) in starts
    assert max(ends) == pytest.approx(PAGE.width - PAGE.margin_right, abs=TOLERANCE)


def test_full_lines_of_chinese_hold_28_characters(demo_texts):
    narrative = narrative_pages(demo_texts)
    counts = []
    for (page, _top), runs in lines_of(demo_texts).items():
        text = "".join(run.text for run in runs).replace(" ", "")
        full = (abs(runs[0].left - PAGE.margin_left) < 1
                and abs(runs[-1].right - (PAGE.width - PAGE.margin_right)) < TOLERANCE)
        if page in narrative and runs[0].size == 16 and full and not re.search(r"[ -~]", text):
            counts.append(len(text))
    assert len(counts) > 20
    assert set(counts) <= {27, 28}  # 27 where a closing mark pushed a character down
    assert counts.count(28) > 0.8 * len(counts)


# --- sizes ----------------------------------------------------------------------------------


def test_title_is_2hao_and_body_3hao(demo_texts):
    report = load_demo()
    title_lines = [t for t in demo_texts if t.page == 1 and t.size == 22]
    assert "".join(t.text for t in title_lines) == report.header.title
    narrative = narrative_pages(demo_texts)
    body = [t for t in demo_texts if t.page in narrative and not furniture(t) and t.size >= 14]
    characters = sum(len(t.text) for t in body)
    at_16 = sum(len(t.text) for t in body if t.size == 16)
    assert at_16 > 0.95 * characters
    for heading in ("一、项目基本概况", "（一）项目概况", "1.立项背景"):
        line = next(runs for runs in lines_of(demo_texts).values()
                    if "".join(r.text for r in runs).startswith(heading))
        assert {run.size for run in line} == {16}, heading
    first_paragraph = report.overview.background.splitlines()[0][:10]
    assert any(t.size == 16 and first_paragraph[:4] in t.text for t in demo_texts)


# --- page numbers and footer -------------------------------------------------------------------


def test_page_numbers_sit_7mm_below_the_block_odd_right_even_left(demo_pdf, demo_texts):
    _, pages = demo_pdf
    numbers = {t.page: t for t in demo_texts if PAGE_NUMBER.match(t.text.strip())}
    assert sorted(numbers) == list(range(1, pages + 1))
    block_bottom = PAGE.height - PAGE.margin_bottom
    one_char = PAGE.page_number_size
    for page, text in numbers.items():
        assert int(PAGE_NUMBER.match(text.text.strip()).group(1)) == page
        assert text.size == 14
        assert text.top - block_bottom == pytest.approx(7 * MM, abs=TOLERANCE)
        if page % 2:
            assert text.right == pytest.approx(PAGE.width - PAGE.margin_right - one_char, abs=TOLERANCE)
        else:
            assert text.left == pytest.approx(PAGE.margin_left + one_char, abs=TOLERANCE)


def test_footer_line_is_below_the_page_number_on_every_page(demo_pdf, demo_texts):
    _, pages = demo_pdf
    footers = {t.page: t for t in demo_texts if t.text.strip() == FOOTER}
    numbers = {t.page: t for t in demo_texts if PAGE_NUMBER.match(t.text.strip())}
    assert sorted(footers) == list(range(1, pages + 1))
    for page, footer in footers.items():
        assert footer.top > numbers[page].bottom + 2 * MM
        assert footer.bottom < PAGE.height - 5 * MM  # inside any printer's margin
        assert footer.size <= 10


# --- line breaking -------------------------------------------------------------------------------


def test_no_line_starts_with_closing_punctuation(demo_texts):
    narrative = narrative_pages(demo_texts)
    starts = [(key, "".join(r.text for r in runs)) for key, runs in lines_of(demo_texts).items()
              if key[0] in narrative and not furniture(runs[0])]
    assert len(starts) > 150
    bad = [(key, line) for key, line in starts if line.lstrip()[:1] in CANNOT_START]
    assert not bad


def test_no_line_ends_with_opening_punctuation(demo_texts):
    narrative = narrative_pages(demo_texts)
    bad = [line for (page, _), runs in lines_of(demo_texts).items() if page in narrative
           for line in ["".join(r.text for r in runs).rstrip()] if line[-1:] in "（《“〔【"]
    assert not bad


def test_team_roles_line_up_with_full_width_spaces(demo_texts):
    """组　长 and 成　员 take a full-width space, so their colons stand under 副组长's."""
    lines = {key: "".join(r.text for r in runs) for key, runs in lines_of(demo_texts).items()}
    colons = {}
    for label in ("组　长：", "副组长：", "成　员："):
        key = next(key for key, line in lines.items() if line.lstrip().startswith(label))
        run = next(r for r in lines_of(demo_texts)[key] if "：" in r.text)
        colons[label] = run.left + run.width * run.text.index("：") / len(run.text)
        # The name and the position are set apart by a full-width space too.
        assert "　" in lines[key][len(label):], lines[key]
    assert max(colons.values()) - min(colons.values()) < 1, colons


def test_no_page_ends_with_blank_lines_before_a_table(demo_texts):
    """A table moves to the next page with at most the sentence announcing it and a few
    rows (never a heading and a whole paragraph): no narrative page ends more than two
    lines short of the block's foot — but the last, and the one before it, whose last
    lines may have gone on with the signature."""
    bottom = PAGE.height - PAGE.margin_bottom
    pages = sorted(narrative_pages(demo_texts))
    assert len(pages) > 4
    for page in pages[:-2]:
        lowest = max(t.bottom for t in demo_texts if t.page == page and not furniture(t))
        assert bottom - lowest < 2 * LEADING, (page, (bottom - lowest) / LEADING)


# --- the signature block --------------------------------------------------------------------------


def test_signature_date_is_four_characters_in_and_the_unit_centred_over_it(demo_texts):
    report = load_demo()
    lines = lines_of(demo_texts)
    date_key, date_runs = next((key, runs) for key, runs in lines.items()
                               if "".join(r.text for r in runs).strip() == "2021年3月10日")
    unit_runs = next(runs for key, runs in lines.items() if key[0] == date_key[0]
                     and key[1] < date_key[1] and "".join(r.text for r in runs) == report.header.unit_name)
    right = PAGE.width - PAGE.margin_right
    pitch = PAGE.pitch
    assert right - date_runs[-1].right == pytest.approx(4 * pitch, abs=TOLERANCE)
    date_centre = (date_runs[0].left + date_runs[-1].right) / 2
    unit_centre = (unit_runs[0].left + unit_runs[-1].right) / 2
    assert unit_centre == pytest.approx(date_centre, abs=TOLERANCE)


def test_signature_page_carries_text_above_the_attachment_note(demo_texts):
    """GB/T 9704: the signature and date never stand on a page without body text."""
    narrative = narrative_pages(demo_texts)
    lines = {key: "".join(r.text for r in runs).strip() for key, runs in lines_of(demo_texts).items()
             if key[0] in narrative and not furniture(runs[0])}
    note = next(key for key, line in lines.items() if line.startswith("附件："))
    date_line = next(key for key, line in lines.items() if line == "2021年3月10日")
    assert date_line[0] == note[0]
    assert len([key for key in lines if key[0] == note[0] and key[1] < note[1]]) >= 2


def test_attachment_pages_start_with_their_label_top_left(demo_texts):
    for label in ("附件1", "附件2"):
        text = next(t for t in demo_texts if t.text.strip() == label)
        first_on_page = min((t for t in demo_texts if t.page == text.page and not furniture(t)),
                            key=lambda t: t.top)
        assert first_on_page is text
        assert text.left == pytest.approx(PAGE.margin_left, abs=TOLERANCE)


# --- marks ------------------------------------------------------------------------------------------


def pdftotext(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, check=True,
                          capture_output=True).stdout.decode("utf-8")


def test_draft_mark_on_every_page_without_disturbing_the_text(demo_pdf):
    _, pages = demo_pdf
    marked, plain = io.BytesIO(), io.BytesIO()
    seen: list[int] = []
    assert render_pdf(load_demo(), marked, mark="草稿（未通过校验）", progress=seen.append) == pages
    render_pdf(load_demo(), plain)
    assert seen == list(range(1, pages + 1))
    marked_text, plain_text = pdftotext(marked.getvalue()), pdftotext(plain.getvalue())
    assert "草稿" not in plain_text
    per_page = marked_text.split("\f")[:pages]
    assert all(page.count("草稿（未通过校验）") == 1 for page in per_page)
    # The diagonal copy is drawn as shapes: the report's text extracts as without a mark.
    assert marked_text.replace("草稿（未通过校验）\n", "").split() == plain_text.split()


def test_marked_output_is_byte_stable():
    first, second = io.BytesIO(), io.BytesIO()
    for out in (first, second):
        render_pdf(load_demo(), out, mark="草稿", footer=FOOTER)
    assert first.getvalue() == second.getvalue()


def test_a_new_process_renders_the_same_bytes():
    """A finalized revision reprints identically, also after the app was restarted."""
    import hashlib
    import sys

    code = ("import hashlib, io, sys; from desktop_app.demo import load_demo; "
            "from desktop_app.pdf import render_pdf; out = io.BytesIO(); "
            f"render_pdf(load_demo(), out, mark='草稿', footer={FOOTER!r}); "
            "sys.stdout.write(hashlib.sha256(out.getvalue()).hexdigest())")
    root = Path(__file__).resolve().parents[2]
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           cwd=root).stdout
    here = io.BytesIO()
    render_pdf(load_demo(), here, mark="草稿", footer=FOOTER)
    assert fresh == hashlib.sha256(here.getvalue()).hexdigest()
