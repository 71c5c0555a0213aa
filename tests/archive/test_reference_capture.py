"""The reference page capture, read through the real pipeline and shown on the site."""

from __future__ import annotations

import pytest

from tests.archive.pages import fetch, links, one, text_of
from tests.conftest import corpus_path

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]

ARTICLE_URL = "/socialist-standard/1930s/1937/no-397-september-1937/from-lenin-to-stalin/"


@pytest.fixture
def page(client, ingest_paths):
    report = ingest_paths(corpus_path("socialist-standard", "000_a351202cb116f3a4.txt"))
    assert report.count("added") == 1, report.entries
    return fetch(client, ARTICLE_URL)


def test_header_shows_section_title_and_standfirst(page):
    header = one(page, "//article/header")
    assert text_of(one(header, ".//*[@class='section']")) == "Book Review"
    title = text_of(one(page, "//h1"))
    assert "From Lenin to Stalin" in title
    assert "Book Review" not in title
    assert text_of(one(header, ".//*[@class='standfirst']")) == "The Twilight of Bolshevism"
    assert one(header, ".//time").get("datetime") == "1937-09"


def test_byline_links_to_the_reviewer(client, page):
    byline = one(page, "//article/header//*[@class='article-byline__writers']")
    assert links(byline) == {"Eric Boden": "/authors/eric-boden/"}
    author = fetch(client, "/authors/eric-boden/")
    assert ARTICLE_URL in links(one(author, "//main")).values()


def test_reviewed_work_box(page):
    box = one(page, "//article//aside")
    labels = [text_of(dt) for dt in box.xpath(".//dt")]
    values = [text_of(dd) for dd in box.xpath(".//dd")]
    work = dict(zip(labels, values, strict=True))
    assert "From Lenin to Stalin" in work["Title"]
    assert (work["Author"], work["Publisher"], work["Place"]) == (
        "Victor Serge",
        "Pioneer Publishers",
        "New York",
    )


def test_kazan_passage_is_one_quotation_with_the_order_nested_inside(page):
    body = one(page, "//article//div[@class='article-body']")
    quotation = one(body, "./blockquote[contains(., 'Kazan')]")
    assert len(quotation.xpath("./p")) >= 2
    nested = one(quotation, "./blockquote")
    assert "I serve notice" in text_of(nested)
    assert "Kazan" not in text_of(nested)
    before, after = quotation.getprevious(), quotation.getnext()
    assert (before.tag, after.tag) == ("p", "p")
    assert "I serve notice" not in text_of(before) + text_of(after)


def test_trailer_byline_and_breadcrumb_are_not_body_text(page):
    body = text_of(one(page, "//article//div[@class='article-body']"))
    assert "Leave a Reply" not in text_of(one(page, "//article"))
    assert "Eric Boden" not in body
    assert ">>" not in body
    replies_headings = [
        text_of(h) for h in page.xpath("//main//h2") if text_of(h) == "Leave a Reply"
    ]
    assert len(replies_headings) == 1


def test_breadcrumb_leads_back_to_the_home_page(client, page):
    crumbs = one(page, "//nav[@aria-label='Breadcrumb']")
    assert [text_of(a) for a in crumbs.xpath(".//a")][1:5] == [
        "Socialist Standard",
        "1930s",
        "1937",
        "No. 397, September 1937",
    ]
    for href in [a.get("href") for a in crumbs.xpath(".//a")]:
        fetch(client, href)
