"""`backfile createeditor`: staff accounts in the Editors group, from a prompt or a script."""

from __future__ import annotations

import subprocess
import sys
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from tests.replies.helpers import EDITOR_PASSWORD, create_editor

pytestmark = pytest.mark.django_db


def signs_in(username: str, password: str):
    """The user the admin's sign-in would accept (the throttle needs the request)."""
    request = RequestFactory().post("/admin/login/")
    return authenticate(request, username=username, password=password)


def test_an_editor_is_staff_in_the_editors_group_and_not_superuser(db):
    printed = create_editor("hilda")
    user = get_user_model().objects.get(username="hilda")
    assert "Created editor hilda" in printed
    assert user.is_staff and user.is_active and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]
    assert user.has_perm("replies.change_reply")
    assert user.has_perm("archive.change_article")
    assert user.has_perm("archive.delete_author")
    assert not user.has_perm("auth.add_user"), "editors do not manage accounts"
    assert signs_in("hilda", EDITOR_PASSWORD) == user


def test_running_it_again_updates_password_and_group(db, monkeypatch):
    create_editor("hilda")
    user = get_user_model().objects.get(username="hilda")
    user.groups.clear()
    user.is_staff = False
    user.save()
    monkeypatch.setenv("BACKFILE_EDITOR_PASSWORD", "a new and longer secret")
    out = StringIO()
    call_command("createeditor", "hilda", stdout=out)
    user.refresh_from_db()
    assert "Updated editor hilda" in out.getvalue()
    assert user.is_staff and user.groups.filter(name="Editors").exists()
    assert signs_in("hilda", "a new and longer secret") == user
    assert get_user_model().objects.count() == 1


def test_the_password_is_asked_for_twice(db, monkeypatch):
    monkeypatch.delenv("BACKFILE_EDITOR_PASSWORD", raising=False)
    answers = iter(["typed at the prompt", "typed at the prompt"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("createeditor", "otto", stdout=StringIO())
    assert signs_in("otto", "typed at the prompt") is not None


def test_two_different_passwords_change_nothing(db, monkeypatch):
    monkeypatch.delenv("BACKFILE_EDITOR_PASSWORD", raising=False)
    answers = iter(["first try", "second try"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="differ"):
        call_command("createeditor", "otto", stdout=StringIO())
    assert not get_user_model().objects.filter(username="otto").exists()


def test_an_empty_password_is_refused(db, monkeypatch):
    monkeypatch.setenv("BACKFILE_EDITOR_PASSWORD", "")
    with pytest.raises(CommandError, match="empty"):
        call_command("createeditor", "otto", stdout=StringIO())


def test_the_backfile_command_makes_an_editor_from_a_script(tmp_path):
    database = tmp_path / "desk.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "backfile.cli", "--db", str(database), "createeditor", "hilda"],
        env={"BACKFILE_EDITOR_PASSWORD": EDITOR_PASSWORD, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Created editor hilda" in result.stdout
