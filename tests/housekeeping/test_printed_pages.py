"""Housekeeping and printed pages: an issue's pages (facsimiles) belong to that issue, so
merging it away would delete them, and an article moved off its issue would run on another
issue's pages. The desk refuses both with the reason, and nothing changes."""

from __future__ import annotations

import pytest

from backfile.archive.models import Article, Issue
from backfile.facsimiles.models import ArticlePage, Page, PageFigure
from backfile.housekeeping.models import Redirect
from tests.housekeeping.conftest import issue

pytestmark = pytest.mark.django_db


def printed(issue_: Issue, *articles: Article) -> Page:
    """A printed page of `issue_`, the articles running on it."""
    page = Page.objects.create(issue=issue_, sequence=1, label="1", text="A page of print.")
    for article in articles:
        ArticlePage.objects.create(article=article, page=page)
    return page


def test_merging_an_issue_with_printed_pages_is_refused_and_keeps_them(editor, archive):
    april, march = issue(89), issue(88)
    page = printed(april, archive["allotments"])
    PageFigure.objects.create(page=page, x=1, y=1, w=10, h=10, caption="A cartoon")
    url = f"/desk/housekeeping/issues/{april.pk}/merge/"

    form = editor.get(url)
    assert b"1 printed page" in form.content  # said before the editor chooses
    for fields in ({"target": march.pk}, {"target": march.pk, "confirm": "Yes"}):
        response = editor.post(url, fields)
        assert response.status_code == 400
        assert b"1 printed page" in response.content
        assert b"Please confirm" not in response.content
    assert Issue.objects.filter(pk=april.pk).exists()
    assert Page.objects.filter(pk=page.pk, issue=april).exists()
    assert ArticlePage.objects.filter(page=page, article=archive["allotments"]).exists()
    assert PageFigure.objects.filter(page=page).exists()
    assert archive["allotments"].issue_id == Article.objects.get(key="allotments").issue_id
    assert not Redirect.objects.exists()


def test_merging_into_an_issue_with_printed_pages_is_allowed(editor, archive):
    april, march = issue(89), issue(88)
    page = printed(march, archive["tram-strike"])
    url = f"/desk/housekeeping/issues/{april.pk}/merge/"
    assert editor.post(url, {"target": march.pk, "confirm": "Yes"}).status_code == 302
    assert march.articles.count() == 4
    assert Page.objects.get(pk=page.pk).issue_id == march.pk


def test_moving_an_article_that_runs_on_printed_pages_is_refused(editor, archive):
    april = issue(89)
    allotments = archive["allotments"]
    printed(april, allotments)
    url = f"/desk/housekeeping/issues/{april.pk}/move/"
    fields = {"articles": [allotments.pk], "target": issue(7).pk}
    for confirm in ({}, {"confirm": "Yes"}):
        response = editor.post(url, {**fields, **confirm})
        assert response.status_code == 400
        assert b"Allotments Saved" in response.content
        assert b"printed pages" in response.content
    allotments.refresh_from_db()
    assert allotments.issue_id == april.pk
    assert ArticlePage.objects.get(article=allotments).page.issue_id == allotments.issue_id


def test_splitting_off_an_article_with_a_figure_on_the_pages_is_refused(editor, archive):
    march = issue(88)
    wages = archive["quarry-wages"]
    page = printed(march)  # the page is the issue's; only the figure names the article
    PageFigure.objects.create(page=page, x=1, y=1, w=10, h=10, article=wages)
    url = f"/desk/housekeeping/issues/{march.pk}/split/"
    fields = {"articles": [wages.pk], "number": 87, "year": 1952, "month": 2, "confirm": "Yes"}
    response = editor.post(url, fields)
    assert response.status_code == 400
    assert b"printed pages" in response.content
    assert not Issue.objects.filter(number=87).exists()
    assert Article.objects.get(pk=wages.pk).issue_id == march.pk


def test_an_article_not_on_the_pages_still_moves(editor, archive):
    april = issue(89)
    printed(april, archive["allotments"])
    other = Article.objects.get(key="april-tram-strike")
    url = f"/desk/housekeeping/issues/{april.pk}/move/"
    response = editor.post(url, {"articles": [other.pk], "target": issue(7).pk, "confirm": "Y"})
    assert response.status_code == 302
    assert Article.objects.get(pk=other.pk).issue_id == issue(7).pk
