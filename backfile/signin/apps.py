from django.apps import AppConfig


class SigninConfig(AppConfig):
    name = "backfile.signin"
    label = "signin"
    verbose_name = "Sign-in throttling"

    def ready(self) -> None:
        from django.contrib import admin

        # Django's sign-in page has no h1 (its content_title is empty): ours names the page.
        admin.site.login_template = "signin/admin_login.html"
