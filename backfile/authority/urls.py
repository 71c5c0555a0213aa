"""The index pages of the authority file and of reviewed books.

They are wired before the archive's own paths (backfile/urls.py); a publication named
`People` or `Books` is slugged `people-2`, `books-2` (backfile.site_paths), as one named
`Authors` is."""

from django.urls import path, register_converter

from backfile.authority import book_views, views
from backfile.authority.models import TYPE_PATHS


class TypePathConverter:
    regex = "|".join(sorted(TYPE_PATHS.values()))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(TypePathConverter, "entry_type")

app_name = "authority"

urlpatterns = [
    path("<entry_type:type_path>/", views.entries, name="index"),
    path("<entry_type:type_path>/<slug:slug>/", views.entry, name="entry"),
    path("books/", book_views.books, name="books"),
    path("books/by/<slug:author>/", book_views.books_by, name="books-by"),
    path("books/<int:pk>/", book_views.book, name="book-id"),
    path("books/<int:pk>-<slug:slug>/", book_views.book, name="book"),
]
