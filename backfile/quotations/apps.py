from django.apps import AppConfig


class QuotationsConfig(AppConfig):
    verbose_name = "Quotations"
    name = "backfile.quotations"
    label = "quotations"
