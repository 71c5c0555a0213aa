"""People named in bylines, standfirsts and signatures, as people, each with a role.

A weekly names its writers in several ways, in English and Spanish alike:

- a byline line: `By Eric Ruder and David Thurston`, `Por Juana Pérez y Luis Gómez`,
  `By A. Writer | April 7, 2006 | Page 11` (a byline sharing the dateline);
- capitals at the head of an introduction (`LEIA PETTY and JEN ROESCH tell…`),
  bold or plain;
- a signature at the end: a name, a name and a place (`Jane Roe, Chicago`,
  `Juana Pérez, Los Ángeles`), or two or three names; on letters pages one per letter;
- credit lines naming people who are not the writers, kept with their role:
  `Translated by X` / `Traducido por X` / `Traducción: X` (translator),
  `Additional reporting by X` / `Con información de X` (contributor),
  `Photos by X` / `Fotos: X` (photographer), `Illustrations by X` (illustrator);
  a closing credit `A and B contributed to this report.` / `A y B colaboraron en este
  reportaje.` (contributors).

Every candidate is checked to be a name (two to four capitalised words, no verbs
or other lowercase words but particles) so that a sentence never becomes an author.
"""

from __future__ import annotations

import re

from backfile.ingest.records import Block, Contributor

AUTHOR = "author"
CONTRIBUTOR = "contributor"
PARTICLES = {
    "de", "del", "della", "di", "la", "las", "los", "le", "van", "von", "der", "den", "da",
    "das", "do", "dos", "du", "y", "e", "ten", "ter", "bin", "ibn", "al", "el",
}  # fmt: skip
SUFFIXES = {"JR", "JR.", "SR", "SR.", "II", "III", "IV"}
NOT_NAMES = {
    "SOCIALIST", "WORKER", "STAFF", "EDITORS", "EDITORIAL", "READERS", "THE", "OTHER",
    "LETTERS", "STORIES", "REPORTS", "BELOW", "NEWS", "INTERNET", "FROM", "OF", "HERE", "WE",
    "UNION", "UNITED", "COMMITTEE", "TEACHERS", "EDUCATORS", "ASSOCIATION", "COUNCIL",
    "COALITION", "CAMPAIGN", "ORGANIZING", "LOCAL", "FEDERATION", "NETWORK", "PARTY",
    "STUDENTS", "STUDENT", "WORKERS", "ALLIANCE", "SOCIETY", "CENTER", "UNIVERSITY", "COLLEGE",
    "SCHOOL", "DEPARTMENT", "INTERNATIONAL", "NATIONAL", "MUSEUM", "SECURITY", "MEMBERS",
    "GROUP", "PROJECT", "MOVEMENT", "ORGANIZATION", "INSTITUTE", "CITY", "COUNTY",
    "IN", "HIS", "HER", "OWN", "OUR", "THEIR", "MY", "YOUR", "FOR", "WITH",
    "IS", "ARE", "WAS", "NOT", "WHAT", "WHY", "HOW", "WHO", "THIS", "THAT",
    "DID", "DO", "DOES", "THEY", "THEM", "IT", "YOU", "HE", "SHE", "WHEN", "WHERE",
    "CAN", "WILL", "WOULD", "SHOULD", "COULD", "HAS", "HAVE", "HAD", "THESE", "THOSE",
    "THERE", "THEN", "BUT", "IF", "ALL", "ELLOS", "ELLAS", "QUÉ", "CÓMO", "PARA",
    "REDACCIÓN", "EDITORES", "LECTORES", "TRABAJADORES", "SINDICATO", "COMITÉ",
    # number words: `ONE HUNDRED years after…` opens a standfirst in the house's capitals
    "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN", "TWELVE",
    "TWENTY", "THIRTY", "FORTY", "FIFTY", "HUNDRED", "THOUSAND", "MILLION", "AN",
    "UNO", "DOS", "TRES", "CIEN", "CIENTOS", "MIL",
}  # fmt: skip
# After names in capitals, a standfirst saying the person spoke to the paper is an interview.
INTERVIEW = re.compile(
    r"\b(?:spoke|speaks|talked|talks|habló|hablaron|conversó)\s+(?:with|to|con)\s+"
    r"(?:the\s+|el\s+|la\s+)?[A-Z]|\binterview|\bentrevista"
)
# What a writer named at the head of an introduction does, in English and Spanish.
INTRO_VERB = (
    r"(?:report|look|explain|examine|argue|describe|write|tell|analyze|analyse|consider|assess|"
    r"answer|review|reflect|recount|investigate|offer|present)s?"
    r"|(?:informa|mira|explica|examina|argumenta|describe|escribe|cuenta|analiza|considera|"
    r"eval[uú]a|responde|rese[ñn]a|reflexiona|relata|investiga|presenta|ofrece)n?"
)
# A standfirst opening with names in ordinary case counts only before one of these verbs.
LEADING_NAMES = re.compile(rf"^(?P<names>[^.;:]{{4,120}}?)\s+(?:{INTRO_VERB})\b")
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de"
_CAPS_WORD = rf"(?:[{_UPPER}][{_UPPER}'\u2019.\-]*[{_UPPER}.]|[{_UPPER}]\.?)"
_CAPS_NAME = rf"{_CAPS_WORD}(?:\s+{_CAPS_WORD}){{1,4}}"
_CAPS_LIST = rf"{_CAPS_NAME}(?:(?:,\s*|,?\s+(?:and|y|e)\s+){_CAPS_NAME})*"
CAPS_NAMES = re.compile(rf"(?<![\w'])(?P<names>{_CAPS_LIST})(?:,[^,]{{1,80}},)?\s+(?P<verb>[a-z])")
# An interview's introduction names its interviewer as the publication's own: `X talked to
# Socialist Worker's JANE ROE`, `spoke with the Review's JOHN DOE` (a name after `talked to`
# alone is the person interviewed).
INTERVIEWER = re.compile(
    r"\b(?:talked|talks|spoke|speaks|spoken)\s+(?:to|with)\s+(?:the\s+)?"
    rf"(?:[A-Z][\w.&-]*\s+){{0,4}}[A-Z][\w.&-]*['\u2019]s\s+(?P<names>{_CAPS_LIST})\b"
)
# A plain (not bold) introduction names its writer only at its head, before what they do.
# (after the names, an aside between commas or dashes: `JANE ROE--a teacher here--tells…`;
# or the names inside `As JANE ROE shows,` / `Como JUANA PÉREZ muestra,`)
_ASIDE = (
    r"(?:,[^,]{1,80},\s+|\s*(?:--|\u2014|\u2013)(?:(?!--)[^\u2013\u2014]){1,120}(?:--|\u2014|\u2013)\s*"
    r"|\s+)"
)
INTRO_CAPS = re.compile(
    rf"^(?:(?:[Hh]ere|[Bb]elow|[Aa]qu[ií]|[Aa] continuaci[oó]n),\s+)?(?P<names>{_CAPS_LIST})"
    rf"{_ASIDE}(?:{INTRO_VERB})\b"
)
INTRO_AS = re.compile(
    rf"^(?:(?:[Bb]ut|[Aa]nd|[Pp]ero|[Yy])\s+)?(?:[Aa]s|[Cc]omo)\s+(?P<names>{_CAPS_LIST})\s+"
    rf"(?:{INTRO_VERB}|shows?|muestran?)\b"
)
# A note introducing a speaker or a participant (`JANE ROE is a teacher in…`, `Juana Pérez
# fue la primera…`), its name in capitals or in bold, before what the person is or does.
BIO_VERB = (
    r"(?:is|was|has|had|writes|works|teaches|edits|lives|leads|organizes|organises|serves|"
    r"es|fue|era|ha|escribe|trabaja|enseña|edita|vive|dirige|organiza)"
)
BIO_CAPS = re.compile(rf"^(?P<names>{_CAPS_LIST})\s+{BIO_VERB}\s")
BIO_MAX = 500  # characters: a longer paragraph is the text, not a note on who speaks
# A writer signing with initials at the head of a standfirst (`D.K. is a member of…`,
# `J.R. reports…`); initials that name a country or a body are not a writer.
INITIALS_LEAD = re.compile(rf"^(?P<names>(?:[{_UPPER}]\.){{2,4}})\s+(?:{BIO_VERB}|{INTRO_VERB})\b")
NOT_INITIALS = {"U.S.", "U.K.", "U.N.", "E.U.", "D.C.", "L.A.", "N.Y.", "EE.UU.", "O.N.U."}
AND = re.compile(r"^(?:and|y|e)\s+|\s+(?:and|y|e)\s+|\s*&\s*")
# (`Written by`, `Reported by`, `Escrito por`: the word before `by` or `por` says how)
_BY = (
    r"(?:(?:review|interview|text|report|story|words|written|reported|"
    r"reseña|entrevista|texto|reportaje|escrito|escrita|redactado|redactada|crónica)\s+)?"
    r"(?:by|por)"
)
BYLINE = re.compile(rf"^\s*{_BY}\s+(.+)$", re.I | re.S)
# A dateline's byline part with a few words before its `by` (`Review of by …`).
LATE_BY = re.compile(r"^(?:[^\s|]+\s){1,3}(?P<byline>(?:by|por)\s.+)$", re.I | re.S)
# A byline's names and, after them, where the writers write from (`Jane Roe in Glasgow`,
# `Juana Pérez desde Caracas`): the place opens with a capital.
PLACED = re.compile(r"^(?P<names>.+?)\s+(?:in|at|from|en|desde)\s+(?P<place>[A-Z\u00c0-\u00de].*)$")
# Credit lines for people who are not the writers: (pattern, role).
CREDITS = tuple(
    (re.compile(rf"^\s*(?:{lead})\s*(?P<names>\S.*)$", re.I | re.S), role)
    for lead, role in (
        (r"translat(?:ed|ion)\s+(?:from\s+the\s+\w+\s+)?by|translat(?:ion|or)\s*:|"
         r"traducido\s+por|"
         r"traducci[oó]n(?:\s+de(?:l\s+\w+)?)?(?:\s*:|\s+por|\s+de)?|traductor[a]?:", "translator"),
        (r"(?:additional|further)\s+reporting\s+by|with\s+reporting\s+by|reporting\s+by|"
         r"con\s+(?:informaci[oó]n|reportes?)\s+de|colabor(?:ó|aron|aci[oó]n)\s*(?:de|:)",
         "contributor"),
        (r"photos?(?:graphs?)?\s*(?:by|:)|fotos?(?:graf[ií]as?)?\s*(?:de|por|:)", "photographer"),
        (r"illustrations?\s*(?:by|:)|ilustraci(?:ó|o)n(?:es)?\s*(?:de|por|:)", "illustrator"),
    )
)  # fmt: skip
# What every byline or credit line starts with (a quick refusal for all other lines).
CREDIT_START = re.compile(
    r"\s*(?:by|por|review|interview|text|report|story|words|written|rese|entrevista|reportaje|"
    r"escrit|redactad|crónica|translat|traduc|"
    r"additional|further|with|con\s|colabor|photo|foto|illustrat|ilustraci)",
    re.I,
)
# A closing credit naming the people who helped report (kept as contributors, not text):
# `A, B and C contributed to this report.`, `A y B colaboraron en este reportaje.`
CONTRIBUTED = re.compile(
    r"^(?P<names>.{4,300}?)\s+(?:(?:also\s+)?contribut(?:ed|es?)\s+to\s+this\s+"
    r"(?:report|article|story|coverage)|(?:contribuy[óo]|contribuyeron|colabor[óo]|colaboraron)"
    r"\s+(?:en|con|a|para)\s+(?:este|esta)\s+(?:informe|reporte|reportaje|art[íi]culo|nota))"
    r"\s*\.?$",
    re.I | re.S,
)
# A signature's words after the names: a place or an affiliation, capitalised but for these.
PLACE_SMALL = {
    "of", "the", "for", "and", "in", "on", "at", "from", "de", "del", "la", "las", "los", "el",
    "y", "en", "da", "do", "dos", "das", "le", "du", "des",
}  # fmt: skip
# A signature's words after the names may also say what the writer is (`Jane Doe, union
# steward`, `Juana Pérez, corresponsal en Caracas`), in these words.
ROLE_WORDS = {
    "correspondent", "reporter", "member", "members", "steward", "stewards", "organizer",
    "organiser", "activist", "delegate", "editor", "columnist", "contributor", "union",
    "corresponsal", "reportero", "reportera", "periodista", "miembro", "miembros", "militante",
    "activista", "delegado", "delegada", "editora", "columnista", "enviado", "enviada",
    "especial", "sindical", "sindicalista",
}  # fmt: skip
SIGNATURE_MAX = 90
# A word of a name: letters joined by hyphens or apostrophes (`García-Márquez`, `O'Brien`),
# or initials (`A.`, `J.R.`, `Jr.`).
NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*\.?|(?:[^\W\d_]\.)+")


