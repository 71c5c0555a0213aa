from django.apps import AppConfig


class FacsimilesConfig(AppConfig):
    name = "backfile.facsimiles"
    label = "facsimiles"
    verbose_name = "Printed pages"
