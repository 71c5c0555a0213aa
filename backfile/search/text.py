"""How words become index terms, the same way for documents and queries on every backend.

Old periodicals spell as they please: accents come and go, apostrophes are curly,
British and American spellings mix, `Wal-Mart` is also `Walmart`. Rather than
trust each database's tokenizer to agree, Backfile folds and stems in Python
and hands the database plain space-separated terms. SQLite FTS5 and PostgreSQL
then index the very same terms, so a query behaves identically on both, and
the highlighter (which runs the same code over the original text) marks exactly
the words that matched.

A word goes through: NFKD with accents dropped, casefold, a few letters NFKD
leaves alone (æ, ø, ł …), apostrophes removed (`worker's` → `workers`), British
spellings mapped to American ones, then the Snowball English stemmer. A
hyphenated word is indexed as its parts and, separately, as one joined term.

An article's own text is stemmed in its language where Snowball has a stemmer
for it in ANALYSES (Spanish: `trabajadores` → `trabaj`), English otherwise;
names and labels (authors, section, publication) always in English, so they
index alike in every article. A query carries no language: `search.query`
looks each word up under every analysis (`QUERY_LANGUAGES`), so it finds an
article in any of them, on both backends alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

MAX_TERM_LENGTH = 60  # PostgreSQL refuses lexemes over 2 kB; long junk never matters anyway

APOSTROPHES = "'\u2018\u2019\u201b\u02bc\u2032\u0060\u00b4"
HYPHENS = "\\-\u2010\u2011"  # escaped: these go inside character classes
# A word: letters and digits, joined by apostrophes or hyphens, combining accents allowed inside.
# (Runs of letters first, then accents each followed by letters: a third faster than alternating
# between letter and accent at every character, and the same words.)
WORD_PART = r"[^\W_]+(?:[\u0300-\u036f][^\W_]*)*"
WORD = re.compile(rf"{WORD_PART}(?:[{APOSTROPHES}{HYPHENS}]{WORD_PART})*")
SPLIT_HYPHENS = re.compile(rf"[{HYPHENS}]")
DROP_APOSTROPHES = re.compile(rf"[{APOSTROPHES}]")

# Letters that NFKD does not decompose into a base letter and an accent.
LETTERS = str.maketrans(
    {
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "\u00ad": "",  # a soft hyphen is typesetting, not spelling
    }
)

# British → American. Whole words first, then families of endings.
SPELLING_WORDS = {
    "defence": "defense",
    "defences": "defenses",
    "offence": "offense",
    "offences": "offenses",
    "licence": "license",
    "licences": "licenses",
    "pretence": "pretense",
    "pretences": "pretenses",
    "programme": "program",
    "programmes": "programs",
    "grey": "gray",
    "gaol": "jail",
    "gaols": "jails",
    "connexion": "connection",
    "connexions": "connections",
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "cheque": "check",
    "cheques": "checks",
    "aluminium": "aluminum",
    "plough": "plow",
    "ploughs": "plows",
    "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers",
    "jewellery": "jewelry",
}
# -our words (labour, colour …): only these roots, since four, hour and our must stay.
OUR_ROOTS = [
    "ardour",
    "armour",
    "behaviour",
    "candour",
    "clamour",
    "colour",
    "endeavour",
    "favour",
    "fervour",
    "flavour",
    "harbour",
    "savour",
    "honour",
    "humour",
    "labour",
    "neighbour",
    "odour",
    "parlour",
    "rancour",
    "rigour",
    "rumour",
    "saviour",
    "splendour",
    "succour",
    "tumour",
    "valour",
    "vapour",
    "vigour",
]
OUR_FAMILY = re.compile(rf"^({'|'.join(r[:-3] for r in OUR_ROOTS)})our(?=[a-z]*$)")
# centre, theatre, kilometre …: -tre/-bre/-gre → -ter/-ber/-ger.
TRE_FAMILY = re.compile(r"(cent|theat|met|lit|fib|calib|sab|somb|spect|lust|meag|mit|nit)re(s|d)?$")
TRE_ENDINGS = {None: "", "s": "s", "d": "ed"}
# -ise/-isation → -ize/-ization, and -yse → -yze; these words are -ise in America too.
ISE_FAMILY = re.compile(r"^(?P<root>[a-z]{3,}?)is(?P<end>e|es|ed|ing|er|ers|ation|ations|ational)$")
ISE_KEPT_ROOTS = set(
    [
        "advert",
        "adv",
        "chast",
        "compr",
        "comprom",
        "desp",
        "dev",
        "disgu",
        "enterpr",
        "exerc",
        "franch",
        "improv",
        "inc",
        "merchand",
        "prem",
        "prom",
        "rev",
        "superv",
        "surm",
        "surpr",
        "telev",
        "expert",
        "pra",
        "cru",
        "bru",
        "dem",
        "prec",
        "conc",
        "treat",
        "parad",
        "otherw",
        "likew",
        "clockw",
        "circumc",
        "repr",
        "appr",
        "torto",
        "porpo",
        "mort",
        "chem",
        "exc",
    ]
)
YSE_FAMILY = re.compile(r"^(anal|paral|catal|dial|electrol|hydrol)ys(e|es|ed|ing)$")
DOUBLED_L = re.compile(
    r"^(travel|label|cancel|model|counsel|fuel|signal|level|channel|tunnel|marshal|quarrel|"
    r"rival|equal|dial|duel|jewel|shovel|panel|libel|total|initial|pedal|marvel|worship|kidnap)"
    r"[lp](ed|ing|er|ers|or|ors)$"
)


def fold(text: str) -> str:
    """Case and accents folded, typographic apostrophes and soft hyphens made plain."""
    if text.isascii():  # most words of most archives: nothing to decompose
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def americanise(word: str) -> str:
    """One folded word in its American spelling (labour → labor), so both spellings meet."""
    if word in SPELLING_WORDS:
        return SPELLING_WORDS[word]
    if "our" in word and OUR_FAMILY.match(word):
        return OUR_FAMILY.sub(r"\1or", word, count=1)
    if word.endswith(("re", "res", "red")) and (m := TRE_FAMILY.search(word)):
        return f"{word[: m.start()]}{m.group(1)}er{TRE_ENDINGS[m.group(2)]}"
    if "is" in word and (m := ISE_FAMILY.match(word)) and m.group("root") not in ISE_KEPT_ROOTS:
        return f"{m.group('root')}iz{m.group('end')}"
    if "ys" in word and (m := YSE_FAMILY.match(word)):
        return f"{m.group(1)}yz{m.group(2)}"
    if "ll" in word or "pp" in word:
        m = DOUBLED_L.match(word)
        if m:
            return f"{m.group(1)}{m.group(2)}"
    return word


# Without PyStemmer's own cache (size 0): `term` and the chunk caches before it already
# keep every word's term, so the stemmer sees each word once, and its cache only cost (four
# times the stemming itself, measured; PyStemmer's documentation warns of just this case).
_stemmer = Stemmer.Stemmer("english", 0)

# Languages whose words are stemmed by their own Snowball stemmer (a BCP 47 primary subtag →
# the stemmer's name); every other language's text is analysed as English. A language is
# added here by name: the folding before stemming is the same for all.
ANALYSES = {"es": "spanish"}
QUERY_LANGUAGES = ("en", *ANALYSES)
_stemmers = {language: Stemmer.Stemmer(name, 0) for language, name in ANALYSES.items()}


def analysis(language: str) -> str:
    """The analysis an article's text gets: `es` for `es-MX`, `en` for anything unstemmed."""
    primary = (language or "").split("-", 1)[0].lower()
    return primary if primary in ANALYSES else "en"


