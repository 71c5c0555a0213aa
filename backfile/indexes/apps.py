from django.apps import AppConfig


class IndexesConfig(AppConfig):
    verbose_name = "Indexes"
    name = "backfile.indexes"
    label = "indexes"

    def ready(self) -> None:
        from backfile.indexes import receivers  # noqa: F401  (keeps the entries in step)
