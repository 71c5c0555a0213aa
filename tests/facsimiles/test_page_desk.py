"""The editors' desk for printed pages, through the admin's forms as an editor posts them: a
corrected text is a revision with a reason and survives a re-ingest, an article's boxes on a
page are typed as plain numbers and kept by later ingests, an illustration is marked as a
figure with its caption and article."""

from __future__ import annotations

import pytest

from backfile.archive.models import Article
from backfile.facsimiles.models import ArticlePage, Page, PageFigure
from backfile.ingest.loader import load
from tests.archive.test_admin import change_url
from tests.helpers.printed_pages import lamplighter_article, printed_page, region
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)
from tests.replies.helpers import admin_form_data, create_editor, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_folder")]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def desk(client):
    create_editor("hilda")
    return sign_in(client)


@pytest.fixture
def issue_with_pages():
    load(
        [
            lamplighter_article("Street Lamps", pages="1"),
            lamplighter_article("The Cartoon", key="cartoon"),
            printed_page(1),
            printed_page(2, ["A cartoon of the lamplighter"]),
        ]
    )
    return Page.objects.get(sequence=2)


def page_form(desk, page: Page) -> dict[str, list[str]]:
    response = desk.get(change_url(page))
    assert response.status_code == 200, response.content.decode()[:2000]
    return admin_form_data(response.content, "page_form")


def post(desk, page: Page, data: dict) -> object:
    return desk.post(change_url(page), {**data, "_save": ["Save"]})


def test_the_page_list_lists_an_issues_pages_in_order(desk, issue_with_pages):
    issue = issue_with_pages.issue
    response = desk.get(f"/admin/facsimiles/page/?issue={issue.pk}")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index(f"{issue}, page 1") < text.index(f"{issue}, page 2")


def test_a_corrected_text_is_a_revision_with_its_reason_and_survives_a_reingest(
    desk, issue_with_pages
):
    page = issue_with_pages
    data = page_form(desk, page)
    data["text"] = ["A cartoon of the lamplighter at dusk"]

    refused = post(desk, page, data)
    assert refused.status_code == 200, "a changed text needs a reason"
    assert "Say why the text changed" in refused.content.decode()

    data["reason"] = ["the caption was cut short"]
    assert post(desk, page, data).status_code == 302
    page.refresh_from_db()
    assert page.text == "A cartoon of the lamplighter at dusk" and page.edited
    assert page.source_text == "A cartoon of the lamplighter"
    revisions = list(Page.history.filter(id=page.pk).order_by("history_date", "history_id"))
    assert [(r.text, r.history_change_reason) for r in revisions] == [
        ("A cartoon of the lamplighter", "as ingested, before the first correction"),
        ("A cartoon of the lamplighter at dusk", "the caption was cut short"),
    ]
    assert revisions[1].history_user.username == "hilda"

    report = load([printed_page(2, ["A cartoon of the lamplighter, OCR'd again"])])
    assert report.count("conflict") == 1
    page.refresh_from_db()
    assert page.text == "A cartoon of the lamplighter at dusk"


def test_an_editor_marks_an_articles_boxes_on_a_page_and_an_ingest_keeps_them(
    desk, issue_with_pages
):
    page = issue_with_pages
    article = Article.objects.get(key="cartoon")
    data = page_form(desk, page)
    data.update(
        {
            "article_links-TOTAL_FORMS": ["1"],
            "article_links-0-article": [str(article.pk)],
            "article_links-0-box1_x": ["40"],
            "article_links-0-box1_y": ["300"],
            "article_links-0-box1_w": ["300"],
            "article_links-0-box1_h": ["200"],
            "article_links-0-box2_x": ["340"],
            "article_links-0-box2_y": ["300"],
            "article_links-0-box2_w": ["200"],
            "article_links-0-box2_h": ["100"],
        }
    )
    response = post(desk, page, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    link = ArticlePage.objects.get(article=article)
    assert (link.page, link.how, link.regions) == (
        page,
        "editor",
        [[40, 300, 300, 200], [340, 300, 200, 100]],
    )

    shown = desk.get(change_url(page)).content.decode()  # the boxes to correct, two more to fill
    assert 'name="article_links-0-box2_w" value="200"' in shown
    assert 'name="article_links-0-box4_x"' in shown and "article_links-0-box5_x" not in shown

    load([lamplighter_article("The Cartoon", key="cartoon", pages="1"), printed_page(2, ["again"])])
    kept = ArticlePage.objects.get(article=article, page=page)
    assert kept.how == "editor" and kept.regions == [[40, 300, 300, 200], [340, 300, 200, 100]]


def test_a_box_past_the_pages_edge_or_half_typed_is_refused_with_the_reason(desk, issue_with_pages):
    page = issue_with_pages
    article = Article.objects.get(key="cartoon")
    data = page_form(desk, page)
    data.update(
        {
            "article_links-TOTAL_FORMS": ["1"],
            "article_links-0-article": [str(article.pk)],
            "article_links-0-box1_x": ["500"],
            "article_links-0-box1_y": ["0"],
            "article_links-0-box1_w": ["300"],
            "article_links-0-box1_h": ["10"],
            "article_links-0-box2_x": ["5"],
        }
    )
    response = post(desk, page, data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "the box runs past the page&#x27;s right edge (the page is 600 pixels wide)" in text
    assert "Box 2 needs all of x, y, w and h." in text
    assert not ArticlePage.objects.filter(article=article).exists()


def test_an_editor_marks_an_illustration_as_a_figure_of_an_article(desk, issue_with_pages):
    page = issue_with_pages
    article = Article.objects.get(key="cartoon")
    data = page_form(desk, page)
    data.update(
        {
            "figures-TOTAL_FORMS": ["1"],
            "figures-0-x": ["40"],
            "figures-0-y": ["300"],
            "figures-0-w": ["500"],
            "figures-0-h": ["400"],
            "figures-0-caption": ["The lamplighter at dusk (cartoon)"],
            "figures-0-article": [str(article.pk)],
        }
    )
    response = post(desk, page, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    figure = PageFigure.objects.get(page=page)
    assert (figure.x, figure.y, figure.w, figure.h) == (40, 300, 500, 400)
    assert figure.caption == "The lamplighter at dusk (cartoon)" and figure.article == article
    assert figure.history.get().history_user.username == "hilda"

    load([printed_page(2, ["read again"], figures=[region(2, 0, 0, 10, 10, caption="a smudge")])])
    assert list(PageFigure.objects.filter(page=page).values_list("caption", flat=True)) == [
        "The lamplighter at dusk (cartoon)"
    ], "an editor's figures are kept"


def test_a_figure_past_the_pages_foot_is_refused(desk, issue_with_pages):
    page = issue_with_pages
    data = page_form(desk, page)
    data.update(
        {
            "figures-TOTAL_FORMS": ["1"],
            "figures-0-x": ["0"],
            "figures-0-y": ["700"],
            "figures-0-w": ["100"],
            "figures-0-h": ["200"],
        }
    )
    response = post(desk, page, data)
    assert response.status_code == 200
    assert (
        "runs past the page&#x27;s foot (the page is 800 pixels high)" in response.content.decode()
    )
    assert not PageFigure.objects.exists()
