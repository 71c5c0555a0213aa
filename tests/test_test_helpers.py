"""The suite's own guards: a missing corpus fails under CI=true instead of skipping."""

from __future__ import annotations

import pytest

from tests import conftest


def test_a_missing_corpus_skips_locally(monkeypatch):
    monkeypatch.setattr(conftest, "IN_CI", False)
    with pytest.raises(pytest.skip.Exception, match="shared corpus not found"):
        conftest.corpus_path("no-such-folder-anywhere")


def test_a_missing_corpus_fails_in_ci(monkeypatch):
    monkeypatch.setattr(conftest, "IN_CI", True)
    with pytest.raises(pytest.fail.Exception, match="required in CI: shared corpus not found"):
        conftest.corpus_path("no-such-folder-anywhere")
