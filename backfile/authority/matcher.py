"""Finding the authority file's names in an article's text: one Aho–Corasick automaton
(pyahocorasick) over every entry's name and aliases, not one regular expression per name.

Text and names are folded alike (`names.name_key`'s rules: accents and case folded,
apostrophes dropped, an initialism's dots dropped), so `U.S.S.R.` meets `USSR`,
`trotsky` meets `Trotsky` and `Trotsky’s` meets `Trotsky`.

- Whole words only: the text is cut into its words and the automaton runs over them
  joined by single spaces, every name held after a space (` v i lenin`); a match not
  followed by a space (` lenin` in ` leningrad`) is refused, or cut back to the longest
  name it begins with that ends at a word's end.
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
changes: `generation()` reads a few aggregates of the entry and alias tables and of their
history tables (a rename to a name of the same length shows only there) in one statement, and the receivers (`authority.receivers`) drop it on every save and delete.
An ingest's worker processes, which read no database, are given the names and build
their own (`in_worker`), kept while the generation holds.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

import ahocorasick
from django.db import connection

from backfile.authority.models import Alias, Entry
from backfile.authority.names import name_key
from backfile.search.text import APOSTROPHES, fold

# The short endings a name's last word may carry and still be that name (Trotskyists,
# Stalinism, Blairite, Trotsky's → trotskys). Not `es` (bushes), not `an` (Russian).
ENDINGS = ("s", "ist", "ists", "ism", "isms", "ite", "ites")

# A word of the text as names.name_key sees one: letters and digits, joined by apostrophes
# (`Trotsky’s`) or dots (`U.S.S.R`, whose dots are then dropped, as name_key drops an
# initialism's). Everything else parts words. (One group, so that `split` keeps the words.)
WORD = re.compile(rf"(\w+(?:[.{APOSTROPHES}]\w+)*)")  # (\w: `_` too, and faster)
DROPPED = re.compile(rf"[.{APOSTROPHES}]")
UNDOTTED = str.maketrans("", "", ".'`")  # the ASCII dots and apostrophes words may hold


class Found(NamedTuple):
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
            for ending in ("", *ENDINGS):
                patterns.setdefault(f" {key}{ending}", set()).update(entries)
        for pattern, entries in patterns.items():
            anyhow = tuple(sorted(e for e, capitalised in entries if not capitalised))
            capitals = tuple(sorted(e for e, capitalised in entries if capitalised))
            value = (len(pattern), pattern.count(" "), anyhow, capitals)
            self.automaton.add_word(pattern, value)
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
        line = " " + " ".join(written) + " "
        if line.isascii():  # most texts' words, whatever their quotes and dashes
            line = line.lower().translate(UNDOTTED)
        else:
            line = " " + " ".join(map(_folded.__getitem__, written)) + " "
        found = []
        first = begun = 0  # the words before the last match, and where it began
        counted = at = 0  # the pieces before the last match found, and where it starts
        for end, (length, count, anyhow, capitals) in self.automaton.iter_long(line):
            begin = end - length + 1  # (the space before the name's first word)
            if line[end + 1] != " ":  # inside a word: the longest name ending at a word's end
                cut = line.rfind(" ", begin + 1, end + 1)
                while (
                    cut > begin and (shorter := self.automaton.get(line[begin:cut], None)) is None
                ):
                    cut = line.rfind(" ", begin + 1, cut)
                if cut <= begin:
                    continue
                _length, count, anyhow, capitals = shorter
            first += line.count(" ", begun, begin)
            begun = begin
            linked = anyhow
            if capitals and all(map(_capital, written[first : first + count])):
                linked = anyhow + capitals
            if not linked:
                continue
            # (each match after the one before: the text's length counted once, in C)
            at += sum(map(len, pieces[counted : 2 * first + 1]))
            counted = 2 * first + 1
            start, stop = at, at + sum(map(len, pieces[counted : 2 * (first + count)]))
            found += [Found(entry_id, start, stop) for entry_id in linked]
        return found


def _capital(word: str) -> bool:
    return word[:1].isupper() or word[:1].isdigit()


_current: tuple[tuple, list, Matcher] | None = None

GENERATION = """
SELECT
  (SELECT COUNT(*) FROM {entry}), (SELECT MAX(id) FROM {entry}),
  (SELECT SUM(id * LENGTH(name)) FROM {entry}),
  (SELECT SUM(CASE WHEN capitalised THEN id ELSE 0 END) FROM {entry}),
  (SELECT COUNT(*) FROM {alias}), (SELECT MAX(id) FROM {alias}),
  (SELECT SUM((id + entry_id) * LENGTH(name)) FROM {alias}),
  (SELECT MAX(history_id) FROM {entry_history}), (SELECT MAX(history_id) FROM {alias_history})
"""


def generation() -> tuple:
    """What the authority file is now, cheaply: counts, largest ids and sums over the names
    of entries and aliases, and the last change recorded in their histories (every save
    through the models writes one, so a rename to a name of the same length, which leaves
    the counts and sums as they were, still changes the generation)."""
    with connection.cursor() as cursor:
        cursor.execute(_generation_sql())
        return tuple(cursor.fetchone())


@cache
def _generation_sql() -> str:
    """GENERATION for these tables (once: the histories' manager is made afresh at each
    access to `Entry.history`, and that cost more than the query)."""
    return GENERATION.format(
        entry=Entry._meta.db_table,
        alias=Alias._meta.db_table,
        entry_history=Entry.history.model._meta.db_table,
        alias_history=Alias.history.model._meta.db_table,
    )


def current() -> Matcher:
    """The matcher of the authority file as it now is (built again only if it changed)."""
    return state()[2]


def state() -> tuple[tuple, list[tuple[int, str, bool]], Matcher]:
    """The authority file's generation, its names (entry id, name, capitalised) and their
    matcher, built again only if the generation changed."""
    global _current
    now = generation()
    if _current is None or _current[0] != now:
        names = [
            *Entry.objects.values_list("pk", "name", "capitalised"),
            *Alias.objects.values_list("entry_id", "name", "entry__capitalised"),
        ]
        _current = (now, names, Matcher(names))
    return _current


def forget() -> None:
    """Drop this process's automaton: the next `current()` builds it afresh."""
    global _current
    _current = None


_in_worker: tuple[tuple, Matcher] | None = None


def in_worker(generation: tuple, names: list[tuple[int, str, bool]]) -> Matcher:
    """In a worker process (which reads no database): the matcher of these names, kept
    while the generation holds."""
    global _in_worker
    if _current is not None and _current[0] == generation:  # forked with it
        return _current[2]
    if _in_worker is None or _in_worker[0] != generation:
        _in_worker = (generation, Matcher(names))
    return _in_worker[1]
