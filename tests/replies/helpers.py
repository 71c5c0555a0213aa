"""Builders shared by the replies, editors' desk and browser tests (an invented periodical)."""

from __future__ import annotations

import os
from datetime import timedelta
from io import StringIO
from unittest.mock import patch

from django.core.management import call_command
from django.utils import timezone
from lxml import html as lxml_html

from backfile.archive.models import Article
from backfile.ingest.loader import load
from backfile.ingest.records import ArticleRecord, Block, IssueRecord, Source
from backfile.replies.models import Reply

PUBLICATION = "The Quarry Gazette"
EDITOR_PASSWORD = "correct horse battery staple"


def article_record(
    key: str = "tram-strike",
    title: str = "The Tram Strike Holds",
    paragraphs: tuple[str, ...] = (
        "Drivers at the Eastgate depot stayed out for a ninth day.",
        "The company has not yet answered their letter.",
    ),
    **fields,
) -> ArticleRecord:
    """A small article of No. 88, March 1952, of an invented monthly."""
    text = "\n\n".join(paragraphs)
    return ArticleRecord(
        publication=PUBLICATION,
        key=key,
        issue=IssueRecord(year=1952, number=88, month=3),
        title=title,
        source=Source.of(f"gazette/{key}.txt", "text", f"{title}\n\n{text}"),
        blocks=[Block("paragraph", p) for p in paragraphs],
        authors=fields.pop("authors", ["Ada Penrose"]),
        **fields,
    )


def stored_article(**fields) -> Article:
    record = article_record(**fields)
    report = load([record])
    assert report.count("failed") == 0, report.entries
    return Article.objects.get(key=record.key)


def stored_reply(article: Article, text: str = "A fair account.", **fields) -> Reply:
    """A reply already in the database (approved unless `status` says otherwise)."""
    fields.setdefault("author_name", "Len Hallam")
    fields.setdefault("status", Reply.Status.APPROVED)
    fields.setdefault("created", timezone.now() - timedelta(days=1))
    return Reply.objects.create(article=article, text=text, **fields)


def reply_form_data(**fields) -> dict[str, str]:
    data = {"name": "Mary Okafor", "email": "", "text": "I was there.", "parent": "", "website": ""}
    data.update({k: str(v) for k, v in fields.items()})
    return data


def post_url(article: Article) -> str:
    return f"/replies/{article.pk}/post/"


def replies_section(content: bytes | str):
    """The replies section of a rendered article page, parsed."""
    document = lxml_html.fromstring(content)
    sections = document.xpath('//section[@id="replies"]')
    assert len(sections) == 1, "the article page has one replies section"
    return sections[0]


def create_editor(username: str = "hilda") -> str:
    """Make an editor the way a deployment does; returns what the command printed."""
    out = StringIO()
    with patch.dict(os.environ, {"BACKFILE_EDITOR_PASSWORD": EDITOR_PASSWORD}):
        call_command("createeditor", username, stdout=out)
    return out.getvalue()


def sign_in(client, username: str = "hilda"):
    """Sign an editor in through the admin's login form, as a person would."""
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": EDITOR_PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/", "signed in"
    return client


def admin_form_data(content: bytes, form_id: str) -> dict[str, list[str]]:
    """What the browser would submit from an admin form, as Django's test client takes it."""
    form = lxml_html.fromstring(content).get_element_by_id(form_id)
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


def refused_page(client, article: Article, data: dict[str, str], **extra):
    """Post a reply that will be refused, then follow the answer as a browser does: a 303 to
    the article's own address at its error summary. Returns that article page."""
    posted = client.post(post_url(article), data, **extra)
    assert posted.status_code == 303, posted.status_code
    assert posted["Location"] == f"{article.get_absolute_url()}#reply-errors"
    return client.get(article.get_absolute_url())
