"""Sign-in throttling: wrong passwords lock a user name and address out for a cool-off.

Every attempt is a real POST of the admin's sign-in form, with its CSRF token,
from a given client address.
"""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from backfile import conf
from backfile.signin.throttle import forget_refusals
from tests.replies.helpers import EDITOR_PASSWORD, create_editor

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ATTACKER = "203.0.113.5"
COLLEAGUE = "198.51.100.20"


class CountingHasher(MD5PasswordHasher):
    """A fast hasher that counts how often a password is hashed."""

    algorithm = "counted_md5"
    hashed = 0

    def encode(self, password, salt):
        CountingHasher.hashed += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def counted_hashing(settings):
    settings.PASSWORD_HASHERS = ["tests.signin.test_throttle.CountingHasher"]
    CountingHasher.hashed = 0


@pytest.fixture(autouse=True)
def default_limits(settings):
    """The documented defaults, whatever the environment running the tests sets."""
    settings.AXES_FAILURE_LIMIT = 5  # BACKFILE_SIGNIN_FAILURES
    settings.BACKFILE_SIGNIN_ADDRESS_FAILURES = 20
    settings.AXES_COOLOFF_TIME = timedelta(seconds=900)  # BACKFILE_SIGNIN_COOLOFF


@pytest.fixture
def editors(db):
    create_editor("hilda")
    create_editor("otto")


class Visitor:
    """A browser at one address, signing in through the admin's form."""

    def __init__(self, address: str, **headers):
        self.client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address, **headers)

    def sign_in(self, username: str, password: str):
        page = self.client.get(LOGIN)
        token = TOKEN.search(page.content.decode()).group(1)
        return self.client.post(
            LOGIN,
            {
                "csrfmiddlewaretoken": token,
                "username": username,
                "password": password,
                "next": "/admin/",
            },
        )

    def is_signed_in(self) -> bool:
        return self.client.get("/admin/").status_code == 200


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def refused(response) -> bool:
    return response.status_code == 429


