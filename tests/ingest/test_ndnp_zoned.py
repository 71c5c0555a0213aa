"""A METS/ALTO issue whose articles are zoned (tests/fixtures/zoned_issue), read by the NDNP
reader: its pages with their text and boxes, its two articles, one across both pages."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from backfile.ingest.page_records import PageRecord
from backfile.ingest.pipeline import read_paths
from backfile.ingest.readers import detect
from backfile.ingest.readers.ndnp import NdnpReader
from backfile.ingest.records import ArticleRecord, Failure, Notice
from backfile.ingest.report import IngestReport
from backfile.ingest.sources import walk
from tests.conftest import FIXTURES

ZONED = FIXTURES / "zoned_issue"
PAGE_SIZE = (800, 1200)  # 8 × 12 inches at 100 pixels an inch


def zoned_issue(tmp_path: Path, image_suffix: str = ".jpg") -> Path:
    """The fixture issue with its page images, as a user would have it on disk."""
    folder = tmp_path / "harbour-gazette-1921-03-05"
    shutil.copytree(ZONED, folder)
    (folder / "images").mkdir()
    for number in (1, 2):
        Image.new("L", PAGE_SIZE, 255).save(folder / "images" / f"0000{number}{image_suffix}")
    return folder


def read(path: Path, **options) -> list:
    reader = NdnpReader(**options)
    outputs: list = []
    for file in walk([path]):
        assert detect(file) is NdnpReader, file.path
        outputs.extend(reader.feed(file))
    outputs.extend(reader.finish())
    return outputs


def in_pixels(x, y, w, h, factor) -> tuple:
    """A box of the file's units in the image's pixels: its edges scaled and rounded."""
    left, top = round(x * factor), round(y * factor)
    return (left, top, round((x + w) * factor) - left, round((y + h) * factor) - top)


def pages(outputs: list) -> dict[int, PageRecord]:
    return {o.sequence: o for o in outputs if isinstance(o, PageRecord)}


def articles(outputs: list) -> list[ArticleRecord]:
    return [o for o in outputs if isinstance(o, ArticleRecord)]


def test_the_issue_is_the_one_its_mets_describes(tmp_path):
    outputs = read(zoned_issue(tmp_path))
    assert not [o for o in outputs if isinstance(o, Failure)]
    read_pages = pages(outputs)
    assert sorted(read_pages) == [1, 2]
    issue = read_pages[1].issue
    assert (issue.year, issue.month, issue.day, issue.volume, issue.number) == (1921, 3, 5, 4, 37)
    assert {p.publication for p in read_pages.values()} == {"Harbour Gazette"}
    assert [read_pages[n].label for n in (1, 2)] == ["1", "2"]
    (summary,) = [o for o in outputs if isinstance(o, Notice) and o.kind == "METS issue"]
    assert summary.path.endswith("mets.xml")
    assert summary.message.endswith("1921-03-05: 2 of its 2 pages here, 2 articles zoned")


def test_publication_given_on_the_command_line_names_it(tmp_path):
    outputs = read(zoned_issue(tmp_path), publication="The Gazette")
    assert {o.publication for o in outputs if isinstance(o, (PageRecord, ArticleRecord))} == {
        "The Gazette"
    }


def test_pages_have_their_images_though_the_mets_names_jp2(tmp_path):
    read_pages = pages(read(zoned_issue(tmp_path)))
    for page in read_pages.values():
        assert (page.width, page.height) == PAGE_SIZE
        assert page.image and page.assets[0].sha256 == page.image
        assert page.assets[0].media_type == "image/jpeg"
        assert page.text_source == "alto"
        assert page.language == "en"


def test_boxes_are_scaled_to_the_image_from_either_unit(tmp_path):
    read_pages = pages(read(zoned_issue(tmp_path)))
    # page 1 is in tenths of a millimetre: "Strike" at 100, 250 (260 × 120) on 2032 × 3048
    strike = read_pages[1].blocks[1].lines[0].words[0]
    assert strike.text == "Strike"
    assert (strike.x, strike.y, strike.w, strike.h) == in_pixels(100, 250, 260, 120, 800 / 2032)
    # page 2 is in pixels of a 200 ppi scan, its image 100 ppi: halved
    the = read_pages[2].blocks[0].lines[0].words[0]
    assert (the.text, the.x, the.y, the.w, the.h) == ("The", 50, 50, 45, 30)
    for page in read_pages.values():
        for block in page.blocks:
            for line in block.lines:
                for word in line.words:
                    assert word.x >= 0 and word.x + word.w <= PAGE_SIZE[0]
                    assert word.y >= 0 and word.y + word.h <= PAGE_SIZE[1]


def test_running_heads_folios_and_the_illustration_are_marked(tmp_path):
    read_pages = pages(read(zoned_issue(tmp_path)))
    first, second = read_pages[1], read_pages[2]
    assert [b.role for b in first.blocks] == [
        "header", "text", "text", "illustration", "text", "text",
    ]  # fmt: skip
    assert "HARBOUR GAZETTE" not in first.text  # page furniture stays out of the page's text
    assert second.blocks[-1].role == "footer" and second.blocks[-1].text == "2"
    (figure,) = first.figures
    assert (figure.sequence, figure.caption) == (1, "The quay at dawn.")
    # the composed block's box: the picture with its caption
    assert (figure.x, figure.y, figure.w, figure.h) == in_pixels(1100, 250, 800, 900, 800 / 2032)


def test_a_hyphenated_word_reads_once_and_keeps_both_halves_boxes(tmp_path):
    second = pages(read(zoned_issue(tmp_path)))[2]
    lines = second.blocks[0].lines
    assert second.text == "The strike went into afternoon\nas talks failed."
    first_half, second_half = lines[0].words[-1], lines[1].words[0]
    assert first_half.text == "afternoon" and (first_half.x, first_half.w) == (325, 65)
    assert second_half.text == "" and (second_half.x, second_half.y) == (50, 90)
    assert first_half.confidence == 80.0


def test_articles_come_from_the_zoning_across_pages(tmp_path):
    strike, council = articles(read(zoned_issue(tmp_path)))
    assert strike.title == "Strike at the Docks"
    assert [b.type for b in strike.blocks] == ["paragraph", "paragraph"]
    assert (
        strike.blocks[0].text
        == "Dockers walked out on Monday after the owners refused the new rates."
    )
    assert strike.blocks[1].text == "The strike went into afternoon as talks failed."
    assert strike.pages == "1-2"
    assert [(r.sequence, r.x, r.y) for r in strike.regions] == [
        (1, 39, 98),
        (1, 39, 157),
        (2, 50, 50),
    ]
    assert strike.key == "harbour-gazette-1921-03-05#DIVL3"
    # no LABEL: the title is its heading block
    assert council.title == "Council Meets"
    assert council.pages == "1" and council.position == 2
    assert council.blocks[0].text == "The council met on Tuesday to discuss the harbour dues."
    assert council.issue == strike.issue


def test_blocks_know_the_article_they_belong_to(tmp_path):
    read_pages = pages(read(zoned_issue(tmp_path)))
    zones = [b.zone for b in read_pages[1].blocks]
    assert zones == ["", "DIVL3", "DIVL3", "", "DIVL8", "DIVL8"]
    assert read_pages[2].blocks[0].zone == "DIVL3"


def test_the_same_issue_read_again_gives_the_same_keys(tmp_path):
    first = read(zoned_issue(tmp_path / "a"))
    again = read(zoned_issue(tmp_path / "b"))
    assert [a.key for a in articles(first)] == [a.key for a in articles(again)]
    assert [p.image for p in pages(first).values()] == [p.image for p in pages(again).values()]


def test_a_block_the_zoning_names_but_the_alto_lacks_is_noted(tmp_path):
    folder = zoned_issue(tmp_path)
    mets = folder / "mets.xml"
    mets.write_text(mets.read_text().replace('BEGIN="P1_TB4"', 'BEGIN="P1_TB99"'))
    _, council = articles(read(folder))
    assert council.title == "Council Meets" and council.blocks == []
    assert any("P1_TB99" in note and "page 1" in note for note in council.notes)


def test_an_article_none_of_whose_blocks_are_here_is_a_notice(tmp_path):
    folder = zoned_issue(tmp_path)
    mets = folder / "mets.xml"
    text = mets.read_text().replace('BEGIN="P1_TB4"', 'BEGIN="X"').replace('"P1_TB3"', '"Y"')
    mets.write_text(text)
    outputs = read(folder)
    assert [a.title for a in articles(outputs)] == ["Strike at the Docks"]
    assert any(
        isinstance(o, Notice) and "DIVL8" in o.message and "none of its blocks" in o.message
        for o in outputs
    )


@pytest.mark.parametrize("suffix", [".png", ".tif"])
def test_images_in_other_formats_are_found(tmp_path, suffix):
    read_pages = pages(read(zoned_issue(tmp_path, suffix)))
    assert all(p.image and (p.width, p.height) == PAGE_SIZE for p in read_pages.values())


@pytest.mark.parametrize("order", ["mets first", "mets last"])
def test_an_issue_inside_a_zip_reads_as_on_disk(tmp_path, order):
    folder = zoned_issue(tmp_path / "disk")
    members = sorted(p for p in folder.rglob("*") if p.is_file())
    members.sort(key=lambda p: (p.name == "mets.xml") == (order == "mets first"), reverse=True)
    archive = tmp_path / "gazette.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for member in members:
            zipped.write(member, f"gazette/{member.relative_to(folder)}")
        zipped.writestr("other/readme.txt", "not an issue")
    outputs = list(read_paths([archive], None, IngestReport()))
    zipped_pages = pages(outputs)
    on_disk = pages(read(folder))
    assert sorted(zipped_pages) == [1, 2]
    for sequence, page in zipped_pages.items():
        assert page.image == on_disk[sequence].image
        assert page.text == on_disk[sequence].text
    assert [a.key for a in articles(outputs)] == [a.key for a in articles(read(folder))]
