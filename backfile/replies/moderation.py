"""Who gets through, and how often: the reply policy in one place.

Settings (all optional):

- BACKFILE_REPLIES_MODERATION: "all" (default) holds every reply for an editor;
  "trusted" publishes at once the replies of a reader whose email address
  already has an approved reply.
- BACKFILE_REPLIES_RATE: replies one address may post per window (default 5).
- BACKFILE_REPLIES_RATE_WINDOW: that window in seconds (default 600).
- BACKFILE_REPLIES_MAX_LENGTH: characters a reply may hold (default 10,000).
- BACKFILE_REPLIES_MAX_LINKS: links a reply may hold (default 3).

Rate limits count the stored replies of an address, so every server worker
(and every process) sees the same count without a shared cache. Counting and
storing are one step (`store_within_rate`): otherwise simultaneous posts from
one address all count the same few replies and all get stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from backfile.replies.models import Reply

MODERATION_POLICIES = ("all", "trusted")

Posted = TypeVar("Posted", bound=models.Model)


def setting(name: str, default: int | str) -> int | str:
    return getattr(settings, f"BACKFILE_REPLIES_{name}", default)


def max_length() -> int:
    return int(setting("MAX_LENGTH", 10_000))


def max_links() -> int:
    return int(setting("MAX_LINKS", 3))


def moderation_policy() -> str:
    policy = str(setting("MODERATION", "all")).strip().lower() or "all"
    if policy not in MODERATION_POLICIES:
        raise ImproperlyConfigured(
            f"BACKFILE_REPLIES_MODERATION is {policy!r}; use one of {', '.join(MODERATION_POLICIES)}"
        )
    return policy


def initial_status(email: str) -> str:
    """Pending, unless the policy trusts readers already approved and this one is."""
    if moderation_policy() == "trusted" and email:
        trusted = Reply.objects.approved().filter(author_email__iexact=email).exists()
        if trusted:
            return Reply.Status.APPROVED
    return Reply.Status.PENDING


def client_address(request: HttpRequest) -> str | None:
    """The reader's address: REMOTE_ADDR, or behind a trusted proxy, X-Forwarded-For.

    Behind nginx or another reverse proxy every request comes from the proxy's
    address, which would put every reader under one rate limit. Where REMOTE_ADDR
    is one of BACKFILE_TRUSTED_PROXIES, the address is the last one in
    X-Forwarded-For that is not itself a trusted proxy (the entries before it
    are whatever the client sent, and cannot be believed).
    """
    address = request.META.get("REMOTE_ADDR") or None
    trusted = set(getattr(settings, "BACKFILE_TRUSTED_PROXIES", ()))
    if address not in trusted:
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",")]):
        if hop and hop not in trusted:
            return hop[:45]  # the longest IPv6 text form
    return address


def is_rate_limited(address: str | None, model: type[models.Model] = Reply) -> bool:
    """Has this address already posted as many replies as the window allows?

    `model` is what is counted: replies, or another kind of reader's post with the same
    `ip_address` and `created` fields (the corrections readers suggest), which then has
    a limit of its own with the same settings.
    """
    if address is None:
        return False
    since = timezone.now() - timedelta(seconds=int(setting("RATE_WINDOW", 600)))
    recent = model.objects.filter(ip_address=address, created__gte=since).count()
    return recent >= int(setting("RATE", 5))


# The first key of the PostgreSQL advisory locks the rate limit takes ("rl"), so they
# cannot meet a lock some other code takes on the same hash.
RATE_LOCK_CLASS = 0x726C


def store_within_rate(
    address: str | None, store: Callable[[], Posted], model: type[Posted] = Reply
) -> Posted | None:
    """Count this address's recent replies and store one more, as one atomic step.

    Returns what `store()` stored, or None (and stores nothing) when the address has
    already posted as many replies as the window allows. The count and the insert
    run in one transaction that no other post from the same address can interleave
    with: on SQLite the transaction begins with BEGIN IMMEDIATE (see
    backfile/database.py), which takes the database's single write lock before the
    count; on PostgreSQL a transaction-scoped advisory lock on the address does the
    same for that address alone, and is released by the commit.
    """
    with transaction.atomic():
        if address is not None and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [RATE_LOCK_CLASS, address]
                )
        if is_rate_limited(address, model):
            return None
        return store()


def rate_limit_message(plural: str = "replies", singular: str = "reply") -> str:
    minutes = max(1, int(setting("RATE_WINDOW", 600)) // 60)
    return (
        f"You have sent {setting('RATE', 5)} {plural} in the last {minutes} minutes, which is as "
        f"many as we accept from one address. Your {singular} is still in the form below: "
        "please wait a few minutes and send it again."
    )
