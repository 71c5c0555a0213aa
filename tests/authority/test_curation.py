"""Editors curate the authority file at the desk: entries with their aliases and history,
merging two entries into one (mentions follow, the gone entry's page redirects), and the
candidate names accepted, merged or rejected."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from backfile.archive.models import Article
from backfile.authority.models import CANDIDATE, Alias, Candidate, Entry, Mention
from backfile.ingest.loader import load
from backfile.ingest.records import Block, IssueRecord
from tests.authority.entry_urls import entry_pages  # noqa: F401 (a fixture)
from tests.desk.conftest import signed_in
from tests.helpers.records import invented_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("entry_pages")]
CHANGELIST = "/admin/authority/entry/"
CANDIDATES = "/admin/authority/candidate/"
ISSUE = IssueRecord(year=1937, number=4, month=6)


def article(title: str, *paragraphs: str) -> Article:
    load([invented_record("The Quarry Bell", ISSUE, title,
                          blocks=[Block("paragraph", p) for p in paragraphs])])  # fmt: skip
    return Article.objects.get(title=title)


def add_entry(editor, kind: str, name: str, aliases=(), **fields):
    """Post the desk's form for a new entry of this type and name, with these aliases."""
    form = {"type": kind, "name": name, "note": "", "dates": "", **fields,
            "aliases-TOTAL_FORMS": str(len(aliases)), "aliases-INITIAL_FORMS": "0",
            "aliases-MIN_NUM_FORMS": "0", "aliases-MAX_NUM_FORMS": "1000"}  # fmt: skip
    form.update({f"aliases-{number}-name": alias for number, alias in enumerate(aliases)})
    return editor.post("/admin/authority/entry/add/", form)


@pytest.fixture
def two_lenins():
    """One man entered twice, each mentioned; one article mentions both."""
    both = article("Two Names", "V. I. Lenin wrote first.", "Then Lenin spoke. Lenin left.")
    one = article("One Name", "A letter from V. I. Lenin.")
    lenin = Entry.objects.create(type="person", name="Lenin", dates="1870–1924")
    ilyich = Entry.objects.create(type="person", name="V. I. Lenin")
    Alias.objects.create(entry=ilyich, name="Vladimir Ilyich")
    # as mention linking finds them, where it is installed (it may have stored them already)
    for article_, entry, count, sentence in [
        (both, lenin, 2, "Then Lenin spoke."),
        (both, ilyich, 1, "V. I. Lenin wrote first."),
        (one, ilyich, 1, "A letter from V. I. Lenin."),
    ]:
        Mention.objects.update_or_create(
            article=article_, entry=entry, defaults={"count": count, "sentence": sentence}
        )
    return lenin, ilyich, both, one


def merge(client, entries, keep=None):
    data = {"action": "merge_selected_entries", ACTION_CHECKBOX_NAME: [e.pk for e in entries]}
    if keep is not None:
        data["keep"] = keep.pk
    return client.post(CHANGELIST, data)


def test_an_editor_merges_two_entries_and_every_mention_follows(client, two_lenins):
    lenin, ilyich, both, one = two_lenins
    old_page = ilyich.get_absolute_url()
    editor = signed_in(client, "hilda", "editor")

    asked = merge(editor, [lenin, ilyich])
    done = merge(editor, [lenin, ilyich], keep=lenin)

    assert asked.status_code == 200
    assert (
        "Keep this entry" in asked.content.decode() and "Vladimir Ilyich" in asked.content.decode()
    )
    assert done.status_code == 302
    assert not Entry.objects.filter(pk=ilyich.pk).exists()
    assert sorted(a.name for a in lenin.aliases.all()) == ["V. I. Lenin", "Vladimir Ilyich"]
    mentions = {m.article_id: m for m in Mention.objects.all()}
    assert set(mentions) == {both.pk, one.pk}
    assert all(m.entry_id == lenin.pk for m in mentions.values())
    assert mentions[both.pk].count == 3
    assert mentions[both.pk].sentence == "V. I. Lenin wrote first."  # the earlier of the two
    assert mentions[one.pk].count == 1
    moved = client.get(old_page)
    assert moved.status_code == 301 and moved["Location"] == lenin.get_absolute_url()
    gone = Entry.history.filter(id=ilyich.pk).first()
    assert gone.history_type == "-" and "merged into Lenin" in gone.history_change_reason
    assert Entry.history.filter(id=lenin.pk).first().history_user.username == "hilda"


