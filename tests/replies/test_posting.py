"""Leaving a reply: held for moderation, shown threaded once approved, counted on listings."""

from __future__ import annotations

import pytest

from backfile.replies.models import Reply
from tests.replies.helpers import (
    post_url,
    replies_section,
    reply_form_data,
    stored_reply,
)

pytestmark = pytest.mark.django_db


def test_the_article_page_offers_the_reply_form(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    section = replies_section(response.content)
    form = section.xpath('.//form[@method="post"]')[0]
    assert form.get("action") == post_url(article)
    names = set(form.xpath(".//input/@name | .//textarea/@name"))
    assert {"csrfmiddlewaretoken", "name", "email", "text", "parent", "website"} <= names
    assert section.xpath('.//*[@id="leave-a-reply"]//h2')[0].text_content() == "Leave a Reply"


def test_a_posted_reply_is_stored_as_written_and_held(client, article):
    text = "I drove the No. 4 that week.\n\nWe <b>won</b> & the fares didn't rise."
    response = client.post(post_url(article), reply_form_data(text=text, email="mary@example.org"))
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#leave-a-reply"
    reply = Reply.objects.get()
    assert reply.text == text
    assert reply.status == Reply.Status.PENDING
    assert reply.author_email == "mary@example.org"
    assert reply.ip_address == "127.0.0.1"

    page = client.get(response["Location"])
    section = replies_section(page.content)
    assert "held for moderation" in section.text_content()
    assert "No. 4 that week" not in section.text_content(), "pending replies are not shown"


def test_an_stored_reply_shows_with_permalink_and_date_but_never_the_email(client, article):
    reply = stored_reply(article, "Quite right.", author_email="len@example.org")
    page = client.get(article.get_absolute_url())
    section = replies_section(page.content)
    item = section.xpath(f'.//li[@id="reply-{reply.pk}"]')[0]
    assert "Quite right." in item.text_content()
    assert "Len Hallam" in item.text_content()
    assert item.xpath(f'.//a[@href="#reply-{reply.pk}"]//time/@datetime')[0].startswith(
        reply.created.date().isoformat()
    )
    assert "len@example.org" not in page.content.decode()
    assert section.xpath(".//h2")[0].text_content() == "1 reply"


def test_spam_and_pending_replies_are_never_shown(client, article):
    stored_reply(article, "Shown to all.")
    stored_reply(article, "Buy cheap watches.", status=Reply.Status.SPAM)
    stored_reply(article, "Still waiting.", status=Reply.Status.PENDING)
    text = replies_section(client.get(article.get_absolute_url()).content).text_content()
    assert "Shown to all." in text
    assert "cheap watches" not in text
    assert "Still waiting" not in text


def test_replies_nest_under_the_reply_they_answer(client, article):
    first = stored_reply(article, "The depot was cold.")
    answer = stored_reply(article, "Colder in 1947.", parent=first, author_name="Ruth Adeyemi")
    third = stored_reply(article, "A separate point.")
    section = replies_section(client.get(article.get_absolute_url()).content)
    top_level = section.xpath('./ol[@class="reply-thread"]/li/@id')
    assert top_level == [f"reply-{first.pk}", f"reply-{third.pk}"]
    nested = section.xpath(f'.//li[@id="reply-{first.pk}"]/ol/li/@id')
    assert nested == [f"reply-{answer.pk}"]


def test_a_reply_whose_parent_is_hidden_stands_on_its_own(client, article):
    held = stored_reply(article, "Held back.", status=Reply.Status.PENDING)
    orphan = stored_reply(article, "Answer to a held reply.", parent=held)
    section = replies_section(client.get(article.get_absolute_url()).content)
    assert section.xpath('./ol[@class="reply-thread"]/li/@id') == [f"reply-{orphan.pk}"]


def test_the_reply_link_sets_the_parent_and_the_post_threads(client, article):
    first = stored_reply(article, "The depot was cold.")
    section = replies_section(client.get(article.get_absolute_url()).content)
    link = section.xpath(f'.//li[@id="reply-{first.pk}"]//a[contains(@href, "replyto=")]/@href')
    assert link == [f"?replyto={first.pk}#leave-a-reply"]

    page = client.get(f"{article.get_absolute_url()}?replyto={first.pk}")
    section = replies_section(page.content)
    assert section.xpath('.//input[@name="parent"]/@value') == [str(first.pk)]
    assert "Replying to Len Hallam" in section.text_content()

    response = client.post(post_url(article), reply_form_data(parent=first.pk))
    assert response.status_code == 302
    assert Reply.objects.get(text="I was there.").parent == first


def test_a_replyto_naming_a_hidden_reply_is_ignored(client, article):
    held = stored_reply(article, "Held back.", status=Reply.Status.PENDING)
    section = replies_section(client.get(f"{article.get_absolute_url()}?replyto={held.pk}").content)
    assert section.xpath('.//input[@name="parent"]/@value') == [""]
    assert "Replying to" not in section.text_content()


def test_trusted_policy_publishes_readers_already_approved(client, article, settings):
    settings.BACKFILE_REPLIES_MODERATION = "trusted"
    stored_reply(article, "Earlier.", author_email="Len@Example.org")
    trusted = client.post(
        post_url(article), reply_form_data(name="Len Hallam", email="len@example.org")
    )
    newcomer = client.post(
        post_url(article), reply_form_data(text="First time here.", email="new@example.org")
    )
    published = Reply.objects.get(text="I was there.")
    assert published.status == Reply.Status.APPROVED
    assert trusted["Location"].endswith(f"#reply-{published.pk}")
    assert Reply.objects.get(text="First time here.").status == Reply.Status.PENDING
    assert newcomer["Location"].endswith("#leave-a-reply")
    page = client.get(trusted["Location"])
    assert "your reply is published" in replies_section(page.content).text_content()


def test_the_default_policy_holds_even_trusted_readers(client, article):
    stored_reply(article, "Earlier.", author_email="len@example.org")
    client.post(post_url(article), reply_form_data(email="len@example.org"))
    assert Reply.objects.get(text="I was there.").status == Reply.Status.PENDING


def test_posting_to_an_unknown_article_is_not_found(client, db):
    assert client.post("/replies/999999/post/", reply_form_data()).status_code == 404


def test_deep_threads_stop_nesting_at_six_levels(client, article):
    parent, chain = None, []
    for level in range(80):
        parent = stored_reply(article, f"Level {level}.", parent=parent)
        chain.append(parent)
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    section = replies_section(page.content)
    assert len(section.xpath('.//li[@class="reply"]')) == 80
    deepest = section.xpath(f'.//li[@id="reply-{chain[-1].pk}"]')[0]
    assert len(deepest.xpath('ancestor::li[@class="reply"]')) == 5
