"""Reviewed books: the A–Z of reviewed works, a work's page with every review of it and the
passages quoted from it, and an author's reviewed works; through HTTP, on the invented
Lamplighter archive (its review of The Unmapped Shire) and more invented reviews."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from backfile.archive.models import Article, ReviewedWork
from backfile.ingest.loader import load
from backfile.ingest.records import ReviewedWork as WorkRecord
from tests.archive.conftest import APRIL_1954, JANUARY_1961, REVIEW_URL, article
from tests.archive.pages import fetch, links, one, text_of
from tests.authority.factories import entry, quoted

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(lamplighter):
    """Two more of Gideon Pellow's books reviewed (one of them twice), and a pamphlet."""
    report = load(
        [
            article(
                "Lanes Revisited",
                APRIL_1954,
                position=2,
                authors=["Martha Quill"],
                reviewed_works=[
                    WorkRecord(title="A Second Shire", author="Gideon Pellow", year=1954)
                ],
            ),
            article(
                "Pellow Again",
                JANUARY_1961,
                position=2,
                authors=["Oswin Hale"],
                reviewed_works=[
                    WorkRecord(title="A Second Shire", author="Gideon Pellow", year=1954),
                    WorkRecord(title="Ferries and Fords", author="gideon pellow", year=1960),
                ],
            ),
            article(
                "A Pamphlet on Weirs",
                JANUARY_1961,
                position=3,
                reviewed_works=[WorkRecord(title="Weirs", author="")],
            ),
        ]
    )
    assert report.count("failed") == 0, report.entries
    shire = ReviewedWork.objects.get(title="The Unmapped Shire")
    review = Article.objects.get(title="Maps of a Lost Province")
    quoted(
        review,
        shire,
        ("block", "No map shall show the mill.", "30"),
        ("inline", "So the order ran.", "12–14"),
        ("inline", "A public office.", ""),
    )
    return shire


def books_listed(document) -> list[str]:
    return [text_of(li) for li in document.xpath("//main//ul[contains(@class, 'index-books')]/li")]


def test_the_books_a_to_z_files_titles_past_a_leading_article(client, reviewed):
    index = fetch(client, "/books/")
    assert text_of(one(index, "//main//h1")) == "Reviewed books A–Z"
    # `Ferries and Fords` first: `The Unmapped Shire` files under U, `A Second Shire` under S
    assert books_listed(index) == ["Ferries and Fords, by gideon pellow 1960"]
    letters = links(one(index, "//nav[@aria-label='Reviewed books by letter']"))
    assert set(letters) == {"S", "U", "W"}  # and F, the letter shown
    assert books_listed(fetch(client, letters["S"])) == ["A Second Shire, by Gideon Pellow 1954"]
    u = fetch(client, letters["U"])
    assert links(one(u, "//main//ul[contains(@class, 'index-books')]")) == {
        "The Unmapped Shire": f"/books/{reviewed.pk}-the-unmapped-shire/",
        "Gideon Pellow": "/books/by/gideon-pellow/",
    }
    assert books_listed(fetch(client, letters["W"])) == ["Weirs"]  # no author, no year


def test_a_book_page_lists_its_reviews_and_the_passages_quoted_with_their_pages(client, reviewed):
    page = fetch(client, f"/books/{reviewed.pk}-the-unmapped-shire/")
    assert text_of(one(page, "//main//h1")) == "The Unmapped Shire"
    facts = one(page, "//main//dl")
    listed = {text_of(dt): text_of(dt.getnext()) for dt in facts.xpath("./dt")}
    assert listed == {
        "Author": "Gideon Pellow",
        "Publisher": "Harrow & Vane",
        "Place": "Bristol",
        "Year": "1953",
        "Price": "12s. 6d.",
    }
    review = one(page, "//main//ol[contains(@class, 'index-articles')]/li")
    assert links(review)["Maps of a Lost Province"] == REVIEW_URL
    assert "Reviewed by Oswin Hale and Martha Quill" in text_of(review)
    assert "March 1954" in text_of(review)
    quoted = page.xpath("//section[@class='book-quotations']//li")
    assert [text_of(q) for q in quoted] == [
        "No map shall show the mill. Page 30, quoted in Maps of a Lost Province",
        "So the order ran. Pages 12–14, quoted in Maps of a Lost Province",
        "A public office. Quoted in Maps of a Lost Province",
    ]


