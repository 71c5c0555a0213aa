"""Candidate names: what recurs across the archive as a name and is in no entry yet.

Read from every article's standfirst and body (not headlines or subheads, which are
set in capitals word by word): runs of capitalised words, with initials (`V. I. Lenin`,
`George W Bush`) and a few joining words inside (`Bank of England`, `Stop the War
Coalition`). A run is then trimmed of what makes it a fragment rather than a name:

- a sentence's first word, where the archive also writes it in lower case or never
  with a capital elsewhere (`Police`, `Meanwhile`), as learnt from the archive itself, so
  `Labour` (mostly the party) stays; a one-word run that begins a sentence is not
  counted at all (a name or not, there is no telling);
- honorifics and offices before a name (`Prime Minister Tony Blair` → `Tony Blair`);
- joining and function words at either end (`The`, `But`, `In`: `STOPWORDS`), and a
  possessive or contraction (`Blair's`, `I'm`);

and dropped if what is left is only initials, an event or a law (`Gulf War`), or only words that name no one on their
own: months and days, offices, nationalities and peoples, institutions' nouns
(`GENERIC`), and words the archive writes in lower case at least as often as with a
capital. Names count together whatever their spelling (`names.name_key`), under their
commonest spelling; a name is a candidate from MIN_ARTICLES articles on, with up to
three examples (article and sentence).

`refresh()` rewrites the Candidate rows: an open candidate follows the archive (added,
recounted, removed when it no longer recurs); one an editor accepted, merged or rejected
keeps its status; any whose name is now an entry or an alias, or a form the matcher links
to one (`Trotskyists`), drops out.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from backfile.archive.models import Article
from backfile.authority import matcher
from backfile.authority.linking import sentence_around
from backfile.authority.models import Alias, Candidate, Entry
from backfile.authority.names import name_key

MIN_ARTICLES = 3
EXAMPLES = 3
BATCH = 500
KEY_LENGTH = Candidate._meta.get_field("key").max_length

UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
# A name's word: a capitalised word (Blair, O'Brien, Al-Qaida, BBC), an initialism with its
# dots (U.S.S.R.) or an initial, dotted or not (V., W); only initials carry a dot, so a run
# never crosses the end of a sentence (`in March. The Bank`)
_CAP_WORD = rf"[{UPPER}]\w*(?:['\u2019\-]\w+)+|[{UPPER}]\w+|(?:[{UPPER}]\.){{2,}}|[{UPPER}]\.?"
_JOIN = r"of|the|de|del|della|di|da|van|von|der|den|la|le|du|al|bin|y"
# A run of such words, joining words inside
NAME_RUN = re.compile(
    rf"(?<![\w\u2019'.\-])(?:{_CAP_WORD})"
    rf"(?:(?:\s+(?:{_JOIN}))*\s+(?:{_CAP_WORD}))*"
    rf"(?![\w\u2019'\-])"
)
RUN_WORD = re.compile(rf"(?:{_CAP_WORD})|\S+")
LOWER_WORD = re.compile(r"(?<![\w\u2019'\-])[a-z]+(?![\w\u2019'\-])")
SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\u2014\u2013]|\.\.\.)[\s\"'\u201c\u2018(\[\u2014-]*$")


def listed(words: str) -> frozenset[str]:
    return frozenset(words.split())


STOPWORDS = listed(
    """a an the and but or nor for so yet of in on at to by from with without as if when
    while then than this that these those there here it its he she we they i you his her
    our their my your who what where why how which all any some no not every each after
    before during since until under over between about against into onto upon also just
    only even still now today yesterday tomorrow mr mrs ms dr st de del la le du van von
    der den al bin y dear
    el los las un una unos unas o en con por para sin sobre entre desde hasta que como
    cuando donde este esta estos estas ese esa esos esas su sus nuestro nuestra pero
    también ya hoy ayer mañana"""
)
CALENDAR = listed(
    """january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday christmas easter
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre
    noviembre diciembre lunes martes miércoles jueves viernes sábado domingo navidad"""
)
# Offices and honorifics: a run is cut after the last of them (`Prime Minister Tony Blair`)
TITLES = listed(
    """president vice prime minister secretary chancellor mr mrs ms dr sir lord lady dame
    sen senator gov governor gen general rep lt sgt col capt adm mayor judge professor prof
    chairman chairwoman chair leader spokesman spokeswoman ceo king queen prince princess
    pope rev reverend father comrade attorney ambassador commissioner deputy councillor
    presidente presidenta ministro ministra secretario secretaria señor señora sr sra don
    doña alcalde alcaldesa gobernador gobernadora senador senadora diputado diputada
    compañero compañera"""
)
# Words that name no one on their own: nationalities, peoples and religions, parties'
# adjectives, and the nouns of institutions (a run made only of these, titles, stopwords
# and calendar words is no candidate)
GENERIC = listed(
    """british english scottish scots welsh irish american americans european europeans
    french german germans italian spanish russian russians chinese japanese indian
    pakistani iraqi iraqis israeli israelis palestinian palestinians arab arabs afghan
    iranian turkish kurdish kurds african africans asian asians latin egyptian syrian
    lebanese saudi greek polish dutch belgian swedish danish norwegian portuguese
    brazilian mexican cuban venezuelan argentinian australian canadian zimbabwean
    nigerian haitian korean vietnamese filipino south north east west western eastern
    northern southern muslim muslims christian christians jewish jews jew catholic
    catholics protestant islamic hindu sikh black blacks white whites latino latinos
    latina hispanic hispanics democratic democrat republican state states home foreign
    interior defense defence justice labor labour department local web internet tv
    united corporate national federal international government union party city county
    street center centre university college school court house committee council company
    news times post office worker workers aids hiv islamist islamists colombian shiite shiites shia sunni sunnis"""
)
# What a name of an event or a law ends with (`Gulf War`, `Patriot Act`): names, but of no
# person, place or organisation
EVENTS = listed("war wars act bill revolution crisis massacre uprising amendment")
# Adjectives that begin a phrase rather than a name (`Corporate America`)
LEADING = listed("corporate")
CONTRACTION = re.compile(r"['\u2019](?:s|re|ve|ll|m|d|t)?$", re.I)


@dataclass
class Seen:
    """One name as found: its spellings, where, and a few examples."""

    spellings: Counter = field(default_factory=Counter)
    count: int = 0
    articles: set[int] = field(default_factory=set)
    examples: list[dict] = field(default_factory=list)


def article_texts(article: Article) -> Iterator[str]:
    """The texts names are sought in: standfirst, summary, and the body's blocks, quotations
    and notes included, headings left out."""
    for text in (article.standfirst, article.summary):
        if text:
            yield text
    yield from _block_texts(article.blocks)


def _block_texts(blocks: list[dict]) -> Iterator[str]:
    for block in blocks:
        if block.get("type") == "heading":
            continue
        if block.get("text"):
            yield block["text"]
        if block.get("blocks"):
            yield from _block_texts(block["blocks"])


class Vocabulary:
    """How often the archive writes each word in lower case, and with a capital other than
    at the start of a sentence."""

    def __init__(self) -> None:
        self.lower: Counter = Counter()
        self.inside: Counter = Counter()

    def read(self, text: str) -> None:
        self.lower.update(LOWER_WORD.findall(text))

    def read_run(self, run: Run) -> None:
        self.inside.update(run.words[1:] if run.initial else run.words)

    def common(self, word: str) -> bool:
        """A word the archive writes in lower case at least as often as with a capital."""
        return self.lower[word.lower()] >= max(1, self.inside[word])

    def opens_sentences(self, word: str) -> bool:
        """A word (at a sentence's start) that is also written in lower case, or that has a
        capital only where it begins a sentence (`Meanwhile`, `Although`)."""
        return self.lower[word.lower()] > 0 or self.inside[word] == 0


@dataclass
class Run:
    words: list[str]
    start: int
    end: int
    initial: bool  # the run begins a sentence


def runs_in(text: str) -> Iterator[Run]:
    for found in NAME_RUN.finditer(text):
        run_words = RUN_WORD.findall(found.group())
        before = text[max(0, found.start() - 12) : found.start()]
        yield Run(run_words, found.start(), found.end(), bool(SENTENCE_START.search(before)))


def trimmed(run: Run, vocabulary: Vocabulary) -> list[str]:
    """The run's words less what makes it a fragment (see the module's docstring)."""
    words = [CONTRACTION.sub("", w) if "'" in w or "\u2019" in w else w for w in run.words]
    if run.initial and len(words) == 1:  # a sentence's first word: a name or not, unknown
        return []
    if run.initial and vocabulary.opens_sentences(words[0]):
        words.pop(0)
    bare = [w.rstrip(".").lower() for w in words]
    cut = max((n for n, b in enumerate(bare[:-1]) if b in TITLES), default=-1)
    words, bare = words[cut + 1 :], bare[cut + 1 :]
    while bare and (bare[0] in STOPWORDS or bare[0] in LEADING):
        words, bare = words[1:], bare[1:]
    while bare and bare[-1] in STOPWORDS:
        words, bare = words[:-1], bare[:-1]
    if not words or all(len(b) == 1 for b in bare) or bare[-1] in EVENTS:
        return []  # nothing, initials alone, or an event
    if all(
        b in CALENDAR or b in TITLES or b in GENERIC or b in STOPWORDS or vocabulary.common(w)
        for b, w in zip(bare, words, strict=True)
    ):
        return []
    return words


def collect(articles, vocabulary: Vocabulary, progress: Callable | None = None) -> dict:
    """Every name found in these articles' texts, by key."""
    raw: dict[tuple[str, ...], Seen] = {}
    for article in articles:
        for text in article_texts(article):
            vocabulary.read(text)
            for run in runs_in(text):
                vocabulary.read_run(run)
                key = (tuple(run.words), run.initial)
                seen = raw.get(key)
                if seen is None:
                    seen = raw[key] = Seen()
                seen.count += 1
                seen.articles.add(article.pk)
                if len(seen.examples) < EXAMPLES and not any(
                    e["article"] == article.pk for e in seen.examples
                ):
                    seen.examples.append(
                        {
                            "article": article.pk,
                            "sentence": sentence_around(text, run.start, run.end),
                        }
                    )
    names: dict[str, Seen] = {}
    for (words, initial), seen in raw.items():
        kept = trimmed(Run(list(words), 0, 0, initial), vocabulary)
        if not kept:
            continue
        spelling = " ".join(kept)
        key = name_key(spelling)
        if not key:
            continue
        name = names.get(key)
        if name is None:
            name = names[key] = Seen()
        name.spellings[spelling] += seen.count
        name.count += seen.count
        name.articles |= seen.articles
        name.examples += seen.examples
    for name in names.values():  # the first articles' (by id), one from each
        firsts = {}
        for example in sorted(name.examples, key=lambda e: e["article"]):
            firsts.setdefault(example["article"], example)
        name.examples = list(firsts.values())[:EXAMPLES]
    return names


