"""robots.txt: where the sitemap is, and what crawlers should leave alone."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Admin is private; search results (`/search/?q=…`) are endless and repeat the archive,
    which the sitemap already lists page by page."""
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {reverse('search:search')}?",
        f"Sitemap: {request.build_absolute_uri(reverse('feeds:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
