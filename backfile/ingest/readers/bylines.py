"""People named in bylines, standfirsts and letter signatures, as people.

The paper names its writers three ways: a byline (`By Eric Ruder and David
Thurston`), capitals at the head of the standfirst (`LEIA PETTY and JEN ROESCH
tell…`), and, on letters pages, a bold signature (`Jane Roe, Chicago`). Every
candidate is checked to be a name (two to four capitalised words, no verbs or
other lowercase words) so that a sentence never becomes an author.
"""

from __future__ import annotations

import re

PARTICLES = {"de", "del", "della", "la", "le", "van", "von", "der", "den", "da", "dos", "du", "y"}
SUFFIXES = {"JR", "JR.", "SR", "SR.", "II", "III", "IV"}
NOT_NAMES = {
    "SOCIALIST", "WORKER", "STAFF", "EDITORS", "EDITORIAL", "READERS", "THE", "OTHER",
    "LETTERS", "STORIES", "REPORTS", "BELOW", "NEWS", "INTERNET", "FROM", "OF", "HERE", "WE",
    "UNION", "UNITED", "COMMITTEE", "TEACHERS", "EDUCATORS", "ASSOCIATION", "COUNCIL",
    "COALITION", "CAMPAIGN", "ORGANIZING", "LOCAL", "FEDERATION", "NETWORK", "PARTY",
    "STUDENTS", "STUDENT", "WORKERS", "ALLIANCE", "SOCIETY", "CENTER", "UNIVERSITY", "COLLEGE",
    "SCHOOL", "DEPARTMENT", "INTERNATIONAL", "NATIONAL", "MUSEUM", "SECURITY", "MEMBERS",
    "GROUP", "PROJECT", "MOVEMENT", "ORGANIZATION", "INSTITUTE", "CITY", "COUNTY",
}  # fmt: skip
# After names in capitals, a standfirst saying the person spoke to the paper is an interview.
INTERVIEW = re.compile(
    r"\b(?:spoke|speaks|talked|talks)\s+(?:with|to)\s+(?:the\s+)?[A-Z]|\binterview"
)
# A standfirst opening with names in ordinary case counts only before one of these verbs.
LEADING_NAMES = re.compile(
    r"^(?P<names>[^.;:]{4,120}?)\s+(?:report|look|explain|examine|argue|describe|write|tell|"
    r"analyze|consider|assess|answer|review)s?\b"
)
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_CAPS_WORD = rf"(?:[{_UPPER}][{_UPPER}'\u2019.\-]*[{_UPPER}.]|[{_UPPER}]\.?)"
_CAPS_NAME = rf"{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{1,3}}"
CAPS_NAMES = re.compile(
    rf"(?<![\w'])(?P<names>{_CAPS_NAME}(?:(?:,\s*|,?\s+and\s+){_CAPS_NAME})*)"
    rf"(?:,[^,]{{1,80}},)?\s+(?P<verb>[a-z])"
)
AND = re.compile(r"^and\s+|\s+and\s+|\s*&\s*")
BYLINE = re.compile(r"^\s*(?:(?:review|interview|text|report)\s+)?by\s+(.+)$", re.I | re.S)


def title_case_name(name: str) -> str:
    """`LEE WENGRAF` → `Lee Wengraf`; `MCDONALD` → `McDonald`; `O'BRIEN` → `O'Brien`."""
    return " ".join(_title_word(word) for word in name.split())


def _title_word(word: str) -> str:
    if word.upper() in SUFFIXES and word.upper() not in ("JR", "SR", "JR.", "SR."):
        return word.upper()
    if not word.isupper():
        return word
    parts = re.split(r"([\-'\u2019])", word.lower())
    word = "".join(p[:1].upper() + p[1:] for p in parts)
    if re.match(r"Mc[a-z]", word):
        word = "Mc" + word[2:].capitalize()
    return word


def is_person_name(name: str) -> bool:
    """Two to four capitalised words (initials and particles allowed), no digits or verbs."""
    words = name.split()
    core = [w for w in words if w.lower() not in PARTICLES and w.upper() not in SUFFIXES]
    if not 2 <= len(core) <= 4 or len(words) > 5:
        return False
    if any(ch.isdigit() for ch in name) or any(w.upper().strip(".") in NOT_NAMES for w in words):
        return False
    if all(len(w.strip(".")) <= 1 for w in core):
        return False
    return all(w[:1].isupper() for w in core) and all(
        w.lower() in PARTICLES or w[:1].isupper() for w in words
    )


def split_names(text: str) -> list[str]:
    """The people in `Eric Potma, Adam Meyer and Steve Leigh, UAW Local 6`, in order.

    Commas separate names only in a list that ends with `and`; otherwise what
    follows a writer's name after a comma is an affiliation or a place. Reading
    stops at the first part that is not a name.
    """
    people: list[str] = []
    parts = [part.strip() for part in text.strip().strip(".:;").split(",")]
    for index, part in enumerate(parts):
        if index and not any(AND.search(later) for later in parts[index:]):
            break
        names = [name.strip() for name in AND.split(part) if name.strip()]
        if not names or not all(is_person_name(name) for name in names):
            break
        people += [title_case_name(name) if name.isupper() else name for name in names]
        if AND.search(part):
            break
    return people


def byline_people(line: str) -> list[str]:
    """People named by a byline line (`By Jane Roe and John Doe, AFT Local 2`)."""
    match = BYLINE.match(line)
    return split_names(match.group(1)) if match else []


def standfirst_people(standfirst: str) -> list[str]:
    """Writers named in capitals in a standfirst: `LEE WENGRAF looks at…` → ["Lee Wengraf"].

    Names must be followed by lowercase words (what the writer does), and a
    standfirst introducing an interview names its subject, not its writer.
    """
    people: list[str] = []
    if INTERVIEW.search(standfirst):
        return people
    leading = LEADING_NAMES.match(standfirst)
    if leading and not re.search(r"\b(?!and\b)[a-z]", leading["names"]):
        people += split_names(leading["names"])
    for match in CAPS_NAMES.finditer(standfirst):
        for person in split_names(match["names"]):
            if person not in people:
                people.append(person)
    return people


def signature_person(bold_part: str) -> list[str]:
    """The writer of a letter, from its bold signature (`Jane Roe,` before the place)."""
    return split_names(bold_part.strip().rstrip(","))[:1]
