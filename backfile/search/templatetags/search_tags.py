"""Highlighting a reader's search on the page they open from the results.

The results link to an article with `?q=…`. In the article template,
`{% search_banner article %}` says how many matches there are and links to the
first, and `{% search_highlight %}…{% endsearch_highlight %}` marks the matched
words in whatever it wraps (text only, never inside tags), numbering them
`search-hit-1`, `search-hit-2` … in page order. Both read at most the first
HIGHLIGHT_CHARS characters of a text, so a huge article costs what a long one does.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.utils.safestring import mark_safe

from backfile.search.highlight import HIGHLIGHT_CHARS, Highlighter
from backfile.search.index import body_text
from backfile.search.query import clean, parse

register = template.Library()

COUNTER = "_search_hit_number"


def _highlighter(context) -> Highlighter | None:
    request = context.get("request")
    q = clean(request.GET.get("q", "")) if request is not None else ""
    if not q.strip():
        return None
    highlighter = Highlighter(parse(q))
    return highlighter or None


@register.inclusion_tag("search/article_banner.html", takes_context=True)
def search_banner(context, article) -> dict:
    highlighter = _highlighter(context)
    if highlighter is None:
        return {"search": None}
    q = clean(context["request"].GET["q"])
    # What the article template wraps in search_highlight: the headline and the body.
    body = body_text(article.blocks)
    texts = [article.title, body[:HIGHLIGHT_CHARS]]
    count = sum(highlighter.count(text) for text in texts)
    return {
        "search": {
            "q": q,
            "count": count,
            "partial": len(body) > HIGHLIGHT_CHARS,
            "results_url": "/search/?" + urlencode({"q": q}),
        }
    }


class HighlightNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        rendered = self.nodelist.render(context)
        highlighter = _highlighter(context)
        if highlighter is None:
            return rendered
        state = context.render_context.setdefault(COUNTER, [0])

        def numbered(escaped_word: str) -> str:
            state[0] += 1
            return f'<mark id="search-hit-{state[0]}" class="search-hit">{escaped_word}</mark>'

        def continued(escaped_word: str) -> str:  # the rest of a phrase the markup splits
            return f'<mark class="search-hit">{escaped_word}</mark>'

        return mark_safe(highlighter.mark_html(rendered, numbered, more=continued))


@register.tag("search_highlight")
def search_highlight(parser, token) -> HighlightNode:
    nodelist = parser.parse(("endsearch_highlight",))
    parser.delete_first_token()
    return HighlightNode(nodelist)


@register.filter
def get_answer(values: dict, name: str) -> str:
    """A form's answer (or problem) by field name, in a template: `answers|get_answer:"all"`."""
    return values.get(name, "") if isinstance(values, dict) else ""
