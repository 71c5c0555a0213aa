from django.apps import AppConfig


class DeployConfig(AppConfig):
    name = "backfile.deploy"
    label = "deploy"
    verbose_name = "Deployment"

    def ready(self) -> None:
        from backfile.deploy import checks  # noqa: F401  (registers the deploy checks)
