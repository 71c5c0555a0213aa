"""URLs of citations (filled in by its module)."""

urlpatterns: list = []