def test_a_book_reviewed_twice_lists_both_reviews_oldest_first(client, reviewed):
    second = ReviewedWork.objects.get(title="A Second Shire")
    page = fetch(client, f"/books/{second.pk}-a-second-shire/")
    titles = [text_of(h) for h in page.xpath("//main//ol/li/h3")]
    assert titles == ["Lanes Revisited", "Pellow Again"]
    assert not page.xpath("//section[@class='book-quotations']")


def test_a_book_answers_at_one_address(client, reviewed):
    canonical = f"/books/{reviewed.pk}-the-unmapped-shire/"
    assert client.get(f"/books/{reviewed.pk}/")["Location"] == canonical
    assert client.get(f"/books/{reviewed.pk}-an-old-title/")["Location"] == canonical
    assert client.get("/books/99999-nothing/").status_code == 404
    assert client.get("/books/99999/").status_code == 404


def test_an_authors_page_lists_all_their_reviewed_works_however_the_name_is_cased(client, reviewed):
    page = fetch(client, "/books/by/gideon-pellow/")
    assert text_of(one(page, "//main//h1")) == "Books by Gideon Pellow"
    works = [text_of(h) for h in page.xpath("//main//ul[@class='book-works']/li/h2")]
    assert works == [
        "The Unmapped Shire (1953)",
        "A Second Shire (1954)",
        "Ferries and Fords (1960)",
    ]
    second = one(page, "//main//ul[@class='book-works']/li[2]")
    assert [text_of(h) for h in second.xpath(".//h3")] == ["Lanes Revisited", "Pellow Again"]
    assert client.get("/books/by/nobody-at-all/").status_code == 404
    assert not page.xpath("//main//p[@class='lede']//a")  # no entry of that name yet
    entry("Gideon Pellow")
    caches["default"].clear()  # (an entry stored directly announces nothing)
    lede = one(fetch(client, "/books/by/gideon-pellow/"), "//main//p[@class='lede']")
    assert links(lede) == {"Articles that mention Gideon Pellow": "/people/gideon-pellow/"}


def test_the_article_page_links_its_reviewed_work_to_the_books_page(client, reviewed):
    page = fetch(client, REVIEW_URL)
    aside = one(page, "//aside[@class='reviewed-work']")
    assert links(aside)["The Unmapped Shire"] == f"/books/{reviewed.pk}-the-unmapped-shire/"


def test_books_pages_of_an_empty_archive_and_odd_rows_never_answer_500(client, db):
    assert client.get("/books/").status_code == 200
    assert client.get("/books/?letter=%ff&page=-1", follow=True).status_code == 200
    load([article("Untitled Work", reviewed_works=[WorkRecord(title="???", author="—")])])
    work = ReviewedWork.objects.get()
    index = fetch(client, "/books/")  # filed under 0–9 and other, the only letter
    assert books_listed(index) == ["???, by —"]
    found = links(one(index, "//main//ul[contains(@class, 'index-books')]"))
    assert found["???"] == f"/books/{work.pk}-book/"
    assert text_of(one(fetch(client, found["—"]), "//main//h1")) == "Books by —"
    assert text_of(one(fetch(client, found["???"]), "//main//h1")) == "???"


def test_books_pages_cost_a_fixed_number_of_queries(
    client, reviewed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        fetch(client, "/books/?letter=s")
    with django_assert_max_num_queries(6):
        fetch(client, f"/books/{reviewed.pk}-the-unmapped-shire/")
    with django_assert_max_num_queries(6):
        fetch(client, "/books/by/gideon-pellow/")
