"""Sixty simultaneous replies from one address: exactly the rate limit is stored.

The real deployment shape: `backfile serve` (gunicorn, two workers of four threads)
on the suite's backend (a SQLite file, or the PostgreSQL test database), and sixty
client threads that each open a connection from the same loopback address and send
their reply when all are ready. Each thread only records what it got; the checks
are made here, after every thread has ended.
"""

from __future__ import annotations

import threading
from urllib.parse import urlencode

import pytest
from django.conf import settings

from tests.helpers.served import (
    TOKEN,
    Response,
    http_request,
    query,
    run_backfile,
    served,
    suite_database_url,
    write_jsonl,
)
from tests.replies.helpers import article_record

CLIENTS = 60
ADDRESS = "127.0.0.77"
PAGE = "/the-quarry-gazette/1950s/1952/no-88-march-1952/the-tram-strike-holds/"


@pytest.mark.django_db(transaction=True)  # on PostgreSQL the server shares the test database
def test_simultaneous_replies_from_one_address_store_exactly_the_limit(tmp_path):
    database = suite_database_url(tmp_path)
    seed = write_jsonl(tmp_path / "seed.jsonl", [article_record()])
    seeding = run_backfile(database, "ingest", "--quiet", str(seed))
    assert seeding.returncode == 0, seeding.stderr
    ((article_id,),) = query(database, "SELECT id FROM archive_article")

    with served(database, tmp_path, wait_for=PAGE) as server:
        page = server.get(PAGE)
        token = TOKEN.search(page.body).group(1).decode()
        cookie = page.headers["Set-Cookie"].split(";")[0]
        ready = threading.Barrier(CLIENTS)
        results: list[Response | BaseException | None] = [None] * CLIENTS

        def post(n: int) -> None:
            body = urlencode(
                {"csrfmiddlewaretoken": token, "name": f"Reader {n}", "text": f"Reply {n}."}
            )
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
            try:
                ready.wait(timeout=60)
                results[n] = http_request(
                    server.port, "POST", f"/replies/{article_id}/post/", body, headers, ADDRESS
                )
            except BaseException as problem:  # reported below, in the test's own thread
                results[n] = problem

        threads = [threading.Thread(target=post, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)

    failures = [r for r in results if not isinstance(r, Response)]
    assert not failures, failures[:3]
    limit = settings.BACKFILE_REPLIES_RATE  # the server reads the same environment
    statuses = sorted(r.status for r in results)
    stored = query(
        database, f"SELECT ip_address FROM replies_reply WHERE article_id = {article_id}"
    )
    # accepted: 302 to the reply; refused: 303 to the article's error summary
    assert statuses == [302] * limit + [303] * (CLIENTS - limit), server.log.read_text()[-3000:]
    assert [str(address) for (address,) in stored] == [ADDRESS] * limit
