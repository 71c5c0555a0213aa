"""NDNP batches written here, as a batch's folders are laid out: the pages that are there
go in, and what is missing or broken is named (a notice or failure for that page)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from backfile.ingest.page_records import PageRecord
from backfile.ingest.readers import detect
from backfile.ingest.readers.ndnp import NdnpReader, plain_title
from backfile.ingest.records import Failure, Notice
from backfile.ingest.sources import SourceFile, walk

IMAGE = (600, 900)  # 4 × 6 inches at 150 pixels an inch: 4800 × 7200 in 1200ths


def ndnp_mets(pages: int, label: str = "The Morning Herald (Troy, N.Y.), 1899-04-01",
              date: str = "1899-04-01", edition: int = 1) -> str:  # fmt: skip
    page_mods = "".join(
        f"""<dmdSec ID="pageModsBib{n}"><mdWrap MDTYPE="MODS"><xmlData><mods:mods><mods:part>
        <mods:extent unit="pages"><mods:start>{n}</mods:start></mods:extent>
        <mods:detail type="page number"><mods:number>{n + 10}</mods:number></mods:detail>
        </mods:part></mods:mods></xmlData></mdWrap></dmdSec>"""
        for n in range(1, pages + 1)
    )
    files = "".join(
        f"""<fileGrp ID="pageFileGrp{n}">
        <file ID="serviceFile{n}" USE="service"><FLocat LOCTYPE="OTHER" xlink:href="./{n:04}.jp2"/></file>
        <file ID="ocrFile{n}" USE="ocr"><FLocat LOCTYPE="OTHER" xlink:href="./{n:04}.xml"/></file>
        <file ID="pdfFile{n}" USE="derivative"><FLocat LOCTYPE="OTHER" xlink:href="./{n:04}.pdf"/></file>
        </fileGrp>"""
        for n in range(1, pages + 1)
    )
    divs = "".join(
        f"""<div DMDID="pageModsBib{n}" TYPE="np:page"><fptr FILEID="serviceFile{n}"/>
        <fptr FILEID="ocrFile{n}"/><fptr FILEID="pdfFile{n}"/></div>"""
        for n in range(1, pages + 1)
    )
    date_element = f"<mods:dateIssued encoding='iso8601'>{date}</mods:dateIssued>" if date else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mets LABEL="{label}" PROFILE="urn:library-of-congress:mets:profiles:ndnp:issue:v1.5"
 xmlns="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:mods="http://www.loc.gov/mods/v3">
<dmdSec ID="issueModsBib"><mdWrap MDTYPE="MODS"><xmlData><mods:mods>
<mods:relatedItem type="host"><mods:identifier type="lccn">sn83031234</mods:identifier>
<mods:part><mods:detail type="volume"><mods:number>12</mods:number></mods:detail>
<mods:detail type="issue"><mods:number>1,204</mods:number></mods:detail>
<mods:detail type="edition"><mods:number>{edition}</mods:number></mods:detail></mods:part></mods:relatedItem>
<mods:originInfo>{date_element}</mods:originInfo></mods:mods></xmlData></mdWrap></dmdSec>
{page_mods}<fileSec>{files}</fileSec>
<structMap><div DMDID="issueModsBib" TYPE="np:issue">{divs}</div></structMap></mets>"""


