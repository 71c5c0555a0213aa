"""The printed pages' addresses: IIIF under /iiif/, and the page view and search within under
the issue's own address (`…/<issue>/page/3/`: two path segments, so no article's slug is hidden)."""

from django.urls import path, re_path

from backfile.archive import urls as _archive_urls  # noqa: F401  (registers the decade converter)
from backfile.facsimiles import views

app_name = "facsimiles"

SHA256 = r"(?P<sha256>[0-9a-f]{64})"
ISSUE = "<slug:publication>/<decade:decade>/<int:year>/<slug:issue>"

urlpatterns = [
    re_path(rf"^iiif/{SHA256}$", views.image_base, name="image-base"),
    re_path(rf"^iiif/{SHA256}/info\.json$", views.image_info_view, name="image-info"),
    re_path(
        rf"^iiif/{SHA256}/(?P<tile>\d+,\d+,\d+,\d+/\d*,\d*/0/default\.jpg)$",
        views.image_tile,
        name="image-tile",
    ),
    path("iiif/issue/<int:issue>/manifest", views.manifest, name="manifest"),
    path("iiif/issue/<int:issue>/canvas/<int:sequence>", views.canvas, name="canvas"),
    path(
        "iiif/issue/<int:issue>/canvas/<int:sequence>/text",
        views.canvas_text,
        name="canvas-text",
    ),
    path("iiif/search/<int:issue>", views.content_search, name="content-search"),
    path(f"{ISSUE}/pages.pdf", views.issue_pdf_view, name="issue-pdf"),
    path(f"{ISSUE}/page/search/", views.search_within, name="search-within"),
    path(f"{ISSUE}/page/<int:sequence>/", views.page, name="page"),
]