def test_merging_one_entry_alone_is_refused(client, two_lenins):
    lenin, *_ = two_lenins
    editor = signed_in(client, "hilda", "editor")

    response = editor.post(
        CHANGELIST,
        {"action": "merge_selected_entries", ACTION_CHECKBOX_NAME: [lenin.pk]},
        follow=True,
    )

    assert "Select two or more entries" in response.content.decode()
    assert Entry.objects.count() == 2


def test_an_editor_adds_an_entry_with_aliases_and_it_has_a_history(client):
    editor = signed_in(client, "hilda", "editor")

    aliases = ["POUM", "Workers' Party of Marxist Unification"]
    response = add_entry(editor, "organisation", "P.O.U.M.", aliases, dates="1935–1980",
                         reason="From the review of Serge")  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:3000]
    poum = Entry.objects.get(name="P.O.U.M.")
    assert (poum.key, poum.letter, poum.slug) == ("poum", "p", "poum")
    assert sorted(a.key for a in poum.aliases.all()) == [
        "poum",
        "workers party of marxist unification",
    ]
    assert poum.history.get().history_change_reason == "From the review of Serge"
    found = editor.get(CHANGELIST, {"q": "Marxist Unification"}).content.decode()
    assert "P.O.U.M." in found
    places = editor.get(CHANGELIST, {"type__exact": "place"}).content.decode()
    assert "P.O.U.M." not in places
    history = editor.get(f"/admin/authority/entry/{poum.pk}/history/")
    assert history.status_code == 302
    assert history["Location"] == f"/desk/revisions/entry/{poum.pk}/"
    assert "From the review of Serge" in editor.get(history["Location"]).content.decode()


def test_an_entrys_revisions_read_as_word_diffs_and_one_is_restored(client):
    editor = signed_in(client, "hilda", "editor")
    poum = Entry.objects.create(type="organisation", name="P.O.U.M.", dates="1935–1980")
    poum.dates = "1935–1938"
    poum._change_reason = "dissolved earlier"
    poum.save()
    revisions = f"/desk/revisions/entry/{poum.pk}/"

    second = editor.get(f"{revisions}2/").content.decode()
    assert "Restore revision 1" in editor.get(f"{revisions}1/").content.decode()
    assert "dissolved earlier" in second
    assert "1935–<del>1980</del><ins>1938</ins>" in second
    restored = editor.post(f"{revisions}1/restore/")

    assert restored.status_code == 302
    poum.refresh_from_db()
    assert poum.dates == "1935–1980"
    assert poum.history.first().history_change_reason == "Restored revision 1"
    moderator = signed_in(client, "mona", "moderator")
    assert moderator.get(revisions).status_code == 403


def test_a_second_entry_of_the_same_name_is_refused(client, two_lenins):
    editor = signed_in(client, "hilda", "editor")

    response = add_entry(editor, "person", "LENIN")

    assert response.status_code == 200
    assert "is already an entry of this type" in response.content.decode()
    assert Entry.objects.filter(key="lenin").count() == 1


def test_two_aliases_folding_alike_are_refused_not_a_server_error(client):
    editor = signed_in(client, "hilda", "editor")

    response = add_entry(editor, "place", "U.S.S.R.", ["USSR", "U.S.S.R"])

    assert response.status_code == 200
    assert "the same spelling to the matcher" in response.content.decode()
    assert Entry.objects.count() == 0


def test_a_moderator_may_not_touch_the_authority_file(client, two_lenins):
    moderator = signed_in(client, "mona", "moderator")

    assert moderator.get(CHANGELIST).status_code == 403
    assert moderator.get(CANDIDATES).status_code == 403


@pytest.fixture
def candidates():
    piece = article("Kronstadt Again", "The sailors of Kronstadt rose.", "Max Shachtman wrote.")
    example = [{"article": piece.pk, "sentence": "The sailors of Kronstadt rose."}]
    return {
        name: Candidate.objects.create(name=name, key=name.lower(), count=count, articles=2,
                                       examples=example if name == "Kronstadt" else [])
        for name, count in [("Kronstadt", 40), ("Max Shachtman", 12), ("The Following", 90),
                            ("Shachtman", 5)]
    }  # fmt: skip