def title_case_name(name: str) -> str:
    """`LEE WENGRAF` → `Lee Wengraf`; `MCDONALD` → `McDonald`; `O'BRIEN` → `O'Brien`;
    `JUAN DE LA CRUZ` → `Juan de la Cruz`; `MARÍA GARCÍA-MÁRQUEZ` → `María García-Márquez`."""
    words = name.split()
    return " ".join(
        word.lower()
        if index and word.isupper() and word.lower() in PARTICLES
        else _title_word(word)
        for index, word in enumerate(words)
    )


def _title_word(word: str) -> str:
    if word.upper() in SUFFIXES and word.upper() not in ("JR", "SR", "JR.", "SR."):
        return word.upper()
    if not word.isupper():
        return word
    parts = re.split(r"([\-'\u2019.])", word.lower())
    word = "".join(p[:1].upper() + p[1:] for p in parts)
    if re.match(r"Mc[a-z]", word):
        word = "Mc" + word[2:].capitalize()
    return word


def is_person_name(name: str) -> bool:
    """Two to four capitalised words (initials and particles allowed), no digits or verbs."""
    words = name.split()
    core = [w for w in words if w.lower() not in PARTICLES and w.upper() not in SUFFIXES]
    if not 2 <= len(core) <= 4 or len(words) > 6:
        return False
    if any(ch.isdigit() for ch in name) or any(w.upper().strip(".") in NOT_NAMES for w in words):
        return False
    if all(len(w.strip(".")) <= 1 for w in core):
        return False
    if words[0] in ("A", "a") and len(core) == 2:  # `A CHICAGO nurse describes…`: an article
        return False
    if not all(NAME_WORD.fullmatch(w) for w in core):
        return False
    return all(w[:1].isupper() for w in core) and all(
        w.lower() in PARTICLES or w[:1].isupper() for w in words
    )


