from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    verbose_name = "Archive"
    name = "backfile.archive"
    label = "archive"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from backfile import database_users
        from backfile.archive.dates import read_stored_dates_leniently

        read_stored_dates_leniently()
        # this process uses the archive's file: an ingest paces its writes for it
        connection_created.connect(database_users.attach, dispatch_uid="backfile-users")
