from django.apps import AppConfig


class EditingConfig(AppConfig):
    verbose_name = "Editing"
    name = "backfile.editing"
    label = "editing"
