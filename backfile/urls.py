"""The site's URL map: the archive's own paths last, so fixed prefixes win."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("backfile.replies.urls")),
    path("", include("backfile.archive.urls")),
]
