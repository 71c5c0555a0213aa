"""Printed pages through the one loader: stored with their text, layout and image, idempotent
by publication, issue and sequence, an editor's correction kept, the issue's PDF kept like
its cover, figures replaced unless an editor marked them, and `pages_stored` sent with the
pages written."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection

from backfile.archive.models import Issue
from backfile.facsimiles.models import Page, PageFigure
from backfile.facsimiles.signals import pages_stored
from backfile.ingest.loader import load
from backfile.ingest.records import AssetRecord, IssueRecord
from backfile.media.models import Asset
from tests.helpers.printed_pages import (
    lamplighter_article,
    lamplighter_issue,
    page_image,
    printed_page,
    region,
    text_block,
)
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_folder")]

PDF = b"%PDF-1.4\n% an issue as one PDF, for the tests\n%%EOF\n"


@pytest.fixture
def stored_signals():
    """The `pages` of every `pages_stored` sent while the test runs."""
    sent: list[list[Page]] = []

    def receiver(sender, pages, **kwargs):
        sent.append(list(pages))

    pages_stored.connect(receiver)
    yield sent
    pages_stored.disconnect(receiver)


def three_pages(**fields):
    return [printed_page(n, **fields) for n in (1, 2, 3)]


def test_pages_are_stored_with_their_text_layout_image_and_size(stored_signals):
    pages = three_pages()
    pages[1].blocks.insert(0, text_block(["THE LAMPLIGHTER  March 4, 1916"], top=10, role="header"))

    report = load(pages)

    assert "pages: 3 pages of 1 issue (added 3, updated 0, unchanged 0, failed 0)" in (
        report.summary_line()
    ), report.summary_line()
    assert report.summary()["added"] == 0, "pages are not counted as articles"
    stored = list(Page.objects.order_by("sequence"))
    assert [(p.sequence, p.label) for p in stored] == [(1, "1"), (2, "2"), (3, "3")]
    second = stored[1]
    assert second.text == "Page 2 of the Lamplighter\nthe lamps are lit at dusk"
    assert second.source_text == second.text, "the running head is not the page's text"
    assert (second.width, second.height) == (600, 800)
    assert second.confidence == 90.0 and second.text_source == "ocr" and second.language == "en"
    header, body = second.layout
    assert header["role"] == "header" and body["role"] == "text"
    assert body["box"] == [40, 60, 520, 60]
    assert body["lines"][0][0] == ["Page", 40, 60, 48, 20, 90.0]
    asset = Asset.objects.get(sha256=second.image)
    assert asset.original and (asset.width, asset.height) == (600, 800)
    assert second.issue.slug == Issue.objects.get().slug
    assert [[p.sequence for p in batch] for batch in stored_signals] == [[1, 2, 3]]


def test_a_second_ingest_of_the_same_pages_writes_nothing(stored_signals):
    load(three_pages())
    before = list(Page.objects.values_list("pk", "modified", "ingested_fingerprint"))

    report = load(three_pages())

    assert "pages: 3 pages of 1 issue (added 0, updated 0, unchanged 3" in report.summary_line()
    assert list(Page.objects.values_list("pk", "modified", "ingested_fingerprint")) == before
    assert len(stored_signals) == 1, "nothing changed, nothing announced"


def test_a_changed_page_is_updated_and_only_it_is_announced(stored_signals):
    load(three_pages())
    pages = three_pages()
    pages[2] = printed_page(3, ["Page 3, read again", "with better eyes"])

    report = load(pages)

    assert report.summary()["pages updated"] == 1 and report.summary()["pages unchanged"] == 2
    assert Page.objects.get(sequence=3).text == "Page 3, read again\nwith better eyes"
    assert [p.sequence for p in stored_signals[-1]] == [3]


def test_an_editors_correction_of_a_page_is_kept_and_the_change_reported():
    load(three_pages())
    page = Page.objects.get(sequence=2)
    page.text = "Page 2 of the Lamplighter\nthe lamps are lit at dusk (corrected)"
    page.edited = True
    page.save()

    pages = three_pages()
    pages[1] = printed_page(2, ["Page 2, OCR'd again", "the larnps are lit"])
    report = load(pages)

    page.refresh_from_db()
    assert page.text.endswith("(corrected)")
    (conflict,) = [e for e in report.entries if e.status == "conflict"]
    assert "an editor has corrected its text" in conflict.reason
    assert "conflicts 1 (corrected by an editor; not overwritten)" in report.summary_line()


def test_the_issues_pdf_is_stored_like_its_cover_and_kept_by_a_source_without_one():
    pdf = AssetRecord.of_bytes(PDF, media_type="application/pdf", filename="1916-03-04.pdf")
    issue = lamplighter_issue(pdf=pdf.sha256)
    first = printed_page(1, issue=issue, more_assets=[pdf])

    report = load([first, printed_page(2, issue=issue)])

    assert not [e for e in report.entries if e.status in ("failed", "noted")], report.entries
    stored = Issue.objects.get()
    assert stored.pdf == pdf.sha256
    asset = Asset.objects.get(sha256=pdf.sha256)
    assert asset.media_type == "application/pdf" and asset.original.endswith(".pdf")
    assert not asset.problem

    load([lamplighter_article("Street Lamps", pages="2")])  # its issue names no PDF
    assert Issue.objects.get().pdf == pdf.sha256


def test_figures_are_replaced_by_a_changed_source_unless_an_editor_marked_one():
    cartoon = region(1, 40, 300, 300, 200, caption="The Lamplighter's cartoon")
    load([printed_page(1, figures=[cartoon])])
    assert list(PageFigure.objects.values_list("caption", "x", "y", "w", "h")) == [
        ("The Lamplighter's cartoon", 40, 300, 300, 200)
    ]

    moved = region(1, 50, 310, 300, 200, caption="The cartoon, moved")
    load([printed_page(1, ["Page 1 read again"], figures=[moved])])
    assert list(PageFigure.objects.values_list("caption", flat=True)) == ["The cartoon, moved"]

    figure = PageFigure.objects.get()
    figure.caption = "Cartoon: the lamplighter at dusk"
    figure._history_user = User.objects.create_user("editor", password="x")
    figure.save()
    load([printed_page(1, ["Page 1 read a third time"], figures=[cartoon])])
    assert list(PageFigure.objects.values_list("caption", flat=True)) == [
        "Cartoon: the lamplighter at dusk"
    ]
    assert Page.objects.get().text == "Page 1 read a third time"


def test_a_page_the_checks_refuse_fails_alone_with_its_reason():
    bad = printed_page(2)
    bad.blocks[0].lines[0].words[0].confidence = "high"
    unknown_image = printed_page(3)
    unknown_image.image = "0" * 64

    report = load([printed_page(1), bad, unknown_image])

    failures = {e.path: e.reason for e in report.entries if e.status == "failed"}
    assert failures == {
        bad.source.path: "page not stored: block 1: the word 'Page' has a confidence 'high' "
        "that is not a number",
        unknown_image.source.path: f"page not stored: the page image {'0' * 64} is not among "
        "the page's assets",
    }
    assert list(Page.objects.values_list("sequence", flat=True)) == [1]
    assert "pages: 1 page of 1 issue (added 1, updated 0, unchanged 0, failed 2)" in (
        report.summary_line()
    )


def test_a_page_the_database_refuses_leaves_nothing_of_itself():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps NUL characters; this runs in the PostgreSQL pass")
    refused = printed_page(2, figures=[region(2, 10, 10, 50, 50, caption="a NUL \x00 here")])

    report = load([printed_page(1), refused, printed_page(3)])

    (failure,) = [e for e in report.entries if e.status == "failed"]
    assert failure.path == refused.source.path and failure.reason.startswith("page 2 not stored")
    assert list(Page.objects.values_list("sequence", flat=True)) == [1, 3]
    assert not PageFigure.objects.exists()


def test_a_page_image_given_as_a_file_is_measured_from_it(tmp_path):
    path = tmp_path / "page-1.png"
    path.write_bytes(page_image(["a wider page"], size=(900, 1200)))
    asset = AssetRecord.of_file(str(path), media_type="image/png")
    page = printed_page(1, width=10, height=10)
    page.image, page.assets = asset.sha256, [asset]

    load([page])

    assert Page.objects.values_list("width", "height").get() == (900, 1200)


def test_a_file_of_pages_is_accounted_for_as_a_facsimile_of_its_pages():
    from backfile.ingest.accounting import file_outcomes, files_line

    report = load(three_pages())
    report.files = ["lamplighter/1916-03-04.pdf"]  # the file the pages were read from

    (outcome,) = file_outcomes(report)
    assert (outcome.outcome, outcome.pages, outcome.articles) == ("facsimile", 3, 0)
    assert files_line(report) == "1 file: 1 facsimile"
    assert outcome.as_dict()["pages"] == 3


def test_pages_whose_source_redates_their_issue_move_its_articles_in_search():
    from backfile.search.backends import search

    load([lamplighter_article("Street Lamps", issue=lamplighter_issue(slug="no-12"))])
    redated = printed_page(1, issue=IssueRecord(year=1917, number=12, month=3, slug="no-12"))

    load([redated])

    assert search("lamps year:1917").total == 1
    assert search("lamps year:1916").total == 0


def test_what_a_reader_noticed_about_a_page_is_in_the_report_and_the_page_goes_in():
    page = printed_page(1, notes=["3 words' boxes lie outside the page image: left out"])

    report = load([page, printed_page(2)])

    notes = [(e.path, e.reason) for e in report.entries if e.status == "noted"]
    assert notes == [(page.source.path, "3 words' boxes lie outside the page image: left out")]
    assert Page.objects.count() == 2
