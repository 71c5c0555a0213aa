"""Find the passages an article quotes, the pages they cite and the reviewed work they are from.

Read from the body's blocks (records.Block as stored, dicts), in reading order:

- A block quotation is one quotation, its text whole: its paragraphs, and any quotation
  nested in it, as part of it (a quotation the quoted author quotes is part of the passage
  cited; recording it again would count its words twice and give it the outer's page). The
  marks that open its first paragraph and close its last are left off.
- In the running text (paragraphs, list items, notes), the outermost passage between
  quotation marks (“…”, "…", ‘…’, '…', «…») is a quotation when it is long enough to be one:
  six words or more, or a sentence of four or more (a capital, then `.` `!` `?`, or `,` when
  the writer's `he said` follows). Scare quotes (`the "useless massacre"`) and titles (`"The
  Fate of the Revolution"`, every longer word capitalised; a passage after `entitled`,
  `headlined`) are not. Quotation marks nested inside a passage are part of it. A single
  mark that may be an apostrophe (`workers’ rights`) closes a passage only where nothing
  better does. A passage left open at a paragraph's end runs on into the next paragraph
  when that opens with a mark (the printed convention), as one quotation.
- A quotation's pages are those a citation gives where the text says so (`pages` reads the
  citation forms), looked for in this order:
  1. for a block quotation, a citation ending its last paragraph in brackets or after a dash
     (`(p. 32)`, `— Serge, p. 30`); for a passage in the text, a bracketed citation right
     after its closing mark (`…” (Page 77.)`); for either, a citation in the note whose
     marker follows it (`…”[3]` and the note `3. Serge, op. cit., p. 30`);
  2. in the sentence introducing it, before its opening mark (`On page 81 he says: “…`; for
     a block quotation, the last sentence of the paragraph just before it);
  3. for a block quotation, a citation opening the paragraph right after it (`(p. 32) …`);
     for a passage in the text, one in the rest of its sentence (`…,” he writes on page 12.`),
     unless that rest introduces the next passage with a colon (`but on page 32 he says: “`).
  A citation serves one quotation: the next looks only after the text its predecessor used.
- The work: the article's one reviewed work when it reviews exactly one; when it reviews
  several, the one whose title or author's surname the quotation's own citation names, or
  else the last one named before it, in its paragraph or the one before; none otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from backfile.quotations.pages import citations

BLOCK, INLINE = "block", "inline"
MIN_WORDS = 6  # a passage this long is a quotation whatever its shape
MIN_SENTENCE_WORDS = 4  # a full sentence this long is one too
TITLE_WORDS = 12  # a passage longer than this is not taken for a title
_DOUBLE_CLOSERS = {"“": "”", "«": "»", "„": "“”", '"': '"'}
_SINGLE_MARKS = "‘'"
_CLOSING_SINGLES = "’'"
_BEFORE_OPENING = "([{—–-/:“‘\"'"
_STRONG_BEFORE_CLOSE = ".,!?;:…—-"
_STRONG_AFTER_CLOSE = ".,;:!?)]—…"
_OPENING_MARKS = "“«„\"‘'"
_CLOSING_MARKS = "”»\"’'"
# Every quotation mark, and those that may open a passage
_MARKS = re.compile("[\"“”«»„‘’']")
_OPENERS = re.compile("[\"“«„‘']")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
# Words that announce a title, not a quotation: `a column entitled "…"`, `headlined "…"`
_TITLED = re.compile(
    r"(?:\b(?:entitled|titled|headlined|headline|captioned|the title)[\s,:]*)$", re.I
)
# Where one sentence ends and the next begins (an abbreviation like `Mr. Smith` splits a
# sentence in two, which only makes the introduction looked in shorter)
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z])")
# A bracketed remark right after a passage's closing mark: `” (Page 77.)`, `", p. 12`
_AFTER = re.compile(r"[\s,.;:]*[(\[]([^()\[\]]{0,160})[)\]]")
# A paragraph opening with a citation: `(p. 32) …`, `Page 77.`
_LEADING = re.compile(r"\s*(?:[(\[]([^()\[\]]{0,160})[)\]]|([^.!?]{0,40}))")
# A note's marker right after a passage's closing mark: `”[3]`, `.” [3]`, `”3` (a superscript
# as the plain text keeps it), `”*`; and one ending a block quotation's last paragraph
_LABEL = r"\d{1,3}|\*{1,4}|[†‡§]{1,2}"
_MARKER = re.compile(rf"[\s.,;:]*\[({_LABEL})\]|[.,;:]?({_LABEL})(?!\d)")
_MARKER_ENDING = re.compile(rf"(?:\[({_LABEL})\]|(?<=[.!?”’\"'])({_LABEL}))\s*$")
# A citation ending a block quotation: `… (p. 32)`, `— Serge, From Lenin to Stalin, p. 30.`
# (a dash typed as `--` too)
_TRAILING = re.compile(
    r"(?:[(\[]([^()\[\]]{0,160})[)\]]|(?:^|(?<=[\s.!?”’\"']))(?:—|–|--)\s*([^—–]{0,160}?))[\s.]*$"
)


@dataclass
class Found:
    """A quotation found: block or inline, its words, the pages cited (`30`, `12–14`, empty
    where the text gives none) and the reviewed work's primary key (None: not known)."""

    kind: str
    text: str
    pages: str = ""
    work: int | None = None


