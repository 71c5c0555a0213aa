"""Browsing by date: issues in publication order, previous and next issue and year, the
year's calendar and the jump-to-date form, read over HTTP as a reader's browser would.

*The Ferry Ledger* (a weekly whose issues reach the archive out of order, with one
issue dated by its month alone and one by its year alone) does not exist: every line
here is written for these tests.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from backfile.ingest.loader import load
from backfile.ingest.records import IssueRecord
from tests.archive.conftest import ISSUE_URL
from tests.archive.pages import fetch, links, one, text_of
from tests.helpers.covers import cover_picture, with_cover
from tests.helpers.records import invented_record
from tests.ingest.test_jsonl import media_folder  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

LEDGER = "The Ferry Ledger"
YEAR_URL = "/the-ferry-ledger/1990s/1993/"
# Stored in this order, which is neither date nor number order.
LEDGER_ISSUES = [
    IssueRecord(year=1993, number=443, month=3, day=26),
    IssueRecord(year=1993, number=438, month=2, day=19),
    IssueRecord(year=1993, number=442, month=3, day=19),
    IssueRecord(year=1993, number=439, month=2, day=26),
    IssueRecord(year=1993, number=440, month=3),  # a special number dated by its month
    IssueRecord(year=1993, number=401),  # an index, dated by its year alone
    IssueRecord(year=1991, number=300, month=6, day=7),
    IssueRecord(year=1996, number=600, month=1, day=5),
]


def ledger_records(issues=LEDGER_ISSUES):
    return [
        invented_record(LEDGER, replace(issue), f"Crossing Notes {issue.number}", position=1)
        for issue in issues
    ]


@pytest.fixture
def ledger(db):
    report = load(ledger_records())
    assert report.count("failed") == 0, report.entries


def issue_url(slug: str, year: int = 1993) -> str:
    return f"/the-ferry-ledger/{year // 10 * 10}s/{year}/{slug}/"


def calendar_of(page):
    return one(page, "//section[@class='year-calendar']")


def test_the_year_lists_its_issues_in_publication_order_whatever_order_they_came_in(client, ledger):
    page = fetch(client, YEAR_URL)
    listed = [text_of(a) for a in calendar_of(page).xpath(".//ul[@class='month__issues']//a")]
    assert listed == [
        "No. 438, 19 February 1993",
        "No. 439, 26 February 1993",
        "No. 440, March 1993",
        "No. 442, 19 March 1993",
        "No. 443, 26 March 1993",
    ]
    undated = one(page, "//section[@aria-labelledby='undated-title']")
    assert links(undated) == {"No. 401, 1993": issue_url("no-401-1993")}


def test_the_calendar_has_twelve_months_with_the_issue_days_linked(client, ledger):
    grid = calendar_of(fetch(client, YEAR_URL))
    captions = [text_of(c) for c in grid.xpath(".//table/caption")]
    assert captions[0] == "January 1993" and captions[-1] == "December 1993" and len(captions) == 12
    assert captions[2] == "March 1993: 3 issues"
    february = grid.xpath(".//table[starts-with(caption, 'February')]")[0]
    days = {text_of(a): a.get("href") for a in february.xpath(".//td/a")}
    assert days == {
        "19": issue_url("no-438-february-19-1993"),
        "26": issue_url("no-439-february-26-1993"),
    }
    # A day link says which issue it opens, beginning with the day it shows.
    assert february.xpath(".//td/a")[0].get("aria-label") == "19: No. 438, 19 February 1993"
    # 19 February 1993 was a Friday: the fifth column, under its weekday's header.
    friday = february.xpath(".//td[a='19']")[0]
    assert len(friday.xpath("preceding-sibling::td")) == 4
    headers = [h.get("title") for h in february.xpath(".//thead//abbr")]
    assert headers[4] == "Friday"
    # The monthly number has no day: it is listed under its month, not in a day's cell.
    march = grid.xpath(".//table[starts-with(caption, 'March')]/..")[0]
    assert "No. 440, March 1993" in links(march)


def test_the_calendar_shows_covers_where_an_issue_has_one(client, media_folder):  # noqa: F811
    cover = cover_picture(seed=7)
    covered, plain = ledger_records(LEDGER_ISSUES[:2])
    load([with_cover(covered, cover, alt="Front page, ferry at the slip"), plain])
    grid = calendar_of(fetch(client, YEAR_URL))
    (thumbnail,) = grid.xpath(".//*[contains(@class, 'cover')]//img")
    assert thumbnail.get("alt") == "Front page, ferry at the slip"
    item = thumbnail.xpath("ancestor::li")[0]
    assert "No. 443, 26 March 1993" in links(item)


def pager(page, label: str):
    nav = one(page, f"//nav[@aria-label='{label}']")
    return {a.get("rel"): (text_of(a), a.get("href")) for a in nav.iter("a")}


def test_an_issue_links_the_issues_before_and_after_it_across_years(client, ledger):
    page = fetch(client, issue_url("no-438-february-19-1993"))
    assert pager(page, "Previous and next issue") == {
        "prev": ("Previous issue No. 401, 1993", issue_url("no-401-1993")),
        "next": ("Next issue No. 439, 26 February 1993", issue_url("no-439-february-26-1993")),
    }
    page = fetch(client, issue_url("no-401-1993"))
    assert pager(page, "Previous and next issue")["prev"][1] == issue_url(
        "no-300-june-7-1991", 1991
    )
    page = fetch(client, issue_url("no-443-march-26-1993"))
    assert pager(page, "Previous and next issue")["next"][1] == issue_url(
        "no-600-january-5-1996", 1996
    )
    # The monthly number comes before the issues dated to a day of its month.
    page = fetch(client, issue_url("no-440-march-1993"))
    assert pager(page, "Previous and next issue") == {
        "prev": ("Previous issue No. 439, 26 February 1993", issue_url("no-439-february-26-1993")),
        "next": ("Next issue No. 442, 19 March 1993", issue_url("no-442-march-19-1993")),
    }


def test_the_first_and_last_issues_link_one_way_only(client, ledger):
    first = pager(fetch(client, issue_url("no-300-june-7-1991", 1991)), "Previous and next issue")
    assert list(first) == ["next"]
    last = pager(fetch(client, issue_url("no-600-january-5-1996", 1996)), "Previous and next issue")
    assert list(last) == ["prev"]


def test_a_year_links_the_nearest_years_that_hold_issues(client, ledger):
    page = fetch(client, YEAR_URL)
    assert pager(page, "Previous and next year") == {
        "prev": ("Previous year 1991", "/the-ferry-ledger/1990s/1991/"),
        "next": ("Next year 1996", "/the-ferry-ledger/1990s/1996/"),
    }
    labels = [nav.get("aria-label") for nav in page.xpath("//nav")]
    assert len(labels) == len(set(labels)), f"navigation landmarks share a name: {labels}"


def test_an_issue_links_the_years_before_and_after_its_own(client, ledger):
    page = fetch(client, issue_url("no-438-february-19-1993"))
    assert pager(page, "Previous and next year") == {
        "prev": ("Previous year 1991", "/the-ferry-ledger/1990s/1991/"),
        "next": ("Next year 1996", "/the-ferry-ledger/1990s/1996/"),
    }
    labels = [nav.get("aria-label") for nav in page.xpath("//nav")]
    assert len(labels) == len(set(labels)), f"navigation landmarks share a name: {labels}"


def test_neighbours_stay_within_their_publication(client, lamplighter):
    page = fetch(client, "/the-tideway/2000s/2003/no-455-july-4-2003/")
    assert page.xpath("//nav[@aria-label='Previous and next issue']") == []
    page = fetch(client, ISSUE_URL)
    assert list(pager(page, "Previous and next issue")) == ["next"]


def jump(client, **asked):
    return client.get("/the-ferry-ledger/date/", {k: str(v) for k, v in asked.items()})


def test_a_date_with_an_issue_goes_straight_to_it(client, ledger):
    response = jump(client, year=1993, month=2, day=26)
    assert response.status_code == 302
    assert response["Location"] == issue_url("no-439-february-26-1993")
    # A month alone: its first issue.
    assert jump(client, year=1993, month=3)["Location"] == issue_url("no-440-march-1993")


def test_a_day_goes_to_the_issue_whose_date_holds_it(client, ledger):
    assert jump(client, year=1993, month=3, day=2)["Location"] == issue_url("no-440-march-1993")
    # A year whose only issue is dated by the year alone: that issue holds its every day.
    load(ledger_records([IssueRecord(year=1998, number=650)]))
    assert jump(client, year=1998, month=7, day=4)["Location"] == issue_url("no-650-1998", 1998)
    # Not so in a year with issues dated closer: the nearest of those.
    assert jump(client, year=1993, month=1, day=4)["Location"].startswith(
        issue_url("no-438-february-19-1993") + "?"
    )


def test_a_date_without_an_issue_goes_to_the_nearest_and_the_issue_page_says_so(client, ledger):
    response = jump(client, year=1993, month=2, day=20)
    assert response.status_code == 302
    assert response["Location"].startswith(issue_url("no-439-february-26-1993") + "?")
    page = fetch(client, response["Location"])
    said = text_of(one(page, "//*[@role='status']"))
    assert said == (
        "The archive holds no issue of The Ferry Ledger of 20 February 1993: "
        "this is the nearest issue after it."
    )
    before = jump(client, year=1993, month=2, day=20, direction="before")
    assert before["Location"].startswith(issue_url("no-438-february-19-1993") + "?")
    page = fetch(client, before["Location"])
    assert "the nearest issue before it" in text_of(one(page, "//*[@role='status']"))
    # Across years: nothing in 1994 or 1995.
    assert jump(client, year=1994)["Location"].startswith(issue_url("no-600-january-5-1996", 1996))


@pytest.mark.parametrize("direction", ["sideways", "AFTER", "²", "after\x00", ""])
def test_an_unknown_direction_looks_after_the_date_as_the_form_does(client, ledger, direction):
    after = jump(client, year=1993, month=2, day=20)["Location"]
    response = jump(client, year=1993, month=2, day=20, direction=direction)
    assert (response.status_code, response["Location"]) == (302, after)


@pytest.mark.parametrize("year", [1900, 2024])
def test_a_date_outside_the_run_gets_a_page_that_says_so(client, ledger, year):
    response = jump(client, year=year, month=5)
    assert response.status_code == 200
    main = one(fetch(client, f"/the-ferry-ledger/date/?year={year}&month=5"), "//main")
    said = text_of(one(main, ".//*[@role='status']"))
    assert f"no issue of The Ferry Ledger of May {year}: it is outside the run" in said
    assert links(one(main, ".//*[@role='status']")) == {
        "No. 300, 7 June 1991": issue_url("no-300-june-7-1991", 1991),
        "No. 600, 5 January 1996": issue_url("no-600-january-5-1996", 1996),
    }
    assert one(main, ".//input[@name='year']").get("value") == str(year)


@pytest.mark.parametrize(
    "query, said",
    [
        ("year=1993&month=2&day=30", "There is no such date: February 1993 has no day 30"),
        ("year=nineteen", "Enter a whole number."),
        ("year=1993&month=13", "Select a valid choice."),
        ("year=1993&day=40", "Ensure this value is less than or equal to 31."),
        ("year=&month=3", "This field is required."),
    ],
)
def test_a_date_the_calendar_lacks_gets_the_form_again_with_the_reason(client, ledger, query, said):
    main = one(fetch(client, f"/the-ferry-ledger/date/?{query}"), "//main")
    assert said in text_of(one(main, ".//form"))
    assert main.xpath(".//h1")


def test_the_form_is_on_the_publication_and_year_pages_and_asks_by_get(client, ledger):
    for url, year in (("/the-ferry-ledger/", ""), (YEAR_URL, "1993")):
        form = one(fetch(client, url), "//form[@class='date-form']")
        assert form.get("method") == "get"
        assert form.get("action") == "/the-ferry-ledger/date/"
        assert one(form, ".//input[@name='year']").get("value") == year
        labelled = {label.get("for") for label in form.xpath(".//label[@for]")}
        assert {"date-year", "date-month", "date-day"} <= labelled
    fetch(client, "/no-such-paper/date/?year=1993", status=404)


def test_browsing_pages_make_as_many_queries_for_a_long_run_as_for_a_short_one(
    client, ledger, django_assert_max_num_queries
):
    weekly = [
        IssueRecord(year=1993, number=700 + week, month=week // 5 % 12 + 1, day=week % 5 * 6 + 1)
        for week in range(50)
    ]
    load(ledger_records(weekly))
    # The page's own (publication, issues, year neighbours) and the generation; covers: none.
    with django_assert_max_num_queries(4):
        fetch(client, YEAR_URL)
    # The publication, its years, its article count, its first and last issue, the generation.
    with django_assert_max_num_queries(6):
        fetch(client, "/the-ferry-ledger/")
    # The publication, the date's issue, the issue holding it, the nearest either way, the
    # run's other end.
    with django_assert_max_num_queries(6):
        jump(client, year=1800)


def test_the_open_data_api_lists_issues_in_the_same_order_as_the_site(client, ledger):
    response = client.get("/api/publications/the-ferry-ledger/issues?per_page=100")
    assert response.status_code == 200
    numbers = [issue["number"] for issue in response.json()["results"]]
    assert numbers == [300, 401, 438, 439, 440, 442, 443, 600]


@pytest.mark.parametrize(
    "query",
    [
        "asked=<script>&nearest=after",
        "asked=1993-02-30&nearest=after",
        "asked=1993-02-20&nearest=sideways",
        "asked=1993--20&nearest=before",
        "nearest=after",
    ],
)
def test_an_issue_page_ignores_a_note_it_cannot_read(client, ledger, query):
    page = fetch(client, issue_url("no-439-february-26-1993") + "?" + query)
    assert page.xpath("//*[@role='status']") == []
