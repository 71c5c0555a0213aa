"""The shared Chronicling America pages (../shared/corpus/facsimiles/chronam) read by the
NDNP reader. What to expect is read from the METS and ALTO files here, with lxml, and from
the images with Pillow, not written down."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from backfile.ingest.page_records import PageRecord
from backfile.ingest.readers import detect
from backfile.ingest.readers.ndnp import NdnpReader
from backfile.ingest.records import ArticleRecord, Failure, Notice
from backfile.ingest.sources import walk
from tests.conftest import corpus_path

pytestmark = pytest.mark.corpus

NORDSTERN = ("batch_mnhi_german_ver01", "data", "sn83045350", "00295876384", "1878010301")
STAR_1916 = ("batch_dlc_manyyears_ver01", "data", "sn83045462", "0028065856A", "1916082601")
STAR_1865 = ("batch_dlc_manyyears_ver01", "data", "sn83045462", "00280654255", "1865100201")


def issue_folder(parts: tuple[str, ...]) -> Path:
    return corpus_path("facsimiles", "chronam", *parts)


def read(folder: Path) -> list:
    reader = NdnpReader()
    outputs: list = []
    for file in walk([folder]):
        assert detect(file) is NdnpReader, file.path
        outputs.extend(reader.feed(file))
    outputs.extend(reader.finish())
    return outputs


def alto_strings(path: Path) -> list[etree._Element]:
    return list(etree.parse(str(path)).getroot().iter("{*}String"))


def mets_date(folder: Path) -> str:
    mets = folder / f"{folder.name}.xml"
    return etree.parse(str(mets)).getroot().findtext(".//{*}dateIssued")


@pytest.mark.parametrize(
    ("parts", "stem", "language"), [(NORDSTERN, "0011", "de"), (STAR_1916, "0007", "")]
)
def test_a_staged_page_reads_as_its_alto_says(parts, stem, language):
    folder = issue_folder(parts)
    outputs = read(folder)
    assert not [o for o in outputs if isinstance(o, Failure)]
    assert not [o for o in outputs if isinstance(o, ArticleRecord)]  # no zoning: by page
    (page,) = [o for o in outputs if isinstance(o, PageRecord)]
    # the issue and the page as the METS gives them
    year, month, day = (int(n) for n in mets_date(folder).split("-"))
    assert (page.issue.year, page.issue.month, page.issue.day) == (year, month, day)
    assert (page.sequence, page.label) == (1, "1")
    assert page.text_source == "alto" and page.language == language
    # its image, at the image's real size
    with Image.open(folder / f"{stem}.jpg") as image:
        assert (page.width, page.height) == image.size
    assert page.assets[0].location == str(folder / f"{stem}.jpg")
    # every word of the ALTO, each hyphenated word read once, every box inside the image
    strings = alto_strings(folder / f"{stem}.xml")
    words = [w for b in page.blocks for line in b.lines for w in line.words]
    assert len(words) == len(strings)
    second_halves = [s for s in strings if s.get("SUBS_TYPE") == "HypPart2"]
    assert len(page.text.split()) == pytest.approx(len(strings) - len(second_halves), rel=0.03)
    assert abs(len(page.text.split()) - len(strings)) <= 0.05 * len(strings)
    for word in words:
        assert word.x >= 0 and word.x + word.w <= page.width
        assert word.y >= 0 and word.y + word.h <= page.height
        assert word.confidence is not None and 0 <= word.confidence <= 100
    wc = [float(s.get("WC")) * 100 for s in strings]
    assert page.confidence == pytest.approx(sum(wc) / len(wc), abs=0.1)


def test_the_pages_the_mets_names_but_are_not_here_are_named():
    folder = issue_folder(NORDSTERN)
    notices = [o for o in read(folder) if isinstance(o, Notice)]
    missing = [n for n in notices if "none of its files" in n.message]
    assert [n.message.split(" (")[0] for n in missing] == [f"page {n}" for n in range(2, 9)]
    assert all(n.path == str(folder / "1878010301.xml") for n in missing)
    (summary,) = [n for n in notices if n.kind == "METS issue"]
    assert "1 of its 8 pages here" in summary.message
    assert any("0012.xml" in n.message for n in missing)


def test_the_1865_page_with_only_its_pdf_is_read_from_the_pdf():
    folder = issue_folder(STAR_1865)
    outputs = read(folder)

    [page] = [o for o in outputs if isinstance(o, PageRecord)]
    assert not [o for o in outputs if isinstance(o, Failure)]
    assert (page.issue.year, page.issue.month, page.issue.day) == (1865, 10, 2)
    assert (page.sequence, page.label, page.text_source) == (1, "1", "pdf")
    assert not page.issue.pdf  # a page's PDF is not the issue's
    assert page.image and (page.width, page.height) == (2325, 3469)  # its scan, 150 ppi
    words = [w for b in page.blocks for line in b.lines for w in line.words]
    assert len(words) > 5000  # the hidden text layer (noisy 1865 OCR), each word boxed
    assert all(w.x + w.w <= page.width + 1 and w.y + w.h <= page.height + 1 for w in words)


def test_both_evening_star_issues_are_one_publication():
    outputs = read(corpus_path("facsimiles", "chronam", "batch_dlc_manyyears_ver01"))
    pages = [o for o in outputs if isinstance(o, PageRecord)]
    assert sorted(p.issue.year for p in pages) == [1865, 1916]
    assert {p.publication for p in pages} == {"Evening Star"}
