"""`backfile createeditor USERNAME [--role editor|moderator|administrator]`: an account for the
editors' desk at /admin/ (and /desk/).

Every account is staff (never a superuser) in the group of its role (backfile.desk.roles):
Editors (the default), Moderators or Administrators. The password is read from
`--password-file FILE` (its first line), from BACKFILE_EDITOR_PASSWORD when the command
runs from a script, or asked for twice. Running it again for an existing user resets the
password and puts the user in the role's group (and out of the other roles'); a user who
was a superuser is one no more (a superuser has every permission, whatever the role).
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from backfile.desk.roles import ROLES, role_group

PASSWORD_VARIABLE = "BACKFILE_EDITOR_PASSWORD"


class Command(BaseCommand):
    help = "Create (or update) a desk account: editor (the default), moderator or administrator."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), default="editor")
        parser.add_argument("--email", default="", help="the account's email address")
        parser.add_argument(
            "--password-file",
            type=Path,
            help="read the password from the first line of this file (instead of asking)",
        )

    def handle(self, *args, username: str, role: str, email: str, password_file, **options):
        password = self.password(username, password_file)
        User = get_user_model()
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username)
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from error
            user.set_password(password)
            demoted = user.is_superuser
            user.is_staff = True
            user.is_active = True
            user.is_superuser = False
            if email:
                user.email = email
            user.save()
            user.groups.remove(*user.groups.filter(name__in=ROLES.values()))
            user.groups.add(role_group(ROLES[role]))
        verb = "Created" if created else "Updated"
        demotion = " (no longer a superuser)" if demoted else ""
        self.stdout.write(f"{verb} {role} {username}{demotion}: sign in at /admin/")

    def password(self, username: str, password_file: Path | None) -> str:
        if password_file is not None:
            try:
                lines = password_file.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"{password_file}: cannot read it ({error})") from None
            if not lines or not lines[0]:
                raise CommandError(f"{password_file}: its first line (the password) is empty.")
            return lines[0]
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
