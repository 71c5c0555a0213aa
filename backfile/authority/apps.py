from django.apps import AppConfig


class AuthorityConfig(AppConfig):
    verbose_name = "Authority file"
    name = "backfile.authority"
    label = "authority"

    def ready(self) -> None:
        from backfile.authority import receivers  # noqa: F401  (keeps mentions current)
