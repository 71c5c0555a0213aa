"""Editors moderate readers' corrections in the admin: each shown as the words it changes;
accepting changes the text as a revision crediting the reader, keeps the old text
searchable, and never applies a correction whose paragraph has changed since."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import caches
from django.utils import timezone
from lxml import html as lxml_html

from backfile.archive.models import Article
from backfile.corrections.models import Correction
from backfile.facsimiles.models import Page
from backfile.facsimiles.signals import pages_stored
from backfile.search.index import reindex
from tests.corrections.helpers import ARTICLE_PARAGRAPHS, PAGE_TEXT, ocr_page, status_line

pytestmark = pytest.mark.django_db

QUEUE = "/admin/corrections/correction/"
FIXED = "Drivers at the Eastgate depot stayed out for a ninth day."


def suggested(subject, paragraph: int = 1, text: str = FIXED, **fields) -> Correction:
    """A correction as the reader's form stores it (held for an editor)."""
    where = {"page": subject} if isinstance(subject, Page) else {"article": subject}
    original = (
        PAGE_TEXT.split("\n\n")[paragraph - 1]
        if isinstance(subject, Page)
        else ARTICLE_PARAGRAPHS[paragraph - 1]
    )
    fields.setdefault("author_name", "Mary Okafor")
    fields.setdefault("created", timezone.now() - timedelta(hours=1))
    return Correction.objects.create(
        **where, paragraph=paragraph, original=original, text=text, **fields
    )


def act(desk, action: str, *corrections: Correction):
    return desk.post(
        QUEUE,
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in corrections], "index": 0},
        follow=True,
    )


def text_of(content: bytes) -> str:
    return " ".join(lxml_html.fromstring(content).text_content().split())


def search(client, q: str) -> list[str]:
    found = client.get("/api/search", {"q": q}).json()
    return [result["title"] for result in found["results"]]


def test_readers_cannot_reach_the_queue(client, article):
    suggested(article)
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_queue_shows_waiting_corrections_first_as_the_words_they_change(desk, article):
    rejected = suggested(article, status=Correction.Status.REJECTED)
    waiting = suggested(article, paragraph=2, text="The company has not yet answered the letter.")
    response = desk.get(QUEUE)
    assert response.status_code == 200
    document = lxml_html.fromstring(response.content)
    ids = [int(v) for v in document.xpath(f'//input[@name="{ACTION_CHECKBOX_NAME}"]/@value')]
    assert ids == [waiting.pk, rejected.pk]
    row = document.xpath(f'//input[@value="{waiting.pk}"]/ancestor::tr')[0]
    assert row.xpath(".//del")[0].text_content() == "their"
    assert row.xpath(".//ins")[0].text_content() == "the"


def test_accepting_an_article_correction_makes_a_revision_crediting_the_reader(
    desk, editor, article
):
    assert search(desk, "clay") == ["The Tram Strike Holds"]
    assert search(desk, "day") == []
    correction = suggested(article)
    response = act(desk, "accept", correction)
    assert "Accepted 1 correction." in text_of(response.content)

    article.refresh_from_db()
    assert article.blocks[0]["text"] == FIXED
    assert article.blocks[1]["text"] == ARTICLE_PARAGRAPHS[1]
    assert article.edited  # a re-ingest of a changed source will not overwrite it
    latest, as_ingested = article.history.all()[:2]
    assert latest.history_change_reason == f"Correction {correction.pk} by Mary Okafor"
    assert latest.history_user == editor
    assert latest.blocks[0]["text"] == FIXED
    assert as_ingested.blocks[0]["text"] == ARTICLE_PARAGRAPHS[0]  # restorable

    correction.refresh_from_db()
    assert correction.status == Correction.Status.ACCEPTED
    assert correction.decided is not None
    assert correction.history.first().history_user == editor

    shown = text_of(desk.get(article.get_absolute_url()).content)
    assert "ninth day" in shown
    today = timezone.localdate(correction.decided)
    assert f"Text corrected by Mary Okafor on {today.day} {today:%B %Y} (1 correction)" in shown
    # the corrected text and the text it replaced are both found
    assert search(desk, "day") == ["The Tram Strike Holds"]
    assert search(desk, "clay") == ["The Tram Strike Holds"]
    reindex()  # `backfile reindex` builds the same entry
    caches["default"].clear()
    assert search(desk, "clay") == ["The Tram Strike Holds"]


