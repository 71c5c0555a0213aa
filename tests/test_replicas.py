"""Read replicas: reads to a replica, writes and read-after-write to the primary.

The routing tests give the suite's database a replica alias that mirrors it
(`TEST: {"MIRROR": "default"}`, as backfile.database configures every replica),
so they run on either backend. The replication tests point that alias at a real
streaming replica of the PostgreSQL primary (BACKFILE_TEST_POSTGRES_REPLICA,
made by .ci/replica; the test database streams there like everything else), and
run in the PostgreSQL pass: a row written on the primary is read back through
the replica, and with the replica's replay paused a reader who posts a reply
sees it on the page the post redirects to, while another reader, still served by
the stale replica, does not.
"""

from __future__ import annotations

import contextvars
import os
import time
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from backfile import routers
from backfile.archive.models import Article, Publication
from backfile.database import databases, postgres_settings
from backfile.replies.models import Reply
from backfile.search.parallel import close_helper
from tests.conftest import skip_unless
from tests.replies.helpers import (
    post_url,
    replies_section,
    reply_form_data,
    stored_article,
    stored_reply,
)

REPLICA_URL = os.environ.get("BACKFILE_TEST_POSTGRES_REPLICA", "")
CATCH_UP_SECONDS = 60


def add_replica(alias: str, **overrides) -> None:
    """A replica alias of the suite's database: a mirror of `default`, or a real replica."""
    default = connections["default"].settings_dict
    test = {**default["TEST"], "MIRROR": "default"}
    connections.settings[alias] = {**default, **overrides, "TEST": test}


def remove_replica(alias: str) -> None:
    if alias in connections.settings:
        if hasattr(connections._connections, alias):
            connections[alias].close()
            del connections[alias]
        del connections.settings[alias]


@pytest.fixture
def mirrored() -> Iterator[list[str]]:
    aliases = ["replica_1", "replica_2"]
    for alias in aliases:
        add_replica(alias)
    yield aliases
    for alias in aliases:
        remove_replica(alias)


def fresh(work, *args):
    """`work` as a new request or thread would run it: nothing written yet."""
    return contextvars.Context().run(work, *args)


def read_alias() -> str:
    return routers.PrimaryReplicaRouter().db_for_read(Article)


# --- settings ------------------------------------------------------------------------


def test_without_replicas_there_is_one_database():
    assert list(databases("postgres://u:p@db.example/archive", [])) == ["default"]
    assert list(databases("archive.sqlite3", None)) == ["default"]


def test_each_replica_url_is_an_alias_tested_as_a_mirror_of_the_primary():
    configured = databases(
        "postgres://u:p@primary.example/archive",
        [
            "postgres://u:p@replica-a.example:5433/archive",
            "postgres://u:p@replica-b.example/archive",
        ],
    )
    assert list(configured) == ["default", "replica_1", "replica_2"]
    assert configured["replica_1"]["HOST"] == "replica-a.example"
    assert configured["replica_1"]["PORT"] == "5433"
    assert configured["replica_2"]["HOST"] == "replica-b.example"
    assert configured["replica_2"]["TEST"] == {"MIRROR": "default"}


def test_replicas_of_a_sqlite_file_are_refused_saying_what_to_set():
    with pytest.raises(ImproperlyConfigured, match="BACKFILE_DB_REPLICAS needs a PostgreSQL"):
        databases("archive.sqlite3", ["postgres://u:p@replica.example/archive"])


def test_a_replica_that_is_not_a_postgres_url_is_refused_by_name():
    with pytest.raises(ImproperlyConfigured, match="'replica.sqlite3' is not valid"):
        databases("postgres://u:p@primary.example/archive", ["replica.sqlite3"])


# --- routing -------------------------------------------------------------------------


def test_without_replicas_everything_reads_the_primary():
    assert fresh(read_alias) == "default"


def test_reads_take_turns_among_the_replicas(mirrored):
    assert {fresh(read_alias) for _ in range(4)} == {"replica_1", "replica_2"}


def test_after_a_write_the_same_request_reads_the_primary(mirrored):
    def write_then_read() -> tuple[str, str]:
        before = read_alias()
        routers.PrimaryReplicaRouter().db_for_write(Publication)
        return before, read_alias()

    before, after = fresh(write_then_read)
    assert before.startswith("replica_")
    assert after == "default"
    assert fresh(read_alias).startswith("replica_")  # another request is not affected


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_reads_go_to_the_primary(mirrored):
    def read_in_transaction() -> str:
        with transaction.atomic():
            return read_alias()

    assert fresh(read_in_transaction) == "default"
    assert fresh(read_alias).startswith("replica_")


def test_migrations_run_on_the_primary_only(mirrored):
    router = routers.PrimaryReplicaRouter()
    assert router.allow_migrate("default", "archive")
    assert not router.allow_migrate("replica_1", "archive")


def request_through_middleware(view, cookies: dict | None = None) -> tuple[HttpResponse, list]:
    seen: list[str] = []

    def get_response(request):
        return view(seen)

    request = RequestFactory().get("/")
    request.COOKIES.update(cookies or {})
    middleware = routers.ReadAfterWriteMiddleware(get_response)
    return fresh(middleware, request), seen


def reading(seen: list) -> HttpResponse:
    seen.append(read_alias())
    return HttpResponse("read")


def writing(seen: list) -> HttpResponse:
    seen.append(read_alias())
    routers.PrimaryReplicaRouter().db_for_write(Reply)
    seen.append(read_alias())
    return HttpResponse("wrote")


