"""Reading and submitting the desk's pages as a browser would, without JavaScript."""

from __future__ import annotations

from lxml import html as lxml_html


def form_data(response, form_id: str = "body-form") -> dict[str, list[str]]:
    """What the browser would submit from a form (the page read as UTF-8, as browsers do)."""
    form = lxml_html.fromstring(response.content.decode()).get_element_by_id(form_id)
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


def body_url(article) -> str:
    return f"/desk/articles/{article.pk}/body/"


def open_body(desk, article) -> dict[str, list[str]]:
    page = desk.get(body_url(article))
    assert page.status_code == 200
    return form_data(page)


def row_with(data: dict[str, list[str]], words: str) -> str:
    """The field prefix (`r3`) of the row whose words hold `words`."""
    for name, values in data.items():
        if name.endswith("-text") and words in values[0]:
            return name.removesuffix("-text")
    raise AssertionError(f"no row holds {words!r}")


def press(desk, article, data: dict[str, list[str]], action: str, **changes):
    """Submit the body form with one of its buttons, after typing `changes`."""
    data = {**data, **{k: [v] for k, v in changes.items()}, "action": [action]}
    return desk.post(body_url(article), data)


def rows_texts(response) -> list[str]:
    form = lxml_html.fromstring(response.content.decode()).get_element_by_id("body-form")
    return [area.text_content() for area in form.xpath(".//textarea")]


def errors(response) -> list[str]:
    page = lxml_html.fromstring(response.content.decode())
    return [li.text_content() for li in page.xpath("//ul[@class='errorlist']/li")]
