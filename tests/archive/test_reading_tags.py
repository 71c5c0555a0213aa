"""How page references and issue dates are written on the pages."""

from __future__ import annotations

import pytest

from backfile.archive.models import Issue
from backfile.archive.templatetags.reading import machine_date, page_reference


@pytest.mark.parametrize(
    ("pages", "shown"),
    [
        ("8", "p. 8"),
        ("6-7", "pp. 6–7"),
        ("6 - 7", "pp. 6–7"),
        ("6 and 7", "pp. 6 and 7"),
        ("3, 9", "pp. 3, 9"),
        ("Pages 6 and 7", "Pages 6 and 7"),
        ("", ""),
    ],
)
def test_page_reference(pages, shown):
    assert page_reference(pages) == shown


@pytest.mark.parametrize(
    ("month", "day", "expected"),
    [(9, None, "1937-09"), (9, 4, "1937-09-04"), (None, None, "1937")],
)
def test_machine_date_is_as_precise_as_the_issue(month, day, expected):
    assert machine_date(Issue(year=1937, month=month, day=day)) == expected
