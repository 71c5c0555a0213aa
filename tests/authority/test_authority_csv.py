"""`backfile authority import FILE.csv` and `… export`: the authority file in and out of a
spreadsheet; a bad file is refused whole, naming its file and line."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from backfile.authority.models import IMPORTED, Alias, Entry

TYPED = (
    "type,name,aliases,note,dates\n"
    "person,Lenin,V. I. Lenin|Vladimir Lenin,Bolshevik leader,1870–1924\n"
    'place,U.S.S.R.,USSR|Soviet Union,"Union of Soviet\nSocialist Republics",1922–1991\n'
    "organisation,P.O.U.M.,POUM,,\n"
)


def import_file(path) -> str:
    err = io.StringIO()
    call_command("authority", "import", str(path), stderr=err)
    return err.getvalue()


def export_text() -> str:
    out = io.StringIO()
    call_command("authority", "export", stdout=out)
    return out.getvalue()


def entries() -> dict[tuple[str, str], list[str]]:
    return {
        (e.type, e.name): sorted(a.name for a in e.aliases.all())
        for e in Entry.objects.prefetch_related("aliases")
    }


@pytest.mark.django_db
def test_an_import_stores_entries_with_their_aliases_and_exports_them_back(tmp_path):
    source = tmp_path / "names.csv"
    source.write_text(TYPED, encoding="utf-8")

    said = import_file(source)

    assert "3 added" in said
    assert entries() == {
        ("person", "Lenin"): ["V. I. Lenin", "Vladimir Lenin"],
        ("place", "U.S.S.R."): ["Soviet Union", "USSR"],
        ("organisation", "P.O.U.M."): ["POUM"],
    }
    lenin = Entry.objects.get(name="Lenin")
    assert (lenin.note, lenin.dates, lenin.origin) == ("Bolshevik leader", "1870–1924", IMPORTED)
    assert (lenin.key, lenin.letter, lenin.slug) == ("lenin", "l", "lenin")
    assert Entry.objects.get(type="place").key == "ussr"
    assert set(Alias.objects.values_list("key", flat=True)) >= {"v i lenin", "ussr", "poum"}

    exported = tmp_path / "out.csv"
    call_command("authority", "export", str(exported), stderr=io.StringIO())
    first = exported.read_text(encoding="utf-8")
    assert first.splitlines()[0] == "type,name,aliases,note,dates"
    assert "person,Lenin,V. I. Lenin|Vladimir Lenin,Bolshevik leader,1870–1924" in first
    assert "organisation,P.O.U.M.,POUM,," in first

    Entry.objects.all().delete()
    import_file(exported)
    assert export_text() == first


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(tmp_path):
    source = tmp_path / "names.csv"
    source.write_text(TYPED, encoding="utf-8")
    import_file(source)
    revisions = Entry.history.count() + Alias.history.count()

    said = import_file(source)

    assert "0 added, 0 changed, 3 unchanged" in said
    assert Entry.objects.count() == 3 and Alias.objects.count() == 5
    assert Entry.history.count() + Alias.history.count() == revisions


@pytest.mark.django_db
def test_an_import_completes_an_entry_known_by_an_alias_and_keeps_the_editors_name(tmp_path):
    lenin = Entry.objects.create(type="person", name="V. I. Lenin", note="As the editor wrote")
    Alias.objects.create(entry=lenin, name="Lenin")
    source = tmp_path / "more.csv"
    source.write_text("name,type,aliases\nLenin,person,Ilyich|N. Lenin\n", encoding="utf-8")

    import_file(source)

    assert entries() == {("person", "V. I. Lenin"): ["Ilyich", "Lenin", "N. Lenin"]}
    assert Entry.objects.get().note == "As the editor wrote"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content, line, reason",
    [
        ("type,name,aliases\nperson,Lenin,\nthing,Kronstadt,\n", 3, "unknown type 'thing'"),
        ("type,name,aliases\nperson,Lenin,\nplace,,Kazan\n", 3, "no name"),
        ("type,name,aliases\nperson,Lenin,\n,Kazan,\n", 3, "no type"),
        ("type,aliases\nperson,Lenin\n", 1, "lacks the column(s) name"),
        ("type,name,colour\nperson,Lenin,red\n", 1, "unknown column(s) colour"),
        ("type,name\nperson,Lenin\nperson,LENIN\n", 3, "is on line 2 already"),
    ],
)
def test_a_bad_row_is_named_by_file_and_line_and_nothing_is_stored(tmp_path, content, line, reason):
    source = tmp_path / "bad.csv"
    source.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        import_file(source)

    assert f"{source}:{line}: " in str(refused.value)
    assert reason in str(refused.value)
    assert Entry.objects.count() == 0 and Alias.objects.count() == 0


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused_naming_the_line(tmp_path):
    source = tmp_path / "latin1.csv"
    source.write_bytes("type,name\nperson,Lenin\nperson,Zinóviev\n".encode("latin-1"))

    with pytest.raises(CommandError) as refused:
        import_file(source)

    assert f"{source}:3: not UTF-8" in str(refused.value)
    assert Entry.objects.count() == 0


@pytest.mark.django_db
def test_every_bad_line_is_reported_at_once(tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("type,name\nthing,A\nperson,B\nplace,\n", encoding="utf-8")

    with pytest.raises(CommandError) as refused:
        import_file(source)

    assert f"{source}:2: unknown type" in str(refused.value)
    assert f"{source}:4: no name" in str(refused.value)
    assert Entry.objects.count() == 0
