"""The library world's protocols: OAI-PMH, citations, feeds and sitemaps."""

from django.urls import include, path

urlpatterns = [
    path("", include("backfile.interop.oai.urls")),
    path("", include("backfile.interop.citations.urls")),
    path("", include("backfile.interop.feeds.urls")),
]
