from __future__ import annotations

import pytest

from tests.replies.helpers import create_editor, stored_article


@pytest.fixture
def article(db):
    return stored_article()


@pytest.fixture
def other_article(db):
    return stored_article(key="bus-fares", title="Bus Fares Up Again")


@pytest.fixture
def editor(db):
    create_editor("hilda")
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="hilda")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Editors sign in many times here; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
