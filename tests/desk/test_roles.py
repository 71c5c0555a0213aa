"""Roles at the desk: editors correct the archive, moderators moderate replies and readers'
corrections and nothing else, administrators also read the audit trail."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone
from lxml import html as lxml_html

from backfile.corrections.models import Correction
from backfile.desk.roles import ROLES
from backfile.replies.models import Reply
from tests.desk.conftest import create_account, signed_in
from tests.replies.helpers import admin_form_data, stored_article, stored_reply

pytestmark = pytest.mark.django_db


def groups_of(username: str) -> list[str]:
    user = get_user_model().objects.get(username=username)
    return sorted(user.groups.values_list("name", flat=True))


def test_each_role_is_a_staff_account_in_its_group():
    assert "Created moderator mona" in create_account("mona", "moderator")
    assert "Created administrator ada" in create_account("ada", "administrator")
    assert "Created editor hilda" in create_account("hilda", "editor")
    assert groups_of("mona") == ["Moderators"]
    assert groups_of("ada") == ["Administrators"]
    assert groups_of("hilda") == ["Editors"]
    for username in ("mona", "ada", "hilda"):
        user = get_user_model().objects.get(username=username)
        assert user.is_staff and not user.is_superuser
    mona = get_user_model().objects.get(username="mona")
    assert mona.has_perm("replies.change_reply")
    assert mona.has_perm("corrections.change_correction")
    assert not mona.has_perm("archive.change_article")
    assert not mona.has_perm("archive.view_article")
    ada = get_user_model().objects.get(username="ada")
    assert ada.has_perm("auth.change_user") and ada.has_perm("desk.view_audit")
    assert ada.has_perm("archive.change_article")


def test_a_new_role_replaces_the_old_one():
    create_account("mona", "editor")
    create_account("mona", "moderator")
    assert groups_of("mona") == ["Moderators"]


@pytest.mark.parametrize("role", ["editor", "moderator", "administrator"])
def test_a_superuser_given_a_role_is_a_superuser_no_more(role):
    get_user_model().objects.create_superuser("sam", "sam@example.org", "an old password")
    printed = create_account("sam", role)
    sam = get_user_model().objects.get(username="sam")
    assert not sam.is_superuser and sam.is_staff
    assert "no longer a superuser" in printed
    assert groups_of("sam") == [ROLES[role]]
    assert not sam.has_perm("housekeeping.delete_redirect")  # a superuser's, no role's
    assert "no longer a superuser" not in create_account("sam", role)  # said once


def test_the_password_may_come_from_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv("BACKFILE_EDITOR_PASSWORD", raising=False)
    secret = tmp_path / "password"
    secret.write_text("from a file, not a prompt\n")
    call_command(
        "createeditor", "otto", "--role", "moderator", "--password-file", str(secret),
        "--email", "otto@example.org", stdout=StringIO(),
    )  # fmt: skip
    request = RequestFactory().post("/admin/login/")
    user = authenticate(request, username="otto", password="from a file, not a prompt")
    assert user is not None and user.email == "otto@example.org"
    missing = tmp_path / "nowhere"
    with pytest.raises(CommandError, match="nowhere"):
        call_command("createeditor", "otto", "--password-file", str(missing), stdout=StringIO())


def test_an_unknown_role_is_refused():
    with pytest.raises(CommandError, match="role"):
        call_command("createeditor", "otto", "--role", "owner", stdout=StringIO())


def test_a_moderator_cannot_edit_articles_but_moderates_replies(client):
    article = stored_article()
    reply = stored_reply(article, status=Reply.Status.PENDING)
    signed_in(client, "mona", "moderator")

    assert client.get(f"/admin/archive/article/{article.pk}/change/").status_code == 403
    assert client.get("/admin/archive/article/").status_code == 403
    assert client.get("/desk/ingests/new/").status_code == 403
    assert client.get("/desk/audit/").status_code == 403

    correction = Correction.objects.create(
        article=article,
        paragraph=1,
        original="Drivers at the Eastgate depot stayed out for a ninth day.",
        text="Drivers at the Eastgate depot stayed out for a ninth day!!! BUY NOW",
        author_name="Spammer",
        created=timezone.now(),
    )
    assert client.get("/admin/corrections/correction/").status_code == 200
    rejected = client.post(
        "/admin/corrections/correction/",
        {"action": "reject", "_selected_action": [str(correction.pk)], "index": "0"},
    )
    assert rejected.status_code == 302
    correction.refresh_from_db()
    assert correction.status == Correction.Status.REJECTED
    change = client.get(f"/admin/replies/reply/{reply.pk}/change/")
    assert change.status_code == 200
    data = admin_form_data(change.content, "reply_form")
    data["status"] = ["approved"]
    data["_save"] = ["Save"]
    saved = client.post(f"/admin/replies/reply/{reply.pk}/change/", data)
    assert saved.status_code == 302, saved.content[:2000]
    reply.refresh_from_db()
    assert reply.status == Reply.Status.APPROVED


def test_an_editor_edits_articles_and_starts_ingests_but_reads_no_audit(client):
    article = stored_article()
    signed_in(client, "hilda", "editor")
    assert client.get(f"/admin/archive/article/{article.pk}/change/").status_code == 200
    assert client.get("/desk/ingests/new/").status_code == 200
    assert client.get("/desk/audit/").status_code == 403


def test_signed_out_the_desk_asks_for_a_sign_in(client):
    answer = client.get("/desk/")
    assert answer.status_code == 302 and answer["Location"].startswith("/admin/login/")
    assert client.get("/desk/ingests/1/progress.json").status_code == 302


def test_the_audit_trail_shows_sign_ins_and_changes(client):
    article = stored_article()
    reply = stored_reply(article, status=Reply.Status.PENDING)
    moderator = signed_in(client.__class__(), "mona", "moderator")
    change = moderator.get(f"/admin/replies/reply/{reply.pk}/change/")
    data = admin_form_data(change.content, "reply_form")
    data["status"] = ["spam"]
    data["_save"] = ["Save"]
    assert moderator.post(f"/admin/replies/reply/{reply.pk}/change/", data).status_code == 302

    signed_in(client, "ada", "administrator")
    page = client.get("/desk/audit/")
    assert page.status_code == 200
    document = lxml_html.fromstring(page.content)
    changes = document.xpath('//section[@aria-labelledby="changes-title"]//tbody/tr')
    assert changes and "mona" in changes[0].text_content()
    assert "Changed" in changes[0].text_content() and "Status" in changes[0].text_content()
    signins = document.xpath('//section[@aria-labelledby="signins-title"]//tbody/tr')
    who = [row.xpath("td")[1].text_content() for row in signins]
    assert "mona" in who and "ada" in who
    assert "No ingests started at the desk yet." in page.content.decode()
