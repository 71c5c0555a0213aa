"""The authority tests' fixtures: entries' pages to link and redirect to."""

from __future__ import annotations

import pytest


@pytest.fixture
def entry_pages(settings):
    """The site's URLs, with entry pages (a stand-in where the site has none yet)."""
    settings.ROOT_URLCONF = "tests.authority.entry_urls"