def _names_in(part: str) -> list[str] | None:
    """The names in one comma-free part: `A and B`, `A y B`, or one name (`Ortega y Gasset`)."""
    names = [name.strip() for name in AND.split(part) if name.strip()]
    if names and all(is_person_name(name) for name in names):
        return names
    if is_person_name(part):
        return [part]
    return None


def _as_printed(name: str) -> str:
    return title_case_name(name) if name.isupper() else name


def split_names(text: str) -> list[str]:
    """The people in `Eric Potma, Adam Meyer and Steve Leigh, UAW Local 6`, in order.

    Commas separate names only in a list that ends with `and` (`y`); otherwise
    what follows a writer's name after a comma is an affiliation or a place.
    Reading stops at the first part that is not a name.
    """
    people: list[str] = []
    parts = [part.strip() for part in text.strip().strip(".:;").split(",")]
    for index, part in enumerate(parts):
        if index and not any(AND.search(later) for later in parts[index:]):
            break
        names = _names_in(part)
        if not names:
            break
        people += [_as_printed(name) for name in names]
        if AND.search(part):
            break
    return people


def byline_people(line: str) -> list[str]:
    """People named by a byline line (`By Jane Roe and John Doe, AFT Local 2`, `Por Juana
    Pérez`, `By Jane Roe in Glasgow`, `Por Juana Pérez desde Caracas`)."""
    match = BYLINE.match(line)
    return split_names(_place_apart(match.group(1))) if match else []


