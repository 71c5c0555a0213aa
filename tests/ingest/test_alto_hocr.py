"""The ALTO and hOCR parsers (backfile.ingest.readers.alto, .hocr) on files written here:
every ALTO namespace, units scaled to the image, hyphenation, confidence, bad files."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PIL import Image, ImageDraw, ImageFont

from backfile.ingest.readers.alto import read_alto
from backfile.ingest.readers.hocr import read_hocr
from backfile.ingest.readers.ocr_files import OcrFileError, find_sidecar, read_ocr_file
from tests.conftest import skip_unless

NAMESPACES = [
    "http://schema.ccs-gmbh.com/ALTO",  # ALTO 1, as CCS wrote it
    "http://www.loc.gov/standards/alto/",  # ALTO 1.x at the Library of Congress
    "http://www.loc.gov/standards/alto/ns-v2#",
    "http://www.loc.gov/standards/alto/ns-v3#",
    "http://www.loc.gov/standards/alto/ns-v4#",
    "",  # none at all
]


def alto(strings: str, namespace: str = "http://www.loc.gov/standards/alto/ns-v2#",
         unit: str = "pixel", page: tuple = (1000, 1500), extra: str = "") -> bytes:  # fmt: skip
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alto{xmlns}><Description><MeasurementUnit>{unit}</MeasurementUnit></Description>
<Layout><Page ID="P1" WIDTH="{page[0]}" HEIGHT="{page[1]}" {extra}><PrintSpace>
<TextBlock ID="TB1" HPOS="100" VPOS="100" WIDTH="800" HEIGHT="200">
{strings}
</TextBlock></PrintSpace></Page></Layout></alto>""".encode()


ONE_LINE = """<TextLine><String CONTENT="Printed" HPOS="100" VPOS="100" WIDTH="300" HEIGHT="60" WC="0.9"/>
<SP/><String CONTENT="matter" HPOS="420" VPOS="100" WIDTH="280" HEIGHT="60" WC="0.5"/></TextLine>"""


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_every_alto_namespace_is_read(namespace):
    page = read_alto(alto(ONE_LINE, namespace), "page.xml", (1000, 1500))
    assert [b.text for b in page.blocks] == ["Printed matter"]
    words = page.blocks[0].lines[0].words
    assert [(w.x, w.y, w.w, w.h, w.confidence) for w in words] == [
        (100, 100, 300, 60, 90.0),
        (420, 100, 280, 60, 50.0),
    ]
    assert page.text_source == "alto" and page.notes == []


def test_units_are_scaled_by_the_image_s_real_size():
    # 1200ths of an inch on a page of 10 × 15 inches; the image is 150 pixels an inch
    page = read_alto(alto(ONE_LINE, unit="inch1200", page=(12000, 18000)), "p.xml", (1500, 2250))
    word = page.blocks[0].lines[0].words[0]
    assert (word.x, word.y, word.w, word.h) == (12, 12, 38, 8)  # ÷ 8, from the sizes
    assert (page.width, page.height) == (1500, 2250)


def test_without_an_image_units_are_read_at_300_pixels_an_inch():
    page = read_alto(alto(ONE_LINE, unit="inch1200", page=(12000, 18000)), "p.xml", None)
    assert (page.width, page.height) == (3000, 4500)
    assert page.blocks[0].lines[0].words[0].x == 25


def test_a_page_not_the_shape_of_its_image_is_noted_and_kept_inside_it():
    page = read_alto(alto(ONE_LINE, page=(1000, 1500)), "odd.xml", (1000, 1000))
    assert any("odd.xml" in n and "not the shape of its image" in n for n in page.notes)
    for word in page.blocks[0].lines[0].words:
        assert word.y + word.h <= 1000


