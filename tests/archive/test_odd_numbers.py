"""Numbers typed into addresses, as a reader (or a robot) might type them: a superscript
two (`str.isdigit` says it is a digit; int() refuses it), Arabic-Indic digits (int() reads
them) and a number of 400 digits. Every page answers as it does to any other mistyped
value (200, a redirect, 400 or 404), never 500."""

from __future__ import annotations

import pytest

from backfile.archive.models import Article, Issue
from backfile.archive.paging import page_number, whole_number
from tests.desk.conftest import signed_in

pytestmark = pytest.mark.django_db

ODD_NUMBERS = ["²", "١٢", "9" * 400, "-3", " 4", ""]
ANSWERS = {200, 301, 302, 400, 404}


def answers(client, url: str, **params) -> int:
    status = client.get(url, params).status_code
    assert status in ANSWERS, f"{url} {params} answered {status}"
    return status


@pytest.mark.parametrize("odd", ODD_NUMBERS)
def test_a_listing_s_page_number(client, lamplighter, odd):
    assert answers(client, "/authors/", page=odd) in (200, 302)
    assert answers(client, "/search/", q="bread", page=odd) == 200


@pytest.mark.parametrize("odd", ODD_NUMBERS)
def test_the_date_a_reader_asked_for_on_an_issue_page(client, lamplighter, odd):
    url = Issue.objects.filter(number=118).get().get_absolute_url()
    for asked in (odd, f"1954-{odd}", f"1954-03-{odd}"):
        response = client.get(url, {"asked": asked, "nearest": "after"})
        assert response.status_code == 200, asked
        assert b"There is no issue" not in response.content


@pytest.mark.parametrize("odd", ODD_NUMBERS)
def test_the_date_form(client, lamplighter, odd):
    for field in ("year", "month", "day"):
        fields = {"year": "1954", "month": "3", "day": "", field: odd}
        answers(client, "/the-lamplighter/date/", **fields)


@pytest.mark.parametrize("odd", ODD_NUMBERS)
def test_the_reply_a_reader_answers(client, lamplighter, odd):
    url = Article.objects.filter(publication__slug="the-lamplighter").first().get_absolute_url()
    assert answers(client, url, replyto=odd) == 200


@pytest.mark.parametrize("odd", ODD_NUMBERS)
def test_the_desk_s_work_items_of_a_run(client, db, odd):
    editor = signed_in(client, "hilda", "editor")
    assert answers(editor, "/desk/work/", run=odd) == 200


def test_whole_numbers_are_ascii_digits_within_their_maximum():
    assert whole_number("12") == 12 and whole_number("0") == 0
    assert whole_number("0012", 99) == 12
    assert [whole_number(odd) for odd in ODD_NUMBERS] == [None] * len(ODD_NUMBERS)
    assert whole_number("100", maximum=99) is None
    assert whole_number(None) is None
    assert page_number("7") == 7 and page_number(" 7 ") == 7
    assert page_number("0") == page_number("²") == page_number(None) == 1