def test_accepting_a_page_correction_changes_its_text_and_keeps_the_source(
    desk, editor, article, django_capture_on_commit_callbacks
):
    page = ocr_page(article)
    fixed = "The members of the branch met on Tuesday\nand voted to stand by the drivers."
    correction = suggested(page, paragraph=2, text=fixed)
    announced: list[list[Page]] = []

    def heard(sender, pages, **kwargs):
        announced.append(pages)

    pages_stored.connect(heard)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            act(desk, "accept", correction)
    finally:
        pages_stored.disconnect(heard)

    page.refresh_from_db()
    first, second, third = PAGE_TEXT.split("\n\n")
    assert page.text == f"{first}\n\n{fixed}\n\n{third}"
    assert page.source_text == PAGE_TEXT  # the original stays, and stays searchable
    assert page.edited
    latest = page.history.first()
    assert latest.history_change_reason == f"Correction {correction.pk} by Mary Okafor"
    assert latest.history_user == editor
    assert [[p.pk for p in pages] for pages in announced] == [[page.pk]]
    today = timezone.localdate()
    assert status_line(page) == (
        f"Text corrected by Mary Okafor on {today.day} {today:%B %Y} (1 correction)"
        " · Correct this text"
    )


def test_rejected_and_spam_corrections_change_nothing(desk, article):
    rejected, spam = suggested(article), suggested(article, paragraph=2, text="Cheap watches.")
    assert "Rejected 1 correction." in text_of(act(desk, "reject", rejected).content)
    assert "Marked 1 correction as spam." in text_of(act(desk, "mark_spam", spam).content)
    statuses = dict(Correction.objects.values_list("pk", "status"))
    assert statuses == {rejected.pk: "rejected", spam.pk: "spam"}
    article.refresh_from_db()
    assert [b["text"] for b in article.blocks] == list(ARTICLE_PARAGRAPHS)
    assert not article.edited
    assert "awaiting review" not in text_of(desk.get(article.get_absolute_url()).content)


def test_a_stale_correction_is_flagged_and_never_applied(desk, article):
    first = suggested(article, text="Drivers at the Eastgate depot stayed out a ninth day.")
    second = suggested(article)  # the same paragraph, as it read before the first
    other = suggested(article, paragraph=2, text="The company has not answered their letter.")
    response = act(desk, "accept", first, second, other)
    shown = text_of(response.content)
    assert "Accepted 2 corrections." in shown
    assert "Not applied: 1 correction whose paragraph has changed since" in shown
    assert f"(stale): {second.pk}." in shown

    article.refresh_from_db()
    assert article.blocks[0]["text"] == first.text
    assert article.blocks[1]["text"] == other.text
    second.refresh_from_db()
    assert second.status == Correction.Status.PENDING

    queue = lxml_html.fromstring(desk.get(QUEUE).content)
    row = queue.xpath(f'//input[@value="{second.pk}"]/ancestor::tr')[0]
    assert row.xpath('.//td[contains(@class, "field-stale")]//img/@alt') == ["True"]
    detail = text_of(desk.get(f"{QUEUE}{second.pk}/change/").content)
    assert "Changed since the correction was suggested" in detail


def test_an_editors_own_change_makes_waiting_corrections_stale(desk, article):
    waiting = suggested(article)
    Article.objects.filter(pk=article.pk).update(
        blocks=[{"type": "paragraph", "text": "Drivers at the depot stayed out."}]
    )
    shown = text_of(act(desk, "accept", waiting).content)
    assert "Accepted 0 corrections." in shown
    assert "(stale)" in shown
    article.refresh_from_db()
    assert article.blocks[0]["text"] == "Drivers at the depot stayed out."


def test_a_page_read_again_since_makes_its_corrections_stale(desk, article):
    page = ocr_page(article)
    waiting = suggested(page, paragraph=2, text="The members of the branch met on Tuesday.")
    Page.objects.filter(pk=page.pk).update(text=PAGE_TEXT.replace("Tuesday", "Tucsday"))
    queue = lxml_html.fromstring(desk.get(QUEUE).content)
    row = queue.xpath(f'//input[@value="{waiting.pk}"]/ancestor::tr')[0]
    assert row.xpath('.//td[contains(@class, "field-stale")]//img/@alt') == ["True"]
    assert "(stale)" in text_of(act(desk, "accept", waiting).content)
    page.refresh_from_db()
    assert "Tucsday" in page.text
    assert not page.edited


def test_accepting_drops_the_markup_of_the_words_it_replaces(desk, article):
    blocks = [
        dict(article.blocks[0], html="Drivers at the <em>Eastgate</em> depot, clay."),
        article.blocks[1],
    ]
    Article.objects.filter(pk=article.pk).update(blocks=blocks)
    correction = suggested(article)
    detail = text_of(desk.get(f"{QUEUE}{correction.pk}/change/").content)
    assert "This paragraph has inline markup (italics, links): accepting keeps the words" in detail
    act(desk, "accept", correction)
    article.refresh_from_db()
    assert article.blocks[0] == {"type": "paragraph", "text": FIXED}
    assert "ninth day" in text_of(desk.get(article.get_absolute_url()).content)
