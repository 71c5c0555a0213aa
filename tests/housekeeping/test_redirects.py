"""Old addresses answer 301 to where their page went, as readers and harvesters follow them."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import replace

import pytest
from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext

from backfile.archive.models import Article, Issue, Publication
from backfile.housekeeping import receivers
from backfile.housekeeping.models import Redirect
from backfile.housekeeping.redirects import record
from backfile.ingest.loader import load
from tests.housekeeping import conftest
from tests.housekeeping.conftest import APRIL, GAZETTE, issue

pytestmark = pytest.mark.django_db


def test_a_renamed_article_redirects_with_its_query_string(client, archive):
    article = Article.objects.get(key="quarry-wages")
    old = article.get_absolute_url()
    article.slug = "wages-at-the-quarry"
    article.save()
    new = article.get_absolute_url()
    response = client.get(old, {"highlight": "wages"})
    assert response.status_code == 301
    assert response["Location"] == f"{new}?highlight=wages"
    assert client.get(new).status_code == 200


def test_a_renumbered_issue_in_the_admin_redirects_its_articles_too(client, archive):
    issue = Issue.objects.get(number=89)
    old_issue = issue.get_absolute_url()
    old_article = Article.objects.get(key="allotments").get_absolute_url()
    issue.slug = "no-90-april-1952"
    issue.number = 90
    issue.save()
    moved = Article.objects.get(key="allotments")
    assert client.get(old_issue)["Location"] == issue.get_absolute_url()
    assert client.get(old_article)["Location"] == moved.get_absolute_url()
    assert client.get(moved.get_absolute_url()).status_code == 200


def test_a_renamed_publication_redirects_all_its_pages(client, archive):
    article = Article.objects.get(key="lantern-editorial")
    old_home, old_article = article.publication.get_absolute_url(), article.get_absolute_url()
    publication = Publication.objects.get(pk=article.publication_id)
    publication.slug = "lantern"
    publication.save()
    article.refresh_from_db()
    assert client.get(old_home)["Location"] == "/lantern/"
    assert client.get(old_article)["Location"] == article.get_absolute_url()


def test_a_missing_page_without_a_redirect_stays_missing(client, archive):
    assert client.get("/the-quarry-gazette/1950s/1952/no-1-january-1952/").status_code == 404
    assert client.get("/no-such-publication/").status_code == 404


def test_chains_collapse_and_a_page_back_in_place_stops_redirecting(client, archive):
    record([("/a/", "/b/")])
    record([("/b/", "/c/")])
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/a/": "/c/",
        "/b/": "/c/",
    }
    record([("/c/", "/a/")])  # moved back: /a/ shows the page again
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/b/": "/a/",
        "/c/": "/a/",
    }
    assert client.get("/b/")["Location"] == "/a/"


def test_an_article_renamed_twice_redirects_its_first_address_to_the_last(client, archive):
    article = Article.objects.get(key="quarry-wages")
    first = article.get_absolute_url()
    for slug in ("wages", "quarry-pay"):
        article.slug = slug
        article.save()
    response = client.get(first)
    assert response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_an_issue_moved_in_the_admin_onto_a_publication_holding_its_sources_is_refused(
    editor, archive
):
    # the Lantern already holds an article read from the same source as one of April's:
    # moving April there would break the publication's one-article-a-source rule
    april = issue(89)
    lantern = Article.objects.get(key="lantern-editorial").publication
    Article.objects.filter(key="lantern-editorial").update(key="allotments")
    form = {
        field: "" if value is None else value
        for field, value in model_to_dict(april, exclude=["cover", "pdf"]).items()
    }
    form |= {"publication": lantern.pk, "_save": "Save"}
    response = editor.post(f"/admin/archive/issue/{april.pk}/change/", form)
    assert response.status_code == 200, "the form again, not a server error"
    assert "already has articles from the same sources" in response.content.decode()
    assert Issue.objects.get(pk=april.pk).publication_id == april.publication_id


def test_every_page_under_a_renamed_publication_follows_it(client, archive):
    publication = Publication.objects.get(slug="the-quarry-gazette")
    load([replace(conftest.record(GAZETTE, APRIL, "pay-claim", "A Pay Claim"), section="Labour")])
    publication.slug = "quarry-gazette"
    publication.save()
    beneath = {
        "/the-quarry-gazette/1950s/": "/quarry-gazette/1950s/",
        "/the-quarry-gazette/1950s/1952/": "/quarry-gazette/1950s/1952/",
        "/the-quarry-gazette/date/": "/quarry-gazette/date/",
        "/the-quarry-gazette/sections/": "/quarry-gazette/sections/",
        "/the-quarry-gazette/sections/labour/": "/quarry-gazette/sections/labour/",
        "/feeds/the-quarry-gazette/articles.atom": "/feeds/quarry-gazette/articles.atom",
        "/feeds/the-quarry-gazette/issues.atom": "/feeds/quarry-gazette/issues.atom",
    }
    for old, new in beneath.items():
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
        assert client.get(new).status_code == 200, new
    jump = client.get("/the-quarry-gazette/date/", {"year": 1952, "month": 4})
    assert jump["Location"] == "/quarry-gazette/date/?year=1952&month=4"
    assert client.get(jump["Location"])["Location"] == issue(89).get_absolute_url()
    # the lantern's pages are its own, and a page that never was stays missing
    assert client.get("/the-lantern-weekly/1950s/1952/").status_code == 200
    assert client.get("/the-quarry-gazettes/1950s/").status_code == 404


def test_pages_under_a_renumbered_issue_follow_it_after_the_publication_moved_too(client, archive):
    publication = Publication.objects.get(slug="the-quarry-gazette")
    article = Article.objects.get(key="allotments")
    old_cite = article.get_absolute_url() + "cite.ris"
    assert client.get(old_cite).status_code == 200
    publication.slug = "quarry-gazette"
    publication.save()
    april = issue(89)
    april.slug, april.number = "no-90-april-1952", 90
    april.save()
    article.refresh_from_db()
    response = client.get(old_cite)  # under the first address of the article, renamed twice
    assert (response.status_code, response["Location"]) == (
        301,
        article.get_absolute_url() + "cite.ris",
    )
    assert client.get(response["Location"]).status_code == 200
    old_year_page = "/the-quarry-gazette/1950s/1952/no-89-april-1952/no-such-article/"
    assert client.get(old_year_page)["Location"] == f"{april.get_absolute_url()}no-such-article/"


@contextmanager
def without_the_redirect_receivers():
    """The saves as they would be if housekeeping did not look at them."""
    for signal in (pre_save, post_save):
        for model in (Article, Issue, Publication):
            signal.disconnect(sender=model, dispatch_uid="housekeeping.redirects")
    try:
        yield
    finally:
        receivers.connect()


def queries_of(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


def test_saves_that_move_nothing_cost_no_query_for_redirects(archive, django_assert_num_queries):
    article = Article.objects.get(key="quarry-wages")
    april = Issue.objects.get(number=89)
    publication = Publication.objects.get(slug="the-quarry-gazette")
    saves = {
        "an article's title": lambda: (
            setattr(article, "title", article.title + ".") or article.save()
        ),
        "an issue's volume": lambda: (
            setattr(april, "volume", (april.volume or 0) + 1) or april.save()
        ),
        "a publication's name": lambda: (
            setattr(publication, "name", publication.name + ".") or publication.save()
        ),
    }
    for save in saves.values():
        save()  # (caches warmed: content types and the like)
        with without_the_redirect_receivers():
            plain = queries_of(save)
        with django_assert_num_queries(plain):
            save()

    # the loader's re-ingest of a changed article: as many queries as without housekeeping
    def reingest(title: str):
        return lambda: load([conftest.record(GAZETTE, APRIL, "allotments", title)])

    reingest("Allotments Kept")()
    with without_the_redirect_receivers():
        plain = queries_of(reingest("Allotments Saved Again"))
    with django_assert_num_queries(plain):
        reingest("Allotments Won")()
    assert not Redirect.objects.exists()
    assert Article.objects.get(key="allotments").title == "Allotments Won"


def test_a_rename_saved_from_an_instance_made_by_hand_still_redirects(client, archive):
    stored = Article.objects.get(key="quarry-wages")
    old = stored.get_absolute_url()
    by_hand = Article.objects.filter(pk=stored.pk).values()[0]
    article = Article(**{**by_hand, "slug": "quarry-pay"})  # not loaded: nothing remembered
    article.save()
    assert client.get(old)["Location"] == Article.objects.get(pk=stored.pk).get_absolute_url()
    article.slug = "quarry-pay-again"  # saved once, it knows what the database has
    article.save(update_fields=["slug"])
    assert client.get(old)["Location"].endswith("/quarry-pay-again/")
    stored.refresh_from_db()
    stored.title = "Quarry Wages Rise"
    stored.save(update_fields=["title"])
    assert Article.objects.get(pk=stored.pk).slug == "quarry-pay-again"