def act(client, action: str, chosen, **extra):
    return client.post(
        CANDIDATES, {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in chosen], **extra}
    )


def test_open_candidates_are_listed_by_count_with_their_examples(client, candidates):
    editor = signed_in(client, "hilda", "editor")
    candidates["The Following"].status = Candidate.REJECTED
    candidates["The Following"].save()

    page = editor.get(CANDIDATES).content.decode()

    assert "The Following" not in page
    assert page.index("Kronstadt") < page.index("Max Shachtman") < page.index("Shachtman</")
    piece = Article.objects.get(title="Kronstadt Again")
    assert f'href="{piece.get_absolute_url()}"' in page
    assert "The sailors of Kronstadt rose." in page
    assert "The Following" in editor.get(CANDIDATES, {"status": "rejected"}).content.decode()


def test_editors_accept_merge_and_reject_candidates(client, candidates):
    editor = signed_in(client, "hilda", "editor")
    shachtman = Entry.objects.create(type="person", name="Max Shachtman")

    act(editor, "accept_as_place", [candidates["Kronstadt"]])
    asked = act(editor, "merge_into_entry", [candidates["Shachtman"]])
    act(editor, "merge_into_entry", [candidates["Shachtman"]], entry=shachtman.pk, confirm="yes")
    act(editor, "accept_as_person", [candidates["Max Shachtman"]])
    act(editor, "reject", [candidates["The Following"]])

    kronstadt = Entry.objects.get(name="Kronstadt")
    assert (kronstadt.type, kronstadt.origin) == ("place", CANDIDATE)
    assert asked.status_code == 200 and "Merge into this entry" in asked.content.decode()
    assert [a.name for a in shachtman.aliases.all()] == ["Shachtman"]
    statuses = {c.name: (c.status, c.entry_id) for c in Candidate.objects.all()}
    assert statuses == {
        "Kronstadt": ("accepted", kronstadt.pk),
        "Shachtman": ("merged", shachtman.pk),
        "Max Shachtman": ("accepted", shachtman.pk),  # the existing entry, not a second one
        "The Following": ("rejected", None),
    }
    assert Entry.objects.filter(key="max shachtman").count() == 1


def test_the_entry_to_merge_into_is_found_by_typing(client, candidates):
    editor = signed_in(client, "hilda", "editor")
    Entry.objects.create(type="person", name="Max Shachtman")

    found = editor.get("/admin/autocomplete/", {"app_label": "authority",
                       "model_name": "candidate", "field_name": "entry", "term": "shach"})  # fmt: skip

    assert [r["text"] for r in found.json()["results"]] == ["Max Shachtman"]


def test_the_candidate_list_costs_the_same_queries_however_many_rows(
    client, django_assert_max_num_queries
):
    """Each row shows its example articles, linked: read once for the page, not per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pieces = [article(f"Report {n}", f"Delegate Ivanov{n} spoke.") for n in range(3)]
    examples = [{"article": p.pk, "sentence": f"Delegate Ivanov{n} spoke."} for n, p in
                enumerate(pieces)]  # fmt: skip

    def add(names):
        for name in names:
            Candidate.objects.create(name=name, key=name.lower(), count=5, articles=3,
                                     examples=examples)  # fmt: skip

    editor = signed_in(client, "hilda", "editor")
    add(["Ivanov A", "Ivanov B"])
    with CaptureQueriesContext(connection) as two_rows:
        assert editor.get(CANDIDATES).status_code == 200
    add([f"Ivanov {letter}" for letter in "CDEFGHIJ"])
    with django_assert_max_num_queries(len(two_rows)):
        page = editor.get(CANDIDATES).content.decode()
    assert page.count(f'href="{pieces[2].get_absolute_url()}"') == 10


def test_an_alias_holding_the_csv_separator_is_refused(client):
    """The CSV file parts aliases with `|`: one holding it could not be exported."""
    editor = signed_in(client, "hilda", "editor")

    response = add_entry(editor, "place", "U.S.S.R.", ["USSR|Soviet Union"])

    assert response.status_code == 200
    assert "An alias may not hold" in response.content.decode()
    assert Entry.objects.count() == 0
