"""Who this repository is to a harvester: its identifier namespace, name and admin address.

None of it follows the request's Host header: a record is `oai:archive.example.org:article:12`
however the harvester reached the server, so one host's identifiers are every host's.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.conf import settings

from backfile.archive.models import Publication

# The oai-identifier scheme's repositoryIdentifier: a domain name (letters first, a dot).
REPOSITORY_IDENTIFIER = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
# Where neither BACKFILE_OAI_NAMESPACE nor BACKFILE_BASE_URL gives a domain name (a server on
# the loopback, an address such as 127.0.0.1): a fixed name under the loopback's own domain
# (RFC 6761), so identifiers never change with the address a harvester used.
LOOPBACK_NAMESPACE = "backfile.localhost"
SAMPLE_IDENTIFIER = "article:1"


def namespace() -> str:
    """BACKFILE_OAI_NAMESPACE, else BACKFILE_BASE_URL's host, where it is a domain name."""
    configured = settings.BACKFILE_OAI_NAMESPACE or ""
    if REPOSITORY_IDENTIFIER.fullmatch(configured):
        return configured
    host = urlsplit(settings.BACKFILE_BASE_URL or "").hostname or ""
    return host if REPOSITORY_IDENTIFIER.fullmatch(host) else LOOPBACK_NAMESPACE


def repository_name() -> str:
    """BACKFILE_OAI_REPOSITORY_NAME; else the one publication's name, or the publications'
    names together (`The Tideway, The Northern Review and 4 more`)."""
    if settings.BACKFILE_OAI_REPOSITORY_NAME:
        return settings.BACKFILE_OAI_REPOSITORY_NAME
    names = list(Publication.objects.order_by("name").values_list("name", flat=True)[:3])
    count = Publication.objects.count() if len(names) == 3 else len(names)
    if not names:
        return "Backfile archive"
    if count == 1:
        return names[0]
    if count == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]}, {names[1]} and {count - 2} more"


def admin_email() -> str:
    """BACKFILE_ADMIN_EMAIL; `backfile check --deploy` warns where it is unset, and until then
    the address is the namespace's webmaster."""
    return settings.BACKFILE_ADMIN_EMAIL or f"webmaster@{namespace()}"