def _articles(progress: Callable | None):
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        yield from Article.objects.filter(pk__in=ids[start : start + BATCH]).only(
            "pk", "standfirst", "summary", "blocks"
        )
        if progress:
            progress(min(start + BATCH, len(ids)), len(ids))


def find(
    progress: Callable[[int, int], None] | None = None, known: set[str] | None = None
) -> dict[str, Seen]:
    """Names recurring in MIN_ARTICLES articles or more that no entry holds, by key
    (`known`: the entries' keys, where the caller has them already)."""
    names = collect(_articles(progress), Vocabulary())
    known = known_keys() if known is None else known
    linked = matcher.current()
    found = {}
    for key, seen in names.items():
        if len(seen.articles) < MIN_ARTICLES or key in known:
            continue
        spelling = seen.spellings.most_common(1)[0][0]
        if any(f.start == 0 and f.end == len(spelling) for f in linked.find(spelling)):
            continue  # a form the matcher links to an entry (Trotskyists, Blair's)
        # (cut here, once, to the stored column's length, so a refresh compares the keys
        # it finds with the stored ones as they are stored)
        found.setdefault(key[:KEY_LENGTH], seen)
    return found


def known_keys() -> set[str]:
    """The keys of every entry's name and alias (folded here, whatever the stored key)."""
    names = [*Entry.objects.values_list("name", flat=True)]
    names += Alias.objects.values_list("name", flat=True)
    return {name_key(n) for n in names}


def refresh(progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite the candidate list from the archive; returns how many are open."""
    known = known_keys()
    found = find(progress, known)
    with transaction.atomic():
        stored = {c.key: c for c in Candidate.objects.select_for_update()}
        gone = [
            c.pk
            for key, c in stored.items()
            if key in known or (c.status == Candidate.OPEN and key not in found)
        ]
        Candidate.objects.filter(pk__in=gone).delete()
        new, changed = [], []
        for key, seen in found.items():
            values = {
                "name": seen.spellings.most_common(1)[0][0][:300],
                "count": seen.count,
                "articles": len(seen.articles),
                "examples": seen.examples,
            }
            if key in stored:
                candidate = stored[key]
                for attribute, value in values.items():
                    setattr(candidate, attribute, value)
                changed.append(candidate)
            else:
                new.append(Candidate(key=key, **values))
        Candidate.objects.bulk_update(
            changed, ["name", "count", "articles", "examples"], batch_size=500
        )
        Candidate.objects.bulk_create(new, batch_size=500)
    return Candidate.objects.filter(status=Candidate.OPEN).count()
