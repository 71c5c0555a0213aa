from django.apps import AppConfig


class FacsimilesConfig(AppConfig):
    name = "backfile.facsimiles"
    label = "facsimiles"
    verbose_name = "Printed pages"

    def ready(self) -> None:
        from backfile.facsimiles import receivers  # noqa: F401  (tiles for stored pages)
