"""Recording moves in the redirect table, and answering a 404 from it.

Chains never form: recording B→C when A→B is there makes A→C; and an address that
shows a page again (B→A recorded earlier, A→B now) stops redirecting.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from backfile.housekeeping.models import Redirect


def record(moves: Iterable[tuple[str, str]], reason: str = "") -> None:
    """Record each (old path, new path): old ones redirect, chains collapse."""
    for old, new in moves:
        if old == new:
            continue
        Redirect.objects.filter(new_path=old).update(new_path=new)
        # the new address shows a page now: it must not redirect (nor to itself)
        Redirect.objects.filter(old_path=new).delete()
        Redirect.objects.update_or_create(
            old_path=old, defaults={"new_path": new, "reason": reason[:200]}
        )


def redirect_for(path: str) -> str | None:
    return Redirect.objects.filter(old_path=path).values_list("new_path", flat=True).first()


class RedirectMovedPages:
    """Middleware: a GET or HEAD that would answer 404 answers 301 to where its page went,
    keeping the query string."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        new_path = redirect_for(request.path)
        if new_path is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        return HttpResponsePermanentRedirect(f"{new_path}?{query}" if query else new_path)
