"""The site's URL map: the archive's own paths last, so fixed prefixes win."""

from django.contrib import admin
from django.urls import include, path

from backfile.interop.api import api, unknown_path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("desk/", include("backfile.editing.urls")),
    path("desk/", include("backfile.desk.urls")),
    path("desk/housekeeping/", include("backfile.housekeeping.urls")),
    path("", include("backfile.replies.urls")),
    path("", include("backfile.corrections.urls")),
    path("", include("backfile.search.urls")),
    path("api/", api.urls),
    path("api/<path:rest>", unknown_path),  # a JSON 404 for any other /api/ address
    path("", include("backfile.interop.urls")),
    path("", include("backfile.media.urls")),
    path("", include("backfile.facsimiles.urls")),
    path("", include("backfile.authority.urls")),
    path("", include("backfile.archive.urls")),
]
