"""Recording moves in the redirect table, and answering a 404 from it.

Chains never form: recording B→C when A→B is there makes A→C; and an address that
shows a page again (B→A recorded earlier, A→B now) stops redirecting.

A missing address under a recorded one goes where that one went, the rest of its path
kept: the moves record a publication's, issue's and article's own addresses, and every
page beneath them (a year page, the date form, sections, a printed page, a citation)
follows its publication or issue without a row of its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from backfile.housekeeping.models import Redirect

BATCH = 500
DEEPEST = 12  # the most path segments looked under (the archive's deepest page has 8)


def record(moves: Iterable[tuple[str, str]], reason: str = "") -> None:
    """Record each (old path, new path): old ones redirect, chains collapse. A few
    queries per 500 moves (a renamed publication moves all its pages at once)."""
    moves = [(old, new) for old, new in moves if old != new]
    for start in range(0, len(moves), BATCH):
        store(dict(moves[start : start + BATCH]), reason[:200])


def store(moves: dict[str, str], reason: str) -> None:
    chained = list(Redirect.objects.filter(new_path__in=moves))
    for redirect in chained:
        redirect.new_path = moves[redirect.new_path]
    Redirect.objects.bulk_update(chained, ["new_path"])
    # the new addresses show pages now: they must not redirect
    Redirect.objects.filter(old_path__in=moves.values()).delete()
    known = {r.old_path: r for r in Redirect.objects.filter(old_path__in=moves)}
    for old, redirect in known.items():
        redirect.new_path, redirect.reason = moves[old], reason
    Redirect.objects.bulk_update(known.values(), ["new_path", "reason"])
    Redirect.objects.bulk_create(
        Redirect(old_path=old, new_path=new, reason=reason)
        for old, new in moves.items()
        if old not in known
    )
    Redirect.objects.filter(old_path__in=moves, new_path=F("old_path")).delete()


def redirect_for(path: str) -> str | None:
    """Where `path` went: its own redirect, or else that of the longest recorded address
    it lies under, with the rest of the path kept. One query."""
    segments = path.split("/")[1 : DEEPEST + 1]
    above = ["/" + "/".join(segments[:n]) + "/" for n in range(1, len(segments))]
    rows = Redirect.objects.filter(old_path__in=[path, *above]).values_list("old_path", "new_path")
    found = [(old, new) for old, new in rows if old == path or new.endswith("/")]
    if not found:
        return None
    old, new = max(found, key=lambda row: len(row[0]))
    return new + path[len(old) :]


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
