"""Every way a reply is refused: a friendly reason, the reader's words kept, nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backfile.replies.models import Reply
from tests.replies.helpers import (
    post_url,
    refused_page,
    replies_section,
    reply_form_data,
    sign_in,
    stored_reply,
)

pytestmark = pytest.mark.django_db

TYPED = "My grandfather kept the strike bulletin in a drawer for forty years."


def assert_refused(response, reason: str, typed: str = TYPED) -> None:
    """Refused: back at the article (`refused_page`), `reason` shown in the error summary,
    `typed` kept in the form."""
    assert response.status_code == 200
    section = replies_section(response.content)
    summary = section.get_element_by_id("reply-errors")
    assert reason in summary.text_content()
    assert section.xpath('.//textarea[@name="text"]')[0].text_content().strip() == typed.strip()
    assert section.xpath('.//input[@name="website"]/@value') == [""]
    assert not Reply.objects.exists(), "a refused reply is not stored"


def test_the_honeypot_refuses_robots(client, article):
    response = refused_page(
        client, article, reply_form_data(text=TYPED, website="http://cheap.example")
    )
    assert_refused(response, "a field that people never see")
    section = replies_section(response.content)
    assert section.xpath('.//input[@name="name"]/@value') == ["Mary Okafor"]


def test_a_reply_over_the_length_limit_is_refused(client, article):
    typed = "word " * 2001
    response = refused_page(client, article, reply_form_data(text=typed))
    assert_refused(response, "Please shorten your reply to 10,000 characters", typed)


def test_the_length_limit_is_a_setting(client, article, settings):
    settings.BACKFILE_REPLIES_MAX_LENGTH = 20
    response = refused_page(client, article, reply_form_data(text=TYPED))
    assert_refused(response, "Please shorten your reply to 20 characters")


@pytest.mark.parametrize(
    "typed",
    [
        "See http://a.example/1 http://a.example/2 http://a.example/3 http://a.example/4",
        '<a href="https://a.example/">a</a> <a href="https://b.example/">b</a> '
        "https://c.example/ and https://d.example/",
    ],
    ids=["bare addresses", "tags and addresses"],
)
def test_a_reply_with_too_many_links_is_refused(client, article, typed):
    response = refused_page(client, article, reply_form_data(text=typed))
    assert_refused(response, "Please keep to 3 links or fewer (your reply has 4)", typed)


def test_three_links_are_fine(client, article):
    typed = "https://a.example/1 https://a.example/2 https://a.example/3"
    assert client.post(post_url(article), reply_form_data(text=typed)).status_code == 302


def test_a_reply_without_a_name_is_refused(client, article):
    response = refused_page(client, article, reply_form_data(name="  ", text=TYPED))
    assert_refused(response, "Please give your name")


@pytest.mark.parametrize("typed", ["", "   \n  "], ids=["empty", "blank"])
def test_a_reply_without_text_is_refused(client, article, typed):
    response = refused_page(client, article, reply_form_data(text=typed))
    assert_refused(response, "Please write your reply before sending it", typed)


def test_a_bad_email_is_refused(client, article):
    response = refused_page(client, article, reply_form_data(text=TYPED, email="mary at home"))
    assert_refused(response, "That email address does not look right")
    section = replies_section(response.content)
    assert section.xpath('.//input[@name="email"]/@value') == ["mary at home"]


def test_an_unknown_parent_is_refused(client, article):
    response = refused_page(client, article, reply_form_data(text=TYPED, parent=987654))
    assert_refused(response, "The reply you are answering is not on this article")
    section = replies_section(response.content)
    assert section.xpath('.//input[@name="parent"]/@value') == [""], "sending again works"


def test_a_parent_from_another_article_is_refused(client, article, other_article):
    elsewhere = stored_reply(other_article, "On the buses.")
    response = refused_page(client, article, reply_form_data(text=TYPED, parent=elsewhere.pk))
    assert response.status_code == 200
    assert "The reply you are answering is not on this article" in response.content.decode()
    assert Reply.objects.count() == 1


def test_a_held_parent_is_refused(client, article):
    held = stored_reply(article, "Held.", status=Reply.Status.PENDING)
    response = refused_page(client, article, reply_form_data(text=TYPED, parent=held.pk))
    assert response.status_code == 200
    assert Reply.objects.count() == 1


def test_a_non_numeric_parent_is_refused(client, article):
    response = refused_page(client, article, reply_form_data(text=TYPED, parent="abc"))
    assert_refused(response, "The reply you are answering is not on this article")


def test_an_address_is_limited_to_five_replies_in_ten_minutes(client, article):
    for n in range(5):
        response = client.post(post_url(article), reply_form_data(text=f"Point {n}."))
        assert response.status_code == 302
    response = refused_page(client, article, reply_form_data(text=TYPED))
    section = replies_section(response.content)
    assert "You have sent 5 replies in the last 10 minutes" in section.text_content()
    assert section.xpath('.//textarea[@name="text"]')[0].text_content().strip() == TYPED
    assert Reply.objects.count() == 5


def test_other_addresses_are_not_limited(client, article):
    for n in range(5):
        client.post(post_url(article), reply_form_data(text=f"Point {n}."))
    response = client.post(post_url(article), reply_form_data(text=TYPED), REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 302
    assert Reply.objects.get(text=TYPED).ip_address == "192.0.2.44"


def test_behind_a_trusted_proxy_each_reader_has_their_own_limit(client, article, settings):
    settings.BACKFILE_TRUSTED_PROXIES = ["10.0.0.1"]
    behind_proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(5):
        forwarded = {**behind_proxy, "HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}
        assert (
            client.post(
                post_url(article), reply_form_data(text=f"Point {n}."), **forwarded
            ).status_code
            == 302
        )
    spoofed = {**behind_proxy, "HTTP_X_FORWARDED_FOR": "192.0.2.1, 198.51.100.7, 10.0.0.1"}
    for n in range(5):
        client.post(post_url(article), reply_form_data(text=f"Again {n}."), **spoofed)

    response = refused_page(client, article, reply_form_data(text=TYPED), **spoofed)

    assert "You have sent 5 replies" in response.content.decode(), (
        "the client-written first entry does not reset the limit"
    )
    assert Reply.objects.filter(ip_address="198.51.100.7").count() == 5
    assert set(Reply.objects.values_list("ip_address", flat=True)) >= {
        "198.51.100.0",
        "198.51.100.4",
    }


def test_an_untrusted_sender_cannot_choose_its_address(client, article):
    response = client.post(
        post_url(article), reply_form_data(text=TYPED), HTTP_X_FORWARDED_FOR="203.0.113.9"
    )
    assert response.status_code == 302
    assert Reply.objects.get(text=TYPED).ip_address == "127.0.0.1"


def test_replies_older_than_the_window_do_not_count(client, article):
    long_ago = timezone.now() - timedelta(minutes=11)
    for n in range(5):
        stored_reply(article, f"Old {n}", ip_address="127.0.0.1", created=long_ago)
    assert client.post(post_url(article), reply_form_data(text=TYPED)).status_code == 302


def test_the_rate_is_a_setting(client, article, settings):
    settings.BACKFILE_REPLIES_RATE = 1
    assert client.post(post_url(article), reply_form_data(text="One.")).status_code == 302
    refused = refused_page(client, article, reply_form_data(text=TYPED))
    assert "as many as we accept" in replies_section(refused.content).text_content()


def test_a_post_without_the_csrf_token_is_refused(article):
    guarded = Client(enforce_csrf_checks=True)
    response = guarded.post(post_url(article), reply_form_data(text=TYPED))
    assert response.status_code == 403
    assert not Reply.objects.exists()


def test_a_post_with_the_page_csrf_token_is_accepted(article):
    guarded = Client(enforce_csrf_checks=True)
    page = guarded.get(article.get_absolute_url())
    token = replies_section(page.content).xpath('.//input[@name="csrfmiddlewaretoken"]/@value')
    response = guarded.post(
        post_url(article), reply_form_data(text=TYPED, csrfmiddlewaretoken=token[0])
    )
    assert response.status_code == 302
    assert Reply.objects.get().text == TYPED


def test_the_error_summary_names_each_reason_and_links_to_its_field(client, article):
    response = refused_page(client, article, reply_form_data(name="", email="mary at", text=""))
    summary = replies_section(response.content).get_element_by_id("reply-errors")
    assert summary.get("role") == "alert" and summary.get("tabindex") == "-1"
    links = {a.get("href"): a.text_content() for a in summary.xpath(".//a")}
    assert links == {
        "#reply-name": "Please give your name: it is shown with your reply.",
        "#reply-email": "That email address does not look right; please check it, "
        "or leave the field empty.",
        "#reply-text": "Please write your reply before sending it.",
    }
    text = replies_section(response.content).get_element_by_id("reply-text")
    assert text.get("aria-invalid") == "true"
    described = text.get("aria-describedby").split()
    assert "reply-text_error" in described
    assert replies_section(response.content).get_element_by_id("reply-text_error") is not None


def test_a_refused_reply_is_shown_once_and_then_the_page_is_shared_again(client, article):
    url = article.get_absolute_url()
    page = refused_page(client, article, reply_form_data(text=""))
    assert "private" in page["Cache-Control"]
    again = client.get(url)
    assert again.status_code == 200
    assert not replies_section(again.content).xpath('.//*[@id="reply-errors"]')
    assert not client.cookies.get("sessionid") or not client.cookies["sessionid"].value, (
        "the reader's session, emptied, is gone"
    )


def test_a_refused_reply_waits_for_its_own_article(client, article, other_article):
    posted = client.post(post_url(article), reply_form_data(text=""))
    assert posted.status_code == 303
    elsewhere = client.get(other_article.get_absolute_url())
    assert not replies_section(elsewhere.content).xpath('.//*[@id="reply-errors"]')
    back = client.get(article.get_absolute_url())
    assert replies_section(back.content).xpath('.//*[@id="reply-errors"]')


def test_a_reload_of_the_posting_address_goes_to_the_article_form(client, article):
    response = client.get(post_url(article))
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#leave-a-reply"
    assert client.head(post_url(article)).status_code == 302
    assert client.put(post_url(article)).status_code == 405
    assert client.get("/replies/999999/post/").status_code == 404


def test_an_editor_refused_stays_signed_in(client, article, editor):
    sign_in(client, "hilda")
    page = refused_page(client, article, reply_form_data(text=""))
    assert "Please write your reply" in replies_section(page.content).text_content()
    assert client.get("/admin/").status_code == 200, "still signed in"
    assert client.session.get_expiry_age() > 3600, "the editor's session keeps its own expiry"
