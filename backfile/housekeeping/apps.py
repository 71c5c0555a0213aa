from django.apps import AppConfig


class HousekeepingConfig(AppConfig):
    name = "backfile.housekeeping"
    label = "housekeeping"
    verbose_name = "Issue and article housekeeping"

    def ready(self):
        from backfile.housekeeping import receivers

        receivers.connect()
