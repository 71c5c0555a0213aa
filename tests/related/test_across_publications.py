"""Related articles across publications: a page listing an article of another publication
is not served from the page cache with a link gone stale when that article changes or
goes."""

from __future__ import annotations

import pytest

from backfile.archive.models import Article
from backfile.ingest.records import IssueRecord
from tests.archive.conftest import TIDEWAY, paragraph
from tests.archive.pages import fetch
from tests.helpers.records import invented_record
from tests.helpers.served import write_jsonl
from tests.related.test_related_pages import FIRST_RUN, TOPICS, url

pytestmark = pytest.mark.django_db

TIDEWAY_JULY = IssueRecord(year=2003, number=455, month=7, day=4)


def tideway_canal_piece(issue: IssueRecord):
    return invented_record(
        TIDEWAY,
        issue,
        "Towpath Rights",
        key="tideway-towpath-rights",
        blocks=[paragraph(TOPICS["canal"]), paragraph("The narrowboat owners met at the lock.")],
    )


def related_links(client, address: str) -> dict[str, str]:
    page = fetch(client, address)
    found = page.xpath("//aside[@aria-labelledby='related-heading']//li/a")
    return {a.text_content().strip(): a.get("href") for a in found}


@pytest.fixture
def listed_elsewhere(ingest_paths, tmp_path, client):
    """A Lamplighter canal piece whose page lists a Tideway one, that page in the cache."""
    ingest_paths(write_jsonl(tmp_path / "lamplighter.jsonl", FIRST_RUN))
    ingest_paths(write_jsonl(tmp_path / "tideway.jsonl", [tideway_canal_piece(TIDEWAY_JULY)]))
    address = url("Mending the Towpath", "june", 150)
    tideway = Article.objects.get(title="Towpath Rights")
    assert related_links(client, address)["Towpath Rights"] == tideway.get_absolute_url()
    assert tideway.publication_id != Article.objects.get(title="Mending the Towpath").publication_id
    return address, tideway


def test_a_page_listing_an_article_retitled_in_another_publication_shows_its_new_headline(
    client, listed_elsewhere, ingest_paths, tmp_path
):
    address, tideway = listed_elsewhere
    # the same piece under a longer headline, its new word in no other article: its key
    # terms, and so every list's scores, stay as they were
    retitled = tideway_canal_piece(TIDEWAY_JULY)
    retitled.title = "Towpath Rights Restated"
    assert ingest_paths(write_jsonl(tmp_path / "retitled.jsonl", [retitled])).count("updated") == 1
    links = related_links(client, address)
    assert "Towpath Rights" not in links
    assert links["Towpath Rights Restated"] == Article.objects.get(pk=tideway.pk).get_absolute_url()


def test_a_page_listing_an_article_deleted_in_another_publication_no_longer_lists_it(
    client, listed_elsewhere
):
    address, tideway = listed_elsewhere
    tideway.delete()
    fetch(client, tideway.get_absolute_url(), status=404)
    assert "Towpath Rights" not in related_links(client, address)
