"""`cached_page`: validators, 304s and the page cache for the archive's read-only views.

For a GET or HEAD that is not personal (see `is_personal`):

1. the generation is read (one small query) and the validators made from it: a
   weak ETag naming the generation, the address and the reader's CSRF cookie,
   and Last-Modified, the time of the archive's last change;
2. a request whose If-None-Match / If-Modified-Since still holds gets 304 and
   no body, before the view runs;
3. with `page_cache`, a page cached under this generation is served without
   running the view (a 200 is stored on the way out). The key holds the
   generation, so any change to the archive retires every stored page at once,
   in every process, whatever the cache backend: nothing is deleted, old entries
   simply stop being asked for and expire.

The reply form's CSRF token is the one part of an article page that is not the
same for every reader. It is stored as a placeholder and each response gets the
token of its own reader (Django's `get_token`, masked afresh each time, so the
CSRF cookie is set for a new reader as usual), so a reader served from the cache
posts a reply like any other. Validators include the reader's CSRF cookie, so a
page a browser kept always holds a token for the cookie it sends.

Responses say `Cache-Control: no-cache` (keep, but ask each time: an ETag makes
asking cheap) and `Vary: Cookie`; pages with the reply form are `private`.

A page that shows something of today besides the archive's rows (the home page's
"this day in the archive") says `daily=True`: today's date (`today()`, in the site's
TIME_ZONE) is then part of its cache key and its ETag, and its Last-Modified is never
earlier than today's midnight, so no reader is served, or told Not Modified for,
yesterday's page once the day has turned.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import date, datetime, time
from functools import wraps
from http import HTTPStatus

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from backfile.caching import generation, packing

CACHE_ALIAS = "default"
HIT_HEADER = "X-Cache"
# How Django's {% csrf_token %} writes the token; stored pages hold PLACEHOLDER instead.
TOKEN_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{32,64}(")')
PLACEHOLDER = b"@@backfile-csrf-token@@"
STORED_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition")


def is_personal(request: HttpRequest) -> bool:
    """A request whose page is its reader's own: a POST, a signed-in editor (any session),
    or a reader with a message waiting (a reply just posted). Never cached, never a 304."""
    if request.method not in ("GET", "HEAD"):
        return True
    cookies = request.COOKIES  # (a cookie deleted by the server may come back empty)
    return bool(cookies.get(settings.SESSION_COOKIE_NAME) or cookies.get(CookieStorage.cookie_name))


def today() -> date:
    """Today in the site's TIME_ZONE: what a `daily` page shows, and is keyed on."""
    return timezone.localdate()


def day_of(request: HttpRequest) -> date:
    """The date a `daily` page shows: the one `cached_page` read once for its key and ETag
    (so a page made as midnight strikes shows the day it is stored under), else today."""
    return getattr(request, "backfile_day", None) or today()


