"""Merging, moving and renumbering at the desk, as an editor does it: the form, the
confirmation listing what will move, then the old addresses redirecting and harvesters
seeing the moved articles."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone
from lxml import etree

from backfile.archive.models import Article, Issue
from backfile.housekeeping.models import Redirect
from backfile.interop.models import Tombstone
from tests.desk.conftest import signed_in
from tests.housekeeping.conftest import issue

pytestmark = pytest.mark.django_db
OAI = {"o": "http://www.openarchives.org/OAI/2.0/"}


def harvested_since(client, day: date) -> list[str]:
    response = client.get(
        "/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "from": day.isoformat()}
    )
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    return root.xpath("//o:header/o:identifier/text()", namespaces=OAI)


def oai_id(article: Article) -> str:
    return f"oai:backfile.localhost:article:{article.pk}"


def test_merging_two_issues_moves_every_article_and_old_addresses_follow(editor, archive):
    march, april = issue(88), issue(89)
    old_issue = april.get_absolute_url()
    old_urls = {a.key: a.get_absolute_url() for a in april.articles.all()}
    url = f"/desk/housekeeping/issues/{april.pk}/merge/"
    assert b"Allotments Saved" not in editor.get(march.get_absolute_url()).content  # cached

    form = editor.get(url)
    assert form.status_code == 200 and b"Merge into" in form.content
    confirmation = editor.post(url, {"target": march.pk})
    assert confirmation.status_code == 200
    assert b"Please confirm" in confirmation.content
    assert b"Allotments Saved" in confirmation.content
    assert b"renamed: the slug is taken there" in confirmation.content  # The Tram Strike
    assert Issue.objects.filter(pk=april.pk).exists(), "nothing changes before confirming"

    done = editor.post(url, {"target": march.pk, "confirm": "Yes"})
    assert done.status_code == 302
    assert not Issue.objects.filter(pk=april.pk).exists()
    assert march.articles.count() == 4
    for key, old in old_urls.items():
        response = editor.get(old)
        assert response.status_code == 301
        assert response["Location"] == Article.objects.get(key=key).get_absolute_url()
        assert editor.get(response["Location"]).status_code == 200
    assert editor.get(old_issue)["Location"] == march.get_absolute_url()
    assert b"Allotments Saved" in editor.get(march.get_absolute_url()).content  # not stale
    # the articles kept their pk: a harvester sees them changed, not deleted
    assert not Tombstone.objects.exists()
    assert sorted(harvested_since(editor, timezone.now().date())) == sorted(
        oai_id(a) for a in Article.objects.filter(key__in=old_urls)
    )


def test_moving_an_article_to_another_publications_issue(editor, archive):
    article = archive["allotments"]
    old = article.get_absolute_url()
    lantern = issue(7)
    url = f"/desk/housekeeping/issues/{article.issue_id}/move/"
    confirmation = editor.post(url, {"articles": [article.pk], "target": lantern.pk})
    assert b"Please confirm" in confirmation.content
    editor.post(url, {"articles": [article.pk], "target": lantern.pk, "confirm": "Yes"})

    article.refresh_from_db()
    assert article.issue_id == lantern.pk
    assert article.publication_id == lantern.publication_id
    new = article.get_absolute_url()
    assert new.startswith(lantern.get_absolute_url())
    response = editor.get(old)
    assert (response.status_code, response["Location"]) == (301, new)
    page = editor.get(new)
    assert page.status_code == 200 and b"Allotments Saved" in page.content
    assert harvested_since(editor, timezone.now().date()) == [oai_id(article)]


def test_renumbering_an_issue_gives_it_a_new_address_and_its_articles_follow(editor, archive):
    april = issue(89)
    old = archive["allotments"].get_absolute_url()
    url = f"/desk/housekeeping/issues/{april.pk}/renumber/"
    year_page = "/the-quarry-gazette/1950s/1952/"
    assert b"no-90-april-1952" not in editor.get(year_page).content  # now cached
    fields = {"number": 90, "year": 1952, "month": 4, "day": ""}
    confirmation = editor.post(url, fields)
    assert b"no-90-april-1952" in confirmation.content
    editor.post(url, {**fields, "confirm": "Yes"})
    moved = Article.objects.get(key="allotments")
    assert moved.issue.slug == "no-90-april-1952"
    assert editor.get(old)["Location"] == moved.get_absolute_url()
    assert len(harvested_since(editor, timezone.now().date())) == 2
    assert b"no-90-april-1952" in editor.get(year_page).content  # not stale


def test_renumbering_onto_an_existing_issue_is_refused_with_a_reason(editor, archive):
    april = issue(89)
    url = f"/desk/housekeeping/issues/{april.pk}/renumber/"
    response = editor.post(url, {"number": 88, "year": 1952, "month": 3, "confirm": "Yes"})
    assert response.status_code == 400
    assert b"merge the two instead" in response.content
    assert not Redirect.objects.exists()


def test_a_moderator_may_not_housekeep(client, archive):
    moderator = signed_in(client, "mo", "moderator")
    april = issue(89)
    assert moderator.get("/desk/housekeeping/").status_code == 403
    response = moderator.post(
        f"/desk/housekeeping/issues/{april.pk}/merge/", {"target": issue(88).pk, "confirm": "1"}
    )
    assert response.status_code == 403
    assert Issue.objects.filter(pk=april.pk).exists()


def test_the_home_page_leads_to_each_form(editor, archive):
    april = issue(89)
    assert b'href="/desk/housekeeping/"' in editor.get("/desk/").content
    assert editor.get("/desk/housekeeping/").status_code == 200
    response = editor.get("/desk/housekeeping/", {"issue": april.pk, "action": "move"})
    assert response["Location"] == f"/desk/housekeeping/issues/{april.pk}/move/"


def test_splitting_articles_off_into_a_new_issue(editor, archive):
    march = issue(88)
    wages = archive["quarry-wages"]
    old = wages.get_absolute_url()
    url = f"/desk/housekeeping/issues/{march.pk}/split/"
    fields = {"articles": [wages.pk], "number": 87, "year": 1952, "month": 2, "day": ""}
    confirmation = editor.post(url, fields)
    assert b"A new issue" in confirmation.content and b"Quarry Wages" in confirmation.content
    assert not Issue.objects.filter(number=87).exists(), "nothing changes before confirming"
    editor.post(url, {**fields, "confirm": "Yes"})

    february = issue(87)
    wages.refresh_from_db()
    assert wages.issue_id == february.pk
    assert editor.get(old)["Location"] == wages.get_absolute_url()
    assert editor.get(wages.get_absolute_url()).status_code == 200
    assert march.articles.count() == 1


def test_a_split_into_an_impossible_date_is_refused(editor, archive):
    march = issue(88)
    url = f"/desk/housekeeping/issues/{march.pk}/split/"
    fields = {"articles": [archive["quarry-wages"].pk], "year": 1952, "month": 2, "day": 30}
    response = editor.post(url, {**fields, "confirm": "Yes"})
    assert response.status_code == 400
    assert not Issue.objects.filter(year=1952, month=2).exists()


@pytest.mark.parametrize("odd", ["²", "١٢", "9" * 400, "-1"])
def test_odd_ids_in_the_forms_are_refused_as_unknown_choices(editor, archive, odd):
    april = issue(89)
    asked = [
        ("get", "/desk/housekeeping/", {"issue": odd, "action": "merge"}),
        ("post", f"/desk/housekeeping/issues/{april.pk}/merge/", {"target": odd}),
        ("post", f"/desk/housekeeping/issues/{april.pk}/move/", {"target": 1, "articles": [odd]}),
        ("post", f"/desk/housekeeping/issues/{april.pk}/split/", {"articles": [odd], "year": 1952}),
    ]
    for method, url, fields in asked:
        response = getattr(editor, method)(url, {**fields, "confirm": "Yes"})
        assert response.status_code in (200, 400), (url, response.status_code)
        assert b"Please confirm" not in response.content
    assert april.articles.count() == 2 and not Redirect.objects.exists()
