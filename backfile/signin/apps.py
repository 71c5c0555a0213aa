from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "backfile.signin"
    label = "signin"
    verbose_name = "Sign-in throttling"
