"""URLs of citations: each article's citation files live beside it."""

from django.urls import path

# The archive's URL module registers the `decade` converter these paths share.
import backfile.archive.urls  # noqa: F401
from backfile.interop.citations import views

app_name = "citations"

urlpatterns = [
    path(
        "<slug:publication>/<decade:decade>/<int:year>/<slug:issue>/<slug:article>/"
        "cite.<str:extension>",
        views.citation_file,
        name="file",
    ),
]
