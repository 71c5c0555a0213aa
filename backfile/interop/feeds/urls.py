"""Feeds and sitemaps: fixed `feeds/` and `sitemap` paths no archive path can take.

A publication's feeds live under `feeds/<publication>/`, two segments deep, so no
publication slug (not even `articles` or `issues`) is mistaken for the archive's own; its
sections' feeds are three deep (`feeds/<publication>/sections/<section>.atom`). An author's
feed sits beside the author's page (`authors/<slug>/articles.atom`) and a search's beside the
search page (`search/feed.atom?q=…`): no archive path takes either.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse
from django.urls import path

from backfile.caching.http import cache_patterns
from backfile.interop.feeds.feeds import LatestArticlesFeed, NewIssuesFeed
from backfile.interop.feeds.following import AuthorFeed, SearchFeed, SectionFeed
from backfile.interop.feeds.robots import robots_txt
from backfile.interop.feeds.sitemaps import SITEMAPS
from backfile.site_url import CanonicalRequest

app_name = "feeds"


def sitemap_index(request: HttpRequest, **kwargs) -> HttpResponse:
    """The framework's sitemap views build addresses from the request: give it the canonical
    origin (BACKFILE_BASE_URL) in place of the Host header."""
    return sitemap_views.index(CanonicalRequest(request), **kwargs)


def sitemap_section(request: HttpRequest, **kwargs) -> HttpResponse:
    return sitemap_views.sitemap(CanonicalRequest(request), **kwargs)


latest_articles = LatestArticlesFeed()
new_issues = NewIssuesFeed()
author_feed = AuthorFeed()
section_feed = SectionFeed()
search_feed = SearchFeed()

urlpatterns = [
    path("feeds/articles.atom", latest_articles, name="articles"),
    path("feeds/issues.atom", new_issues, name="issues"),
    path("search/feed.atom", search_feed, name="search"),
    path("authors/<slug:slug>/articles.atom", author_feed, name="author"),
    path("feeds/<slug:publication>/articles.atom", latest_articles, name="publication-articles"),
    path(
        "feeds/<slug:publication>/sections/<slug:section>.atom",
        section_feed,
        name="publication-section",
    ),
    path("feeds/<slug:publication>/issues.atom", new_issues, name="publication-issues"),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "feeds:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_section,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", robots_txt, name="robots"),
]

# Feeds and sitemaps: ETag, Last-Modified, 304s and the page cache (backfile.caching); a
# sitemap's pages (?p=2) are kept each under its own address.
urlpatterns = cache_patterns(urlpatterns, skip={"robots"}, query_strings=True)
