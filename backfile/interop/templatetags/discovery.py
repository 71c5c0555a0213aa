"""`{% discovery_head thing %}`: the page's schema.org JSON-LD and OpenGraph tags, for an
article, issue, publication or author page (`{% load discovery %}` in its head block)."""

from __future__ import annotations

import json

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from backfile import site_url
from backfile.archive.models import Article, Author, Issue, Publication
from backfile.interop.discovery import schema_org
from backfile.interop.oai.identity import repository_name

register = template.Library()
# Inside <script>, `</script>` or `<!--` in a title must not end the element: escaped in JSON.
SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_ld(data: dict) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_SAFE)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def open_graph(tags: list[tuple[str, str]]) -> SafeString:
    return format_html_join(
        "\n", '<meta property="{}" content="{}">', ((k, v) for k, v in tags if v)
    )


@register.simple_tag(takes_context=True)
def discovery_head(context, thing, articles=None) -> SafeString:
    request = context.get("request")

    def url(path: str) -> str:
        return site_url.absolute_url(request, path)

    # og:site_name: the publication the page belongs to; the archive's name on author pages
    if isinstance(thing, Article):
        data = schema_org.article(thing, url)
        tags = [
            ("og:type", "article"),
            ("og:title", thing.title),
            ("og:description", thing.standfirst or thing.summary),
            ("article:published_time", data["datePublished"]),
            ("article:section", thing.section),
            *(("article:author", a["url"]) for a in data.get("author", [])),
        ]
        site = thing.publication.name
    elif isinstance(thing, Issue):
        data = schema_org.issue_page(thing, list(articles or []), url)
        tags = [("og:type", "website"), ("og:title", f"{thing.publication.name}, {thing.label}")]
        site = thing.publication.name
    elif isinstance(thing, Publication):
        data = schema_org.publication_page(thing, url)
        tags = [("og:type", "website"), ("og:title", thing.name),
                ("og:description", thing.description)]  # fmt: skip
        site = thing.name
    elif isinstance(thing, Author):
        data = schema_org.author_page(thing, url)
        tags = [("og:type", "profile"), ("og:title", thing.name)]
        site = repository_name()
    else:
        return SafeString("")
    tags += [("og:url", data["@id"]), ("og:site_name", site)]
    return format_html("{}\n{}", json_ld(data), open_graph(tags))
