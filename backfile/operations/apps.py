from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "backfile.operations"
    label = "operations"
    verbose_name = "Operations (backups)"
