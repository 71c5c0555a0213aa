from django.apps import AppConfig


class QuotationsConfig(AppConfig):
    verbose_name = "Quotations"
    name = "backfile.quotations"
    label = "quotations"

    def ready(self) -> None:
        from backfile.quotations import receivers  # noqa: F401  (keeps the quotations in step)
