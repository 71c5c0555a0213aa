"""URLs of oai (filled in by its module)."""

urlpatterns: list = []
