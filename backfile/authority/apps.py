from django.apps import AppConfig


class AuthorityConfig(AppConfig):
    verbose_name = "Authority file"
    name = "backfile.authority"
    label = "authority"
