"""The fixture `entry_pages`: the site's URL map with entries' pages, its own, or where the
site has none, a stand-in: `authority:entry` answers an entry's page by its type and slug,
404 for any other, so that redirects to and from entries can be tested."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, include, re_path, reverse

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


@pytest.fixture
def entry_pages(settings):
    """The site's URLs, with entry pages: the site's own, or the stand-in where it has none."""
    try:
        reverse("authority:entry", args=["people", "lenin"])
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.authority.entry_urls"