MAX_CACHED_TERMS = 200_000


class Terms(dict[str, str]):
    """Folded word → its index term in one analysis, made on first sight.

    Strings only: an lru_cache kept a linked-list node for each word, and in an ingest's
    worker processes (forked from the loader's large process) the garbage collector's
    rounds over those nodes cost about a sixth of the whole analysis.
    """

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def __missing__(self, word: str) -> str:
        if len(self) >= MAX_CACHED_TERMS:
            self.clear()
        if self.language == "en":
            made = self[word] = _stemmer.stemWord(americanise(word[:MAX_TERM_LENGTH]))
        else:
            made = self[word] = _stemmers[self.language].stemWord(word[:MAX_TERM_LENGTH])
        return made


_terms = {language: Terms(language) for language in QUERY_LANGUAGES}


def term(word: str, language: str = "en") -> str:
    """The index term for one already-folded word without apostrophes or hyphens."""
    return _terms[language][word]


@dataclass(frozen=True)
class Word:
    """One word of a text: where it is, its index terms in order, and its joined form if hyphenated."""

    start: int
    end: int
    terms: tuple[str, ...]
    joined: str | None = None


def folded_pieces(raw: str) -> list[str]:
    """The folded letter-and-digit runs of a word as written (`Wal-Mart` → wal, mart)."""
    if raw.isascii():  # most words: letters and digits, maybe an apostrophe or a hyphen
        parts = raw.lower().replace("'", "").replace("`", "").split("-")
        if all(map(str.isalnum, parts)):  # else, what WORD would make of it
            return parts
    folded = DROP_APOSTROPHES.sub("", fold(raw))
    return [piece for part in SPLIT_HYPHENS.split(folded) for piece in WORD.findall(part)]


