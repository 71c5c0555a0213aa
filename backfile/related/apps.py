from django.apps import AppConfig


class RelatedConfig(AppConfig):
    name = "backfile.related"
    label = "related"
    verbose_name = "Related articles"

    def ready(self) -> None:
        from backfile.related import signals  # noqa: F401  (keeps the terms in step with ingests)
