"""The desk lists the quotations found, read-only, for editors to check."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from backfile.ingest.loader import load
from backfile.ingest.records import ReviewedWork
from backfile.quotations.models import Quotation
from tests.replies.helpers import article_record, create_editor, sign_in

SAYING = "the ferry ran twice a day until the bridge was built"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def quoted(db):
    record = article_record(
        key="ferry-review",
        title="Crossings",
        paragraphs=(f'On page 41 Marsh writes: "{SAYING}."', "A fine book."),
        reviewed_works=[ReviewedWork(title="The Ferry Years", author="Ida Marsh")],
    )
    assert load([record]).count("failed") == 0
    return Quotation.objects.get()


def test_an_editor_sees_each_quotation_with_its_page_and_work(client, quoted):
    create_editor("hilda")
    desk = sign_in(client)
    listing = desk.get("/admin/quotations/quotation/")
    assert listing.status_code == 200
    rows = lxml_html.fromstring(listing.content).xpath("//table[@id='result_list']//tbody/tr")
    cells = [" ".join(td.text_content().split()) for td in rows[0].xpath("./td|./th")]
    assert SAYING + "." in cells and "41" in cells and "Crossings" in cells
    assert any("The Ferry Years" in cell for cell in cells)
    searched = desk.get("/admin/quotations/quotation/", {"q": "bridge was built"})
    assert SAYING.encode() in searched.content
    missed = desk.get("/admin/quotations/quotation/", {"q": "nothing like this"})
    assert SAYING.encode() not in missed.content


def test_quotations_cannot_be_added_changed_or_deleted_at_the_desk(client, quoted):
    create_editor("hilda")
    desk = sign_in(client)
    assert desk.get("/admin/quotations/quotation/add/").status_code == 403
    page = desk.get(f"/admin/quotations/quotation/{quoted.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert desk.get(f"/admin/quotations/quotation/{quoted.pk}/delete/").status_code == 403
    assert Quotation.objects.count() == 1


def test_a_reader_signed_out_is_sent_to_sign_in(client, quoted):
    response = client.get("/admin/quotations/quotation/")
    assert response.status_code == 302 and "/login/" in response["Location"]
