"""Candidate names on the socialist-worker corpus (five years of a weekly, about 5,000
articles), ingested as `backfile ingest` does, which refreshes the list as it ends.

The top 50 by count must all be names of people, places or organisations. ACCEPTABLE is
the project's judgement of the names the list may hold there, written from the list as it
came out (with the authority file empty) and read name by name: people (`George W.
Bush`, `Ralph Nader`), places (`Falluja`, `D.C.`), organisations and institutions
(`UAW`, `Pentagon`, `Green Party`, the paper itself). Left out as neither, though they
recur: programmes and treaties (`Medicare`, `FTAA`), wars, nationalities, and fragments.
"""

from __future__ import annotations

import pytest
from django_q.models import OrmQ

from backfile.authority import candidates
from backfile.authority.models import PLACE, Candidate, Entry
from backfile.authority.names import name_key
from backfile.authority.receivers import REFRESH_TASK
from tests.conftest import corpus_path

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]

ACCEPTABLE = {
    # people
    "Bush", "George W. Bush", "George Bush", "Kerry", "John Kerry", "Nader", "Ralph Nader",
    "Saddam Hussein", "Saddam", "Clinton", "Bill Clinton", "Sharon", "Ariel Sharon",
    "Arafat", "Dean", "Howard Dean", "Aristide", "Davis", "Chávez", "Gore", "John Ashcroft",
    "Ashcroft", "Marx", "Donald Rumsfeld", "Rumsfeld", "Reagan", "Ronald Reagan", "Hoffa",
    "Stan", "Ryan", "Osama bin Laden", "Dick Cheney", "Cheney", "Blair", "Powell",
    "Kucinich", "Schwarzenegger", "Lenin", "Lula", "Tyson", "Williams", "Brown",
    # places
    "U.S.", "Iraq", "Washington", "Israel", "Afghanistan", "America", "Chicago",
    "California", "New York", "D.C.", "Middle East", "Vietnam", "New York City",
    "San Francisco", "Palestine", "Texas", "Baghdad", "Iran", "New Orleans", "Falluja",
    "Europe", "Calif", "Britain", "West Bank", "France", "Florida", "Argentina", "Gaza",
    "Los Angeles", "Haiti", "Russia", "India", "Mexico", "Illinois", "Seattle", "Colombia",
    "China", "Latin America", "Syria", "Cuba", "Africa", "Brazil", "Pakistan", "Japan",
    "Boston", "Lebanon", "Venezuela", "Germany", "Abu Ghraib", "London", "South Africa",
    "Bolivia", "Columbia", "Italy", "USSR", "Wall Street", "PA", "Canada", "North Korea",
    "Indonesia", "Massachusetts", "Southern California", "Maryland", "Guantánamo Bay",
    "Vieques", "West Coast", "Occupied Territories", "Wis", "Oakland", "Philadelphia",
    "Detroit", "Ohio", "New Jersey", "Egypt", "Spain", "Saudi Arabia",
    "Kosovo", "Jenin", "Ramallah", "Cleveland", "Minneapolis", "Iowa", "Georgia",
    # organisations and institutions
    "Socialist Worker", "SW", "Democrats", "Republicans", "UN", "United Nations",
    "Congress", "Pentagon", "New York Times", "Enron", "IMF",
    "International Monetary Fund", "UAW", "CIA", "Taliban", "FBI", "Army", "Navy",
    "Marines", "National Guard", "ILWU", "Teamsters", "World Bank", "Supreme Court",
    "U.S. Supreme Court", "Senate", "AFL-CIO", "Green Party", "Greens", "UPS", "UFCW",
    "Washington Post", "IAM", "Verizon", "Wal-Mart", "SEIU",
    "International Socialist Organization", "ISO", "Boeing", "CWA", "NATO", "WTO", "INS",
    "GM", "MTA", "Wall Street Journal", "Los Angeles Times", "Nazis", "UC", "PMA",
    "White House", "Democratic Party", "Republican Party", "Labor Party",
}  # fmt: skip


def test_the_commonest_candidates_are_people_places_and_organisations(ingest_paths):
    report = ingest_paths(
        corpus_path("socialist-worker-2001-2005.tar.xz"), publication="Socialist Worker"
    )
    assert report.count("added") > 4000
    # the ingest queued the refresh for the desk's worker; here it runs in this process
    assert not Candidate.objects.exists()
    assert [task.name() for task in OrmQ.objects.all()] == [REFRESH_TASK]
    candidates.refresh()
    top = list(Candidate.objects.order_by("-count", "key")[:50])
    assert len(top) == 50
    assert [c.name for c in top if c.name not in ACCEPTABLE] == []
    for candidate in top:
        words = candidate.name.lower().split()
        assert words[0] not in candidates.STOPWORDS and words[-1] not in candidates.STOPWORDS
        assert candidate.key == name_key(candidate.name)
        assert candidate.articles >= candidates.MIN_ARTICLES
        assert 1 <= len(candidate.examples) <= 3
        assert all(example["sentence"] for example in candidate.examples)

    # an editor rejects one and makes another an entry; the next refresh keeps the verdict
    # and drops the entry's name
    rejected = top[0]
    rejected.status = Candidate.REJECTED
    rejected.save()
    place = next(c for c in top if c.name == "Iraq")
    Entry.objects.create(type=PLACE, name="Iraq", slug="iraq", key="iraq", letter="i")
    candidates.refresh()
    assert Candidate.objects.get(key=rejected.key).status == Candidate.REJECTED
    assert not Candidate.objects.filter(key=place.key).exists()
