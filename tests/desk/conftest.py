"""The desk's tests: accounts of each role signed in through the admin, and the job queue
run in the test's own process (django-q2's sync mode), so a job's whole run is seen."""

from __future__ import annotations

import os
import zipfile
from io import StringIO
from pathlib import Path
from unittest.mock import patch

import pytest
from django.core.management import call_command

from tests.conftest import FIXTURES

PASSWORD = "a desk password for tests"


def create_account(username: str, role: str) -> str:
    out = StringIO()
    with patch.dict(os.environ, {"BACKFILE_EDITOR_PASSWORD": PASSWORD}):
        call_command("createeditor", username, "--role", role, stdout=out)
    return out.getvalue()


def signed_in(client, username: str, role: str):
    """A client signed in through the admin's form as an account of `role`."""
    create_account(username, role)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302, "signed in"
    return client


def captures_zip(folder: Path, name: str = "lantern.zip") -> Path:
    """A zip of captured pages of The Lantern (the suite's own fixtures), as an editor has them."""
    path = folder / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for capture in sorted((FIXTURES / "capture" / "the-lantern").glob("*.txt")):
            archive.write(capture, f"the-lantern/{capture.name}")
    return path


@pytest.fixture
def queue_in_process(monkeypatch, tmp_path, settings):
    """Jobs run as they are queued, in this process (django-q2's sync mode), and uploads are
    kept under the test's own folder."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", True)
    settings.BACKFILE_INGEST_UPLOADS = str(tmp_path / "uploads")
    return tmp_path / "uploads"


@pytest.fixture
def editor(client, db):
    return signed_in(client, "hilda", "editor")
