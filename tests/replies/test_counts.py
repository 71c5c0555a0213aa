"""Reply counts for listings: approved replies only, one query for a whole listing."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from lxml import html as lxml_html

from backfile.replies.models import Reply, approved_reply_counts
from tests.replies.helpers import stored_reply

pytestmark = pytest.mark.django_db


def test_counts_are_of_approved_replies_per_article(article, other_article):
    stored_reply(article, "One.")
    stored_reply(article, "Two.")
    stored_reply(article, "Held.", status=Reply.Status.PENDING)
    stored_reply(article, "Spam.", status=Reply.Status.SPAM)
    stored_reply(other_article, "Three.")
    quiet = other_article.pk + 1000
    counts = approved_reply_counts([article.pk, other_article.pk, quiet])
    assert counts == {article.pk: 2, other_article.pk: 1}


def test_a_listing_costs_one_query(article, other_article, django_assert_num_queries):
    stored_reply(article, "One.")
    with django_assert_num_queries(1):
        approved_reply_counts([article.pk, other_article.pk])


LISTING = Template(
    "{% load replies %}{% reply_counts articles as counts %}"
    "{% for a in articles %}[{{ counts|replies_label:a.pk }}]{% endfor %}"
)


def test_the_template_tag_labels_each_article(article, other_article):
    for n in range(3):
        stored_reply(article, f"Reply {n}.")
    stored_reply(other_article, "Held.", status=Reply.Status.PENDING)
    rendered = LISTING.render(Context({"articles": [article, other_article]}))
    assert rendered == "[3 replies][]"


def test_one_reply_is_singular_and_an_issue_stands_for_its_articles(article, other_article):
    stored_reply(other_article, "Only one.")
    template = Template(
        "{% load replies %}{% reply_counts issue as counts %}{{ counts|replies_label:id }}"
    )
    context = Context({"issue": other_article.issue, "id": other_article.pk})
    assert template.render(context) == "1 reply"


def test_the_issue_page_shows_each_article_s_reply_count(client, article, other_article):
    stored_reply(article, "One.")
    stored_reply(article, "Two.")
    stored_reply(other_article, "Held.", status=Reply.Status.PENDING)
    page = lxml_html.fromstring(client.get(article.issue.get_absolute_url()).content)
    counts = page.xpath('//p[contains(@class, "reply-count")]/a')
    assert [(a.text_content(), a.get("href")) for a in counts] == [
        ("2 replies", f"{article.get_absolute_url()}#replies")
    ]
