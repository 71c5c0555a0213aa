"""Sign-in throttling: django-axes, counting by user name and address, with a cool-off.

Two limits, both within the cool-off (BACKFILE_SIGNIN_COOLOFF seconds since the
last wrong password counted):

- BACKFILE_SIGNIN_FAILURES wrong passwords for one user name from one address
  refuse that user name from that address (a person mistyping is not locked out
  of other addresses, and other editors are not locked out by them);
- BACKFILE_SIGNIN_ADDRESS_FAILURES wrong passwords from one address, whatever
  user names it tries, refuse the address.

The address is the reader's real one behind a trusted proxy (the same rule as the
reply rate limits). A refused attempt costs no password hash: the check runs
before the sign-in form (`RefuseLockedOut`) and again first among the
authentication backends (axes's own), and it is not recorded, so the cool-off is
not stretched by further attempts and a flood of them writes nothing. The server then
reads nothing more from the refused connection for a second (`backfile.serving`).

Attempts that arrive together would all pass the check before the first wrong
password is counted, each costing a password hash (half a second of CPU): a flood
of sixteen connections hashed for most of the first twenty seconds. So one address
has one sign-in checked at a time in each server process; another arriving
meanwhile is refused at once (429, `Retry-After: 1`), as a person never notices.
"""

from __future__ import annotations

import math
import threading
import time
from datetime import datetime, timedelta
from functools import lru_cache

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import (
    get_client_username,
    get_cool_off,
    get_credentials,
    get_failure_limit,
)
from axes.models import AccessAttempt
from csp.utils import build_policy
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from backfile.replies.moderation import client_address


def client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the address the reply rate limits use."""
    return client_address(request)


class ThrottleHandler(AxesDatabaseHandler):
    """Axes's database handler with two limits: per user name and address, and per address.

    Axes compares one number, `get_failures`, with one limit (AXES_FAILURE_LIMIT, the
    per-user limit); the address's failures are scaled to that limit, so the address
    is refused exactly when it reaches its own.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        )
        username = get_client_username(request, credentials)
        counts = recent.aggregate(
            address=Sum("failures_since_start"),
            user=Sum("failures_since_start", filter=Q(username=username)),
        )
        user_limit = get_failure_limit(request, credentials)  # BACKFILE_SIGNIN_FAILURES
        address_limit = settings.BACKFILE_SIGNIN_ADDRESS_FAILURES
        scaled = (counts["address"] or 0) * user_limit // address_limit
        return max(counts["user"] or 0, scaled)


def locked_until(request: HttpRequest) -> datetime:
    """When this address may try again: its last counted failure plus the cool-off."""
    cool_off = get_cool_off(request) or timedelta(0)
    last = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    ).aggregate(last=Max("attempt_time"))["last"]
    return (last or timezone.now()) + cool_off


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a plain page, status 429, saying when to try again."""
    until = locked_until(request)
    seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    response = render(
        request,
        "signin/locked_out.html",
        {"until": until, "minutes": max(1, math.ceil(seconds / 60))},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = site_policy()
    return response


# A refusal is remembered in the server process for a few seconds, so a flood of attempts
# from a locked-out user name and address is refused without a query or a template (a
# cached article page costs about 1 ms; a full refusal twice that). An editor's reset
# (`backfile axes_reset …`) is seen within these seconds.
REMEMBER_SECONDS = 5.0
REMEMBERED_MOST = 10_000
_refusals: dict[tuple[str | None, str], tuple[float, float, bytes]] = {}


def forget_refusals() -> None:
    """Empty this process's memory of refusals (tests that move the clock use it)."""
    _refusals.clear()


class RefuseLockedOut:
    """Refuse a sign-in from a locked-out user name and address before any other work.

    Placed early in MIDDLEWARE, ahead of the session and the sign-in form: a
    refused POST costs two small queries and this page, never a password hash;
    repeated within REMEMBER_SECONDS, neither.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.path == settings.LOGIN_URL
            and settings.AXES_ENABLED
        ):
            username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD) or ""
            key = (client_address(request), username)
            now = time.time()
            remembered = _refusals.get(key)
            if remembered and now < remembered[0] and now - remembered[1] < REMEMBER_SECONDS:
                return _refusal(remembered[2], remembered[0] - now)
            credentials = get_credentials(username)
            if not AxesProxyHandler.is_allowed(request, credentials):
                response = lockout_response(request, None, credentials)
                if len(_refusals) >= REMEMBERED_MOST:
                    _refusals.clear()
                _refusals[key] = (now + int(response["Retry-After"]), now, response.content)
                return response
            return self._one_at_a_time(request, key[0])
        return self.get_response(request)

    def _one_at_a_time(self, request: HttpRequest, address: str | None) -> HttpResponse:
        """The sign-in, unless another from the same address is being checked meanwhile."""
        with _checking_lock:
            if address in _checking:
                return _refusal(BUSY_PAGE, 1)
            _checking.add(address)
        try:
            return self.get_response(request)
        finally:
            with _checking_lock:
                _checking.discard(address)


# The addresses whose sign-in this process is checking now (see the module's docstring).
_checking: set[str | None] = set()
_checking_lock = threading.Lock()
BUSY_PAGE = (
    b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>One moment</title>'
    b"</head><body><main><h1>One sign-in at a time</h1><p>Another sign-in from your address "
    b"is being checked. Please try again in a moment.</p></main></body></html>\n"
)


def _refusal(page: bytes, seconds: float) -> HttpResponse:
    """A refusal from memory: not compressed (RefuseLockedOut sits outside GZipMiddleware)
    and not logged again (Django would log each as a warning; the first refusal of a
    locked-out user name and address, rendered by `lockout_response`, was logged)."""
    response = HttpResponse(page, status=429)
    response._has_been_logged = True
    response["Retry-After"] = str(max(1, math.ceil(seconds)))
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = site_policy()
    return response


@lru_cache(maxsize=1)
def site_policy() -> str:
    """The site's Content-Security-Policy, for the refusals answered before django-csp's
    middleware sees them (so that a flood's refusals cost no more than they must)."""
    return build_policy()
