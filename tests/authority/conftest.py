"""The authority tests' fixtures: entries' pages to link and redirect to."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse


@pytest.fixture
def entry_pages(settings):
    """The site's URLs, with entry pages: the site's own, or a stand-in where it has none
    yet (`tests.authority.entry_urls`)."""
    try:
        reverse("authority:entry", args=["people", "lenin"])
    except NoReverseMatch:
        settings.ROOT_URLCONF = "tests.authority.entry_urls"
