"""Reading pages the way a browser does: fetch, check the status, parse the HTML."""

from __future__ import annotations

from lxml import html
from lxml.html import HtmlElement


def fetch(client, url: str, status: int = 200) -> HtmlElement:
    response = client.get(url)
    assert response.status_code == status, f"{url} gave {response.status_code}, not {status}"
    return html.fromstring(response.content)


def text_of(element: HtmlElement) -> str:
    """The element's words as a reader sees them: whitespace collapsed."""
    return " ".join(element.text_content().split())


def links(element: HtmlElement) -> dict[str, str]:
    """Link text → href for every link inside `element`."""
    return {text_of(a): a.get("href") for a in element.iter("a")}


def one(document: HtmlElement, xpath: str) -> HtmlElement:
    found = document.xpath(xpath)
    assert len(found) == 1, f"expected one {xpath}, found {len(found)}"
    return found[0]
