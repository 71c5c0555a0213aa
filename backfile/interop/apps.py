from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "backfile.interop"
    label = "interop"