@lru_cache(maxsize=200_000)
def analyse_word(raw: str, language: str = "en") -> tuple[tuple[str, ...], str | None]:
    """The terms of one word as written (`Wal-Mart` → (wal, mart) and walmart)."""
    pieces = folded_pieces(raw)
    terms = tuple(term(p, language) for p in pieces)
    joined = term("".join(pieces), language) if len(pieces) > 1 else None
    return terms, joined


def words(text: str, language: str = "en") -> Iterator[Word]:
    """Every word of `text` with its character span; the shared tokenizer of index and highlighter."""
    for match in WORD.finditer(unicodedata.normalize("NFC", text)):
        terms, joined = analyse_word(match.group(), language)
        if terms:
            yield Word(match.start(), match.end(), terms, joined)


@dataclass
class IndexText:
    """A field as the index stores it: its terms in order, and the joined forms kept aside."""

    terms: str
    joined: list[str]


# Every ASCII character that can never be inside a word becomes a space, so `str.split`
# cuts a text into chunks that no word crosses (`worker's`, `Wal-Mart`, `café—and`). ASCII
# capitals become small letters, as the terms would anyway (`fold` casefolds letter by
# letter): `The` and `the` are then one chunk, analysed once. The table is applied to a
# text's UTF-8 bytes (`separated`), where every byte of a character outside ASCII is
# above 127 and so kept: str.translate looks each character of such a text up in a dict.
CHUNK_SEPARATORS = bytes(
    ord(c.lower() if c.isalnum() or c in APOSTROPHES + "-" else " ") for c in map(chr, range(128))
) + bytes(range(128, 256))
# A chunk can only have joined forms (`analyse_word`) if it holds a hyphen or a character
# outside ASCII: ASCII letters and digits fold to themselves and ASCII apostrophes are dropped.
# (Two patterns: a literal is found many times faster than a class.)
MAY_JOIN = re.compile("[-\u0080-\U0010ffff]")
MAY_JOIN_ASCII = re.compile("-")
MAX_CACHED_CHUNKS = 300_000


class ChunkTerms(dict[str, str]):
    """Chunk → its terms, space-separated (or ""), analysed on first sight.

    An ingest looks up each of millions of words here; a dict subclass with
    `__missing__` keeps every hit inside C (`map(chunk_terms.__getitem__, …)`),
    where an lru_cache call per word cost more than the rest of the indexing.
    Chunks with hyphenated words also leave their joined forms in `joined`.
    """

    def __init__(self, language: str = "en") -> None:
        super().__init__()
        self.language = language
        self.joined: dict[str, tuple[str, ...]] = {}

    def __missing__(self, chunk: str) -> str:
        if chunk.isascii() and chunk.isalnum():  # one plain word, as most chunks are
            analysed = self[chunk] = term(chunk.lower(), self.language)
            return analysed
        terms: list[str] = []
        joined: list[str] = []
        # analyse_word's own function, not its lru_cache: the chunk is kept here, and a node
        # per word would give the garbage collector more to walk (see Terms)
        for written in WORD.findall(chunk):
            word_terms, word_joined = analyse_word.__wrapped__(written, self.language)
            terms.extend(word_terms)
            if word_joined:
                joined.append(word_joined)
        if joined:
            self.joined[chunk] = tuple(joined)
        analysed = self[chunk] = " ".join(terms)
        return analysed