def _place_apart(written: str) -> str:
    """A byline's names with where they write from set apart by a comma, as a signature's
    place is (`Jane Roe in Glasgow` → `Jane Roe, Glasgow`), when more names are read so."""
    placed = PLACED.match(" ".join(written.split()))
    if placed and len(split_names(placed["names"])) > len(split_names(written)):
        return f"{placed['names']}, {placed['place']}"
    return written


def dateline_byline(byline: str) -> tuple[list[str], str]:
    """The people a dateline's byline part names (`By …`, or a few words and then `by`:
    `Review of by …`, as the dateline grammar takes it), and, where it names no one by
    name (`By a UFT member`), a note saying so: the line leaves the body, the article
    has no author, and the report tells the archivist what was printed."""
    people = byline_people(byline)
    if not people and (late := LATE_BY.match(" ".join(byline.split()))):
        people = byline_people(late["byline"])
    if people:
        return people, ""
    return (
        [],
        f"the byline “{byline}” names no one by name: the article is stored without an author",
    )


def credit_line(line: str) -> tuple[str, list[str]] | None:
    """(role, people) when the whole line credits people: a byline (role `author`) or a
    credit (`Translated by X` → translator, …); None for any other line."""
    if len(line) > 200 or not CREDIT_START.match(line):
        return None
    text = " ".join(line.split())
    for pattern, role in CREDITS:
        match = pattern.match(text)
        if match:
            people = split_names(match["names"])
            return (role, people) if people and _only_names(match["names"]) else None
    match = BYLINE.match(text)
    if match:
        written = _place_apart(match.group(1))
        people = split_names(written)
        return (AUTHOR, people) if people and _only_names(written, places=True) else None
    return None


