from django.urls import path, register_converter

from backfile.archive import article_views, index_views, views


class DecadeConverter:
    regex = r"[0-9]{3,4}0s"

    def to_python(self, value: str) -> int:
        return int(value[:-1])

    def to_url(self, value) -> str:
        return value if isinstance(value, str) else f"{value}s"


register_converter(DecadeConverter, "decade")

app_name = "archive"

urlpatterns = [
    path("", views.home, name="home"),
    # The indexes come before the publication's catch-all, so they win: no publication is
    # slugged "authors", "subjects", "search" or "api" (backfile.site_paths: the loader
    # gives such a name the slug "authors-2").
    path("authors/", index_views.authors, name="authors"),
    path("authors/<slug:slug>/", index_views.author, name="author"),
    path("subjects/", index_views.subjects, name="subjects"),
    path("subjects/<slug:slug>/", index_views.subject, name="subject"),
    path("<slug:publication>/sections/", index_views.sections, name="sections"),
    path("<slug:publication>/sections/<slug:section>/", index_views.section, name="section"),
    path("<slug:publication>/", views.publication, name="publication"),
    path("<slug:publication>/date/", views.go_to_date, name="date"),
    path("<slug:publication>/<decade:decade>/", views.decade, name="decade"),
    path("<slug:publication>/<decade:decade>/<int:year>/", views.year, name="year"),
    path("<slug:publication>/<decade:decade>/<int:year>/<slug:issue>/", views.issue, name="issue"),
    path(
        "<slug:publication>/<decade:decade>/<int:year>/<slug:issue>/<slug:article>/",
        article_views.article,
        name="article",
    ),
]
