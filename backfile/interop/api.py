"""The archive's JSON API, mounted at /api/; each app adds its router here.

Errors are JSON problems (RFC 9457) whatever went wrong: a parameter that is not what the
OpenAPI document says (`page=abc`) is a 400 naming it, an unknown record a 404, an unknown
API path a 404, a method other than GET a 405; never an HTML page.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, JsonResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from backfile.interop.open_data.api import router as open_data_router
from backfile.interop.open_data.authority import router as authority_router
from backfile.search.api import router as search_router

PROBLEM = "application/problem+json"

api = NinjaAPI(
    title="Backfile",
    version="1",
    urls_namespace="api",
    description="The archive as open data: publications, issues with their contents, articles "
    "with their bodies, authors, the authority file (people, places, organisations), and "
    "search. Every record has its id, the absolute address of its page and its own API address. "
    "Errors are RFC 9457 problems (application/problem+json).",
)
api.add_router("", search_router)
api.add_router("", open_data_router)
api.add_router("", authority_router)


def problem(status: int, title: str, detail: str, errors: list | None = None) -> JsonResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JsonResponse(body, status=status, content_type=PROBLEM)


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, error: ValidationError) -> JsonResponse:
    errors = [
        {
            "parameter": ".".join(str(p) for p in e.get("loc", [])[1:]) or "request",
            "in": (e.get("loc") or ["query"])[0],
            "message": e.get("msg", ""),
        }  # fmt: skip
        for e in error.errors
    ]
    named = ", ".join(e["parameter"] for e in errors)
    return problem(400, "Bad Request", f"Invalid parameter(s): {named}", errors)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> JsonResponse:
    return problem(404, "Not Found", str(error) or "No such record.")


def unknown_path(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Every /api/ address the API does not have: a JSON 404, not the site's HTML page."""
    return problem(404, "Not Found", f"The API has no {request.path}; see /api/docs.")
