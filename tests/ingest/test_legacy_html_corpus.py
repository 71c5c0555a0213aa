"""The legacy-HTML reader on the real socialist-worker site (five years, about 5,000 pages).

Read straight from the .tar.xz through the reader (no database: the loader is
tested elsewhere), once for the module. The figures asserted are the issue's
Done-when lines; the structural facts were checked by hand against the pages.
"""

from __future__ import annotations

import re
import tarfile
from collections import defaultdict

import pytest

from backfile.ingest.readers.legacy_html import LegacyHtmlReader
from backfile.ingest.records import ArticleRecord, Failure, Notice
from backfile.ingest.sources import walk
from tests.conftest import corpus_path

pytestmark = pytest.mark.corpus

ISSUE_459 = "2003-2/459/"
NAME_WORD = re.compile(r"^(?:[A-Z\u00c0-\u00de][\w'\u2019.\-]*|de|del|la|van|von|da|y)$")
INITIALS = re.compile(r"(?:[A-Z\u00c0-\u00de]\.){2,4}")  # a writer signing with initials


@pytest.fixture(scope="module")
def corpus():
    archive = corpus_path("socialist-worker-2001-2005.tar.xz")
    reader = LegacyHtmlReader("Socialist Worker")
    outputs: list = []
    for file in walk([archive]):
        assert LegacyHtmlReader.sniff(file), f"{file.path} not recognised"
        outputs += reader.feed(file)
    outputs += reader.finish()
    with tarfile.open(archive) as tar:
        members = [m.name.split("/", 1)[1] for m in tar.getmembers() if m.isfile()]
    return outputs, members


def articles(outputs) -> list[ArticleRecord]:
    return [o for o in outputs if isinstance(o, ArticleRecord)]


def test_every_file_is_accounted_for(corpus):
    outputs, members = corpus
    accounted = {o.key for o in articles(outputs)} | {
        o.path for o in outputs if isinstance(o, Notice)
    }
    assert not [o for o in outputs if isinstance(o, Failure)]
    assert len(members) > 5000
    assert [m for m in members if m not in accounted] == []


def test_at_least_99_percent_have_title_issue_number_date_and_pages(corpus):
    items = articles(corpus[0])
    complete = [
        a
        for a in items
        # an edition (folder `377A`, its own slug) prints no number and has none
        if a.title
        and (a.issue.number is not None or a.issue.slug)
        and a.issue.month
        and a.issue.day
        and a.pages
    ]
    assert len([a for a in items if a.issue.number is None]) < 20
    assert len(items) > 4900
    assert len(complete) / len(items) >= 0.99


def test_bylines_are_people(corpus):
    names = {name for a in articles(corpus[0]) for name in a.authors}
    assert len(names) > 500
    signed_with_initials = {name for name in names if INITIALS.fullmatch(name)}
    assert len(signed_with_initials) < 5, signed_with_initials  # (`D.K. is a member of…`)
    for name in names - signed_with_initials:
        words = name.split()
        assert 2 <= len(words) <= 5, name
        assert all(NAME_WORD.match(w) for w in words), name
        assert not name.isupper(), name
    assert {"Lee Wengraf", "Leia Petty", "Jen Roesch", "Paul D'Amato"} <= names


def test_issue_459_follows_its_contents_page(corpus):
    issue = sorted(
        (a for a in articles(corpus[0]) if a.key.startswith(ISSUE_459)), key=lambda a: a.position
    )
    assert [a.position for a in issue] == list(range(len(issue)))
    sections = list(dict.fromkeys(a.section for a in issue))
    assert sections == [
        "FRONT AND BACK PAGES",
        "SPECIAL FEATURES",
        "WHAT WE THINK",
        "NATIONAL NEWS",
        "COLUMNS",
        "ON THE PICKET LINE",
        "NEWS FROM THE STRUGGLE",
        "SW READERS SPEAK OUT",
        "REVIEWS",
    ]
    assert issue[0].title == "Bush calls this freedom" and issue[-1].key.endswith(
        "SweetSixteen.php"
    )
    assert {(a.issue.number, a.issue.year, a.issue.month, a.issue.day) for a in issue} == {
        (459, 2003, 7, 4)
    }


def test_a_feature_page_and_a_multi_item_page(corpus):
    by_key = {a.key: a for a in articles(corpus[0])}
    orwell = by_key[ISSUE_459 + "459_08_Orwell.php"]
    assert orwell.authors == ["Lee Wengraf"]
    assert orwell.pages == "8" and orwell.kicker == "A witness to revolution and counterrevolution"
    assert orwell.standfirst.startswith("LEE WENGRAF looks at")
    assert sum(b.type == "section_break" for b in orwell.blocks) == 3
    assert any("<em>" in b.html for b in orwell.blocks)
    picket = by_key[ISSUE_459 + "459_11_OnPicketLine.php"]
    assert [b.text for b in picket.blocks if b.type == "heading"] == [
        "Washington, D.C. teachers",
        "Claremont Resorts and Spas",
    ]
    assert picket.authors == ["Jennifer Satlin", "Jeff Bale", "Kathryn Lybarger"]
    enron = [by_key[f"2002-1/390/390_{n}.php"] for n in ("EnronStorylist", "06_EnronTaleOfGreed")]
    assert enron[1].position == enron[0].position + 1  # a feature's own list, in place
    assert enron[0].pages == "6 and 7"


def test_unplaceable_pages_and_links_are_noticed(corpus):
    notices = defaultdict(list)
    for o in corpus[0]:
        if isinstance(o, Notice):
            notices[o.path].append(o.message)
    assert any("410_04_SanAntonioCops.shtml" in m for m in notices["2002-1/410/410_Storylist.php"])
    assert any("not linked" in m for m in notices["2002-2/422/422_05_NurseStory"])
    assert any("2001-04-13 is used" in m for m in notices["2001/366/366_Storylist.php"])
    by_key = {a.key: a for a in articles(corpus[0])}
    assert by_key["2002-2/422/422_05_NurseStory"].issue.number == 422
    assert by_key["2005-1/540/540_04_Recruiters.shmtl"].section  # linked with the typo'd name
