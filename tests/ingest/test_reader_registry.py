"""Readers are pluggable: a package adds one through the `backfile.readers` entry points.

The third-party reader installed here is the example of docs/readers.md, taken
from the page itself, so the guide cannot drift from what works.
"""

from __future__ import annotations

import logging
import re

import pytest

from backfile.archive.models import Article
from backfile.ingest import readers
from backfile.ingest.readers import BUILT_IN, registered
from tests.conftest import REPO

GUIDE = REPO / "docs" / "readers.md"
QUARRY_FILE = """QUARRY NOTES
Issue: 41
Date: 1962-05
Title: The lower quarry floods again
Author: Ada Flint

The water rose over the lower ledge on Tuesday night.

The pumps were running again by
Thursday.
"""


def guide_block(language: str) -> str:
    """The first ```language block of the guide (snippets elsewhere in it are ```py)."""
    match = re.search(rf"```{language}\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert match, f"docs/readers.md has no {language} block"
    return match.group(1)


def install(site, name: str, module: str, entry_points: str) -> None:
    """A package as pip leaves it: the module and a dist-info folder with its entry points."""
    (site / f"{name}.py").write_text(module, encoding="utf-8")
    info = site / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name.replace('_', '-')}\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path to install packages into; the registry is looked up afresh."""
    folder = tmp_path / "site-packages"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    monkeypatch.undo()
    readers.refresh()


@pytest.fixture
def quarry_file(tmp_path):
    folder = tmp_path / "quarry-bell"
    folder.mkdir()
    (folder / "1962-05.txt").write_text(QUARRY_FILE, encoding="utf-8")
    return folder


def test_built_in_readers_are_registered_in_their_explicit_order():
    assert registered()[: len(BUILT_IN)] == BUILT_IN
    assert [cls.priority for cls in BUILT_IN] == sorted(cls.priority for cls in BUILT_IN)
    entry_points = re.search(
        r'\[project\.entry-points\."backfile\.readers"\]\n(.*?)\n\n',
        (REPO / "pyproject.toml").read_text(encoding="utf-8"),
        re.S,
    )
    assert entry_points, "pyproject.toml declares the built-in readers"
    declared = {line.split(" = ")[0] for line in entry_points.group(1).splitlines()}
    assert declared == {cls.format for cls in BUILT_IN}


def test_a_file_only_an_installed_reader_understands_is_ingested_through_it(
    site, quarry_file, ingest_paths
):
    before = ingest_paths(quarry_file)
    assert before.count("failed") == 1 and not Article.objects.exists()

    module = guide_block("python")
    declared = guide_block("toml").split('[project.entry-points."backfile.readers"]\n')[1]
    entry_points = "[backfile.readers]\n" + declared.replace('"', "")  # TOML to entry_points.txt
    install(site, "quarry_reader", module, entry_points)
    found = readers.refresh()
    assert [cls.format for cls in found] == ["jsonl", "wxr", "ndnp", "quarry-notes",
                                            "legacy-html", "capture", "pdf", "page-images"]  # fmt: skip

    report = ingest_paths(quarry_file)

    assert report.count("added") == 1 and report.count("failed") == 0
    article = Article.objects.get()
    assert article.title == "The lower quarry floods again"
    assert [a.name for a in article.ordered_authors()] == ["Ada Flint"]
    assert (article.issue.number, article.issue.year, article.issue.month) == (41, 1962, 5)
    assert [b["text"] for b in article.blocks] == [
        "The water rose over the lower ledge on Tuesday night.",
        "The pumps were running again by Thursday.",
    ]
    assert article.source.format == "quarry-notes"
    url = "/the-quarry-bell/1960s/1962/no-41-may-1962/the-lower-quarry-floods-again/"
    assert article.get_absolute_url() == url and url in GUIDE.read_text(encoding="utf-8")


def test_a_reader_that_cannot_be_loaded_is_logged_and_the_others_still_work(
    site, caplog, ingest_paths, quarry_file
):
    install(site, "broken_reader", "raise ImportError('a missing dependency')\n",
            "[backfile.readers]\nbroken = broken_reader:Reader\n")  # fmt: skip
    install(site, "not_a_reader", "class Thing:\n    pass\n",
            "[backfile.readers]\nthing = not_a_reader:Thing\n")  # fmt: skip
    with caplog.at_level(logging.WARNING, logger="backfile.ingest"):
        found = readers.refresh()
    assert found == BUILT_IN
    assert "reader 'broken' (broken_reader:Reader) could not be loaded" in caplog.text
    assert "reader 'thing' (not_a_reader:Thing) is not a Reader subclass" in caplog.text
