"""`backfile check --deploy`: what Django's own deploy checks cannot know about Backfile."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register

from backfile import conf


@register(Tags.security, deploy=True)
def backfile_deploy_checks(app_configs=None, **kwargs) -> list[Warning]:
    found = []
    if not settings.BACKFILE_BASE_URL:
        found.append(
            Warning(
                "BACKFILE_BASE_URL is not set: absolute URLs (OAI-PMH, feeds, sitemaps, "
                "citations, canonical links, the API) fall back to the request's host.",
                hint="Set BACKFILE_BASE_URL to the archive's public origin, such as "
                "https://archive.example.org (docs/deploy.md).",
                id="backfile.W001",
            )
        )
    if settings.SECRET_KEY == conf.DEVELOPMENT_SECRET_KEY:
        found.append(
            Warning(
                "SECRET_KEY is Backfile's public development key.",
                hint="Set BACKFILE_SECRET_KEY to a long random string, kept secret.",
                id="backfile.W002",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        found.append(
            Warning(
                "ALLOWED_HOSTS accepts any host name.",
                hint="Set BACKFILE_ALLOWED_HOSTS to the site's own host names only.",
                id="backfile.W003",
            )
        )
    if not settings.BACKFILE_ADMIN_EMAIL:
        found.append(
            Warning(
                "BACKFILE_ADMIN_EMAIL is not set: OAI-PMH gives harvesters a webmaster@ "
                "address that may reach no one.",
                hint="Set BACKFILE_ADMIN_EMAIL to the address of whoever answers for the archive.",
                id="backfile.W004",
            )
        )
    return found