def ndnp_alto(words: str, page: tuple = (4800, 7200)) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#">
<Description><MeasurementUnit>inch1200</MeasurementUnit></Description>
<Layout><Page ID="P1" WIDTH="{page[0]}" HEIGHT="{page[1]}"><PrintSpace>
<TextBlock ID="TB1" HPOS="400" VPOS="400" WIDTH="4000" HEIGHT="400"><TextLine>
{
        "".join(
            f'<String CONTENT="{w}" HPOS="{400 + 800 * i}" VPOS="400" WIDTH="700" HEIGHT="200" WC="0.8"/>'
            for i, w in enumerate(words.split())
        )
    }</TextLine></TextBlock></PrintSpace></Page></Layout></alto>"""


def batch(tmp_path: Path, pages: int = 4, **mets) -> Path:
    """An issue folder of a batch: its METS for `pages` pages and no page files yet."""
    folder = tmp_path / "batch_test_ver01" / "data" / "sn83031234" / "00000000001" / "1899040101"
    folder.mkdir(parents=True)
    (folder / "1899040101.xml").write_text(ndnp_mets(pages, **mets))
    return folder


def image(path: Path, size: tuple = IMAGE) -> None:
    Image.new("L", size, 255).save(path)


def read(path: Path, **options) -> list:
    reader = NdnpReader(**options)
    outputs: list = []
    for file in walk([path]):
        if detect(file) is NdnpReader:
            outputs.extend(reader.feed(file))
    outputs.extend(reader.finish())
    return outputs


def pages_of(outputs: list) -> dict[int, PageRecord]:
    return {o.sequence: o for o in outputs if isinstance(o, PageRecord)}


def test_an_issue_with_pages_present_missing_broken_and_unread(tmp_path):
    folder = batch(tmp_path, pages=4)
    # page 1: ALTO and its image, as a JPEG though the METS names a JP2
    (folder / "0001.xml").write_text(ndnp_alto("Extra edition today"))
    image(folder / "0001.jpg")
    # page 2: a broken ALTO beside its image
    (folder / "0002.xml").write_text("<alto><Layout><Page>")
    image(folder / "0002.jpg")
    # page 3: an image and no OCR; page 4: nothing at all
    image(folder / "0003.tif")
    outputs = read(tmp_path)
    pages = pages_of(outputs)
    assert sorted(pages) == [1, 2, 3]
    first = pages[1]
    assert first.text == "Extra edition today" and first.label == "11"
    assert first.publication == "Morning Herald"
    issue = first.issue
    assert (issue.year, issue.month, issue.day, issue.volume, issue.number) == (
        1899,
        4,
        1,
        12,
        1204,
    )
    assert [(w.x, w.y, w.w, w.h) for w in first.blocks[0].lines[0].words][0] == (50, 50, 88, 25)
    # the broken page: a failure naming its file, and the page kept with its image, no text
    (failure,) = [o for o in outputs if isinstance(o, Failure)]
    assert failure.path == str(folder / "0002.xml") and "not well-formed" in failure.reason
    assert "page 12" in failure.reason
    assert pages[2].image and pages[2].blocks == []
    # the page without OCR: left for OCR, said so
    assert pages[3].image and pages[3].blocks == [] and pages[3].text_source == ""
    assert any("OCR" in note for note in pages[3].notes)
    # the missing page: named, with its files
    (missing,) = [o for o in outputs if isinstance(o, Notice) and "none of its files" in o.message]
    assert "page 14 (sequence 4)" in missing.message and "./0004.xml" in missing.message


def test_the_images_and_ocr_of_a_mets_folder_are_its_own(tmp_path):
    folder = batch(tmp_path, pages=1)
    (folder / "0001.xml").write_text(ndnp_alto("Hello"))
    image(folder / "0001.jpg")
    (folder / "0001.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    stray = tmp_path / "elsewhere.jpg"
    image(stray)
    detected = {Path(f.path).name: detect(f) for f in walk([tmp_path])}
    assert detected["0001.jpg"] is NdnpReader
    assert detected["0001.pdf"] is NdnpReader
    assert detected["0001.xml"] is NdnpReader
    assert detected["elsewhere.jpg"] is not NdnpReader  # a picture no METS names


def test_alto_that_does_not_fit_its_image_is_noted(tmp_path):
    folder = batch(tmp_path, pages=1)
    (folder / "0001.xml").write_text(ndnp_alto("Askew page", page=(4800, 4800)))
    image(folder / "0001.jpg")
    (page,) = pages_of(read(tmp_path)).values()
    assert any("not the shape of its image" in note for note in page.notes)
    assert page.text == "Askew page"


def test_a_broken_mets_fails_and_its_pages_are_read_alone(tmp_path):
    folder = batch(tmp_path, pages=1)
    (folder / "1899040101.xml").write_text('<mets xmlns="http://www.loc.gov/METS/"><dmdSec>')
    (folder / "0001.xml").write_text(ndnp_alto("Still here"))
    outputs = read(tmp_path)
    (failure,) = [o for o in outputs if isinstance(o, Failure)]
    assert failure.path.endswith("1899040101.xml") and "not well-formed" in failure.reason
    (page,) = pages_of(outputs).values()
    # its issue from the issue folder's name, its paper from the LCCN folder
    assert (page.issue.year, page.issue.month, page.issue.day) == (1899, 4, 1)
    assert page.publication == "sn83031234" and page.text == "Still here"


def test_a_mets_without_a_date_is_a_failure(tmp_path):
    batch(tmp_path, pages=1, date="", label="The Morning Herald")
    (failure,) = [o for o in read(tmp_path) if isinstance(o, Failure)]
    assert "date issued" in failure.reason


def test_an_alto_beside_an_image_without_mets_is_the_image_s(tmp_path):
    (tmp_path / "0001.xml").write_text(ndnp_alto("Sidecar"))
    image(tmp_path / "0001.jpg")
    outputs = read(tmp_path)
    assert not pages_of(outputs)
    assert any(isinstance(o, Notice) and "0001.jpg" in o.message for o in outputs)


def test_an_alto_alone_outside_an_issue_folder_fails_clearly(tmp_path):
    (tmp_path / "page.xml").write_text(ndnp_alto("Lost"))
    (failure,) = read(tmp_path)
    assert isinstance(failure, Failure) and "its issue cannot be told" in failure.reason


def test_the_mets_never_reads_outside_its_folder(tmp_path):
    folder = batch(tmp_path, pages=1)
    mets = folder / "1899040101.xml"
    mets.write_text(mets.read_text().replace("./0001.xml", "../../secret.xml"))
    (folder.parent.parent / "secret.xml").write_text(ndnp_alto("Secret"))
    outputs = read(folder)
    assert not pages_of(outputs)
    assert any("outside the METS's folder" in o.message for o in outputs if isinstance(o, Notice))


def test_other_formats_are_detected_as_before():
    jsonl = SourceFile("a.jsonl", b'{"record": "article"}\n', None)
    html = SourceFile("a.html", b"<html><body><p>Hello</p></body></html>", None)
    assert detect(jsonl) is not NdnpReader and detect(html) is not NdnpReader


def test_catalogue_titles_become_plain_names():
    assert plain_title("Evening star (Washington, D.C.)") == "Evening Star"
    assert plain_title("The Evening star") == "Evening Star"
    assert plain_title("Der Nordstern (St. Cloud, Minn.)") == "Der Nordstern"
    assert plain_title("The sun and the erie county independent") == (
        "Sun and the Erie County Independent"
    )


def test_a_second_edition_is_an_issue_of_its_own(tmp_path):
    first = batch(tmp_path / "one", pages=1)
    second = batch(tmp_path / "two", pages=1, edition=2)
    for folder in (first, second):
        (folder / "0001.xml").write_text(ndnp_alto("Late news"))
    (one,) = pages_of(read(first)).values()
    (two,) = pages_of(read(second)).values()
    assert one.issue.slug == "" and one.issue.title == ""
    assert two.issue.slug == "no-1204-april-1-1899-edition-2" and two.issue.title == "Edition 2"
