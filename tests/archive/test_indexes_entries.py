"""The indexes stay true to what is stored: whatever the loader writes again, an editor
renames or deletes, and for an archive stored before the indexes existed."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.utils.text import slugify
from lxml import html

from backfile.archive.models import Article, Author
from backfile.archive.signals import articles_changed
from backfile.indexes.receivers import refile_changed_articles
from backfile.ingest.loader import load
from tests.archive.conftest import APRIL_1954, article, lamplighter_records
from tests.archive.pages import fetch, links, one, text_of
from tests.helpers.wxr_generator import write_wxr

UID = "indexes.refile_changed_articles"


def counts_listed(document) -> dict[str, str]:
    return {
        text_of(one(li, "./a")): text_of(one(li, "./span"))
        for li in document.xpath("//main//ul[@class='index-names']/li")
    }


@pytest.mark.django_db
def test_a_source_written_again_refiles_its_article(client, lamplighter):
    load([article("Towpath Tolls", APRIL_1954, position=2, subjects=["Canals"])])
    assert client.get("/subjects/canals/").status_code == 200
    load([article("Towpath Tolls", APRIL_1954, position=2, subjects=["Bridges"], section="Roads")])
    assert client.get("/subjects/canals/").status_code == 404
    assert client.get("/subjects/bridges/").status_code == 200
    assert client.get("/the-lamplighter/sections/roads/").status_code == 200


@pytest.mark.django_db
def test_deleted_articles_leave_the_indexes(client, lamplighter):
    Article.objects.filter(title="Notes from the Canal").delete()
    assert client.get("/the-lamplighter/sections/letters/").status_code == 404
    # P. Dunmore wrote nothing else: not in the A–Z, though the person is still on file
    assert "P. Dunmore" not in counts_listed(fetch(client, "/authors/?letter=p"))
    Article.objects.filter(title="Maps of a Lost Province").delete()
    a_to_m = client.get("/authors/?letter=m", follow=True)  # M is now the first letter
    assert counts_listed(html.fromstring(a_to_m.content))["Martha Quill"] == "1 article"


@pytest.mark.django_db
def test_an_author_renamed_is_filed_under_the_new_name(client, lamplighter):
    person = Author.objects.get(slug="p-dunmore")
    person.name = "Ysolde Dunmore"
    person.save()
    assert counts_listed(fetch(client, "/authors/?letter=p")) == {}
    assert counts_listed(fetch(client, "/authors/?letter=y")) == {"Ysolde Dunmore": "1 article"}


@pytest.mark.django_db
def test_wordpress_categories_and_tags_each_have_a_page(client, ingest_paths, tmp_path):
    """A post's first category is its section and the rest its subjects; the subject page of
    a category lists every post filed under it either way, the section page the first."""
    export = tmp_path / "export.xml"
    write_wxr(export, posts=120, seed=5)
    report = ingest_paths(export, publication="The Estate Gazette")
    assert report.count("failed") == 0
    stored = list(Article.objects.values_list("section", "subjects"))
    filed = Counter(
        label for section, subjects in stored for label in {section, *subjects} if label
    )
    sections = Counter(section for section, _ in stored if section)
    assert len(filed) > len(sections) > 3
    for label, count in filed.items():
        page = fetch(client, f"/subjects/{slugify(label)}/")
        assert f"{count} article{'s' if count > 1 else ''} filed" in text_of(one(page, "//main"))
    listed = counts_listed(fetch(client, "/the-estate-gazette/sections/"))
    assert listed == {
        name: f"{count} article{'s' if count > 1 else ''}" for name, count in sections.items()
    }
    a_post = Article.objects.exclude(subjects=[]).first()
    shown = links(one(fetch(client, a_post.get_absolute_url()), "//div[@class='article-indexes']"))
    assert set(shown) == {a_post.section, *a_post.subjects}


@pytest.mark.django_db(transaction=True)
def test_an_archive_stored_before_the_indexes_is_filed_by_the_migration(client):
    call_command("migrate", "indexes", "zero", verbosity=0)
    try:
        # stored as before the indexes existed: nothing listening
        articles_changed.disconnect(dispatch_uid=UID)
        load(lamplighter_records())
    finally:
        articles_changed.connect(refile_changed_articles, dispatch_uid=UID)
        call_command("migrate", "indexes", verbosity=0)
    assert counts_listed(fetch(client, "/the-lamplighter/sections/"))["Book Review"] == (
        "2 articles"
    )
    assert counts_listed(fetch(client, "/authors/?letter=o")) == {"Oswin Hale": "5 articles"}


@pytest.mark.django_db
def test_an_article_announced_without_its_fields_is_filed_as_stored(lamplighter):
    """The receiver files the instances the sender wrote from the fields they hold, and reads
    back any whose fields are not loaded (or not plain): the same entries either way."""
    from backfile.indexes.models import SubjectEntry

    def entries(pk):
        return sorted(
            SubjectEntry.objects.filter(article_id=pk).values_list("name", "slug", "letter", "kind")
        )

    load([article("Towpath Tolls", APRIL_1954, position=2, subjects=["Canals", "Barges"])])
    stored = Article.objects.get(title="Towpath Tolls")
    filed = entries(stored.pk)
    assert ("Canals", "canals", "c", "subject") in filed
    SubjectEntry.objects.filter(article_id=stored.pk).delete()
    articles_changed.send(sender=Article, articles=[Article.objects.only("pk").get(pk=stored.pk)])
    assert entries(stored.pk) == filed
    held = Article.objects.get(pk=stored.pk)
    held.subjects = ("Canals", "Barges")  # (not what the JSON column gives back: read back)
    articles_changed.send(sender=Article, articles=[held])
    assert entries(stored.pk) == filed
