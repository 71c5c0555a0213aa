from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    verbose_name = "Archive"
    name = "backfile.archive"
    label = "archive"

    def ready(self) -> None:
        from backfile.archive.dates import read_stored_dates_leniently

        read_stored_dates_leniently()