def test_words_past_the_image_are_clipped_or_kept_without_a_box():
    strings = """<TextLine><String CONTENT="edge" HPOS="900" VPOS="100" WIDTH="300" HEIGHT="60"/>
    <SP/><String CONTENT="beyond" HPOS="1200" VPOS="100" WIDTH="100" HEIGHT="60"/></TextLine>"""
    page = read_alto(alto(strings), "wide.xml", (1000, 1500))
    edge, beyond = page.blocks[0].lines[0].words
    assert (edge.x, edge.w) == (900, 100)
    assert (beyond.text, beyond.x, beyond.y, beyond.w, beyond.h) == ("beyond", 0, 0, 0, 0)
    assert any("wholly outside" in n for n in page.notes)
    assert any("clipped" in n for n in page.notes)


def test_hyphenation_without_subs_content_is_joined_by_hyp():
    strings = """<TextLine><String CONTENT="news" HPOS="100" VPOS="100" WIDTH="100" HEIGHT="60"/>
    <HYP CONTENT="-"/></TextLine>
    <TextLine><String CONTENT="paper" HPOS="100" VPOS="200" WIDTH="100" HEIGHT="60"/>
    <SP/><String CONTENT="men" HPOS="220" VPOS="200" WIDTH="100" HEIGHT="60"/></TextLine>"""
    page = read_alto(alto(strings), "p.xml", (1000, 1500))
    assert page.blocks[0].text == "newspaper\nmen"
    assert [w.text for line in page.blocks[0].lines for w in line.words] == [
        "newspaper", "", "men",
    ]  # fmt: skip


def test_character_confidence_stands_in_for_a_missing_word_confidence():
    strings = """<TextLine><String CONTENT="ok" CC="0 9" HPOS="100" VPOS="100" WIDTH="100" HEIGHT="60"/>
    </TextLine>"""
    word = read_alto(alto(strings), "p.xml", None).blocks[0].lines[0].words[0]
    assert word.confidence == 50.0


def test_the_printed_page_number_comes_from_the_page():
    page = read_alto(alto(ONE_LINE, extra='PRINTED_IMG_NR="iv"'), "p.xml", None)
    assert page.label == "iv"


def test_malformed_alto_names_the_file_and_line():
    with pytest.raises(OcrFileError, match=r"broken\.xml: not well-formed XML at line 3"):
        read_alto(b'<?xml version="1.0"?>\n<alto>\n<Layout><Page></Layout></alto>', "broken.xml")


def test_entities_are_never_expanded():
    data = b"""<?xml version="1.0"?>
<!DOCTYPE alto [<!ENTITY secret SYSTEM "file:///etc/hostname">]>
<alto><Layout><Page WIDTH="100" HEIGHT="100"><PrintSpace><TextBlock><TextLine>
<String CONTENT="&secret;" HPOS="1" VPOS="1" WIDTH="5" HEIGHT="5"/></TextLine></TextBlock>
</PrintSpace></Page></Layout></alto>"""
    try:
        page = read_alto(data, "entity.xml", None)
    except OcrFileError:
        return  # refused: fine
    with open("/etc/hostname") as file:
        secret = file.read().strip()
    assert secret not in "".join(b.text for b in page.blocks)


HOCR = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head><meta name='ocr-system' content='tesseract 5.3.0' /></head>
 <body>
  <div class='ocr_page' id='page_1' title='image "scan.png"; bbox 0 0 2000 3000; ppageno 0'>
   <div class='ocr_carea' id='block_1_1' title="bbox 100 100 900 400">
    <p class='ocr_par' id='par_1_1' lang='deu' title="bbox 100 100 900 400">
     <span class='ocr_line' id='line_1_1' title="bbox 100 100 900 160; baseline 0 -5">
      <span class='ocrx_word' id='word_1_1' title='bbox 100 100 400 160; x_wconf 96'>Guten</span>
      <span class='ocrx_word' id='word_1_2' title='bbox 420 100 900 160; x_wconf 71'>Morgen</span>
     </span>
     <span class='ocr_line' id='line_1_2' title="bbox 100 200 500 260">
      <span class='ocrx_word' id='word_1_3' title='bbox 100 200 500 260; x_wconf 88'><strong>Welt</strong></span>
     </span>
    </p>
   </div>
   <div class='ocr_photo' id='block_1_2' title="bbox 1000 100 1900 1000"></div>
  </div>
 </body>