def quotations(blocks: Sequence[dict], works: Sequence[tuple[int, str, str]] = ()) -> list[Found]:
    """The quotations of a body, in reading order. `works`: the reviewed works of the article
    as (primary key, title, author), in the review's order."""
    names = _Names(works)
    notes = _notes(blocks)
    found: list[Found] = []
    previous: _Paragraph | None = None  # the paragraph just read, if nothing came between
    waiting: tuple[Found, str] | None = None  # a block quotation without pages, its context
    running: Found | None = None  # a quotation left open at the end of the paragraph before
    for item in _flow(blocks):
        if item is None:
            previous = waiting = running = None
        elif isinstance(item, str):
            paragraph = _Paragraph(item)
            if waiting is not None:
                _cited_after_block(paragraph, *waiting, names)
                waiting = None
            running = _in_running_text(paragraph, previous, names, found, running, notes)
            previous = paragraph
        else:
            quotation = _block(item, previous, names, notes)
            if quotation is not None:
                found.append(quotation)
                waiting = (
                    None if quotation.pages else (quotation, previous.text if previous else "")
                )
            previous = running = None
    return found


def _flow(blocks: Iterable[dict]) -> Iterator[str | dict | None]:
    """The body as the quotation finder reads it: the text of each paragraph-like block, each
    block quotation (a dict), and None for anything between that breaks the thread (a
    heading, a table, a figure). What is not a block is passed over."""
    for block in blocks if isinstance(blocks, list) else ():
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "quotation":
            yield block
        elif kind in ("paragraph", "list_item", "note"):
            text = block.get("text")
            yield text if isinstance(text, str) else ""
            yield from _flow(block.get("blocks"))
        elif kind in ("list", "notes"):
            yield from _flow(block.get("blocks"))
        else:
            yield None


@dataclass
class _Span:
    """A passage between quotation marks: its opening mark, its closing mark (the end of
    the text where it is not closed) and where it ends."""

    open: int
    close: int

    @property
    def end(self) -> int:
        return self.close + 1


class _Paragraph:
    """A paragraph's text, its quoted passages, and how far earlier quotations used it."""

    __slots__ = ("text", "spans", "consumed", "_boundaries")

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = spans(text) if _OPENERS.search(text) else []
        self.consumed = 0  # the text before this served a quotation already
        self._boundaries: list[tuple[int, int]] | None = None

    @property
    def boundaries(self) -> list[tuple[int, int]]:
        """Where sentences end (start, end), outside quoted passages."""
        if self._boundaries is None:
            self._boundaries, spans, k = [], self.spans, 0
            for m in _BOUNDARY.finditer(self.text):
                while k < len(spans) and spans[k].close <= m.start():
                    k += 1
                if k == len(spans) or not spans[k].open < m.start():
                    self._boundaries.append((m.start(), m.end()))
        return self._boundaries

    def sentence_start(self, position: int) -> int:
        return max((end for _, end in self.boundaries if end <= position), default=0)

    def sentence_end(self, position: int) -> int:
        ends = (start for start, _ in self.boundaries if start >= position)
        return min(ends, default=len(self.text))

    def introduction(self, position: int) -> int:
        """Where the words introducing what stands at `position` begin: its sentence's
        start, or the end of what an earlier quotation's citation used."""
        return max(self.sentence_start(position), self.consumed)


