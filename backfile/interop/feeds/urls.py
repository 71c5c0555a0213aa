"""URLs of feeds (filled in by its module)."""

urlpatterns: list = []
