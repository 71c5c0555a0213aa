"""A phrase or near words the page's markup splits (emphasis inside a phrase, words in two
paragraphs) are marked where the search found them, and the banner counts what is marked."""

from __future__ import annotations

import re

import pytest

from backfile.archive.models import Article
from backfile.search.highlight import Highlighter
from backfile.search.index import body_text
from backfile.search.query import parse
from tests.search.conftest import record


def test_a_phrase_split_by_emphasis_is_marked_once_in_its_pieces():
    highlighter = Highlighter(parse('"general strike"'))
    firsts = []

    def first(word: str) -> str:
        firsts.append(word)
        return f"<mark>{word}</mark>"

    marked = highlighter.mark_html(
        "<p>the <em>general</em> strike</p>", first, more=lambda w: f"<mark>+{w}</mark>"
    )

    assert marked == "<p>the <em><mark>general</mark></em> <mark>+strike</mark></p>"
    assert firsts == ["general"]  # one unit, as the count has it
    assert highlighter.count("the general strike") == 1


def test_near_words_in_two_paragraphs_are_marked_as_the_index_finds_them():
    highlighter = Highlighter(parse('"lock keeper towpath"~3'))

    marked = highlighter.mark_html("<p>The lock keeper</p>\n<p>walked the towpath.</p>")

    assert marked == (
        "<p>The <mark>lock</mark> <mark>keeper</mark></p>\n<p>walked the <mark>towpath</mark>.</p>"
    )
    assert highlighter.count("The lock keeper\nwalked the towpath.") == 3


def test_the_words_of_two_blocks_are_not_run_together():
    highlighter = Highlighter(parse("lockkeeper"))
    assert "<mark" not in highlighter.mark_html("<p>lock</p><p>keeper</p>")
    assert "<mark" not in highlighter.mark_html("<td>lock</td><td>keeper</td>")
    assert "<mark" not in highlighter.mark_html("lock<br>keeper")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "marks"),
    [
        ('"general strike"', 1),
        ('"lock keeper towpath"~3', 3),
        ("strike", 1),
        ("lock OR towpath", 2),
    ],
)
def test_the_banner_counts_the_marks_on_the_page(client, store, q, marks):
    store(
        record(
            "towpath",
            "On the canal",
            "The lock keeper\n\nwalked the towpath.\n\nThen the general strike began.",
        )
    )
    article = Article.objects.get()
    article.blocks[-1]["html"] = "Then the <em>general</em> strike began."
    article.save()
    assert body_text(article.blocks).endswith("Then the general strike began.")

    assert "On the canal" in client.get("/search/", {"q": q}).content.decode()  # as found
    page = client.get(article.get_absolute_url(), {"q": q}).content.decode()

    ids = re.findall(r'<mark id="search-hit-(\d+)"', page)
    assert ids == [str(n) for n in range(1, marks + 1)]
    match = re.search(r"(\d+) match(?:es)? for <strong>", page)
    assert match and int(match.group(1)) == marks
