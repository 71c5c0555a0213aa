"""The PDF reader's words in C (`_pdf_words.c`) are the words of its Python path, exactly:
the same texts, the same boxes to the last bit, the same words turned on the page and the
same words read letter by letter, on pages made to hold every case the rules tell apart and
on the shared corpus's PDFs; and its lines (`pdf_text.lines_of`) are the Python path's lines
for any words, in any columns."""

from __future__ import annotations

import numpy
import pypdfium2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backfile.ingest.readers import pdf_text, pdf_words
from tests.conftest import corpus_path, skip_unless
from tests.helpers import facsimiles as fx

C_WORDS = pdf_words.NATIVE  # as imported, before any test sets it
C_LAYOUT = pdf_text.NATIVE


def native():
    skip_unless(C_WORDS is not None, "the PDF reader's C words are not built (setup.py)")
    return C_WORDS


def native_layout():
    skip_unless(C_LAYOUT is not None, "the PDF reader's C layout is not built (setup.py)")
    return C_LAYOUT


def both_ways(pdf, monkeypatch) -> list[tuple]:
    """Each page's words read by the C path and by the Python path."""
    module = native()
    pages = []
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for index in range(len(document)):
            page = document[index]
            height = page.get_height()
            textpage = page.get_textpage()
            monkeypatch.setattr(pdf_words, "NATIVE", module)
            in_c = pdf_words.page_words(textpage, height)
            monkeypatch.setattr(pdf_words, "NATIVE", None)
            in_python = pdf_words.page_words(textpage, height)
            textpage.close()
            page.close()
            pages.append((in_c, in_python))
    finally:
        document.close()
    return pages


def assert_same(pages) -> None:
    for number, (in_c, in_python) in enumerate(pages, start=1):
        assert in_c.texts == in_python.texts, f"page {number}"
        for side in ("x0", "y0", "x1", "y1", "rotated"):
            assert numpy.array_equal(
                getattr(in_c, side), getattr(in_python, side), equal_nan=True
            ), f"page {number}: {side}"


def awkward_page() -> bytes:
    """Footnote numbers raised and set small against words, at either end; numbers that are
    words of their own; a superscript two; soft hyphens; a word turned on the page, a
    sideways line, letters spaced out, and a word made of two sizes."""
    lines = [
        b"BT /F1 10 Tf 1 0 0 1 60 700 Tm (Preliminary findings were) Tj 4 Ts /F1 6 Tf (12) Tj "
        b"0 Ts /F1 10 Tf ( clear, and) Tj ET\n",
        b"BT /F1 6 Tf 1 0 0 1 60 680 Tm 4 Ts (3) Tj 0 Ts /F1 10 Tf (Second note) Tj ET\n",
        b"BT /F1 10 Tf 1 0 0 1 60 660 Tm (alert,5 85, 2019-NM-035-AD] 47699 x\xb2 area\xb2) Tj ET\n",
        b"BT /F1 10 Tf 1 0 0 1 60 640 Tm (long\xadword tied\xad) Tj ET\n",
        b"BT /F1 10 Tf 1 0 0 1 60 620 Tm (big) Tj /F1 5 Tf (small) Tj /F1 10 Tf ( end) Tj ET\n",
        b"BT /F1 10 Tf 1 0 0 1 60 600 Tm 6 Tc (spaced out) Tj 0 Tc ( again) Tj ET\n",
        b"BT /F1 10 Tf 1 0 0 1 60 580 Tm (7) Tj 3 Ts (8) Tj -3 Ts (9) Tj 0 Ts (A) Tj ET\n",
        b"BT /F1 8 Tf 1 0 0 1 60 560 Tm (4) Tj /F1 10 Tf (Word) Tj /F1 9 Tf (5) Tj ET\n",
    ]
    turned = [
        fx.text_at(30, 200, "Printed sideways, sheet 4", 6, sideways=True),
        fx.text_at(580, 300, "x", 8, sideways=True),
        b"BT /F1 10 Tf 0.7 0.7 -0.7 0.7 300 300 Tm (askew words 42) Tj ET\n",
        b"BT /F1 10 Tf 0.866 -0.5 0.5 0.866 400 400 Tm (a tilted line) Tj ET\n",
    ]
    return b"".join(lines + turned)


def test_the_c_words_are_the_python_words_on_every_awkward_case(tmp_path, monkeypatch):
    pdf = tmp_path / "awkward.pdf"
    fx.write_pdf([awkward_page(), fx.newspaper_page([fx.column_text(60, seed=3)], 9)], pdf)
    pages = both_ways(pdf, monkeypatch)
    assert_same(pages)
    words = pages[0][0]
    # the rules were exercised: numbers read apart, and words turned on the page
    assert "12" in words.texts and "Preliminary" in words.texts
    assert words.rotated.any()


def test_the_c_words_are_the_python_words_on_a_generated_issue(tmp_path, monkeypatch):
    pdf = fx.newspaper_pdf(tmp_path / "issue.pdf", pages=4, columns=3)
    assert_same(both_ways(pdf, monkeypatch))


