"""The moderation queue: editors sign in, see held replies first, approve or mark spam in bulk."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from lxml import html as lxml_html

from backfile.replies.models import Reply
from tests.replies.helpers import replies_section, sign_in, stored_reply

pytestmark = pytest.mark.django_db

QUEUE = "/admin/replies/reply/"


@pytest.fixture
def desk(client, editor):
    return sign_in(client)


def queue_ids(response) -> list[int]:
    document = lxml_html.fromstring(response.content)
    return [int(v) for v in document.xpath(f'//input[@name="{ACTION_CHECKBOX_NAME}"]/@value')]


def test_readers_cannot_reach_the_queue(client, article):
    stored_reply(article, "Held.", status=Reply.Status.PENDING)
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_queue_lists_held_replies_first(desk, article):
    old_pending = stored_reply(article, "Old and held.", status=Reply.Status.PENDING)
    approved = stored_reply(article, "Approved long since.")
    spam = stored_reply(article, "Cheap watches.", status=Reply.Status.SPAM)
    new_pending = stored_reply(article, "New and held.", status=Reply.Status.PENDING)
    new_pending.created = approved.created.replace(year=approved.created.year + 1)
    new_pending.save()
    ids = queue_ids(desk.get(QUEUE))
    assert ids[:2] == [new_pending.pk, old_pending.pk]
    assert set(ids[2:]) == {approved.pk, spam.pk}


def test_the_queue_filters_by_status(desk, article):
    held = stored_reply(article, "Held.", status=Reply.Status.PENDING)
    stored_reply(article, "Shown.")
    assert queue_ids(desk.get(QUEUE, {"status__exact": "pending"})) == [held.pk]


def test_bulk_approve_publishes_and_records_who(desk, editor, article):
    held = [stored_reply(article, f"Held {n}.", status=Reply.Status.PENDING) for n in range(3)]
    response = desk.post(
        QUEUE,
        {"action": "approve", ACTION_CHECKBOX_NAME: [r.pk for r in held[:2]], "index": 0},
    )
    assert response.status_code == 302
    statuses = {r.pk: r.status for r in Reply.objects.all()}
    assert statuses == {held[0].pk: "approved", held[1].pk: "approved", held[2].pk: "pending"}
    revision = Reply.history.filter(id=held[0].pk).latest()
    assert revision.status == "approved"
    assert revision.history_user == editor

    section = replies_section(desk.get(article.get_absolute_url()).content)
    assert "Held 0." in section.text_content()
    assert "Held 2." not in section.text_content()


def test_bulk_spam_hides_replies(desk, article):
    shown = stored_reply(article, "Cheap watches at cheap.example.")
    desk.post(QUEUE, {"action": "mark_spam", ACTION_CHECKBOX_NAME: [shown.pk], "index": 0})
    assert Reply.objects.get().status == Reply.Status.SPAM
    section = replies_section(desk.get(article.get_absolute_url()).content)
    assert "Cheap watches" not in section.text_content()


def test_bulk_delete_removes_replies_and_keeps_the_record(desk, editor, article):
    doomed = stored_reply(article, "Delete me.", status=Reply.Status.SPAM)
    confirm = desk.post(
        QUEUE, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [doomed.pk], "index": 0}
    )
    assert confirm.status_code == 200, "Django asks to confirm"
    desk.post(
        QUEUE, {"action": "delete_selected", ACTION_CHECKBOX_NAME: [doomed.pk], "post": "yes"}
    )
    assert not Reply.objects.exists()
    deletion = Reply.history.filter(id=doomed.pk).latest()
    assert deletion.history_type == "-"
    assert deletion.history_user == editor


def test_the_reply_page_shows_the_email_to_editors_and_a_safe_preview(desk, article):
    reply = stored_reply(article, "<script>alert(1)</script>", author_email="len@example.org")
    response = desk.get(f"{QUEUE}{reply.pk}/change/")
    assert response.status_code == 200
    document = lxml_html.fromstring(response.content)
    assert document.xpath('//input[@name="author_email"]/@value') == ["len@example.org"]
    assert not document.xpath('//div[contains(@class, "field-as_readers_see_it")]//script')
