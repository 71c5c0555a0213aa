from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "backfile.caching"
    label = "caching"
    verbose_name = "Caching"

    def ready(self) -> None:
        from backfile.caching import receivers  # noqa: F401  (bumps the generation on writes)
