"""The top of an article page (byline, dateline, reading time, print button), the pager
across issue boundaries, and the citations behind their disclosure."""

from __future__ import annotations

import pytest

from backfile.ingest.loader import load
from backfile.ingest.records import IssueRecord
from tests.archive.conftest import (
    APRIL_1954,
    ISSUE_URL,
    LAMPLIGHTER,
    MARCH_1954,
    REVIEW_URL,
    article,
    paragraph,
)
from tests.archive.pages import fetch, links, one, text_of

pytestmark = pytest.mark.django_db

APRIL_URL = "/the-lamplighter/1950s/1954/no-119-april-1954/"
MAY_1955_URL = "/the-lamplighter/1950s/1955/no-132-may-1955/"


@pytest.fixture
def page(client, lamplighter):
    return fetch(client, REVIEW_URL)


def test_byline_date_issue_pages_and_reading_time_sit_under_the_title(client, page):
    header = one(page, "//article/header")
    order = [el.get("class") for el in header.xpath("./*")]
    assert order.index("standfirst") < order.index("article-byline")
    byline = one(header, ".//*[@class='article-byline__writers']")
    assert text_of(byline) == "By Oswin Hale and Martha Quill"
    assert links(byline) == {
        "Oswin Hale": "/authors/oswin-hale/",
        "Martha Quill": "/authors/martha-quill/",
    }
    meta = one(header, ".//p[contains(@class, 'article-meta')]")
    assert text_of(meta) == "March 1954 · No. 118, March 1954 · pp. 6–7 · 1 min read"
    assert links(meta) == {"No. 118, March 1954": ISSUE_URL}
    assert not page.xpath("//article/footer")  # the byline is no longer at the foot


@pytest.mark.parametrize(
    ("words", "shown"), [(40, "1 min read"), (920, "4 min read"), (1050, "5 min read")]
)
def test_reading_time_counts_the_body_at_230_words_a_minute(client, lamplighter, words, shown):
    half = " ".join(["word"] * (words // 2))
    load(
        [article("A Long Read", APRIL_1954, position=2, blocks=[paragraph(half), paragraph(half)])]
    )
    page = fetch(client, APRIL_URL + "a-long-read/")
    assert text_of(one(page, "//*[@class='reading-time']")) == shown


def test_print_button_is_hidden_until_its_script_wires_it(page):
    button = one(page, "//article/header//button[@data-print]")
    assert button.get("hidden") is not None and button.get("type") == "button"
    assert text_of(button) == "Print this article"
    scripts = [s.get("src") for s in page.xpath("//script")]
    assert any(src and src.endswith("archive/print.js") for src in scripts)
    inline = "//script[not(@src) and not(@type='application/ld+json')] | //*[@onclick]"
    assert not page.xpath(inline)  # nothing runs inline (the CSP forbids it)
    sheets = [link.get("href") for link in page.xpath("//link[@rel='stylesheet']")]
    assert any(href.endswith("archive/article.css") for href in sheets)


def test_print_script_and_print_styles_are_served(client, page):
    for link in page.xpath("//script[@src] | //link[@rel='stylesheet']"):
        href = link.get("src") or link.get("href")
        if "archive/" in href:
            response = client.get(href)
            assert response.status_code == 200
            body = b"".join(
                response.streaming_content if response.streaming else [response.content]
            )
            if href.endswith("print.js"):
                assert b"window.print()" in body
            if href.endswith("article.css"):
                assert b"@media print" in body


def pager(page):
    return one(page, "//nav[@aria-label='Previous and next article']")


def test_last_article_of_an_issue_leads_into_the_next_issue(client, lamplighter):
    page = fetch(client, ISSUE_URL + "notes-from-the-canal/")
    following = one(pager(page), ".//a[@rel='next']")
    assert following.get("href") == APRIL_URL + "spring-lectures/"
    assert text_of(following) == "Next issue, No. 119, April 1954: first article Spring Lectures"
    assert text_of(one(pager(page), ".//a[@rel='prev']")).startswith("Previous article")


def test_an_issue_of_one_article_leads_both_ways_across_issues(client, lamplighter):
    page = fetch(client, APRIL_URL + "spring-lectures/")
    previous = one(pager(page), ".//a[@rel='prev']")
    assert previous.get("href") == ISSUE_URL + "notes-from-the-canal/"
    assert text_of(previous) == (
        "Previous issue, No. 118, March 1954: last article Notes from the Canal"
    )
    following = one(pager(page), ".//a[@rel='next']")
    assert following.get("href") == MAY_1955_URL + "hale-on-hire-purchase/"  # a year on
    fetch(client, following.get("href"))


def test_the_pager_stays_within_the_publication_and_ends_with_the_back_run(client, lamplighter):
    assert not fetch(client, ISSUE_URL + "cheap-bread-and-dear-rents/").xpath("//a[@rel='prev']")
    last = fetch(client, "/the-lamplighter/1960s/1961/no-200-january-1961/the-sixties-begin/")
    assert not last.xpath("//a[@rel='next']")
    assert text_of(one(pager(last), ".//a[@rel='prev']")).startswith("Previous issue, No. 132")
    tideway = fetch(client, "/the-tideway/2000s/2003/no-455-july-4-2003/dockers-hold-the-line/")
    assert not tideway.xpath("//nav[@aria-label='Previous and next article']")


def test_pager_comes_before_the_citations(page):
    names = [el.get("class") or el.tag for el in page.xpath("//article/*")]
    assert names.index("issue-pager") < names.index("cite-article")


def test_citations_sit_behind_one_disclosure_with_one_style_kept_for_print(page):
    section = one(page, "//section[@aria-labelledby='cite-heading']")
    details = one(section, "./details")
    assert details.get("open") is None  # closed until the reader opens it
    assert text_of(one(details, "./summary/h2")) == "Cite this article"
    assert [text_of(dt) for dt in details.xpath(".//dt")] == [
        "Chicago (author-date)",
        "APA",
        "MLA",
        "Harvard",
    ]
    assert len(details.xpath(".//a[@download]")) == 3
    printed = one(section, "./p[@class='cite-article__printed']")
    chicago = text_of(details.xpath(".//dd")[0])
    assert text_of(printed) == f"Chicago (author-date): {chicago}"


def test_article_page_at_an_issue_edge_takes_the_same_queries_however_long_the_run(
    client, lamplighter, django_assert_max_num_queries
):
    load(
        article(f"Later Number {n}", IssueRecord(year=1956, number=140 + n, month=n), position=1)
        for n in range(1, 13)
    )
    load(article(f"Filler {n}", MARCH_1954, position=10 + n) for n in range(20))
    # the cache's generation; the page's 6 (article, bylines, reviews, contents, related,
    # the entries it mentions); 2 to cross into the issues either side (one article from
    # each, found with its issue); 3 for the replies and the correction status under it
    with django_assert_max_num_queries(12):
        page = fetch(client, APRIL_URL + "spring-lectures/")
    assert len(pager(page).xpath(".//a")) == 2
    assert LAMPLIGHTER in text_of(page)