</html>"""


def test_hocr_is_read_in_blocks_lines_and_words_scaled_to_the_image():
    page = read_hocr(HOCR, "scan.hocr", (1000, 1500))  # the OCR read a scan twice the size
    text, picture = page.blocks
    assert text.text == "Guten Morgen\nWelt" and page.language == "de"
    assert [(w.x, w.y, w.w, w.h, w.confidence) for w in text.lines[0].words] == [
        (50, 50, 150, 30, 96.0),
        (210, 50, 240, 30, 71.0),
    ]
    assert picture.role == "illustration"
    assert [(f.x, f.y, f.w, f.h) for f in page.figures] == [(500, 50, 450, 450)]
    assert page.text_source == "hocr"


def test_an_html_file_without_ocr_page_is_not_hocr():
    with pytest.raises(OcrFileError, match="page.html"):
        read_hocr(b"<html><body><p>hello</p></body></html>", "page.html")


def test_a_sidecar_is_found_beside_its_image_and_read_by_content(tmp_path):
    image = tmp_path / "0001.jpg"
    image.write_bytes(b"\xff\xd8\xff")
    assert find_sidecar(image) is None
    (tmp_path / "0001.xml").write_text("<notes>not OCR</notes>")
    (tmp_path / "0001.hocr").write_bytes(HOCR)
    sidecar = find_sidecar(image)
    assert sidecar == tmp_path / "0001.hocr"
    page = read_ocr_file(sidecar.read_bytes(), str(sidecar), (2000, 3000))
    assert page.text_source == "hocr" and page.word_count == 3
    with pytest.raises(OcrFileError, match="neither ALTO nor hOCR"):
        read_ocr_file(b"<notes/>", "notes.xml")


def test_tesseract_s_own_hocr_is_read(tmp_path):
    tesseract = shutil.which("tesseract")
    skip_unless(tesseract is not None, "tesseract is not installed")
    image = Image.new("L", (1200, 300), 255)
    draw = ImageDraw.Draw(image)
    draw.text((60, 90), "Harbour dues rise", fill=0, font=ImageFont.load_default(size=72))
    image.save(tmp_path / "scan.png")
    subprocess.run(
        [tesseract, str(tmp_path / "scan.png"), str(tmp_path / "scan"), "hocr"],
        check=True, capture_output=True,
    )  # fmt: skip
    data = (tmp_path / "scan.hocr").read_bytes()
    page = read_ocr_file(data, "scan.hocr", (600, 150))  # the image shown at half size
    assert page.text_source == "hocr"
    words = [w for b in page.blocks for line in b.lines for w in line.words]
    assert [w.text for w in words] == ["Harbour", "dues", "rise"]
    for word in words:
        assert 25 <= word.x < 600 and 40 <= word.y < 100 and word.confidence > 50


def test_blocks_above_or_below_the_print_space_are_running_heads_and_feet():
    def block(block_id, y, word):
        return f"""<TextBlock ID="{block_id}" HPOS="100" VPOS="{y}" WIDTH="400" HEIGHT="50">
        <TextLine><String CONTENT="{word}" HPOS="100" VPOS="{y}" WIDTH="400" HEIGHT="50"/>
        </TextLine></TextBlock>"""

    data = f"""<alto><Layout><Page WIDTH="1000" HEIGHT="1500">
    {block("HEAD", 20, "Gazette")}
    <PrintSpace HPOS="50" VPOS="100" WIDTH="900" HEIGHT="1300">{block("BODY", 200, "News")}
    </PrintSpace>{block("FOOT", 1420, "7")}</Page></Layout></alto>""".encode()
    page = read_alto(data, "p.xml", (1000, 1500))
    assert [(b.role, b.text) for b in page.blocks] == [
        ("header", "Gazette"), ("text", "News"), ("footer", "7"),
    ]  # fmt: skip
    # a PrintSpace wider than the page (as some files have) says nothing
    wide = data.replace(b'WIDTH="900"', b'WIDTH="41297"')
    assert {b.role for b in read_alto(wide, "p.xml", (1000, 1500)).blocks} == {"text"}
