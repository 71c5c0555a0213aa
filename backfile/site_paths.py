"""The site's own top-level paths (`/authors/`, `/search/`, `/desk/`, `/api/`…), which a
publication's slug must not take: the archive's routes come last in the URL map, so a
publication slugged `authors` would have its pages shadowed by the authors' index, and its
date form and sections index answered by nothing (`/authors/date/` is no author).

The list is read from the URL map itself (each pattern's first path segment, where it is
fixed), so a new top-level page is reserved as soon as it is routed; the authority file's
index pages, routed through a converter (`<entry_type:…>`), are added by their own list.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

# A fixed first segment: letters, digits, `-` or `_`, then `/`, the end, or `$`.
SEGMENT = re.compile(r"\^?([-\w]+)(?:/|\$|\\Z|$)")


def first_segments(patterns) -> set[str]:
    """The fixed first path segments of `patterns` (an include under "" looked into)."""
    found = set()
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver) and route in ("", "^"):
            found |= first_segments(pattern.url_patterns)
        elif match := SEGMENT.match(route):
            found.add(match.group(1).lower())
    return found


@lru_cache(maxsize=1)
def reserved_slugs() -> frozenset[str]:
    """Every slug a publication may not have (lower case, as slugify gives)."""
    # the static files' and media's folders (the last segment: a base path comes first)
    static = {
        url.strip("/").split("/")[-1].lower()
        for url in (settings.STATIC_URL, settings.MEDIA_URL)
        if url and url.strip("/")
    }
    from backfile.authority.models import TYPE_PATHS  # (people, places, organisations)

    routed = first_segments(get_resolver().url_patterns)
    return frozenset(routed | static | set(TYPE_PATHS.values()))