def spans(text: str) -> list[_Span]:
    """The outermost quoted passages of a text, in order (each a _Span)."""
    found = []
    walked: dict[int, tuple[str, int | None]] = {}  # shared by the single marks' scans
    mark = _OPENERS.search(text)
    while mark is not None:
        i = mark.start()
        close = None
        if _opens(text, i):
            if text[i] in _DOUBLE_CLOSERS:
                close = _double_close(text, i)
            else:
                close = _single_close(text, i, walked)
        if close is None:
            mark = _OPENERS.search(text, i + 1)
        else:
            found.append(_Span(i, close))
            mark = _OPENERS.search(text, close + 1)
    return found


def _opens(text: str, i: int) -> bool:
    """Whether the mark at i can open a passage: at the start of a word."""
    before = text[i - 1] if i else " "
    after = text[i + 1] if i + 1 < len(text) else ""
    if not after or after.isspace() or not (before.isspace() or before in _BEFORE_OPENING):
        return False
    if text[i] == "'":  # `'90s`, `'em`: a straight apostrophe opens only before a letter
        return after.isalpha() or after in '"“'
    return True


def _double_close(text: str, i: int) -> int | None:
    """The closing mark of the passage opened at i; the text's end where the passage runs on
    to the next paragraph (printed so: no closing mark); None where another passage opens
    first (the mark was stray)."""
    closers = _DOUBLE_CLOSERS[text[i]]
    for found in _MARKS.finditer(text, i + 1):
        j, mark = found.start(), found[0]
        if mark in closers and not text[j - 1].isspace():
            return j
        if mark in _DOUBLE_CLOSERS and mark not in closers and _opens(text, j):
            return None
        if mark == text[i] and _opens(text, j):
            return None
    return len(text) if len(text) - i > 1 else None


def _single_close(
    text: str, i: int, walked: dict[int, tuple[str, int | None]] | None = None
) -> int | None:
    """The closing mark of the single-quoted passage opened at i, or None.

    `’` and `'` are apostrophes too: one inside a word (`don’t`) never closes; one ending a
    word closes at once where punctuation stands beside it (`,’ he said`) or the word does not
    end in s; one after s (`workers’ rights`) only where nothing after it closes.

    The scan goes from mark to mark, each step decided by the mark alone, so scans from two
    opening marks that reach the same mark end alike. `walked` (shared by the scans of one
    text) keeps what each scan found from each mark it passed: ("close", j), ("stray", None)
    or ("end", the first possessive from there); a later scan stops at the first mark kept.
    Without it, every unclosed `'` of a long paragraph scanned to its end (quadratic).
    """
    walked = {} if walked is None else walked
    length = len(text)
    passed: list[tuple[int, bool]] = []  # marks this scan passed; whether possessive
    outcome: tuple[str, int | None] = ("end", None)
    found = _MARKS.search(text, i + 1)
    while found is not None:
        j, mark = found.start(), found[0]
        if j in walked:
            outcome = walked[j]
            break
        if mark in _DOUBLE_CLOSERS and _opens(text, j):  # a passage quoted within: skip it
            inner = _double_close(text, j)
            if inner is None or inner >= length:
                outcome = ("stray", None)
                passed.append((j, False))
                break
            passed.append((j, False))
            found = _MARKS.search(text, inner + 1)
            continue
        possessive = False
        if mark in _CLOSING_SINGLES and not text[j - 1].isspace():
            after = text[j + 1] if j + 1 < length else ""
            if not after.isalnum():
                if not after or text[j - 1] in _STRONG_BEFORE_CLOSE or after in _STRONG_AFTER_CLOSE:
                    outcome = ("close", j)
                    passed.append((j, False))
                    break
                if text[j - 1] not in "sS":
                    outcome = ("close", j)
                    passed.append((j, False))
                    break
                possessive = True
        passed.append((j, possessive))
        found = _MARKS.search(text, j + 1)
    kind, value = outcome
    for j, possessive in reversed(passed):
        if kind == "end" and possessive:
            value = j
        walked[j] = (kind, value)
    return value


def qualifies(text: str, span: _Span) -> bool:
    """Whether the passage is long enough to be a quotation, and no title."""
    inside = text[span.open + 1 : span.close].strip()
    pieces = len(inside.split())  # (dashes may join words: `war--for`)
    if pieces + inside.count("-") + inside.count("—") + inside.count("…") < MIN_SENTENCE_WORDS:
        return False
    if pieces > 2 * TITLE_WORDS:
        return True
    words = _WORD.findall(inside)
    if not words:
        return False
    long_words = [w for w in words if len(w) >= 4]
    if len(words) <= TITLE_WORDS and long_words and all(w[0].isupper() for w in long_words):
        return False  # a title (or a slogan in capitals)
    if _TITLED.search(text, max(0, span.open - 20), span.open):
        return False
    if len(words) >= MIN_WORDS:
        return True
    if len(words) < MIN_SENTENCE_WORDS or not inside[0].isupper():
        return False
    last = inside.rstrip(_CLOSING_MARKS)[-1:]
    if last in (".", "!", "?", "…"):
        return True
    following = _WORD.match(text[span.end :].lstrip())
    return last == "," and following is not None and following[0].islower()


