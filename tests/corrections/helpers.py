"""Builders for the corrections tests: an invented monthly's article and a printed page with
OCR-like mistakes in it, and the form a reader sends."""

from __future__ import annotations

from django.template import Context, Template
from lxml import html as lxml_html

from backfile.archive.models import Article
from backfile.facsimiles.models import Page
from tests.replies.helpers import stored_article

# What the OCR read, mistakes and all ("clay" for "day", "rnembers").
ARTICLE_PARAGRAPHS = (
    "Drivers at the Eastgate depot stayed out for a ninth clay.",
    "The company has not yet answered their letter.",
)
PAGE_TEXT = (
    "THE QUARRY GAZETTE\nMarch 1952"
    "\n\n"
    "The rnembers of the branch met on Tuesday\nand voted to stand by the drivers."
    "\n\n"
    "Subscriptions are due at the end of the month."
)


def ocr_article(**fields) -> Article:
    fields.setdefault("paragraphs", ARTICLE_PARAGRAPHS)
    return stored_article(**fields)


def ocr_page(article: Article, sequence: int = 1, **fields) -> Page:
    """A printed page of the article's issue, as a page loader stores one from ALTO."""
    fields.setdefault("text", PAGE_TEXT)
    fields.setdefault("source_text", fields["text"])
    fields.setdefault("text_source", "alto")
    fields.setdefault("confidence", 83.4)
    return Page.objects.create(
        issue=article.issue, sequence=sequence, label=str(sequence), **fields
    )


def correction_data(form_page: bytes, **fields) -> dict[str, str]:
    """What a reader sends from a correction form: the form as offered (the paragraph and
    the hidden fields), with the reader's changes."""
    form = lxml_html.fromstring(form_page).get_element_by_id("correct").xpath(".//form")[0]
    data = {name: browser_value(value) for name, value in form.form_values()}
    data.setdefault("text", "")
    data.update({"name": "Mary Okafor", "email": "", "note": ""})
    data.update({k: str(v) for k, v in fields.items()})
    return data


def browser_value(value: str) -> str:
    """A textarea's value as a browser takes it: HTML drops one newline after the tag."""
    return value[1:] if value.startswith("\n") else value


def correction_form(content: bytes):
    return lxml_html.fromstring(content).get_element_by_id("correct")


def textarea_text(content: bytes) -> str:
    textarea = correction_form(content).xpath('.//textarea[@name="text"]')[0]
    return browser_value(textarea.text_content())


def status_line(subject: Page | Article) -> str:
    """The correction status as the page view's include renders it, as text."""
    rendered = Template("{% load corrections %}{% correction_status subject %}").render(
        Context({"subject": subject})
    )
    return " ".join(lxml_html.fromstring(rendered).text_content().split())
