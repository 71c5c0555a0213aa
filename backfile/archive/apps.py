from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    verbose_name = "Archive"
    name = "backfile.archive"
    label = "archive"
