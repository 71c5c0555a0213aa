from django.apps import AppConfig


class IngestConfig(AppConfig):
    name = "backfile.ingest"
    label = "ingest"
