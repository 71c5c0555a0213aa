"""Printed pages in the JSONL export: a line `{"record": "page", …}` each, articles' zones as
`regions`, the issue's PDF; read back by the JSONL reader, byte for byte (files included);
a bad page line fails alone with its line number and reason."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from backfile.archive.models import Article, Issue
from backfile.facsimiles.models import ArticlePage, Page, PageFigure
from backfile.ingest.export import write_jsonl
from backfile.ingest.loader import load
from backfile.ingest.records import AssetRecord, IssueRecord
from backfile.media.export import AssetFiles
from backfile.media.models import Asset
from tests.helpers.printed_pages import (
    lamplighter_article,
    lamplighter_issue,
    printed_page,
    region,
    text_block,
)
from tests.ingest.test_jsonl import (
    empty_archive,
    export_folder,
    files_in,
    media_folder,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% the issue of 4 March 1916, for the tests\n%%EOF\n"


def printed_issue() -> list:
    """Two pages of an issue with its PDF (page 2 has a running head, a cartoon belonging
    to an article, words without confidence), three articles (zoned, printed, and one with
    a box an editor marks below), and a page of an issue with no articles."""
    pdf = AssetRecord.of_bytes(PDF, media_type="application/pdf", filename="1916-03-04.pdf")
    issue = lamplighter_issue(pdf=pdf.sha256)
    second = printed_page(
        2,
        ["Die Laternen", "brennen »hell«"],
        issue=issue,
        label="ii",
        language="de",
        figures=[region(2, 40, 300, 300, 200, caption="Der Laternenanzünder", article="cartoon")],
    )
    second.blocks.insert(0, text_block(["THE LAMPLIGHTER"], top=10, role="header", zone="masthead"))
    second.blocks[-1].lines[0].words[0].confidence = None
    other_issue = IssueRecord(year=1916, number=13, month=3, day=11)
    return [
        lamplighter_article("Cartoon", pages="ii", key="cartoon", issue=issue),
        lamplighter_article(
            "Street Lamps", pages="1", issue=issue, regions=[region(1, 40, 60, 520, 60)]
        ),
        lamplighter_article("The Gas Board", pages="Pages 1 and ii", issue=issue),
        printed_page(1, issue=issue, more_assets=[pdf]),
        second,
        printed_page(1, issue=other_issue, figures=[region(1, 0, 0, 10, 10)]),
    ]


def export_lines() -> list[dict]:
    out = io.StringIO()
    write_jsonl(out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_pages_regions_and_the_pdf_are_exported_as_documented(media_folder):  # noqa: F811
    load(printed_issue())

    lines = export_lines()

    assert [(line.get("record", "article"), line.get("sequence")) for line in lines] == [
        ("article", None),
        ("article", None),
        ("article", None),
        ("page", 1),
        ("page", 2),
        ("page", 1),
    ], "an issue's pages follow its articles; an issue without articles comes last"
    street = next(line for line in lines if line.get("title") == "Street Lamps")
    assert street["regions"] == [{"sequence": 1, "x": 40, "y": 60, "w": 520, "h": 60}]
    pdf = Issue.objects.get(number=12).pdf
    assert street["issue"]["pdf"] == pdf and street["assets"][-1]["sha256"] == pdf
    page = lines[4]
    assert set(page) == {
        "record", "publication", "issue", "sequence", "label", "image", "width", "height",
        "text_source", "language", "blocks", "figures", "source", "assets",
    }  # fmt: skip
    assert page["issue"]["pdf"] == pdf and page["issue"]["decade"] == "1910s"
    assert (page["label"], page["width"], page["height"], page["language"]) == (
        "ii",
        600,
        800,
        "de",
    )
    assert page["blocks"][0] == {
        "box": [40, 10, 520, 30],
        "lines": [[["THE", 40, 10, 36, 20, 90.0], ["LAMPLIGHTER", 88, 10, 132, 20, 90.0]]],
        "role": "header",
        "zone": "masthead",
    }
    assert page["blocks"][1]["lines"][0][0] == ["Die", 40, 60, 36, 20, None]
    assert page["figures"] == [
        {
            "x": 40,
            "y": 300,
            "w": 300,
            "h": 200,
            "caption": "Der Laternenanzünder",
            "article": "cartoon",
        }
    ]
    assert [a["sha256"] for a in page["assets"]] == [page["image"], pdf]
    assert page["source"] == {"path": "lamplighter/1916-03-04.pdf#page=2"}


def test_the_round_trip_with_pages_is_byte_identical(tmp_path, ingest_paths, media_folder):  # noqa: F811
    load(printed_issue())
    article = Article.objects.get(key="lamplighter:The Gas Board")
    ArticlePage.objects.filter(article=article, page__label="ii").update(
        how="editor", regions=[[300, 400, 200, 100]]
    )  # as an editor marks its box on page ii
    first = export_folder(tmp_path / "first", AssetFiles)
    assert '"record": "page"' in first and '"regions"' in first

    empty_archive()
    Asset.objects.all().delete()
    shutil.rmtree(media_folder)
    report = ingest_paths(tmp_path / "first")

    assert not [e for e in report.entries if e.status == "failed"], report.entries
    notes = {e.reason for e in report.entries if e.status == "noted"}
    assert notes == {
        "a PNG image, not an article: stored with the figures that show it",
        "stored with the records that use it",  # the PDF
    }
    assert "pages: 3 pages of 2 issues (added 3," in report.summary_line()
    assert export_folder(tmp_path / "second", AssetFiles) == first
    assert files_in(tmp_path / "second" / "assets") == files_in(tmp_path / "first" / "assets")
    assert PageFigure.objects.get(page__label="ii").article.key == "cartoon"
    assert ArticlePage.objects.get(
        article__key="lamplighter:The Gas Board", page__label="ii"
    ).how == ("zoned"), "an editor's box comes back as the article's zone"

    again = ingest_paths(tmp_path / "first")
    assert again.summary()["unchanged"] == 3 and again.summary()["pages unchanged"] == 3


def test_an_export_without_pages_has_no_page_lines_nor_regions(media_folder):  # noqa: F811
    load([lamplighter_article("Street Lamps", pages="1")])
    (line,) = export_lines()
    assert "regions" not in line and "pdf" not in line["issue"] and "record" not in line


def test_a_bad_page_line_fails_alone_with_its_line_number_and_reason(
    tmp_path,
    ingest_paths,
    media_folder,  # noqa: F811
):
    load(printed_issue())
    lines = export_folder(tmp_path / "export", AssetFiles).splitlines()
    empty_archive()
    Asset.objects.all().delete()
    page = json.loads(lines[4])
    page["blocks"][1]["lines"][0][0] = ["Die", 40, 60]
    unknown = json.loads(lines[3]) | {"record": "advertisement"}
    no_sequence = {k: v for k, v in json.loads(lines[5]).items() if k != "sequence"}
    lines[3:6] = [json.dumps(unknown), json.dumps(page), json.dumps(no_sequence)]
    (tmp_path / "export" / "archive.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    report = ingest_paths(tmp_path / "export")

    where = tmp_path / "export" / "archive.jsonl"
    failures = {e.path: e.reason for e in report.entries if e.status == "failed"}
    assert failures == {
        f"{where}:4": "line 4: not a Backfile JSONL record: record is 'advertisement'; a line "
        "is an article, a page or a publication",
        f"{where}:5": "line 5: not a Backfile JSONL record: block 2: a word is ['Die', 40, 60], "
        "not [text, x, y, w, h, confidence]",
        f"{where}:6": "line 6: not a Backfile JSONL record: a page line missing keys: sequence",
    }
    assert Article.objects.count() == 3 and not Page.objects.exists()


def test_a_page_line_with_an_impossible_value_names_it():
    from backfile.ingest.readers.jsonl import RecordError, record_from_line

    line = {
        "record": "page",
        "publication": "The Lamplighter",
        "issue": {"year": 1916, "month": 2, "day": 30},
        "sequence": 1,
        "source": {"path": "x.pdf"},
        "blocks": [],
    }
    with pytest.raises(RecordError, match="page 1: the issue's date is impossible"):
        record_from_line(json.dumps(line).encode())
    line["issue"]["day"] = 3
    line["sequence"] = 0
    with pytest.raises(RecordError, match="page 0: sequence is 0, not a page's number from 1"):
        record_from_line(json.dumps(line).encode())