_chunk_terms = {"en": ChunkTerms()}


def chunk_terms(language: str = "en") -> ChunkTerms:
    """The shared chunk cache of a language, started afresh once full (a text being read
    elsewhere keeps the one it began with, so its terms and joined forms stay consistent)."""
    cache = _chunk_terms.get(language)
    if cache is None or len(cache) >= MAX_CACHED_CHUNKS:
        cache = _chunk_terms[language] = ChunkTerms(language)
    return cache


def index_text(text: str, language: str = "en") -> IndexText:
    """Space-separated terms for the database, plus hyphenated words' joined forms."""
    cache = chunk_terms(language)
    separated = separate(unicodedata.normalize("NFC", text))
    chunks = separated.split()
    terms = " ".join(map(cache.__getitem__, chunks))
    if "  " in terms or terms.startswith(" ") or terms.endswith(" "):
        # a chunk without a word (a dash, a quotation mark) left a gap: rare, so not
        # filtered out of every text
        terms = " ".join(filter(None, map(cache.__getitem__, chunks)))
    return IndexText(terms, joined_forms(separated, cache.joined) if cache.joined else [])


def separate(text: str) -> str:
    """The text with CHUNK_SEPARATORS applied; a double hyphen is a dash, which no word
    crosses: cut there too, or every `word--word` of a typed page would be a chunk of its
    own, analysed afresh. (Lone surrogates pass through, as str.translate would let them.)"""
    data = text.encode("utf-8", "surrogatepass").translate(CHUNK_SEPARATORS)
    return data.decode("utf-8", "surrogatepass").replace("--", " ")


def joined_forms(separated: str, hyphenated: dict[str, tuple[str, ...]]) -> list[str]:
    """The joined forms of a separated text's chunks (already analysed), in order: found
    from the few places a chunk may have any (`MAY_JOIN`), not by looking each chunk up."""
    joined: list[str] = []
    end = 0
    for mark in (MAY_JOIN_ASCII if separated.isascii() else MAY_JOIN).finditer(separated):
        at = mark.start()
        if at < end:  # in the chunks just looked up
            continue
        # the chunks around it: bounded by ASCII spaces (every ASCII separator is one now),
        # and cut by any other whitespace in between, as str.split cuts the text
        start = separated.rfind(" ", 0, at) + 1
        end = separated.find(" ", at)
        if end < 0:
            end = len(separated)
        for chunk in separated[start:end].split():
            joined.extend(hyphenated.get(chunk, ()))
    return joined


# An item's texts analysed: each text's terms, and each text's hyphenated joined forms.
Analysed = tuple[tuple[str, ...], tuple[str, ...]]


# Which of an item's texts are analysed in its language (`search.index.TEXT_FIELDS`: title,
# kicker, standfirst, and body); names and labels are analysed alike in every language.
IN_ITS_LANGUAGE = (True, True, True, False, True, False, False)


def analyse_many(batch: list[tuple[str, ...]]) -> list[Analysed]:
    """Index terms and joined forms of every text of every item, plain strings in and out,
    so that a worker process can analyse a large batch (the index's largest cost).

    An item is its texts and then the language tag they are written in."""
    results: list[Analysed] = []
    for *texts, language in batch:
        own = analysis(language)
        analysed = [
            index_text(text, own if own != "en" and i < 7 and IN_ITS_LANGUAGE[i] else "en")
            for i, text in enumerate(texts)
        ]
        results.append(
            (tuple(a.terms for a in analysed), tuple(" ".join(a.joined) for a in analysed))
        )
    return results


# SQLite keeps a section's and a publication's terms in columns of the same FTS5 table as
# the text, each term marked, so that a plain word never matches them (a search for
# `worker` must not match every article of *Socialist Worker*) and needs no column filter,
# which would make FTS5 read the position lists of every row holding the word.
LABEL_MARK = "zz9"


def marked_label_terms(terms: str) -> str:
    """A label's space-separated terms as the FTS5 table stores them (`book review` →
    `zz9book zz9review`)."""
    return " ".join(LABEL_MARK + t for t in terms.split())
