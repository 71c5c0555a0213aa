"""`backfile createeditor USERNAME`: an account for the editors' desk at /admin/.

Editors are staff (not superusers) in the "Editors" group, which may view, add,
change and delete the archive's and the replies' records and their history.
The password is asked for twice, or read from BACKFILE_EDITOR_PASSWORD when the
command runs from a script. Running it again for an existing user resets the
password and puts the user back in the group.
"""

from __future__ import annotations

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

EDITORS_GROUP = "Editors"
EDITED_APPS = ("archive", "replies", "media", "corrections", "facsimiles")
PASSWORD_VARIABLE = "BACKFILE_EDITOR_PASSWORD"


def editors_group() -> Group:
    """The Editors group, with every permission on the archive's and replies' models."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=EDITED_APPS))
    return group


class Command(BaseCommand):
    help = "Create (or update) an editor: a staff account in the Editors group."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="the editor's email address")

    def handle(self, *args, username: str, email: str, **options):
        password = self.password(username)
        User = get_user_model()
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username)
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            user.set_password(password)
            user.is_staff = True
            user.is_active = True
            if email:
                user.email = email
            user.save()
            user.groups.add(editors_group())
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} editor {username}: sign in at /admin/")

    def password(self, username: str) -> str:
        from_environment = os.environ.get(PASSWORD_VARIABLE)
        if from_environment is not None:
            if not from_environment:
                raise CommandError(f"{PASSWORD_VARIABLE} is set but empty.")
            return from_environment
        first = getpass.getpass(f"Password for {username}: ")
        if not first:
            raise CommandError("The password may not be empty.")
        if getpass.getpass("Password (again): ") != first:
            raise CommandError("The two passwords differ; nothing was changed.")
        return first
