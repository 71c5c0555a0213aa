"""Every way a reply is refused: a friendly reason, the reader's words kept, nothing stored."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from backfile.replies.models import Reply
from tests.replies.helpers import post_url, replies_section, reply_form_data, stored_reply

pytestmark = pytest.mark.django_db

TYPED = "My grandfather kept the strike bulletin in a drawer for forty years."


def assert_refused(response, status: int, reason: str, typed: str = TYPED) -> None:
    """Refused with `status`, `reason` shown in the replies section, `typed` kept in the form."""
    assert response.status_code == status
    section = replies_section(response.content)
    assert reason in section.text_content()
    assert section.xpath('.//textarea[@name="text"]')[0].text_content().strip() == typed.strip()
    assert section.xpath('.//input[@name="website"]/@value') == [""]
    assert not Reply.objects.exists(), "a refused reply is not stored"


def test_the_honeypot_refuses_robots(client, article):
    response = client.post(
        post_url(article), reply_form_data(text=TYPED, website="http://cheap.example")
    )
    assert_refused(response, 400, "a field that people never see")
    section = replies_section(response.content)
    assert section.xpath('.//input[@name="name"]/@value') == ["Mary Okafor"]


def test_a_reply_over_the_length_limit_is_refused(client, article):
    typed = "word " * 2001
    response = client.post(post_url(article), reply_form_data(text=typed))
    assert_refused(response, 400, "Please shorten your reply to 10,000 characters", typed)


def test_the_length_limit_is_a_setting(client, article, settings):
    settings.BACKFILE_REPLIES_MAX_LENGTH = 20
    response = client.post(post_url(article), reply_form_data(text=TYPED))
    assert_refused(response, 400, "Please shorten your reply to 20 characters")


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
    response = client.post(post_url(article), reply_form_data(text=typed))
    assert_refused(response, 400, "Please keep to 3 links or fewer (your reply has 4)", typed)


def test_three_links_are_fine(client, article):
    typed = "https://a.example/1 https://a.example/2 https://a.example/3"
    assert client.post(post_url(article), reply_form_data(text=typed)).status_code == 302


def test_a_reply_without_a_name_is_refused(client, article):
    response = client.post(post_url(article), reply_form_data(name="  ", text=TYPED))
    assert_refused(response, 400, "Please give your name")


@pytest.mark.parametrize("typed", ["", "   \n  "], ids=["empty", "blank"])
def test_a_reply_without_text_is_refused(client, article, typed):
    response = client.post(post_url(article), reply_form_data(text=typed))
    assert_refused(response, 400, "Please write your reply before sending it", typed)


def test_a_bad_email_is_refused(client, article):
    response = client.post(post_url(article), reply_form_data(text=TYPED, email="mary at home"))
    assert_refused(response, 400, "That email address does not look right")
    section = replies_section(response.content)
    assert section.xpath('.//input[@name="email"]/@value') == ["mary at home"]


def test_an_unknown_parent_is_refused(client, article):
    response = client.post(post_url(article), reply_form_data(text=TYPED, parent=987654))
    assert_refused(response, 400, "The reply you are answering is not on this article")
    section = replies_section(response.content)
    assert section.xpath('.//input[@name="parent"]/@value') == [""], "sending again works"


def test_a_parent_from_another_article_is_refused(client, article, other_article):
    elsewhere = stored_reply(other_article, "On the buses.")
    response = client.post(post_url(article), reply_form_data(text=TYPED, parent=elsewhere.pk))
    assert response.status_code == 400
    assert "The reply you are answering is not on this article" in response.content.decode()
    assert Reply.objects.count() == 1


def test_a_held_parent_is_refused(client, article):
    held = stored_reply(article, "Held.", status=Reply.Status.PENDING)
    response = client.post(post_url(article), reply_form_data(text=TYPED, parent=held.pk))
    assert response.status_code == 400
    assert Reply.objects.count() == 1


def test_a_non_numeric_parent_is_refused(client, article):
    response = client.post(post_url(article), reply_form_data(text=TYPED, parent="abc"))
    assert_refused(response, 400, "The reply you are answering is not on this article")


def test_an_address_is_limited_to_five_replies_in_ten_minutes(client, article):
    for n in range(5):
        response = client.post(post_url(article), reply_form_data(text=f"Point {n}."))
        assert response.status_code == 302
    response = client.post(post_url(article), reply_form_data(text=TYPED))
    assert response.status_code == 429
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

    response = client.post(post_url(article), reply_form_data(text=TYPED), **spoofed)

    assert response.status_code == 429, "the client-written first entry does not reset the limit"
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
    assert client.post(post_url(article), reply_form_data(text=TYPED)).status_code == 429


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
