"""The editors' desk for screen readers: every input of a tabular inline's rows (an article's
bylines, an author's spellings) has a name of its own, its field's and its row's, and every
desk page loads Backfile's admin styles (archive/admin.css)."""

from __future__ import annotations

import pytest
from lxml import html

from backfile.archive.models import AuthorAlias
from tests.replies.helpers import create_editor, sign_in, stored_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    create_editor("hilda")
    return sign_in(client)


def unnamed_inputs(page, rows: str) -> list[str]:
    """The names of the visible inputs in the inline `rows` that have no aria-label."""
    document = html.fromstring(page.content)
    inputs = document.xpath(
        f"//div[starts-with(@id, '{rows}')]//tr[contains(@class, 'form-row')]"
        "//*[self::input or self::select or self::textarea][not(@type='hidden')]"
    )
    assert inputs, f"no {rows} rows on the page"
    return [i.get("name") for i in inputs if not i.get("aria-label")]


def test_each_byline_input_is_named_after_its_field_and_row(desk):
    article = stored_article(authors=["Ada Penrose", "Len Hallam"])
    page = desk.get(f"/admin/archive/article/{article.pk}/change/")
    assert page.status_code == 200
    assert unnamed_inputs(page, "bylines") == []
    document = html.fromstring(page.content)
    assert document.xpath("//*[@name='bylines-1-role']/@aria-label") == ["Role, byline 2"]
    assert document.xpath("//*[@name='bylines-0-DELETE']/@aria-label") == ["Delete, byline 1"]
    assert document.xpath("//*[@name='bylines-1-author']/@aria-label") == ["Author, byline 2"]


def test_an_authors_spellings_are_named_too(desk):
    article = stored_article()
    author = article.bylines.get().author
    AuthorAlias.objects.create(author=author, name="A. Penrose")
    page = desk.get(f"/admin/archive/author/{author.pk}/change/")
    assert unnamed_inputs(page, "aliases") == []


def test_every_desk_page_has_the_backfile_admin_styles(desk, client):
    for path in ["/admin/", "/admin/archive/article/"]:
        document = html.fromstring(desk.get(path).content)
        assert document.xpath("//link[contains(@href, 'archive/admin')]"), path
    client.logout()
    document = html.fromstring(client.get("/admin/login/").content)
    assert document.xpath("//link[contains(@href, 'archive/admin')]")