def test_a_request_that_wrote_marks_its_browser_for_the_primary(mirrored, settings):
    settings.BACKFILE_DB_PRIMARY_AFTER_WRITE = 5
    response, seen = request_through_middleware(writing)
    assert seen[0].startswith("replica_") and seen[1] == "default"
    cookie = response.cookies[routers.COOKIE]
    assert cookie["max-age"] == 5 and cookie["httponly"]

    response, seen = request_through_middleware(reading, {routers.COOKIE: "1"})
    assert seen == ["default"]
    assert routers.COOKIE not in response.cookies  # the window is not prolonged by reading

    response, seen = request_through_middleware(reading)
    assert seen[0].startswith("replica_")
    assert routers.COOKIE not in response.cookies


@pytest.mark.django_db(transaction=True)
def test_a_write_on_the_primary_connection_marks_the_request(mirrored):
    def raw_write(seen: list) -> HttpResponse:
        seen.append(read_alias())
        with connection.cursor() as cursor:
            cursor.execute("UPDATE archive_publication SET name = name WHERE id = -1")
        seen.append(read_alias())
        return HttpResponse("wrote")

    response, seen = request_through_middleware(raw_write)
    assert seen[0].startswith("replica_") and seen[1] == "default"
    assert routers.COOKIE in response.cookies


def test_without_replicas_the_middleware_sets_no_cookie():
    response, seen = request_through_middleware(writing)
    assert seen == ["default", "default"]
    assert routers.COOKIE not in response.cookies


# --- a real streaming replica --------------------------------------------------------


@pytest.fixture
def replica(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The alias `replica_1`, connected to the real streaming replica's copy of the test
    database; its replay resumed and the database emptied afterwards.

    Outside Django's test cases (which confine a test to the aliases they were set up
    with): what the test writes is committed, so that it streams to the replica.
    """
    if connection.vendor != "postgresql":
        pytest.skip("streaming replicas are PostgreSQL's; this runs in the PostgreSQL pass")
    skip_unless(
        bool(REPLICA_URL),
        "BACKFILE_TEST_POSTGRES_REPLICA names no streaming replica (.ci/replica makes one)",
    )
    server = postgres_settings(REPLICA_URL)
    keys = ("HOST", "PORT", "USER", "PASSWORD")
    with django_db_blocker.unblock():
        add_replica("replica_1", **{key: server[key] for key in keys})
        try:
            yield "replica_1"
        finally:
            with connections["replica_1"].cursor() as cursor:
                cursor.execute("SELECT pg_wal_replay_resume()")
            remove_replica("replica_1")
            close_helper()  # the search's helper thread may hold a connection to it
            name = connections["default"].settings_dict["NAME"]
            assert name.startswith("test_"), f"not a test database: {name}"
            call_command("flush", database="default", interactive=False, verbosity=0)


def wait_for_replay() -> None:
    """Until the replica has replayed everything the primary has written so far (bounded)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        written = cursor.fetchone()[0]
    deadline = time.monotonic() + CATCH_UP_SECONDS
    with connections["replica_1"].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            if cursor.fetchone()[0]:
                return
            assert time.monotonic() < deadline, f"the replica did not replay {written} in time"
            time.sleep(0.05)


def test_a_row_written_on_the_primary_is_read_back_through_the_replica(replica):
    with connections[replica].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone()[0], "replica_1 is a standby, not the primary"
    Publication.objects.create(name="The Harbour Light", slug="the-harbour-light")
    wait_for_replay()
    assert fresh(read_alias) == replica
    found = fresh(lambda: Publication.objects.get(slug="the-harbour-light"))
    assert found.name == "The Harbour Light"
    assert found._state.db == replica  # read from the replica, by the router


def test_a_reader_sees_their_own_reply_while_the_replica_lags(replica, client, settings):
    settings.BACKFILE_REPLIES_MODERATION = "trusted"
    article = stored_article()
    stored_reply(article, "Earlier.", author_email="len@example.org")
    wait_for_replay()
    with connections[replica].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")  # the replica now lags behind

    posted = client.post(
        post_url(article),
        reply_form_data(name="Len Hallam", email="len@example.org", text="Seen from the depot."),
    )
    assert posted.status_code == 302
    page = client.get(posted["Location"])
    section = replies_section(page.content).text_content()
    assert "your reply is published" in section
    assert "Seen from the depot." in section

    # another reader is served by the replica, which has not replayed the reply yet
    other = client_class_instance(client)
    stale = replies_section(other.get(posted["Location"]).content).text_content()
    assert "Earlier." in stale
    assert "Seen from the depot." not in stale

    with connections[replica].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    wait_for_replay()
    assert (
        "Seen from the depot."
        in replies_section(other.get(posted["Location"]).content).text_content()
    )


def test_an_editor_held_reply_shows_the_thank_you_on_the_redirect(replica, client):
    article = stored_article()
    wait_for_replay()
    with connections[replica].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    posted = client.post(post_url(article), reply_form_data(text="Hold this one."))
    page = client.get(posted["Location"])
    assert page.status_code == 200
    assert "held for moderation" in replies_section(page.content).text_content()
    assert Reply.objects.using("default").get(text="Hold this one.").status == Reply.Status.PENDING


def test_searches_read_the_replica_and_a_writer_reads_the_primary(replica):
    from backfile.search.backends import search

    stored_article(key="first", title="Ferry Timetable Changes")
    wait_for_replay()
    with connections[replica].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    stored_article(key="second", title="Ferry Fares Frozen")

    def search_after_writing(text: str) -> int:
        routers.pin_to_primary()
        return search(text).total

    assert fresh(lambda: search("ferry").total) == 1  # the replica has only the first
    assert fresh(search_after_writing, "ferry") == 2


def client_class_instance(client):
    """A second browser: the same client class, without the first one's cookies."""
    return type(client)()
