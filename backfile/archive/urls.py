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
    path("authors/<slug:slug>/", index_views.author, name="author"),
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