@pytest.mark.corpus
def test_the_c_words_are_the_python_words_on_the_corpus_pdfs(monkeypatch):
    folder = corpus_path("facsimiles")
    pdfs = sorted(folder.rglob("*.pdf"))
    assert pdfs, f"no PDF under {folder}"
    for pdf in pdfs:
        assert_same(both_ways(pdf, monkeypatch))


def test_backfile_pdf_words_python_turns_the_c_off(monkeypatch):
    """BACKFILE_PDF_WORDS=python asks for the Python path of the words and the layout both."""
    monkeypatch.setenv("BACKFILE_PDF_WORDS", "python")
    assert pdf_words.native_module() is None and pdf_text.native_module() is None
    monkeypatch.delenv("BACKFILE_PDF_WORDS")
    native(), native_layout()
    assert pdf_words.native_module() is not None and pdf_text.native_module() is not None


def python_lines(monkeypatch, words, chosen, group):
    monkeypatch.setattr(pdf_text, "NATIVE", None)
    try:
        return pdf_text.lines_of(words, chosen, group)
    finally:
        monkeypatch.setattr(pdf_text, "NATIVE", C_LAYOUT)


# words on a coarse grid, so that middles, lefts and heights often tie or sit at the limit
GRID = st.integers(min_value=0, max_value=12).map(lambda n: n * 1.25)
HEIGHT = st.sampled_from([0.0, 0.5, 1.0, 2.5, 5.0, 10.0])
WORD = st.tuples(GRID, GRID, HEIGHT)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    boxes=st.lists(WORD, min_size=1, max_size=60),
    columns=st.integers(min_value=0, max_value=3),
    pick=st.randoms(use_true_random=False),
)
def test_the_c_lines_are_the_python_lines(boxes, columns, pick):
    native_layout()
    words = pdf_words.PageWords.of(
        [(f"w{k}", x, y, x + 10.0, y + h, False) for k, (x, y, h) in enumerate(boxes)]
    )
    chosen = numpy.array(sorted(pick.sample(range(len(boxes)), pick.randint(1, len(boxes)))))
    group = None
    if columns:
        group = numpy.array([pick.randrange(columns) for _ in chosen], dtype=numpy.int64)
    with pytest.MonkeyPatch.context() as monkeypatch:
        expected = python_lines(monkeypatch, words, chosen, group)
    order, starts, groups = pdf_text.lines_of(words, chosen, group)
    assert order.tolist() == expected[0].tolist()
    assert list(starts) == list(expected[1])
    assert list(groups) == list(expected[2])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    columns=st.integers(min_value=1, max_value=4),
    rows=st.integers(min_value=3, max_value=40),
    gap=st.integers(min_value=0, max_value=24).map(lambda g: g * 0.75),
    stray=st.lists(st.tuples(GRID.map(lambda x: x * 30), GRID.map(lambda x: x * 8)), max_size=12),
    width=st.sampled_from([300.0, 612.0, 612.5, 1000.0]),
    heights=st.lists(
        st.sampled_from([0.5, 5.0, 8.0, 10.0, 12.0, 16.0, 20.0]), min_size=1, max_size=5
    ),
)
def test_the_c_gutters_are_the_python_gutters(columns, rows, gap, stray, width, heights):
    """Columns of words with gutters of many widths, and stray words across them."""
    native_layout()
    boxes = []
    span = (width - 40) / columns
    for column in range(columns):
        left = 20 + column * span
        for row in range(rows):
            height = heights[(row + column) % len(heights)]
            boxes.append((left + (row % 3) * 2.0, 30 + row * 12.0, left + span - gap, height))
    boxes += [(x, y, x + 60.0, 9.0) for x, y in stray]
    words = pdf_words.PageWords.of(
        [(f"w{k}", x0, y, x1, y + h, False) for k, (x0, y, x1, h) in enumerate(boxes)]
    )
    chosen = numpy.arange(len(boxes))
    expected = None
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(pdf_text, "NATIVE", None)
        expected = pdf_text.gutters(words, chosen, width)
    assert pdf_text.gutters(words, chosen, width) == expected


def pdf_with_to_unicode(path, cmap: bytes, content: bytes):
    """A one-page PDF whose font maps its codes to Unicode through this ToUnicode CMap."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 3 0 R >> >> /Contents 5 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def test_letters_outside_the_bmp_are_whole_letters_in_the_words(tmp_path, monkeypatch):
    """An emoji or a mathematical letter comes from PDFium as two UTF-16 halves: the words
    hold the letter (text that can be stored), and a half alone becomes U+FFFD."""
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"1 begincodespacerange <00> <FF> endcodespacerange\n"
        b"3 beginbfchar <41> <D83DDE00> <42> <D835DD18> <43> <D83D> endbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    content = b"BT /F1 12 Tf 1 0 0 1 60 700 Tm (xAx BB C plain) Tj ET"
    pdf = pdf_with_to_unicode(tmp_path / "emoji.pdf", cmap, content)
    for in_c, in_python in both_ways(pdf, monkeypatch):
        assert in_c.texts == in_python.texts
        text = " ".join(in_c.texts)
        assert "x\U0001f600x" in in_c.texts and "\U0001d518\U0001d518" in in_c.texts, text
        assert "plain" in in_c.texts
        assert "\ufffd" in in_c.texts, text  # the half alone
        text.encode("utf-8")  # no half letter left alone
