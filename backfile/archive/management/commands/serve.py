"""`backfile serve [--host H] [--port P]`: the reading site under gunicorn."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication


class BackfileServer(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        from backfile.wsgi import application

        return application


class Command(BaseCommand):
    help = "Serve the reading site, the editors' desk and the APIs."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, host, port, workers, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        database = settings.DATABASES["default"]["NAME"]
        self.stdout.write(f"Backfile serving {database} on http://{host}:{port}/")
        BackfileServer(
            {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": 4,
                "accesslog": "-",
                "timeout": 60,
            }
        ).run()
