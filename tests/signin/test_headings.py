"""Every page of the editors' desk (Django's admin) has one h1, the sign-in page included."""

from __future__ import annotations

import pytest
from django.test import Client
from lxml import html as lxml_html

from tests.replies.helpers import create_editor, sign_in, stored_article, stored_reply

pytestmark = pytest.mark.django_db


def headings(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    return [h.text_content().strip() for h in lxml_html.fromstring(response.content).xpath("//h1")]


def test_the_sign_in_page_has_a_heading():
    assert headings(Client().get("/admin/login/?next=/admin/")) == ["Sign in to the editors' desk"]


def test_a_refused_sign_in_keeps_its_heading(db):
    refused = Client().post("/admin/login/", {"username": "nobody", "password": "wrong"})
    assert headings(refused) == ["Sign in to the editors' desk"]


def test_every_desk_page_an_editor_opens_has_one_heading(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_editor("hilda")
    sign_in(client, "hilda")
    article = stored_article()
    reply = stored_reply(article)
    pages = [
        "/admin/",
        "/admin/replies/reply/",
        f"/admin/replies/reply/{reply.pk}/change/",
        "/admin/archive/article/",
        f"/admin/archive/article/{article.pk}/change/",
        "/admin/password_change/",
    ]
    for page in pages:
        assert len(headings(client.get(page))) == 1, page
    assert len(headings(client.post("/admin/logout/"))) == 1
