from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "backfile.search"
    label = "search"

    def ready(self) -> None:
        from backfile.search import signals  # noqa: F401  (connects the index to the archive)
