"""An archive read from the project's capture fixtures, copied so a test may change a source."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import FIXTURES

LANTERN = FIXTURES / "capture" / "the-lantern"
COAL_BOARD = "no-88-march-1952_coal-board.txt"
COAL_BOARD_SENTENCE = "Neither is proof of anything."


@pytest.fixture
def sources(tmp_path):
    folder = tmp_path / "the-lantern"
    shutil.copytree(LANTERN, folder)
    return folder


@pytest.fixture
def lantern(ingest_paths, sources):
    """The Lantern ingested through the real pipeline: {source file name: article URL}."""
    report = ingest_paths(sources, publication="The Lantern")
    urls = {entry.path.rsplit("/", 1)[-1]: entry.url for entry in report.entries if entry.url}
    assert COAL_BOARD in urls, report.entries
    return urls


def rewrite(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def last_change_long_ago() -> None:
    """As if the archive last changed five minutes ago (Last-Modified is only sent once
    the second of the last change is over)."""
    from backfile.caching.models import Generation, ScopedGeneration

    long_ago = timezone.now() - timedelta(minutes=5)
    Generation.objects.update(changed=long_ago)
    ScopedGeneration.objects.update(changed=long_ago)
