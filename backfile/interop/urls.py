"""The library world's protocols: OAI-PMH, citations, feeds and sitemaps."""

from django.urls import include, path

from backfile.caching.http import cache_patterns
from backfile.interop.discovery import opensearch

urlpatterns = [
    path("", include("backfile.interop.oai.urls")),
    path("", include("backfile.interop.citations.urls")),
    path("", include("backfile.interop.feeds.urls")),
    path("", include("backfile.interop.open_data.urls")),
    *cache_patterns([path("opensearch.xml", opensearch.description, name="opensearch")]),
]