def closing_credit(line: str) -> list[str]:
    """The people a closing credit names (`CONTRIBUTED`), when every name in it is one;
    [] for any other line."""
    if len(line) > 400 or not (
        "ontribu" in line or "olabor" in line or "ONTRIBU" in line or "OLABOR" in line
    ):
        return []
    match = CONTRIBUTED.match(" ".join(line.split()))
    if match is None or not _only_names(match["names"]):
        return []
    return split_names(match["names"])


def _only_names(text: str, places: bool = False) -> bool:
    """The credited text holds nothing but names (and, for a byline, a place or affiliation)."""
    text = text.strip().rstrip(".")
    if places:
        return _signature_rest(text) is not None
    return bool(split_names(text)) and _signature_rest(text) == []


def _signature_rest(text: str) -> list[str] | None:
    """What follows the names in a name-shaped line (places, affiliations); None if the line
    is not name-shaped at all (a sentence, or nothing but names that are not names)."""
    people = split_names(text)
    if not people:
        return None
    parts = [part.strip() for part in text.strip().strip(".:;").split(",") if part.strip()]
    # how many comma parts the names took: up to the part holding the last name's `and`
    taken, count = 0, 0
    for part in parts:
        names = _names_in(part)
        if not names or count >= len(people):
            break
        count += len(names)
        taken += 1
    rest = parts[taken:]
    for part in rest:
        words = part.replace("(", " ").replace(")", " ").split()
        if not words or len(words) > 6:
            return None
        if not all(
            w[:1].isupper() or w.isdigit() or w.lower() in PLACE_SMALL or w in ROLE_WORDS
            for w in words
        ):
            return None
        if (
            not words[0][:1].isupper()
            and words[0].lower() not in ("from", "de", "of", "en")
            and words[0] not in ROLE_WORDS
        ):
            return None
    if len(rest) > 3:
        return None
    return rest


def signature_people(line: str) -> list[str]:
    """The people signing, when a line is shaped like a signature and nothing else.

    `Jane Doe`, `Jane Doe, Chicago`, `Juana Pérez, Los Ángeles`, `Jane Doe and
    John Roe, Austin, Texas`: short, no sentence in it (every word after the names
    capitalised but for small words of places), not ending like a sentence. A last
    sentence (`Jane Doe said the strike would go on.`) is not one, nor a line led by a
    dash (`— Eugene Debs`), which attributes a quotation.
    """
    text = " ".join(line.split())
    if not text or text[0] in "-\u2013\u2014":  # `-- A Name` attributes a quotation
        return []
    if len(text) > SIGNATURE_MAX or text[-1] in "!?;:\"'\u201d\u2019)":
        return []
    if text.endswith(".") and not re.search(r"(?:^|[\s.,])[A-Z][A-Za-z]{0,4}\.$", text):
        return []  # a full stop only after an initial or an abbreviation (`D.C.`, `Mass.`)
    if BYLINE.match(text) or any(pattern.match(text) for pattern, _role in CREDITS):
        return []
    rest = _signature_rest(text)
    return split_names(text) if rest is not None else []