def cached_page(
    view: Callable | None = None,
    *,
    page_cache: bool = True,
    query_strings: bool = False,
    daily: bool = False,
) -> Callable:
    """Decorate a read-only view (see the module's docstring).

    `page_cache=False`: validators and 304s only (search, whose every query differs).
    `query_strings=False`: only addresses without a query string are stored (an
    article with `?q=` highlights the reader's search; `?replyto=` fills the form).
    `daily=True`: the page changes with the date as well as with the archive (the
    view reads the date from `day_of(request)`: the wrapper's, read once); key, ETag
    and Last-Modified follow it.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if daily:
                request.backfile_day = today()
            if is_personal(request):
                response = view(request, *args, **kwargs)
                if request.method in ("GET", "HEAD"):  # no shared cache may keep it
                    patch_cache_control(response, private=True, no_cache=True)
                return response
            # Pages under a publication's address show its rows and the shared ones only.
            state = generation.current(publication=kwargs.get("publication"))
            address = _address(request)
            if daily:
                state, address = _on(request.backfile_day, state, address)
            validators = _validators(HttpResponse(), state, address, request)
            answer = get_conditional_response(
                request,
                etag=validators["ETag"],
                last_modified=_last_modified(state),
                response=validators,
            )
            if answer is not validators:  # 304 Not Modified (or 412 for If-Match)
                return answer
            timeout = settings.BACKFILE_PAGE_CACHE_SECONDS
            storable = page_cache and timeout > 0 and (query_strings or not _query(request))
            key = _key(state, address) if storable else ""
            stored = caches[CACHE_ALIAS].get(key) if storable else None
            if stored is not None:
                response = _from_cache(request, stored)
                response[HIT_HEADER] = "HIT"
            else:
                response = view(request, *args, **kwargs)
                if not getattr(response, "is_rendered", True):
                    response.render()  # a TemplateResponse (sitemaps)
                if response.status_code != HTTPStatus.OK or response.streaming:
                    return response
                if storable and not response.cookies:
                    caches[CACHE_ALIAS].set(key, _for_cache(response), timeout)
                    response[HIT_HEADER] = "MISS"
            return _validators(response, state, address, request)

        return wrapper

    return decorate(view) if view is not None else decorate


def cache_patterns(patterns: list, skip: frozenset[str] = frozenset(), **options) -> list:
    """`patterns` with each view put through `cached_page(**options)`, but those named in
    `skip` (for a URL module whose views are built elsewhere: feeds, sitemaps)."""
    for pattern in patterns:
        if pattern.name not in skip:
            pattern.callback = cached_page(**options)(pattern.callback)
    return patterns


def _on(day: date, state: generation.State, address: str) -> tuple[generation.State, str]:
    """For a page that changes with the date as well: the date joins the address (which
    key and ETag are made from), and the last change is no earlier than its midnight."""
    midnight = timezone.make_aware(datetime.combine(day, time.min))
    changed = midnight if state.changed is None else max(state.changed, midnight)
    return generation.State(state.value, changed), f"{address}#{day.isoformat()}"


def _query(request: HttpRequest) -> str:
    return request.META.get("QUERY_STRING", "")


def _address(request: HttpRequest) -> str:
    """What a page is stored under besides the generation: scheme, host, path and query."""
    return f"{request.scheme}://{request.get_host()}{request.path}?{_query(request)}"


def _key(state: generation.State, address: str) -> str:
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"backfile:page:{state.value}:{digest}"


def _etag(state: generation.State, address: str, request: HttpRequest) -> str:
    """Weak (bodies differ by the masked CSRF token): the generation, the address, the
    reader's CSRF cookie (as it will be once this response has set it)."""
    cookie = request.META.get("CSRF_COOKIE", "")
    digest = hashlib.sha256(f"{address}\n{cookie}".encode()).hexdigest()[:20]
    return f'W/"{state.value:x}-{digest}"'


def _last_modified(state: generation.State) -> float | None:
    """The last change, once its second is over: a second change within the same second
    would otherwise keep the same Last-Modified, and If-Modified-Since would miss it."""
    if state.changed is None:
        return None
    changed = int(state.changed.timestamp())
    return changed if timezone.now().timestamp() >= changed + 1 else None


def _validators(
    response: HttpResponse, state: generation.State, address: str, request: HttpRequest
) -> HttpResponse:
    response["ETag"] = _etag(state, address, request)
    last_modified = _last_modified(state)
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, no_cache=True)
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds this reader's token
        patch_cache_control(response, private=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _for_cache(response: HttpResponse) -> dict:
    """What is stored of a page: its body with the CSRF token taken out (plain and
    compressed, see `packing`), and its type."""
    body = TOKEN_FIELD.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
    headers = {name: response[name] for name in STORED_HEADERS if response.has_header(name)}
    return {"page": packing.pack(body, PLACEHOLDER), "headers": headers}


def _from_cache(request: HttpRequest, stored: dict) -> HttpResponse:
    page = stored["page"]
    token = get_token(request).encode() if len(page["parts"]) > 1 else b""
    if packing.ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
        response = HttpResponse(packing.gzipped(page, token))
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(packing.plain(page, token))
    for name, value in stored["headers"].items():
        response[name] = value
    patch_vary_headers(response, ("Accept-Encoding",))
    return response
