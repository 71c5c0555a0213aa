"""How a name is compared: the one folding the authority file, the matcher and the
candidate list share, so that an alias typed by an editor and the words of an article
meet however either is accented, cased or dotted.

A name becomes its words, folded as search folds them (`search.text.fold`: accents and
case), joined by single spaces; an initialism's letters are run together whether dotted or
not (`P.O.U.M.` and `POUM` are both `poum`; `U.S.S.R.`, `ussr`), while initials before a
name stay apart (`V. I. Lenin` is `v i lenin`).
"""

from __future__ import annotations

import re

from backfile.search.text import APOSTROPHES, fold

# Two or more single letters each followed by a dot, none spaced (`P.O.U.M.`, `U.S.S.R`)
INITIALISM = re.compile(r"\b(?:[^\W\d_]\.){2,}(?:[^\W\d_]\b\.?)?")
NAME_WORD = re.compile(r"[^\W_]+")
DROP = re.compile(f"[{APOSTROPHES}]")


def name_key(name: str) -> str:
    """`P.O.U.M.` → `poum`, `V. I. Lenin` → `v i lenin`, `Trotsky’s` → `trotskys`."""
    joined = INITIALISM.sub(lambda m: m.group().replace(".", ""), DROP.sub("", name))
    return " ".join(NAME_WORD.findall(fold(joined)))
