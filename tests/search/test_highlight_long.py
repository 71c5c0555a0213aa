"""A huge stored article opened from the search results: the page answers, its opening is
highlighted and the rest is left plain, so the cost of a view stays bounded."""

from __future__ import annotations

import re

import pytest

from backfile.archive.models import Article
from backfile.search.highlight import HIGHLIGHT_CHARS, Highlighter
from backfile.search.query import parse
from tests.search.conftest import record

pytestmark = pytest.mark.django_db

PARAGRAPH = "Day {n} of the strike: the pickets stood at the gate of the mill."


def test_a_huge_article_is_highlighted_in_its_opening_only(client, store):
    paragraphs = [PARAGRAPH.format(n=n) for n in range(12_000)]  # about 800,000 characters
    store(record("long-strike", "The long strike", "\n\n".join(paragraphs)))
    article = Article.objects.get()
    assert sum(len(b["text"]) for b in article.blocks) > 5 * HIGHLIGHT_CHARS

    page = client.get(article.get_absolute_url(), {"q": "strike"})

    body = page.content.decode()
    assert page.status_code == 200
    marks = re.findall(r'<mark id="search-hit-(\d+)"', body)
    assert marks[:3] == ["1", "2", "3"]  # the headline's, then the body's first paragraphs'
    assert 'Day 0 of the <mark id="search-hit-2" class="search-hit">strike</mark>' in body
    assert 1000 < len(marks) < 2000  # the opening's matches, not the 12,001 there are
    assert "Day 11999 of the strike: the pickets" in body  # the rest is on the page, unmarked
    assert f"{len(marks)} matches for <strong>strike</strong> highlighted in the first" in body


def test_marking_stops_at_the_budget_inside_one_long_paragraph():
    highlighter = Highlighter(parse("strike"))
    text = "the strike went on " * 1000  # one text node of 19,000 characters

    marked = highlighter.mark_html(f"<p>{text}</p>", budget=1900)

    assert marked.count("<mark>strike</mark>") == 100
    assert marked.endswith("the strike went on </p>")
    assert marked.replace("<mark>", "").replace("</mark>", "") == f"<p>{text}</p>"


def test_a_short_article_is_marked_whole_as_before():
    highlighter = Highlighter(parse("strike"))
    fragment = "<p>Strike &amp; lock-out</p><blockquote><p>The strike is over.</p></blockquote>"

    assert highlighter.mark_html(fragment) == (
        "<p><mark>Strike</mark> &amp; lock-out</p>"
        "<blockquote><p>The <mark>strike</mark> is over.</p></blockquote>"
    )
