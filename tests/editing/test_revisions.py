"""Revisions you can read: who, when and why; a word-level diff; restore in one click."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from backfile.archive.models import Article, Byline, Issue, Review, ReviewedWork
from tests.editing.conftest import NESTED
from tests.editing.helpers import errors, form_data, open_body, press, row_with

pytestmark = pytest.mark.django_db


def page_of(response):
    assert response.status_code == 200, response.status_code
    return lxml_html.fromstring(response.content.decode())


def text(element) -> str:
    return " ".join(element.text_content().split())


def correct_nested_word(desk, review, note="misprint: church, not chapel"):
    data = open_body(desk, review)
    row = row_with(data, NESTED)
    corrected = NESTED.replace("chapel", "church")
    response = press(desk, review, data, "save", **{f"{row}-text": corrected, "note": note})
    assert response.status_code == 302, errors(response)


def test_a_saved_body_is_a_revision_with_who_when_and_why(desk, review):
    correct_nested_word(desk, review)
    page = page_of(desk.get(f"/desk/revisions/article/{review.pk}/"))
    table = page.xpath("//table[@class='desk-revisions']")[0]
    rows = [[text(cell) for cell in row.xpath("./th|./td")] for row in table.xpath(".//tbody/tr")]
    newest, first = rows[0], rows[-1]
    assert (newest[0], newest[2], newest[4]) == (
        "Revision 2",
        "hilda",
        "misprint: church, not chapel",
    )
    assert (first[0], first[2]) == ("Revision 1", "Ingest")


def test_the_revision_shows_the_changed_word_inline_and_side_by_side(desk, review):
    correct_nested_word(desk, review)
    url = f"/desk/revisions/article/{review.pk}/2/"
    page = page_of(desk.get(url))
    assert [text(d) for d in page.xpath("//main//del|//div[@id='content']//del")][-1] == "chapel"
    assert [text(i) for i in page.xpath("//div[@id='content']//ins")][-1] == "church"
    kinds = [text(h) for h in page.xpath("//h3[@class='block-kind']")]
    assert kinds == ["Quotation › quotation › paragraph"]
    side = page_of(desk.get(url + "?view=side"))
    before, after = side.xpath("//div[@class='field'][h3[@class='block-kind']]/div/div")
    assert "chapel" in text(before) and "church" not in text(before)
    assert "church" in text(after) and "chapel" not in text(after)


def test_restoring_a_revision_is_itself_a_revision(desk, review):
    correct_nested_word(desk, review)
    page = desk.get(f"/desk/revisions/article/{review.pk}/1/")
    form = page_of(page).xpath("//form[contains(@action, '/restore/')]")[0]
    token = form.xpath(".//input[@name='csrfmiddlewaretoken']")[0].get("value")
    response = desk.post(form.get("action"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    restored = Article.objects.get(pk=review.pk)
    assert restored.blocks == review.blocks
    assert restored.edited  # an editor chose it: a later ingest will not overwrite it
    newest = restored.history.order_by("-history_date", "-history_id").first()
    assert newest.history_change_reason == "Restored revision 1"
    assert newest.history_user.username == "hilda"
    listing = page_of(desk.get(f"/desk/revisions/article/{review.pk}/"))
    assert "Restored revision 1" in text(listing.xpath("//tbody/tr")[0])


def test_restore_needs_a_post(desk, review):
    correct_nested_word(desk, review)
    assert desk.get(f"/desk/revisions/article/{review.pk}/1/restore/").status_code == 405


def test_an_issue_corrected_in_the_admin_keeps_the_note(desk, review):
    issue = review.issue
    url = f"/admin/archive/issue/{issue.pk}/change/"
    page = desk.get(url)
    data = form_data(page, "issue_form")
    data.update(
        {"title": ["Spring number"], "note": ["as printed on the cover"], "_save": ["Save"]}
    )
    response = desk.post(url, data)
    assert response.status_code == 302, errors(response)
    newest = Issue.history.filter(id=issue.pk).order_by("-history_id").first()
    assert newest.history_change_reason == "as printed on the cover"
    history = desk.get(f"/admin/archive/issue/{issue.pk}/history/")
    assert history["Location"] == f"/desk/revisions/issue/{issue.pk}/"
    diff = page_of(desk.get(f"/desk/revisions/issue/{issue.pk}/2/"))
    assert "Spring number" in [text(i) for i in diff.xpath("//ins")]


def test_bylines_and_review_links_have_revisions_told_apart_by_who_made_them(desk, review):
    url = f"/admin/archive/article/{review.pk}/change/"
    page = desk.get(url)
    data = form_data(page, "article_form")
    data.update({"bylines-0-as_printed": ["A. PENROSE"], "note": ["byline as printed"]})
    data["_save"] = ["Save"]
    response = desk.post(url, data)
    assert response.status_code == 302, errors(response)
    byline = Byline.objects.get(article=review)
    newest = byline.history.order_by("-history_id").first()
    assert (newest.history_user.username, newest.history_change_reason) == (
        "hilda",
        "byline as printed",
    )
    listing = page_of(desk.get(f"/desk/revisions/article/{review.pk}/"))
    rows = [text(row) for row in listing.xpath("//h2/following-sibling::table//tbody/tr")]
    assert any("Byline author: Ada Penrose" in r and "byline as printed" in r for r in rows), rows
    assert any("Byline author: Ada Penrose" in r and "Ingest" in r for r in rows), rows


def test_the_change_page_links_to_the_body_and_the_revisions(desk, review):
    page = page_of(desk.get(f"/admin/archive/article/{review.pk}/change/"))
    links = {text(a): a.get("href") for a in page.xpath("//ul[@class='object-tools']//a")}
    assert links["Revisions"] == f"/desk/revisions/article/{review.pk}/"
    assert links["Edit the body"] == f"/desk/articles/{review.pk}/body/"


def test_unknown_kinds_and_revisions_are_not_found(desk, review):
    assert desk.get(f"/desk/revisions/article/{review.pk}/9/").status_code == 404
    assert desk.get("/desk/revisions/user/1/").status_code == 404
    assert desk.get("/desk/revisions/article/999999/").status_code == 404


def test_changes_without_an_editor_are_the_ingest_s(desk, review):
    work = ReviewedWork.objects.get()
    record = work.history.get()
    assert (record.history_user, record.history_change_reason) == (None, "ingest")
    listing = page_of(desk.get(f"/desk/revisions/reviewedwork/{work.pk}/"))
    assert [text(td) for td in listing.xpath("//table[@class='desk-revisions']//td")][1:4] == [
        "Ingest",
        "Created",
        "ingest",
    ]


def test_an_ingest_writes_no_revision_of_bylines_and_review_links(review):
    assert not Byline.history.exists() and not Review.history.exists()


def test_a_byline_revision_shows_what_changed(desk, review):
    url = f"/admin/archive/article/{review.pk}/change/"
    data = form_data(desk.get(url), "article_form")
    data.update({"bylines-0-as_printed": ["A. PENROSE"], "_save": ["Save"]})
    assert desk.post(url, data).status_code == 302
    byline = Byline.objects.get(article=review)
    listing = page_of(desk.get(f"/desk/revisions/article/{review.pk}/"))
    link = listing.xpath("//a[contains(@href, '/desk/revisions/byline/')]")[0].get("href")
    assert link == f"/desk/revisions/byline/{byline.pk}/2/"  # 1: as ingested
    diff = page_of(desk.get(link))
    assert "PENROSE" in [text(i) for i in diff.xpath("//div[@class='field']//ins")]
    assert byline.history.earliest().history_change_reason.startswith("as ingested")
