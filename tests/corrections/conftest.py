from __future__ import annotations

import pytest

from tests.corrections.helpers import ocr_article
from tests.replies.helpers import create_editor, sign_in


@pytest.fixture
def article(db):
    return ocr_article()


@pytest.fixture
def editor(db):
    create_editor("hilda")
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="hilda")


@pytest.fixture
def desk(client, editor):
    return sign_in(client)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
