"""Shared test helpers: where the shared corpus is, and skips that CI refuses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("BACKFILE_CORPUS", REPO.parent / "shared" / "corpus"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_unless(condition: bool, reason: str) -> None:
    """Skip with `reason` where a tool or file is missing, but fail under CI=true."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def corpus_path(*parts: str) -> Path:
    """A path inside ../shared/corpus; skips the test where the corpus is absent, but fails
    under CI=true (like `skip_unless`)."""
    path = CORPUS.joinpath(*parts)
    skip_unless(path.exists(), f"shared corpus not found at {path}")
    return path


@pytest.fixture
def ingest_paths(db):
    """Ingest paths through the real pipeline and return the report."""
    from backfile.ingest.pipeline import ingest

    def run(*paths, publication=None):
        return ingest([Path(p) for p in paths], publication=publication)

    return run


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test starts with no stored pages: a test database starts again at the same
    generation, so a page stored by an earlier test could otherwise answer for it."""
    from django.core.cache import caches

    caches["default"].clear()
