from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "backfile.interop"
    label = "interop"

    def ready(self) -> None:
        from backfile.interop import tombstones

        tombstones.connect()
