from django.apps import AppConfig


class CorrectionsConfig(AppConfig):
    name = "backfile.corrections"
    label = "corrections"
    verbose_name = "Readers' corrections"

    def ready(self) -> None:
        from backfile.corrections import signals  # noqa: F401  (connects the receivers)