def standfirst_people(standfirst: str) -> list[str]:
    """Writers named in capitals in a standfirst: `LEE WENGRAF looks at…` → ["Lee Wengraf"].

    Names must be followed by lowercase words (what the writer does), and a
    standfirst introducing an interview names its subject, not its writer.
    """
    people: list[str] = []
    if INTERVIEW.search(standfirst):
        return people
    people += initials_writer(standfirst)
    leading = LEADING_NAMES.match(standfirst)
    if leading and not re.search(r"\b(?!(?:and|y|e)\b)[a-z]", leading["names"]):
        people += split_names(leading["names"])
    for match in CAPS_NAMES.finditer(standfirst):
        for person in split_names(match["names"]):
            if person not in people:
                people.append(person)
    return people


def bio_people(paragraph: str, bold_prefix: str = "") -> list[str]:
    """The people a note introduces, by name at its head in capitals or in bold, before
    what they are or do (`BIO_VERB`): `JANE ROE is a teacher…`, a bold `Juana Pérez` before
    `fue la primera…`; [] for any other paragraph."""
    if len(paragraph) > BIO_MAX:
        return []
    match = BIO_CAPS.match(paragraph)
    if match:
        return split_names(match["names"])
    name = bold_prefix.strip().rstrip(",")
    if name and is_person_name(name) and re.match(rf"\s+{BIO_VERB}\s", paragraph[len(name) :]):
        return [_as_printed(name)] if paragraph.startswith(name) else []
    return []


def initials_writer(standfirst: str) -> list[str]:
    """A writer signing with initials at the head of a standfirst (`INITIALS_LEAD`)."""
    match = INITIALS_LEAD.match(standfirst) if standfirst[1:2] == "." else None
    if match is None or match["names"] in NOT_INITIALS:
        return []
    return [match["names"]]


def intro_people(paragraph: str) -> list[str]:
    """Writers named in capitals at the head of a plain introduction, before what they do:
    `JANE ROE and JOHN DOE report on…`, `JUANA PÉREZ analiza…`; [] for any other paragraph
    (a dateline city in capitals, `SAN FRANCISCO--`, is not followed by such a verb)."""
    if INTERVIEW.search(paragraph):
        return []
    match = INTRO_CAPS.match(paragraph) or INTRO_AS.match(paragraph)
    return split_names(match["names"]) if match else []


def interviewer_people(paragraph: str) -> list[str]:
    """The interviewer an introduction names as the publication's own (`INTERVIEWER`)."""
    match = INTERVIEWER.search(paragraph)
    return split_names(match["names"]) if match else []


def signature_person(bold_part: str) -> list[str]:
    """The writer of a letter, from its bold signature (`Jane Roe,` before the place)."""
    return split_names(bold_part.strip().rstrip(","))[:1]


def edge_credits(texts: list[str]) -> tuple[list[str], list[tuple[str, str]], set[int]]:
    """Byline and credit paragraphs at the head (first two) or foot (last three) of a body
    given as its paragraphs' texts: (writers, [(name, role)] of the others, indexes of the
    paragraphs that are such lines and leave the body)."""
    writers: list[str] = []
    others: list[tuple[str, str]] = []
    taken: set[int] = set()
    edges = [i for i in (0, 1) if i < len(texts)]
    edges += [i for i in range(max(2, len(texts) - 3), len(texts))]
    for index in edges:
        credit = credit_line(texts[index])
        if credit is None or len(texts) - len(taken) < 2:
            continue
        role, people = credit
        if role == AUTHOR:
            writers += [p for p in people if p not in writers]
        else:
            others += [(p, role) for p in people]
        taken.add(index)
    return writers, others, taken


def body_credits(blocks: list[Block]) -> tuple[list[str], list[Contributor], list[Block]]:
    """A body's byline and credit paragraphs at its head or foot, taken out of it:
    (writers, contributors with their role, the body without those paragraphs).

    For readers whose source has a byline field of its own (a WordPress post's
    author) that the body's own byline (`By A. Writer`, `Por A. Escritora`) corrects.
    """
    paragraphs = [i for i, block in enumerate(blocks) if block.type == "paragraph"]
    writers, others, taken = edge_credits([blocks[i].text for i in paragraphs])
    if not taken:
        return [], [], blocks
    dropped = {paragraphs[i] for i in taken}
    kept = [block for i, block in enumerate(blocks) if i not in dropped]
    return writers, [Contributor(name, role) for name, role in others], kept
