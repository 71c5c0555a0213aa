"""Marking an entry's names in the sentence an entry's page quotes from each article.

The sentence is read word by word, each word folded as `names.name_key` folds a name
(case, accents, dots of an initialism), and a run of words that spells one of the entry's
names (its preferred name or an alias) is marked. A name's last word also marks itself with
a possessive or one of the endings of a following (`Trotsky` marks `Trotsky’s` and
`Trotskyists`, `Lenin` marks `Leninism`), but not any longer word it begins (`Ed` does not
mark `Education`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from backfile.authority.names import name_key

# An initialism (`P.O.U.M.`) or a word with its apostrophes (`Trotsky’s`)
SENTENCE_WORD = re.compile(r"(?:[^\W\d_]\.){2,}(?:[^\W\d_]\b\.?)?|[^\W_]+(?:['’][^\W_]+)*")
MAX_NAME_WORDS = 12
# What may follow a name's last word in a word that still names it (apostrophes dropped)
ENDINGS = frozenset(
    {"", "s", "es", "ist", "ists", "ism", "isms", "ite", "ites", "ian", "ians", "ic", "ics"}
)


def marked(sentence: str, names: Iterable[str]) -> SafeString:
    """The sentence, escaped, with every run of words that spells one of `names` in <mark>."""
    wanted = {tuple(key.split()) for name in names if (key := name_key(name))}
    wanted = {words for words in wanted if 0 < len(words) <= MAX_NAME_WORDS}
    if not sentence or not wanted:
        return escape(sentence or "")
    words = [(m.start(), m.end(), name_key(m.group())) for m in SENTENCE_WORD.finditer(sentence)]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        length = _longest_match(words, i, wanted)
        if length:
            spans.append((words[i][0], words[i + length - 1][1]))
            i += length
        else:
            i += 1
    out, at = [], 0
    for start, end in spans:
        out.append(escape(sentence[at:start]))
        out.append(f"<mark>{escape(sentence[start:end])}</mark>")
        at = end
    out.append(escape(sentence[at:]))
    return mark_safe("".join(out))


def _longest_match(words: list[tuple[int, int, str]], i: int, wanted: set[tuple]) -> int:
    """How many words from the i-th spell the longest of the wanted names (0: none)."""
    best = 0
    for name in wanted:
        n = len(name)
        if i + n > len(words) or n <= best:
            continue
        found = [key for _start, _end, key in words[i : i + n]]
        last = found[-1]
        if (
            found[:-1] == list(name[:-1])
            and last.startswith(name[-1])
            and last[len(name[-1]) :] in ENDINGS
        ):
            best = n
    return best
