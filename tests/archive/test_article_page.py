"""The article page: what a reader sees of one article, and the way back up."""

from __future__ import annotations

import pytest

from tests.archive.conftest import ISSUE_URL, REVIEW_URL
from tests.archive.pages import fetch, links, one, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, lamplighter):
    return fetch(client, REVIEW_URL)


def test_header_shows_section_kicker_title_standfirst_and_date(page):
    header = one(page, "//article/header")
    assert text_of(one(header, ".//*[@class='section']")) == "Book Review"
    assert text_of(one(header, ".//*[@class='kicker']")) == "Surveying the vanished county"
    assert text_of(one(page, "//h1")) == "Maps of a Lost Province"
    assert text_of(one(header, ".//*[@class='standfirst']")) == (
        "What the cartographers were told to leave out"
    )
    time = one(header, ".//time")
    assert (time.get("datetime"), text_of(time)) == ("1954-03", "March 1954")
    assert "pp. 6–7" in text_of(header)


def test_title_names_where_the_reader_is(page):
    assert text_of(one(page, "//title")) == (
        "Maps of a Lost Province · No. 118, March 1954 · The Lamplighter · Backfile"
    )


def test_breadcrumb_names_each_level_and_each_link_opens(client, page):
    crumbs = one(page, "//nav[@aria-label='Breadcrumb']/ol")
    assert [text_of(li) for li in crumbs.xpath("li")] == [
        "Home",
        "The Lamplighter",
        "1950s",
        "1954",
        "No. 118, March 1954",
        "Maps of a Lost Province",
    ]
    current = crumbs.xpath(".//*[@aria-current='page']")
    assert [text_of(c) for c in current] == ["Maps of a Lost Province"]
    hrefs = [a.get("href") for a in crumbs.xpath(".//a")]
    assert hrefs[:5] == [
        "/",
        "/the-lamplighter/",
        "/the-lamplighter/1950s/",
        "/the-lamplighter/1950s/1954/",
        ISSUE_URL,
    ]
    for href in hrefs:
        fetch(client, href)


def test_quotations_nest_as_blockquotes_with_the_paragraphs_around_them_outside(page):
    body = one(page, "//article//div[@class='article-body']")
    outer = one(body, "./blockquote")
    assert [text_of(p) for p in outer.xpath("./p")] == [
        "The surveyors came in spring, when the roads were at their worst.",
        "So the order ran, and so the maps were drawn.",
    ]
    inner = one(outer, "./blockquote")
    assert text_of(inner) == "No map shall show the mill, the chapel, or the ford."
    order = [child.tag for child in body]
    assert order == ["p", "blockquote", "p", "hr", "h2", "p"]
    assert text_of(body[0]).startswith("Mr Pellow has walked")
    assert text_of(body[2]) == "It is a strange instruction to find in a public office."


def test_inline_markup_is_kept_when_it_is_harmless(page):
    last = page.xpath("//div[@class='article-body']/p")[-1]
    assert text_of(one(last, "./em")) == "second"
    link = one(last, "./a")
    assert link.get("href") == "https://example.org/index"
    assert text_of(last) == "Readers will want the second volume & its index."


def test_markup_in_block_text_shows_as_text(client, lamplighter):
    response = client.get(ISSUE_URL + "seed-catalogues-of-the-year/")
    assert b"<script>alert" not in response.content
    body = one(
        fetch(client, ISSUE_URL + "seed-catalogues-of-the-year/"), "//div[@class='article-body']"
    )
    assert text_of(body.xpath("p")[0]) == "<script>alert('hi')</script> grows best in clay."


def test_dangerous_inline_markup_is_removed(client, lamplighter):
    body = one(
        fetch(client, ISSUE_URL + "seed-catalogues-of-the-year/"), "//div[@class='article-body']"
    )
    second = body.xpath("p")[1]
    assert text_of(second) == "Order from the society."
    assert text_of(one(second, "./b")) == "society"
    assert not body.xpath(".//script | .//img | .//@onclick | .//@onerror")
    assert not [a for a in body.xpath(".//a") if "javascript" in (a.get("href") or "")]


def test_byline_links_every_writer_to_their_page(client, page):
    byline = one(page, "//article/header//*[@class='article-byline__writers']")
    assert links(byline) == {
        "Oswin Hale": "/authors/oswin-hale/",
        "Martha Quill": "/authors/martha-quill/",
    }
    assert text_of(byline) == "By Oswin Hale and Martha Quill"
    for href in links(byline).values():
        fetch(client, href)


def test_reviewed_work_box_gives_the_imprint(page):
    box = one(page, "//article//aside")
    labels = [text_of(dt) for dt in box.xpath(".//dt")]
    values = [text_of(dd) for dd in box.xpath(".//dd")]
    assert dict(zip(labels, values, strict=True)) == {
        "Title": "The Unmapped Shire",
        "Author": "Gideon Pellow",
        "Publisher": "Harrow & Vane",
        "Place": "Bristol",
        "Year": "1953",
        "Price": "12s. 6d.",
    }


def test_articles_without_a_reviewed_work_have_no_box(client, lamplighter):
    page = fetch(client, ISSUE_URL + "cheap-bread-and-dear-rents/")
    assert not page.xpath("//aside")


def test_previous_and_next_follow_the_contents(client, page):
    pager = one(page, "//nav[@aria-label='Previous and next article']")
    previous, following = one(pager, ".//a[@rel='prev']"), one(pager, ".//a[@rel='next']")
    assert previous.get("href") == ISSUE_URL + "cheap-bread-and-dear-rents/"
    assert following.get("href") == ISSUE_URL + "seed-catalogues-of-the-year/"
    assert text_of(following).startswith("Next article")
    first = fetch(client, previous.get("href"))
    assert not first.xpath("//a[@rel='prev']")  # the first issue of the back run
    # the last article's next leads into the next issue (test_article_top.py has more)
    last = fetch(client, ISSUE_URL + "notes-from-the-canal/")
    assert "Next issue" in text_of(one(last, "//a[@rel='next']"))


def test_article_language_is_marked(client, lamplighter):
    from backfile.ingest.loader import load
    from tests.archive.conftest import APRIL_1954, article, paragraph

    load([article("Lettre de Lyon", APRIL_1954, language="fr", blocks=[paragraph("Bonjour.")])])
    page = fetch(client, "/the-lamplighter/1950s/1954/no-119-april-1954/lettre-de-lyon/")
    assert page.get("lang") == "en"
    assert one(page, "//article").get("lang") == "fr"


def test_replies_follow_the_article_not_inside_it(page):
    assert page.xpath("//main/article/following-sibling::section[contains(@class, 'replies')]")
    assert "Leave a Reply" not in text_of(one(page, "//article"))


def test_article_page_queries_do_not_grow_with_the_issue(
    client, lamplighter, django_assert_max_num_queries
):
    from backfile.ingest.loader import load
    from tests.archive.conftest import MARCH_1954, article

    load(
        article(f"Filler {n}", MARCH_1954, position=10 + n, authors=[f"W{n}", f"X{n}"])
        for n in range(20)
    )
    # 6 for the page itself (article, bylines, reviews, neighbours, related articles, the
    # entries it mentions), up to 2 for the replies section under it and 2 for its
    # correction status.
    with django_assert_max_num_queries(10):
        fetch(client, REVIEW_URL)
