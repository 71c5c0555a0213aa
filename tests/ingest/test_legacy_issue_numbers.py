"""A legacy site's issue numbers: the run's cadence votes only near an issue it has read,
and an edition's folder (`300A/`) numbers nothing by itself; in English and Spanish.

The sites are made up here: The Lamp (English) and El Faro (its Spanish twin), weeklies
whose folders and page names carry the issue's number (`311/311_01_Story.php`).
"""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from backfile.archive.models import Issue

FONT = '<font face="Times New Roman, Times, serif" size="{}">'
WRAP = '<html><body><table><tr><td width="480">{}</td></tr></table></body></html>'
MONTHS = {
    "en": ["January", "February", "March"],
    "es": ["enero", "febrero", "marzo"],
}
WORDS = {
    "en": {"issue": "Issue", "page": "Page", "story": "The {} was the week's news on the quay."},
    "es": {"issue": "Número", "page": "Página", "story": "La noticia de la semana: {}."},
}


def when(language: str, month: int, day: int) -> str:
    name = MONTHS[language][month - 1]
    return f"{name} {day}, 2012" if language == "en" else f"{day} de {name} de 2012"


def issue_folder(
    language: str, folder: str, month: int, day: int, printed: int | None, story: str
) -> dict[str, str]:
    """A contents page (with `printed` as its number, or none) and one article page."""
    words = WORDS[language]
    dateline = when(language, month, day)
    number = f" | {words['issue']} {printed}" if printed is not None else " |"
    return {
        f"{folder}/{folder}_Storylist.php": WRAP.format(
            f'<p><font face="Arial" size="2">{dateline}{number}</font></p>'
            f'<p>{FONT.format(4)}<b><a href="{folder}_01_Story.php">{story}</a></b></font></p>'
        ),
        f"{folder}/{folder}_01_Story.php": WRAP.format(
            f"<p>{FONT.format(5)}<b>{story}</b></font></p>"
            f'<p><font face="Arial" size="2">{dateline} | {words["page"]} 1</font></p>'
            f"<p>{FONT.format(3)}{words['story'].format(story.lower())}</font></p>"
        ),
    }


def ingest_site(tmp_path, pages: dict[str, str]) -> list[str]:
    site = tmp_path / "the-lamp" / "2012"
    for name, text in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    report = tmp_path / "report.json"
    call_command(
        "ingest", str(site.parent), "--report", str(report), "--quiet", stdout=io.StringIO()
    )
    return [e["reason"] for e in json.loads(report.read_text())["entries"] if e.get("reason")]


STORIES = {
    "en": ["Ice in the harbour", "The thaw", "Boats out again", "A storm edition"],
    "es": ["Hielo en el puerto", "El deshielo", "Los barcos vuelven", "Edición de la tormenta"],
}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_far_cadence_does_not_outvote_the_folder(db, tmp_path, language):
    """Nine weeks after the last issue read (the paper skipped weeks), the cadence cannot
    tell the number: the contents page's misprint (last week's number) gives way to the
    folder and the page names."""
    first, second, third, _ = STORIES[language]
    reasons = ingest_site(
        tmp_path,
        {
            **issue_folder(language, "300", 1, 6, 300, first),
            **issue_folder(language, "301", 1, 13, 301, second),
            # nine weeks on: by the weekly cadence No. 310, which is what it misprints
            **issue_folder(language, "311", 3, 16, 310, third),
        },
    )
    numbers = sorted(Issue.objects.values_list("number", "month", "day"))
    assert numbers == [(300, 1, 6), (301, 1, 13), (311, 3, 16)]
    assert "contents page says No. 310, folder and page names say 311: stored as 311" in reasons


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_near_cadence_still_votes(db, tmp_path, language):
    """A week after an issue read, the cadence counts: with the folder it outvotes a
    contents page that prints a number the folder's pages do not carry."""
    first, second, third, _ = STORIES[language]
    pages = {
        **issue_folder(language, "300", 1, 6, 300, first),
        **issue_folder(language, "301", 1, 13, 301, second),
        **issue_folder(language, "302", 1, 20, 320, third),
    }
    # the pages of the third folder named with no number: folder and cadence against the print
    pages = {
        name.replace("302/302_", "302/"): text.replace('href="302_', 'href="')
        for name, text in pages.items()
    }
    reasons = ingest_site(tmp_path, pages)
    assert sorted(Issue.objects.values_list("number", flat=True)) == [300, 301, 302]
    assert "contents page says No. 320, folder and cadence say 302: stored as 302" in reasons


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_edition_folder_numbers_nothing_by_itself(db, tmp_path, language):
    """`300A/`, a special edition printed between two issues with no number of its own:
    its issue has no number, and its own address (`no-300a-…`) beside No. 300's."""
    first, second, _, edition = STORIES[language]
    ingest_site(
        tmp_path,
        {
            **issue_folder(language, "300", 1, 6, 300, first),
            **issue_folder(language, "300A", 1, 9, None, edition),
            **issue_folder(language, "301", 1, 13, 301, second),
        },
    )
    issues = {(i.number, i.day): i.slug for i in Issue.objects.all()}
    assert set(issues) == {(300, 6), (None, 9), (301, 13)}
    assert issues[(None, 9)] == "no-300a-january-9-2012"
    assert issues[(300, 6)] != issues[(None, 9)]
