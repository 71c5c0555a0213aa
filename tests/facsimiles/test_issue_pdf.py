"""An issue without a PDF of its own is downloadable as one made of its page images: each page
a page of the PDF, made once and kept; a page whose image is gone is left out."""

from __future__ import annotations

import importlib.util

import pytest
from PIL import ImageStat

from backfile.facsimiles.models import Page
from backfile.media.models import Asset
from backfile.media.storage import media_storage
from tests.conftest import skip_unless
from tests.helpers.stored_pages import HEIGHT, WIDTH, stored_issue
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def pdf_reader():
    """pypdfium2, which the PDF reader of print sources brings (pinned in pyproject.toml)."""
    skip_unless(importlib.util.find_spec("pypdfium2") is not None, "pypdfium2 is not installed")
    import pypdfium2

    return pypdfium2


def downloaded(client, issue) -> bytes:
    response = client.get(f"{issue.get_absolute_url()}pages.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "harbour-gazette-no-12-may-6-1911.pdf" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_an_issue_of_scans_downloads_as_a_pdf_of_its_pages(client, media_folder):  # noqa: F811
    pypdfium2 = pdf_reader()
    issue = stored_issue()
    data = downloaded(client, issue)
    document = pypdfium2.PdfDocument(data)
    assert len(document) == 3
    width, height = document[0].get_size()  # points: the scan at 300 dpi
    assert width == pytest.approx(WIDTH * 72 / 300, abs=0.01)
    assert height == pytest.approx(HEIGHT * 72 / 300, abs=1)
    # the page image itself is on the page: the rendered page is mostly paper, with ink
    rendered = document[0].render(scale=0.5).to_pil().convert("L")
    assert 200 < ImageStat.Stat(rendered).mean[0] < 255
    assert rendered.getextrema()[0] < 100
    stored = list((media_folder / "iiif" / "pdf").iterdir())
    assert len(stored) == 1
    assert downloaded(client, issue) == data  # kept, not made again
    assert list((media_folder / "iiif" / "pdf").iterdir()) == stored
    # the issue page and the page view offer it
    assert (
        f'href="{issue.get_absolute_url()}pages.pdf"'
        in client.get(issue.get_absolute_url()).content.decode()
    )


def test_a_page_without_its_image_is_left_out(client, media_folder):  # noqa: F811
    pypdfium2 = pdf_reader()
    issue = stored_issue()
    first, second, third = issue.pages.order_by("sequence")
    Page.objects.filter(pk=first.pk).update(image="")
    for name in [d["name"] for d in Asset.objects.get(sha256=second.image).derivatives]:
        media_storage().delete(name)
    assert len(pypdfium2.PdfDocument(downloaded(client, issue))) == 1
    Page.objects.filter(pk=third.pk).update(image="")
    Page.objects.filter(pk=second.pk).update(image="")
    assert client.get(f"{issue.get_absolute_url()}pages.pdf").status_code == 404
