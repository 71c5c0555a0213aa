"""What the article page needs to make an article citable: meta tags, citations, downloads.

The article view hands `ArticleCitation(article, request)` to its template, which
prints `citation.head` in <head> and `citation.section` in the body. Everything is
computed from one CSL-JSON item, and only when the template asks for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from backfile import site_url
from backfile.archive.models import Article
from backfile.interop.citations.csl import article_csl, display_name, page_span
from backfile.interop.citations.formats import FORMATS
from backfile.interop.citations.styles import formatted_citations


@dataclass(frozen=True)
class Download:
    label: str
    content_type: str
    url: str


def download_url(article: Article, extension: str) -> str:
    """`<article url>cite.ris`: each file lives beside the article it cites."""
    return f"{article.get_absolute_url()}cite.{extension}"


def slashed_date(parts: list[int]) -> str:
    """Highwire's `1954/03/01` form, as far as the date is known (`1954/03`, `1954`)."""
    return "/".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])


def iso_date(parts: list[int]) -> str:
    return "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:])])


def meta_tags(item: dict) -> list[tuple[str, str]]:
    """Highwire Press tags (read by Google Scholar and Zotero), then Dublin Core ones.

    Authors are one tag each, in byline order; empty values are left out.
    """
    parts = item["issued"]["date-parts"][0]
    pages = page_span(item.get("page", ""))
    authors = [display_name(name) for name in item.get("author", [])]
    highwire = [
        ("citation_title", item["title"]),
        *(("citation_author", name) for name in authors),
        ("citation_publication_date", slashed_date(parts)),
        ("citation_journal_title", item["container-title"]),
        ("citation_volume", item.get("volume", "")),
        ("citation_issue", item.get("issue", "")),
        ("citation_firstpage", pages.first),
        ("citation_lastpage", pages.last),
        ("citation_language", item.get("language", "")),
        ("citation_public_url", item["URL"]),
        ("citation_abstract_html_url", item["URL"]),
        ("citation_fulltext_html_url", item["URL"]),
    ]
    dublin_core = [
        ("DC.title", item["title"]),
        *(("DC.creator", name) for name in authors),
        ("DC.date", iso_date(parts)),
        ("DC.type", "Text"),
        ("DC.source", item["container-title"]),
        ("DC.identifier", item["URL"]),
        ("DC.language", item.get("language", "")),
    ]
    return [(name, value) for name, value in highwire + dublin_core if value]


class ArticleCitation:
    """An article made citable: built from the page's own article, with no further query."""

    def __init__(self, article: Article, request: HttpRequest):
        self.article = article
        self.request = request

    @cached_property
    def item(self) -> dict:
        url = site_url.absolute_url(self.request, self.article.get_absolute_url())
        return article_csl(self.article, url)

    @cached_property
    def meta_tags(self) -> list[tuple[str, str]]:
        return meta_tags(self.item)

    @cached_property
    def formatted(self) -> list[tuple[str, SafeString]]:
        return formatted_citations(self.item)

    @cached_property
    def downloads(self) -> list[Download]:
        return [
            Download(f.label, f.content_type, download_url(self.article, f.extension))
            for f in FORMATS.values()
        ]

    def render(self, template: str) -> SafeString:
        return render_to_string(template, {"citation": self})

    @cached_property
    def head(self) -> SafeString:
        return self.render("citations/meta.html")

    @cached_property
    def section(self) -> SafeString:
        return self.render("citations/cite.html")
