"""The desk's three roles, each a group of permissions, made again after every `migrate`.

- **Editors** correct the archive: every permission on the archive's records (articles,
  issues, authors, pictures, printed pages, revisions), the replies and the readers'
  corrections, and the authority file's entries, aliases and candidate names (mentions
  are kept from the text, so only seen), and may start ingests from the desk.
- **Moderators** keep the conversation: they moderate replies and readers' corrections,
  and may not change the archive itself (an article's change page answers 403).
- **Administrators** are editors who also manage accounts and read the audit trail of
  sign-ins and changes (the desk's audit page, the sign-in throttle's records).

`backfile createeditor USERNAME --role …` puts an account in one of them.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

EDITORS = "Editors"
MODERATORS = "Moderators"
ADMINISTRATORS = "Administrators"
ROLES = {"editor": EDITORS, "moderator": MODERATORS, "administrator": ADMINISTRATORS}

# every permission on these apps' models (`editing`: revisions, when that app is installed)
EDITED_APPS = ("archive", "replies", "media", "corrections", "facsimiles", "editing")
MODERATED_APPS = ("replies", "corrections")
DESK_JOBS = ("add_ingestjob", "view_ingestjob")
AUTHORITY = Q(content_type__app_label="authority") & (
    Q(content_type__model__in=("entry", "alias", "candidate")) | Q(codename="view_mention")
)
ADMINISTERED = Q(content_type__app_label__in=("auth", "axes", "django_q")) | Q(
    content_type__app_label="admin", codename="view_logentry"
)


def permissions_of(group_name: str):
    everything = Permission.objects.all()
    desk_jobs = Q(content_type__app_label="desk", codename__in=DESK_JOBS)
    if group_name == MODERATORS:
        return everything.filter(content_type__app_label__in=MODERATED_APPS)
    edited = Q(content_type__app_label__in=EDITED_APPS) | desk_jobs | AUTHORITY
    if group_name == EDITORS:
        return everything.filter(edited)
    audit = Q(content_type__app_label="desk", codename="view_audit")
    return everything.filter(edited | ADMINISTERED | audit)


def role_group(group_name: str) -> Group:
    """The group, with (exactly) the permissions of its role."""
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.set(permissions_of(group_name))
    return group


def ensure_roles(**kwargs) -> None:
    """post_migrate: the three groups, once every app's permissions exist (after the last
    app's migrations)."""
    from django.apps import apps

    sender = kwargs.get("sender")
    if sender is not None and sender is not list(apps.get_app_configs())[-1]:
        return
    for group_name in ROLES.values():
        role_group(group_name)
