"""A publication named like one of the site's own pages (*Authors*, *Search*, *The Desk*…)
gets a slug of its own, `authors-2`: under `authors/` its home, date form and sections
index would be the authors' index's, or nothing at all."""

from __future__ import annotations

import pytest

from backfile.archive.models import Publication
from backfile.ingest.loader import load, publication_slug
from backfile.ingest.records import IssueRecord
from backfile.site_paths import reserved_slugs
from tests.helpers.records import invented_record

pytestmark = pytest.mark.django_db
MAY = IssueRecord(year=1931, number=12, month=5)


@pytest.mark.parametrize("name", ["Authors", "Search", "Desk", "API", "Subjects", "Data", "OAI"])
def test_a_publication_named_like_a_site_page_has_pages_of_its_own(client, name):
    record = invented_record(name, MAY, "A Letter from the Coalfield", section="Letters")
    report = load([record])
    assert report.count("failed") == 0, report.entries
    publication = Publication.objects.get(name=name)
    slug = publication.slug
    assert slug == f"{name.lower()}-2"
    home = client.get(f"/{slug}/")
    assert home.status_code == 200 and name.encode() in home.content
    jump = client.get(f"/{slug}/date/", {"year": 1931, "month": 5})
    assert jump.status_code == 302 and jump["Location"].startswith(f"/{slug}/1930s/1931/")
    sections = client.get(f"/{slug}/sections/")
    assert sections.status_code == 200 and b"Letters" in sections.content
    assert client.get(jump["Location"]).status_code == 200
    load([record])  # ingested again: the same publication, not another
    assert Publication.objects.filter(name=name).count() == 1


def test_the_site_s_own_paths_are_read_from_its_url_map():
    reserved = reserved_slugs()
    # fixed first segments of every part of the URL map, the archive's, desk's and others'
    for path in ("authors", "subjects", "search", "desk", "admin", "api", "oai", "feeds"):
        assert path in reserved
    for path in ("iiif", "replies", "corrections", "media", "static", "data"):
        assert path in reserved
    assert {"people", "places", "organisations", "books"} <= reserved  # kept ahead
    assert "the-lamplighter" not in reserved and "" not in reserved
    assert publication_slug("The Lamplighter") == "the-lamplighter"
    assert publication_slug("Feeds") == "feeds-2"


def test_a_publication_stored_under_a_slug_reserved_since_is_ingested_into_again():
    """An archive from before a slug was reserved (*Books* at `books/`) is not forked into a
    second publication `books-2` by its next ingest."""
    Publication.objects.create(name="Books", slug="books")
    record = invented_record("Books", MAY, "A Letter from the Coalfield")
    assert load([record]).count("added") == 1
    again = load([record])
    assert again.count("unchanged") == 1, again.entries
    assert list(Publication.objects.values_list("slug", flat=True)) == ["books"]
    assert Publication.objects.get().articles.count() == 1
