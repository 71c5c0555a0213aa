"""The archive's absolute URLs, all from one origin: BACKFILE_BASE_URL, never the Host header.

Every absolute URL Backfile emits (OAI-PMH, feeds, sitemaps, robots.txt, citations,
canonical links, the API) is `absolute_url(request, path)`, where `path` is a site
path as Django reverses it (with the script prefix a base URL's path gives).

Where BACKFILE_BASE_URL is empty, the origin is the request's own, whose host
Django has already checked against ALLOWED_HOSTS: that only happens on the
loopback (`backfile serve` refuses to start elsewhere without a base URL, sets one
on the loopback, and ALLOWED_HOSTS defaults to loopback names) and under test
servers. `backfile check --deploy` warns about an empty base URL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def configured_origin() -> str:
    """`scheme://host[:port]` of BACKFILE_BASE_URL, or "" where it is empty."""
    base = getattr(settings, "BACKFILE_BASE_URL", "")
    if not base:
        return ""
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


def origin(request: HttpRequest | None) -> str:
    """The origin absolute URLs start with: the base URL's, else the (checked) request's."""
    configured = configured_origin()
    if configured or request is None:
        return configured
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(request: HttpRequest | None, path: str) -> str:
    """`path` (a site path such as `/oai`) as an absolute URL on the canonical origin."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{origin(request)}{path}"


def host(request: HttpRequest | None) -> str:
    """The canonical host name, without port: for OAI identifiers and the admin email."""
    return urlsplit(origin(request)).hostname or "localhost"


class CanonicalRequest:
    """A request that reports the canonical origin as its host and scheme, for framework
    views (syndication feeds, sitemaps) that build absolute URLs from the request itself.

    Everything else is the real request's.
    """

    def __init__(self, request: HttpRequest):
        self._request = request
        parts = urlsplit(origin(request))
        self._scheme = parts.scheme
        self._netloc = parts.netloc

    def __getattr__(self, name: str):
        return getattr(self._request, name)

    @property
    def scheme(self) -> str:
        return self._scheme

    def is_secure(self) -> bool:
        return self._scheme == "https"

    def get_host(self) -> str:
        return self._netloc

    def build_absolute_uri(self, location: str | None = None) -> str:
        return absolute_url(self._request, location if location is not None else self.path)


def canonical(request: HttpRequest) -> dict[str, str]:
    """Template context: `canonical_url`, the page's own address without its query."""
    return {"canonical_url": absolute_url(request, request.path)}
