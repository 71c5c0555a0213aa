"""Finding the authority file's names in an article's text: one Aho–Corasick automaton
(pyahocorasick) over every entry's name and aliases, not one regular expression per name.

Text and names are folded alike (`names.name_key`'s rules: accents and case folded,
apostrophes dropped, an initialism's dots dropped), so `U.S.S.R.` meets `USSR`,
`trotsky` meets `Trotsky` and `Trotsky’s` meets `Trotsky`.

- Whole words only: the text is cut into its words and the automaton runs over them
  joined by two spaces, every name held between single spaces (` v  i  lenin `), so a
  name matches only from a word's start to a word's end, and two names side by side
  (`Lenin Stalin`) are both found.
- The longest name wins where names overlap (`Ivan Smirnov` over `Smirnov`).
- A name's last word may carry one of `ENDINGS`, so `Trotskyists`, `Stalinism`,
  `Leninist` and `Trotsky’s` (`trotskys`) are mentions of Trotsky, Stalin and Lenin;
  `Leningrad` and `Stalingrad` are not (`grad` is no ending).
- Case does not matter (`trotsky` links), except for entries marked `capitalised`
  (a place called Reading), which link only where every word of the name is written
  with a capital letter (or a digit).
- Initialisms: `P.O.U.M.`, `POUM` and `poum` are one name (`poum`); letters written with
  spaces (`P O U M`) are not joined: an editor who meets that spelling adds it as an alias.

The automaton is built once per process and rebuilt only when the authority file
changes: `generation()` reads a few aggregates of the entry and alias tables in one
statement, and the receivers (`authority.receivers`) drop it on every save and delete.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

import ahocorasick
from django.db import connection

from backfile.authority.models import Alias, Entry
from backfile.authority.names import name_key
from backfile.search.text import APOSTROPHES, fold

# The short endings a name's last word may carry and still be that name (Trotskyists,
# Stalinism, Blairite, Trotsky's → trotskys). Not `es` (bushes), not `an` (Russian).
ENDINGS = ("s", "ist", "ists", "ism", "isms", "ite", "ites")

# A word of the text as names.name_key sees one: an initialism with its dots (`U.S.S.R.`),
# or letters and digits, joined by apostrophes (`Trotsky’s`). Everything else parts words.
# (One group, so that `split` keeps the words.)
WORD = re.compile(rf"((?:[^\W\d_]\.){{2,}}(?:[^\W\d_]\b\.?)?|[^\W_]+(?:[{APOSTROPHES}][^\W_]+)*)")
DROPPED = re.compile(rf"[.{APOSTROPHES}]")
GAP = "  "  # between two words of the folded text, and between two words of a name


@dataclass(frozen=True)
class Found:
    """One mention in a text: the entry, and where its name is written (characters)."""

    entry_id: int
    start: int
    end: int


class FoldedWords(dict[str, str]):
    """A word as written → folded as `name_key` folds it, computed on first sight."""

    def __missing__(self, word: str) -> str:
        if word.isascii() and word.isalnum():
            folded = word.lower()
        else:
            folded = fold(DROPPED.sub("", word))
            folded = "".join(re.findall(r"[^\W_]+", folded))
        if len(self) < 500_000:
            self[word] = folded
        return folded


_folded = FoldedWords()


class Matcher:
    """The automaton of one state of the authority file."""

    def __init__(self, names: list[tuple[int, str, bool]]) -> None:
        """`names`: (entry id, name or alias, the entry's capitalised flag)."""
        by_key: dict[str, set[tuple[int, bool]]] = {}
        for entry_id, name, capitalised in names:
            key = name_key(name)
            if key:
                by_key.setdefault(key, set()).add((entry_id, capitalised))
        self.automaton = ahocorasick.Automaton()
        patterns: dict[str, set[tuple[int, bool]]] = {}
        for key, entries in by_key.items():
            words = key.split(" ")
            for ending in ("", *ENDINGS):
                written = GAP.join([*words[:-1], words[-1] + ending])
                patterns.setdefault(f" {written} ", set()).update(entries)
        for pattern, entries in patterns.items():
            words = pattern.count(GAP) + 1
            self.automaton.add_word(pattern, (len(pattern), words, tuple(sorted(entries))))
        self.empty = not patterns
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[Found]:
        """Every mention in `text`, in order."""
        if self.empty or not text:
            return []
        pieces = WORD.split(text)  # separators and words by turns, the words at odd places
        if len(pieces) < 2:
            return []
        written = pieces[1::2]
        folded = list(map(_folded.__getitem__, written))
        # where each word starts in the text, and in the folded line
        starts = list(accumulate(map(len, pieces), initial=0))[1::2]
        line = " " + GAP.join(folded) + " "
        line_starts = list(accumulate((len(w) + len(GAP) for w in folded), initial=1))
        found = []
        for end, (length, count, entries) in self.automaton.iter_long(line):
            # (`end` is the pattern's last character, the space after its last word)
            first = bisect_right(line_starts, end - length + 2) - 1
            last = first + count - 1
            start, stop = starts[first], starts[last] + len(written[last])
            for entry_id, capitalised in entries:
                if capitalised and not all(_capital(w) for w in written[first : last + 1]):
                    continue
                found.append(Found(entry_id, start, stop))
        return found


def _capital(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


_current: tuple[tuple, Matcher] | None = None

GENERATION = """
SELECT
  (SELECT COUNT(*) FROM {entry}), (SELECT MAX(id) FROM {entry}),
  (SELECT SUM(id * LENGTH(name)) FROM {entry}),
  (SELECT SUM(CASE WHEN capitalised THEN id ELSE 0 END) FROM {entry}),
  (SELECT COUNT(*) FROM {alias}), (SELECT MAX(id) FROM {alias}),
  (SELECT SUM((id + entry_id) * LENGTH(name)) FROM {alias})
"""


def generation() -> tuple:
    """What the authority file is now, cheaply: counts, largest ids and sums over the names
    of entries and aliases (a rename changes a name's length, so the sum)."""
    with connection.cursor() as cursor:
        cursor.execute(GENERATION.format(entry=Entry._meta.db_table, alias=Alias._meta.db_table))
        return tuple(cursor.fetchone())


def current() -> Matcher:
    """The matcher of the authority file as it now is (built again only if it changed)."""
    global _current
    now = generation()
    if _current is None or _current[0] != now:
        names = [
            *Entry.objects.values_list("pk", "name", "capitalised"),
            *Alias.objects.values_list("entry_id", "name", "entry__capitalised"),
        ]
        _current = (now, Matcher(names))
    return _current[1]


def forget() -> None:
    """Drop this process's automaton: the next `current()` builds it afresh."""
    global _current
    _current = None