def _in_running_text(
    paragraph: _Paragraph,
    previous: _Paragraph | None,
    names: _Names,
    found: list[Found],
    running: Found | None = None,
    notes: dict[str, str] | None = None,
) -> Found | None:
    """Record the quoted passages of a paragraph, with their pages and work. `running`: a
    quotation the paragraph before left open, which a passage opening this one continues
    (printed so: each paragraph of a long quotation opens with a mark, only the last closes).
    Returns the quotation this paragraph leaves open, if any."""
    text = paragraph.text
    before_this = previous.text if previous else ""
    left_open = None
    for k, span in enumerate(paragraph.spans):
        continues = k == 0 and running is not None and not text[: span.open].strip()
        if not continues and not qualifies(text, span):
            continue
        pages, used, own = _cited(paragraph, k, span, notes or {})
        paragraph.consumed = max(paragraph.consumed, used)
        words = text[span.open + 1 : span.close].strip()
        if continues:
            running.text += "\n\n" + words
            running.pages = running.pages or pages
            quotation = running
        else:
            work = names.work(before_this + "\n" + text[: span.open], own)
            quotation = Found(INLINE, words, pages, work)
            found.append(quotation)
        left_open = quotation if span.close >= len(text) else None
    return left_open


def _cited(
    paragraph: _Paragraph, k: int, span: _Span, notes: dict[str, str]
) -> tuple[str, int, str]:
    """The pages the k-th passage of a paragraph cites, where the text its citation used
    ends, and that citation's words (or the rest of its sentence)."""
    text = paragraph.text
    following = paragraph.spans[k + 1].open if k + 1 < len(paragraph.spans) else len(text)
    after = _AFTER.match(text, min(span.end, len(text)))
    cited = after and citations(text, after.start(1), after.end(1))
    if cited:
        return cited[0].pages, after.end(), after[1]
    marker = notes and _MARKER.match(text, min(span.end, len(text)))
    note = notes.get(marker[1] or marker[2]) if marker else None
    if note and (cited := citations(note)):
        return cited[0].pages, marker.end(), note
    if cited := citations(text, paragraph.introduction(span.open), span.open):
        return cited[-1].pages, span.end, ""
    stop = min(paragraph.sentence_end(span.end), following)
    rest = text[span.end : stop]
    introduces_next = stop == following < len(text) and rest.rstrip(" —–-").endswith(":")
    cited = [] if introduces_next else citations(text, span.end, stop)
    if cited:
        return cited[0].pages, cited[0].end, rest
    return "", span.end, ""


def _block(
    block: dict, previous: _Paragraph | None, names: _Names, notes: dict[str, str]
) -> Found | None:
    """A block quotation as one quotation, with its pages and work; None when it has no words."""
    texts = [t for t in _texts(block.get("blocks")) if t.strip()]
    if not texts:
        return None
    pages, own = "", ""
    trailing = _TRAILING.search(texts[-1])
    cited = trailing and citations(texts[-1], trailing.start(), trailing.end())
    if cited:
        pages, own = cited[0].pages, trailing[0]
        texts[-1] = texts[-1][: trailing.start()].rstrip()
        if not texts[-1]:
            texts.pop()
    elif (marker := notes and _MARKER_ENDING.search(texts[-1])) and (
        cited := citations(notes.get(marker[1] or marker[2]) or "")
    ):
        pages, own = cited[0].pages, notes[marker[1] or marker[2]]
    elif previous is not None:
        end = len(previous.text)
        cited = citations(previous.text, previous.introduction(end), end)
        if cited:
            pages = cited[-1].pages
    if not texts:
        return None
    before = previous.text if previous else ""
    return Found(BLOCK, "\n\n".join(_unquoted(texts)), pages, names.work(before, own))


