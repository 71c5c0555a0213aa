"""Middleware: whatever goes wrong under /api/, the answer is a JSON problem (RFC 9457).

The API's own errors are problems already (backfile.interop.api); this catches what Django
answers before or around it: a method the API does not allow (405), and an error page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

PROBLEM = "application/problem+json"
TITLES = {400: "Bad Request", 404: "Not Found", 405: "Method Not Allowed",
          500: "Internal Server Error"}  # fmt: skip


class ApiProblems:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path_info.startswith("/api/") or request.path_info.startswith("/api/docs"):
            return response
        if response.status_code < 400 or "json" in response.get("Content-Type", ""):
            return response
        status = response.status_code
        detail = {405: f"The API answers GET only; {request.method} is not allowed here."}
        problem = JsonResponse(
            {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status,
             "detail": detail.get(status, TITLES.get(status, "The request failed."))},
            status=status, content_type=PROBLEM,
        )  # fmt: skip
        if response.has_header("Allow"):
            problem["Allow"] = response["Allow"]
        return problem
