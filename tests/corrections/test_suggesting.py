"""A reader suggests a correction: chooses a paragraph of an article or a page, retypes it,
and the correction is held for an editor; refused input re-shows the form, words kept."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import html as lxml_html

from backfile.corrections.models import Correction
from tests.corrections.helpers import (
    ARTICLE_PARAGRAPHS,
    PAGE_TEXT,
    correction_data,
    ocr_page,
    status_line,
    textarea_text,
)

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    return " ".join(lxml_html.fromstring(content).text_content().split())


def test_the_article_page_links_to_correcting_its_text(client, article):
    page = lxml_html.fromstring(client.get(article.get_absolute_url()).content)
    link = page.xpath('//a[text()="Correct this text"]')[0]
    assert link.get("href") == f"/corrections/article/{article.pk}/"

    choose = client.get(link.get("href"))
    assert choose.status_code == 200
    listed = lxml_html.fromstring(choose.content).xpath("//ol/li")
    assert [li.xpath(".//p")[0].text_content() for li in listed] == list(ARTICLE_PARAGRAPHS)
    second = listed[1].xpath('.//a[text()="Correct paragraph 2"]')[0].get("href")
    assert second == f"/corrections/article/{article.pk}/2/"

    form = client.get(second)
    assert form.status_code == 200
    assert textarea_text(form.content) == ARTICLE_PARAGRAPHS[1]  # text, never the body's JSON
    assert '"type"' not in form.content.decode()


def test_a_suggested_article_correction_is_held_for_an_editor(client, article):
    url = f"/corrections/article/{article.pk}/1/"
    fixed = "Drivers at the Eastgate depot stayed out for a ninth day."
    response = client.post(
        url, correction_data(client.get(url).content, text=fixed, note="Misread in the OCR.")
    )
    assert response.status_code == 302
    assert response["Location"] == f"/corrections/article/{article.pk}/"
    assert "your correction is held for an editor" in text_of(
        client.get(response["Location"]).content
    )

    correction = Correction.objects.get()
    assert (correction.article, correction.page, correction.paragraph) == (article, None, 1)
    assert correction.original == ARTICLE_PARAGRAPHS[0]
    assert correction.text == fixed
    assert correction.note == "Misread in the OCR."
    assert correction.author_name == "Mary Okafor"
    assert correction.status == Correction.Status.PENDING
    assert correction.ip_address == "127.0.0.1"

    article.refresh_from_db()
    assert article.blocks[0]["text"] == ARTICLE_PARAGRAPHS[0]  # unchanged until accepted
    shown = text_of(client.get(article.get_absolute_url()).content)
    assert "1 correction awaiting review" in shown
    assert "ninth day" not in shown


def test_a_page_is_corrected_text_block_by_text_block(client, article):
    page = ocr_page(article)
    assert status_line(page) == "Uncorrected OCR, confidence 83% · Correct this text"

    choose = client.get(f"/corrections/page/{page.pk}/")
    listed = lxml_html.fromstring(choose.content).xpath("//ol/li")
    assert len(listed) == 3  # the page's text blocks
    url = f"/corrections/page/{page.pk}/2/"
    offered = client.get(url)
    assert textarea_text(offered.content) == PAGE_TEXT.split("\n\n")[1]

    fixed = "The members of the branch met on Tuesday\r\nand voted to stand by the drivers.\r\n"
    response = client.post(url, correction_data(offered.content, text=fixed))
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.page == page
    assert correction.paragraph == 2
    assert (
        correction.text
        == "The members of the branch met on Tuesday\nand voted to stand by the drivers."
    )
    assert status_line(page) == (
        "Uncorrected OCR, confidence 83% · 1 correction awaiting review · Correct this text"
    )
    choose = text_of(client.get(f"/corrections/page/{page.pk}/").content)
    assert "a correction of it awaits review" in choose


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Please give your name"),
        ({"email": "mary@"}, "That email address does not look right"),
        ({"text": "   "}, "Please type the paragraph as it should read"),
        ({"text": ARTICLE_PARAGRAPHS[0] + "  "}, "Your text is the same as the paragraph's"),
        ({"website": "http://spam.example"}, "a field that people never see"),
        (
            {"text": "Eastgate " + " ".join(f"https://spam{n}.example" for n in range(4))},
            "new links or fewer",
        ),
    ],
)
def test_refused_corrections_keep_the_readers_words(client, article, fields, message):
    url = f"/corrections/article/{article.pk}/1/"
    data = correction_data(client.get(url).content, text="Drivers at the Eastgate depot.")
    data.update(fields)
    response = client.post(url, data)
    assert response.status_code == 400
    assert message in text_of(response.content)
    assert textarea_text(response.content) == data["text"]
    assert not Correction.objects.exists()


def test_a_paragraph_changed_since_the_form_was_opened_is_shown_again(client, article):
    url = f"/corrections/article/{article.pk}/1/"
    data = correction_data(client.get(url).content, text="Drivers at the Eastgate depot.")
    article.blocks = [{"type": "paragraph", "text": "Drivers at the Eastgate garage, clay nine."}]
    article.save()

    refused = client.post(url, data)
    assert refused.status_code == 400
    shown = text_of(refused.content)
    assert "This paragraph has been changed since you opened it" in shown
    assert "Drivers at the Eastgate garage, clay nine." in shown
    assert textarea_text(refused.content) == "Drivers at the Eastgate depot."
    assert not Correction.objects.exists()

    again = client.post(
        url, correction_data(refused.content, text="Drivers at the Eastgate garage, day nine.")
    )
    assert again.status_code == 302
    assert Correction.objects.get().original == "Drivers at the Eastgate garage, clay nine."


def test_corrections_need_the_csrf_token(article):
    reader = Client(enforce_csrf_checks=True)
    url = f"/corrections/article/{article.pk}/1/"
    data = correction_data(reader.get(url).content, text="Drivers at the Eastgate depot.")
    data.pop("csrfmiddlewaretoken")
    assert reader.post(url, data).status_code == 403
    assert not Correction.objects.exists()


def test_no_such_paragraph_or_text_is_not_found(client, article):
    assert client.get(f"/corrections/article/{article.pk}/3/").status_code == 404
    assert client.get(f"/corrections/article/{article.pk}/0/").status_code == 404
    assert client.get("/corrections/article/999999/").status_code == 404
    assert client.get("/corrections/page/999999/1/").status_code == 404


def test_one_address_may_send_only_so_many_corrections(client, article, settings):
    settings.BACKFILE_REPLIES_RATE = 2
    url = f"/corrections/article/{article.pk}/1/"
    offered = client.get(url).content
    for n in range(2):
        sent = client.post(
            url, correction_data(offered, text=f"Drivers at the Eastgate depot {n}.")
        )
        assert sent.status_code == 302
    refused = client.post(url, correction_data(offered, text="Drivers at the Eastgate depot 3."))
    assert refused.status_code == 429
    assert "You have sent 2 corrections in the last 10 minutes" in text_of(refused.content)
    assert textarea_text(refused.content) == "Drivers at the Eastgate depot 3."
    assert Correction.objects.count() == 2

    other = Client(REMOTE_ADDR="10.0.0.9")  # another reader is not held back
    sent = other.post(url, correction_data(offered, text="Drivers at the Eastgate depot 4."))
    assert sent.status_code == 302


def test_an_article_read_from_ocr_pages_shows_their_confidence(client, article):
    from backfile.facsimiles.models import ArticlePage

    for sequence, confidence in ((1, 70.2), (2, 73.0)):
        page = ocr_page(article, sequence=sequence, confidence=confidence)
        ArticlePage.objects.create(article=article, page=page)
    shown = text_of(client.get(article.get_absolute_url()).content)
    assert "Uncorrected OCR, confidence 72% · Correct this text" in shown


def test_a_body_that_is_not_a_list_of_blocks_has_nothing_to_correct(client, article):
    type(article).objects.filter(pk=article.pk).update(blocks={"not": "blocks"})
    assert "This article has no text to correct." in text_of(
        client.get(f"/corrections/article/{article.pk}/").content
    )
    assert client.get(f"/corrections/article/{article.pk}/1/").status_code == 404
