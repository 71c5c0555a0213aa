from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "backfile.search"
    label = "search"
