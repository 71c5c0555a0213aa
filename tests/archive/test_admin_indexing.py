"""An editor's save touching many articles reindexes them in the request's own thread.

Renaming an author or redating an issue in the editors' desk announces every
article it shows in; the search index follows at once, and no worker process is
ever forked from a web request (under gunicorn that copy of the server would
outlive the request).
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from backfile.archive.models import Author, Issue
from backfile.ingest.loader import load
from backfile.search.backends import Filters, search
from tests.replies.helpers import admin_form_data, article_record, create_editor

pytestmark = pytest.mark.django_db

ARTICLES = 150


@pytest.fixture
def desk(client):
    from django.contrib.auth import get_user_model

    create_editor("hilda")
    client.force_login(get_user_model().objects.get(username="hilda"))
    return client


@pytest.fixture
def many_articles():
    """150 articles of one issue, all by Ada Penrose."""
    report = load(
        article_record(key=f"branch-{n}", title=f"Branch report {n}", authors=["Ada Penrose"])
        for n in range(ARTICLES)
    )
    assert report.count("added") == ARTICLES, report.entries


def children_of_this_process() -> list[int]:
    """Live processes whose parent is this one, from /proc."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])  # the field after the state
        if parent == os.getpid():
            found.append(int(pid))
    return found


@pytest.fixture
def forks(monkeypatch):
    """Every fork this process makes meanwhile (a pool's workers, however short-lived)."""
    made: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            made.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    before = children_of_this_process()
    yield made
    assert multiprocessing.active_children() == []
    assert children_of_this_process() == before


def save(desk, obj, form_id: str, **changes):
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    page = desk.get(url)
    assert page.status_code == 200
    data = admin_form_data(page.content, form_id)
    data.update({name: [value] for name, value in changes.items()})
    data["_save"] = ["Save"]
    response = desk.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_renaming_an_author_of_150_articles_reindexes_them_without_a_process(
    desk, many_articles, forks
):
    author = Author.objects.get(name="Ada Penrose")
    assert search("Quillfeather").total == 0

    save(desk, author, "author_form", name="Ada Quillfeather")

    assert forks == []
    assert search("Quillfeather").total == ARTICLES
    assert search("author:Quillfeather").total == ARTICLES


def test_redating_an_issue_of_150_articles_reindexes_them_without_a_process(
    desk, many_articles, forks
):
    issue = Issue.objects.get()
    assert search("branch", Filters(year=1953)).total == 0

    save(desk, issue, "issue_form", year="1953")

    assert forks == []
    assert search("branch", Filters(year=1953)).total == ARTICLES
    assert search("branch", Filters(year=1952)).total == 0
