"""Feeds and sitemaps: fixed `feeds/` and `sitemap` paths no archive path can take.

A publication's feeds live under `feeds/<publication>/`, two segments deep, so no
publication slug (not even `articles` or `issues`) is mistaken for the archive's own.
"""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from backfile.caching.http import cached_page
from backfile.interop.feeds.feeds import LatestArticlesFeed, NewIssuesFeed
from backfile.interop.feeds.robots import robots_txt
from backfile.interop.feeds.sitemaps import SITEMAPS

app_name = "feeds"

# Feeds and sitemaps: ETag, Last-Modified, 304s and the page cache (backfile.caching).
latest_articles = cached_page(LatestArticlesFeed())
new_issues = cached_page(NewIssuesFeed())
sitemap_index = cached_page(sitemap_views.index)
sitemap_section = cached_page(query_strings=True)(sitemap_views.sitemap)  # ?p=2

urlpatterns = [
    path("feeds/articles.atom", latest_articles, name="articles"),
    path("feeds/issues.atom", new_issues, name="issues"),
    path("feeds/<slug:publication>/articles.atom", latest_articles, name="publication-articles"),
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
