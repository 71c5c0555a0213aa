"""The site's URL map with a stand-in for the entries' pages, for a site that has none
(`conftest.entry_pages` uses it only then): `authority:entry` answers an entry's page by
its type and slug, 404 for any other, so that redirects to and from entries can be tested."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, re_path

from backfile.authority.models import TYPE_PATHS, Entry
from backfile.urls import urlpatterns as site

TYPES_BY_PATH = {path: type for type, path in TYPE_PATHS.items()}


def entry_page(request, kind: str, slug: str) -> HttpResponse:
    entry = get_object_or_404(Entry, type=TYPES_BY_PATH[kind], slug=slug)
    return HttpResponse(entry.name)


entry_patterns = [
    re_path(
        r"^(?P<kind>people|places|organisations)/(?P<slug>[-\w]+)/$", entry_page, name="entry"
    ),  # fmt: skip
]

urlpatterns = [re_path("", include((entry_patterns, "authority"))), *site]
