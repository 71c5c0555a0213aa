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


def test_table_header_cells_get_the_scope_of_what_they_head():
    from lxml import html

    from backfile.archive.templatetags.reading import article_body

    def cell(kind: str, text: str) -> dict:
        return {"type": kind, "text": text}

    def table(*rows: list[dict]) -> html.HtmlElement:
        body = [
            {
                "type": "table",
                "text": "",
                "blocks": [{"type": "table_row", "text": "", "blocks": r} for r in rows],
            }
        ]
        return html.fragment_fromstring(str(article_body(body)))

    corner = table(
        [cell("table_cell", ""), cell("table_header", "1937"), cell("table_header", "1938")],
        [cell("table_header", "Tea"), cell("table_cell", "2d."), cell("table_cell", "3d.")],
    )
    assert [th.get("scope") for th in corner.xpath("./thead/tr/*")] == [None, "col", "col"]
    assert [th.get("scope") for th in corner.xpath("./tbody/tr/th")] == ["row"]
    rows_only = table(
        [cell("table_header", "Name"), cell("table_cell", "Ada")],
        [cell("table_header", "Trade"), cell("table_cell", "Weaver")],
    )
    assert rows_only.xpath("./thead") == []
    assert [th.get("scope") for th in rows_only.xpath(".//th")] == ["row", "row"]