def _cited_after_block(paragraph: _Paragraph, quotation: Found, before: str, names: _Names) -> None:
    """Pages for a block quotation from a citation opening the paragraph after it."""
    leading = _LEADING.match(paragraph.text)
    inside = leading[1] if leading[1] is not None else leading[2]
    offset = leading.start(1) if leading[1] is not None else leading.start(2)
    cited = citations(paragraph.text, offset, offset + len(inside))
    if leading[1] is None:  # not bracketed: the citation must open the paragraph
        cited = [c for c in cited if not paragraph.text[: c.start].strip()]
    if cited:
        quotation.pages = cited[0].pages
        paragraph.consumed = leading.end() if leading[1] is not None else cited[0].end
        if quotation.work is None:
            quotation.work = names.work(before, paragraph.text[: paragraph.consumed])


def _notes(blocks: Sequence[dict]) -> dict[str, str]:
    """The body's notes by label, each with its words (its paragraphs joined)."""
    notes: dict[str, str] = {}
    for block in blocks if isinstance(blocks, list) else ():
        if isinstance(block, dict) and block.get("type") == "notes":
            for note in block.get("blocks") or ():
                if isinstance(note, dict) and note.get("label"):
                    notes[str(note["label"])] = " ".join(_texts([note]))
    return notes


def _texts(blocks: Iterable[dict]) -> Iterator[str]:
    for block in blocks if isinstance(blocks, list) else ():
        if isinstance(block, dict):
            if isinstance(block.get("text"), str):
                yield block["text"]
            yield from _texts(block.get("blocks"))


def _unquoted(texts: list[str]) -> list[str]:
    """A block quotation's paragraphs without the marks around the whole: the opening mark
    of its first paragraph and the closing mark of its last, where both are printed, and the
    opening mark each paragraph between repeats (printed so when a quotation runs on)."""
    first, last = texts[0].lstrip(), texts[-1].rstrip()
    opening = first[:1]
    if opening not in _OPENING_MARKS or last[-1:] not in _CLOSING_MARKS or len(first) < 2:
        return texts
    closers = _DOUBLE_CLOSERS.get(opening, "’'")
    if len(texts) == 1:
        return [first[1:-1].strip()]
    middle = [
        t.lstrip()[1:] if t.lstrip()[:1] == opening and not any(c in t for c in closers) else t
        for t in texts[1:-1]
    ]
    return [first[1:], *middle, last[:-1]]


class _Names:
    """Which of a review's works a stretch of text names, by title or author's surname."""

    def __init__(self, works: Sequence[tuple[int, str, str]]) -> None:
        self.only = works[0][0] if len(works) == 1 else None
        self.several = len(works) > 1
        by_name: dict[str, set[int]] = {}
        for pk, title, author in works:
            for name in _names_of(title, author):
                by_name.setdefault(name.casefold(), set()).add(pk)
        # a name two works share tells them apart no better than none
        self.works = {name: pks.pop() for name, pks in by_name.items() if len(pks) == 1}
        alternatives = "|".join(re.escape(n) for n in sorted(self.works, key=len, reverse=True))
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.I) if self.works else None

    def work(self, before: str, own: str) -> int | None:
        """The work: the only one; or the one named in the quotation's own citation or
        attribution, else the last named before it."""
        if not self.several or self.pattern is None:
            return self.only
        named = self.pattern.search(own)
        if named is None:
            found = list(self.pattern.finditer(before))
            named = found[-1] if found else None
        return self.works[named[0].casefold()] if named else None


def _names_of(title: str, author: str) -> list[str]:
    """A work's names: its title, its title before a subtitle, without a leading article,
    and its authors' surnames."""
    names = set()
    for whole in (title, title.split(":")[0]):
        whole = whole.strip()
        if len(whole) >= 3:
            names.add(whole)
            bare = re.sub(r"^(?:the|a|an)\s+", "", whole, flags=re.I)
            if len(bare) >= 3:
                names.add(bare)
    for person in re.split(r",|&|\band\b", author):
        words = [
            w for w in person.split() if w.rstrip(".").lower() not in ("jr", "sr", "ed", "eds")
        ]
        if words and len(words[-1]) >= 3:
            names.add(words[-1])
    return sorted(names)


def quotations_of_bodies(
    bodies: Sequence[tuple[Sequence[dict], Sequence[tuple[int, str, str]]]],
) -> list[list[tuple[str, str, str, int | None]]]:
    """The quotations of several (body, works) as plain tuples (kind, text, pages, work): what
    an ingest's worker process finds ahead of the write and sends back."""
    return [[(q.kind, q.text, q.pages, q.work) for q in quotations(b, w)] for b, w in bodies]