def cool_off_passes(settings) -> None:
    """Time travel: every recorded failure becomes older than the cool-off (and the server
    forgets the refusals it remembers for a few seconds, as it would by then)."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= settings.AXES_COOLOFF_TIME + timedelta(seconds=1)
        attempt.save()
    forget_refusals()


@pytest.fixture(autouse=True)
def no_remembered_refusals():
    forget_refusals()
    yield
    forget_refusals()


def test_thirty_wrong_passwords_lock_the_user_out_from_that_address(editors, settings):
    attacker = Visitor(ATTACKER)
    answers = [attacker.sign_in("hilda", f"guess {n}") for n in range(30)]

    assert [r.status_code for r in answers[:4]] == [200] * 4, "four mistakes are forgiven"
    assert all(refused(r) for r in answers[4:]), "the fifth and every later one is refused"
    right = attacker.sign_in("hilda", EDITOR_PASSWORD)
    assert refused(right) and not attacker.is_signed_in()

    page = right.content.decode()
    assert "<h1>Too many sign-in attempts</h1>" in page
    assert re.search(r"try again after <strong><time datetime=\"[^\"]+\">\d\d:\d\d UTC", page)
    assert "Traceback" not in page
    assert "default-src 'self'" in right["Content-Security-Policy"], "the refusal is a page too"
    assert 0 < int(right["Retry-After"]) <= settings.AXES_COOLOFF_TIME.total_seconds()

    colleague = Visitor(COLLEAGUE)
    assert signed_in(colleague.sign_in("otto", EDITOR_PASSWORD)), "others sign in meanwhile"
    elsewhere = Visitor("192.0.2.99")
    assert signed_in(elsewhere.sign_in("hilda", EDITOR_PASSWORD)), "hilda, from elsewhere, too"

    cool_off_passes(settings)
    assert signed_in(attacker.sign_in("hilda", EDITOR_PASSWORD)), "after the cool-off"
    assert attacker.is_signed_in()


def test_an_address_trying_many_user_names_is_locked_out(editors):
    attacker = Visitor(ATTACKER)
    answers = [attacker.sign_in(f"user{n}", "guess") for n in range(20)]

    assert [r.status_code for r in answers[:19]] == [200] * 19
    assert refused(answers[19]), "the twentieth wrong password from one address"
    assert refused(attacker.sign_in("otto", EDITOR_PASSWORD))
    assert signed_in(Visitor(COLLEAGUE).sign_in("otto", EDITOR_PASSWORD))


def test_a_locked_out_attempt_hashes_no_password_and_writes_nothing(editors):
    attacker = Visitor(ATTACKER)
    for n in range(5):
        attacker.sign_in("hilda", f"guess {n}")
    hashed = CountingHasher.hashed
    recorded = list(AccessAttempt.objects.values_list("failures_since_start", "attempt_time"))

    answers = [attacker.sign_in("hilda", f"later guess {n}") for n in range(10)]

    assert all(refused(r) for r in answers)
    assert CountingHasher.hashed == hashed, "no password was hashed for a refused attempt"
    assert list(AccessAttempt.objects.values_list("failures_since_start", "attempt_time")) == (
        recorded
    ), "refused attempts neither count nor stretch the cool-off"


def test_behind_a_trusted_proxy_the_reader_address_is_throttled(editors, settings):
    settings.BACKFILE_TRUSTED_PROXIES = ["10.0.0.1"]
    attacker = Visitor("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    for n in range(5):
        attacker.sign_in("hilda", f"guess {n}")
    spoofing = Visitor("10.0.0.1", HTTP_X_FORWARDED_FOR="192.0.2.1, 198.51.100.7")
    assert refused(spoofing.sign_in("hilda", EDITOR_PASSWORD)), (
        "a made-up first hop changes nothing"
    )

    colleague = Visitor("10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert signed_in(colleague.sign_in("hilda", EDITOR_PASSWORD)), "the proxy is not locked out"
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_the_limits_are_settings(editors, settings):
    settings.AXES_FAILURE_LIMIT = 2  # what BACKFILE_SIGNIN_FAILURES=2 sets
    attacker = Visitor(ATTACKER)
    assert attacker.sign_in("hilda", "guess").status_code == 200
    assert refused(attacker.sign_in("hilda", "guess again"))

    loaded = conf.load(
        {
            "BACKFILE_SIGNIN_FAILURES": "3",
            "BACKFILE_SIGNIN_ADDRESS_FAILURES": "12",
            "BACKFILE_SIGNIN_COOLOFF": "60",
        }
    )
    assert (
        loaded["BACKFILE_SIGNIN_FAILURES"],
        loaded["BACKFILE_SIGNIN_ADDRESS_FAILURES"],
        loaded["BACKFILE_SIGNIN_COOLOFF"],
    ) == (3, 12, 60)
    with pytest.raises(ImproperlyConfigured, match="BACKFILE_SIGNIN_COOLOFF"):
        conf.load({"BACKFILE_SIGNIN_COOLOFF": "0"})


def test_a_flood_from_a_locked_out_address_is_refused_without_a_query(
    editors, django_assert_num_queries
):
    attacker = Visitor(ATTACKER)
    for n in range(6):
        attacker.sign_in("hilda", f"guess {n}")
    page = attacker.client.get(LOGIN)
    token = TOKEN.search(page.content.decode()).group(1)
    form = {"csrfmiddlewaretoken": token, "username": "hilda", "password": "again"}
    hashed_before = CountingHasher.hashed
    with django_assert_num_queries(0):
        answers = [attacker.client.post(LOGIN, form) for _ in range(20)]
    assert all(refused(r) for r in answers)
    assert "<h1>Too many sign-in attempts</h1>" in answers[-1].content.decode()
    assert int(answers[-1]["Retry-After"]) > 0
    assert CountingHasher.hashed == hashed_before, "no password hashed once refused"
    colleague = Visitor(COLLEAGUE)
    assert signed_in(colleague.sign_in("otto", EDITOR_PASSWORD)), "others are not refused"


class SlowHasher(CountingHasher):
    """A hasher that takes its time, as a real one does (half a second of CPU)."""

    algorithm = "slow_md5"
    started = None  # set (a threading.Event) by the test: a hash has begun

    def encode(self, password, salt):
        if SlowHasher.started is not None:
            SlowHasher.started.set()
        time.sleep(0.5)
        return super().encode(password, salt)


@pytest.mark.django_db(transaction=True)
def test_one_address_has_one_sign_in_checked_at_a_time(settings):
    """Attempts arriving together would each cost a hash before the first is counted: a
    second attempt from the same address while one is being checked is refused at once."""
    create_editor("hilda")
    settings.PASSWORD_HASHERS = ["tests.signin.test_throttle.SlowHasher"]
    SlowHasher.started = threading.Event()
    first, second = Visitor(ATTACKER), Visitor(ATTACKER)
    forms = [first.client.get(LOGIN), second.client.get(LOGIN)]
    tokens = [TOKEN.search(page.content.decode()).group(1) for page in forms]
    answers = {}

    def attempt(name, visitor, token):
        answers[name] = visitor.client.post(
            LOGIN, {"csrfmiddlewaretoken": token, "username": "hilda", "password": "guess"}
        )

    hashing = threading.Thread(target=attempt, args=("first", first, tokens[0]))
    hashing.start()
    try:
        assert SlowHasher.started.wait(10), "the first attempt is being checked"
        SlowHasher.hashed = 0
        attempt("second", second, tokens[1])
        assert SlowHasher.hashed == 0, "the second attempt cost no hash"
    finally:
        hashing.join(30)
    assert not hashing.is_alive()
    assert answers["first"].status_code == 200, "the first was checked: a wrong password"
    busy = answers["second"]
    assert busy.status_code == 429 and busy["Retry-After"] == "1"
    assert b"One sign-in at a time" in busy.content
    assert "default-src 'self'" in busy["Content-Security-Policy"]
    colleague = Visitor(COLLEAGUE)  # another address meanwhile is not held up
    assert colleague.client.get(LOGIN).status_code == 200
    again = second.sign_in("hilda", "another guess")
    assert again.status_code == 200, "once the first is done, the next is checked"
