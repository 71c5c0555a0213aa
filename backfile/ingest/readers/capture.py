"""Page captures: one archive page saved as text, one article a file.

The reference shape (a monthly's online archive, captured page by page)::

    1930s >> 1937 >> no-397-september-1937        breadcrumb: decade, year, issue slug
    Book Review: ‘From Lenin to Stalin’            title, maybe with a section prefix
    The Twilight of Bolshevism                     standfirst (optional)
    ‘From Lenin to Stalin’, by Victor Serge. (Pioneer Publishers, New York)
    paragraphs, blank-line separated; indented ones are quotations
    Eric Boden                                     byline: the article's last line
    Leave a Reply                                  the site's trailer, not article text

How the parts that carry no label are told apart (each heuristic in one function):

- Section: a prefix before the first colon of the title line that is short (at
  most four words, 30 characters) and capitalised, minor words aside
  (`Book Review:`, `Letter:`, `Notes by the Way:`). A title such as
  `Spain: the Lessons` is therefore read as section `Spain`; the source is kept.
- Standfirst: the first paragraph after the title, when it is a single unindented
  line of at most 30 words, is not the article's only paragraph, and either a
  reviewed-work line follows it or it does not end like a sentence (`.`, `!`,
  `?`, `,`, `;`, `:`, a dash or an ellipsis, closing quotes and brackets aside).
  A first paragraph is almost never so short and unpunctuated.
- Reviewed work: a line right after the title or standfirst that reads
  `TITLE, by AUTHOR. (PUBLISHER, PLACE, YEAR, PRICE)`, the parenthesis holding any
  of those in any order (a four-digit year, a price such as `7s. 6d.` or `$2.00`);
  several such lines name several works.
- Quotation: a paragraph indented by two or more columns more than the least
  indented paragraph (spaces and non-breaking spaces count one, a tab four).
  Consecutive indented paragraphs are one quotation; within it, each deeper
  indent (by two columns or more) nests a quotation inside the one around it.
- Byline: the last paragraph, when it is one short unindented line of names
  (`Eric Boden`, `A. Smith and B. Jones`, `E. B.`, `J.D.`), optionally after a
  dash; a `By Eric Boden` line right after the title (or the standfirst) also
  names the authors.
- Subheading: a single line of at most eight words between paragraphs that does
  not end like a sentence, starts with a capital and is not a line of names, when
  a paragraph of twelve words or more follows it.
- Lists and tables: lines starting `-`, `*`, `•` or `1.` are a list (nested by
  indent); lines of cells between `|` are a table (see `typed_structure`). Notes
  after a `Notes` line (or `[1] …` paragraphs at the end) are linked to their
  `[1]` markers (see `notes`).
- Trailer: from the last line starting `Leave a Reply` (or `Leave a Comment`)
  on, nothing is article text.

Text is kept as written (curly quotes stay curly); only whitespace is normalised.
The key is `capture:<issue slug>/<title slug>`, so re-reading a file finds its
article again. Without `--publication`, the folder the file is in names the
publication when it is a slug such as `socialist-standard`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.utils.text import slugify

from backfile.archive.dates import date_problem
from backfile.ingest.readers.base import Output, Reader
from backfile.ingest.readers.bylines import AUTHOR, credit_line
from backfile.ingest.readers.notes import link_notes
from backfile.ingest.readers.typed_structure import joined_lists, typed_list, typed_table
from backfile.ingest.records import (
    ArticleRecord,
    Block,
    Contributor,
    Failure,
    IssueRecord,
    Notice,
    ReviewedWork,
    Source,
)
from backfile.ingest.sources import ARCHIVE_SUFFIXES, SourceFile

UNNAMED_PUBLICATION = "Unnamed publication"

_ARROW = r"(?:>>|»|›)"
BREADCRUMB_SHAPE = re.compile(rf"^\d{{3,4}}0s\s*{_ARROW}\s*\S+\s*{_ARROW}\s*\S+$")
BREADCRUMB = re.compile(
    rf"^(?P<decade>\d{{3,4}}0)s\s*{_ARROW}\s*(?P<year>\S+)\s*{_ARROW}\s*(?P<slug>\S+)$"
)
TRAILER = re.compile(r"^leave a (?:reply|comment)\b", re.IGNORECASE)
SECTION_PREFIX = re.compile(r"^(?P<section>[A-Z][^:]{0,29}?)\s*:\s+(?P<title>\S.*)$")
MINOR_WORDS = {"a", "an", "and", "&", "at", "by", "for", "from", "in", "of", "on", "the", "to"}
NAME_PARTICLES = {"de", "da", "del", "della", "di", "du", "la", "le", "van", "von", "der", "den"}
SENTENCE_END = ".!?,;:—–-…"
CLOSERS = "’”'\")]"
QUOTE_PAIRS = {"‘": "’", "“": "”", "'": "'", '"': '"'}
REVIEW_LINE = re.compile(
    r"^(?P<title>.+)\s+[Bb]y\s+(?P<author>[^()]+?)[.,]?\s*"
    r"\((?P<imprint>[^()]+)\)[.,]?\s*(?P<after>[^()]*)$"
)
PRICE = re.compile(
    r"[£$€]\s*\d|\b\d+\s*[sdp]\.|\b\d+\s*[sdp]\b|\b\d+/\d*-?|\b(?:pence|shillings?|cents?|free)\b",
    re.IGNORECASE,
)
PAGE_COUNT = re.compile(r"^(?:\d+\s*pp\.?|pp\.?\s*\d+)$", re.IGNORECASE)
SECTION_BREAK = re.compile(r"^[*#~•·—–-](?:\s*[*#~•·—–-])*$")
SEASONS = {"spring", "summer", "autumn", "winter"}
MONTHS = {
    **{name.lower(): n for n, name in enumerate(calendar.month_name) if n},
    **{abbr.lower(): n for n, abbr in enumerate(calendar.month_abbr) if n},
    "sept": 9,
}
STANDFIRST_MAX_WORDS = 30
SUBHEAD_MAX_WORDS = 8
BYLINE_MAX_CHARS = 80
QUOTE_INDENT = 2  # columns; a single stray space is not a quotation


class CaptureError(ValueError):
    """The file looks like a page capture but a part the format requires is missing or wrong."""


@dataclass
class RawParagraph:
    """A blank-line separated run of lines; `indent` is its first line's, past the margin."""

    indent: int
    lines: list[str]

    @property
    def text(self) -> str:
        return normalise(" ".join(self.lines))

    @property
    def quoted(self) -> bool:
        return self.indent >= QUOTE_INDENT

    @property
    def single_line(self) -> bool:
        """One unindented line: what a byline or a standfirst must be."""
        return len(self.lines) == 1 and not self.quoted


class CaptureReader(Reader):
    format = "capture"
    description = "page captures: breadcrumb, title, paragraphs, byline (one article a file)"
    priority = 40

    def __init__(self, publication: str | None = None):
        super().__init__(publication)
        self._seen: dict[str, str] = {}  # key → file stem that first claimed it this run
        self._unnamed: list[str] = []

    @classmethod
    def sniff(cls, file: SourceFile) -> bool:
        text = file.head.decode("utf-8", errors="replace").lstrip("\ufeff")
        first = next((line.strip() for line in text.splitlines() if line.strip()), "")
        return bool(BREADCRUMB_SHAPE.match(first))

    def feed(self, file: SourceFile) -> Iterator[Output]:
        decoded = file.decoded(file.read_bytes())
        yield from decoded.notices(file.path)
        text = decoded.text
        publication = self.publication or publication_from_path(file.path)
        if publication is None:
            publication = UNNAMED_PUBLICATION
            self._unnamed.append(file.path)
        try:
            record = parse_capture(text, file.path, publication)
        except CaptureError as error:
            yield Failure(file.path, f"page capture: {error}")
            return
        self._disambiguate(record, file.path)
        yield record

    def finish(self) -> Iterator[Output]:
        if self._unnamed:
            yield Notice(
                self._unnamed[0],
                f"{len(self._unnamed)} page capture(s) filed under '{UNNAMED_PUBLICATION}': "
                "no --publication given and their folder is not a publication slug "
                "such as socialist-standard",
            )

    def _disambiguate(self, record: ArticleRecord, path: str) -> None:
        """Two different files in one run with the same issue and title are two articles."""
        stem = file_stem(path)
        claimed = self._seen.setdefault(record.key, stem)
        if claimed != stem:
            record.key = f"{record.key}~{slugify(stem)}"
            record.notes.append(
                f"another file ({claimed}) has the same issue and title; "
                f"stored as a separate article with key {record.key}"
            )


def parse_capture(text: str, path: str, publication: str) -> ArticleRecord:
    """The whole capture as one ArticleRecord; CaptureError says what is missing."""
    lines = [line.rstrip() for line in text.lstrip("\ufeff").splitlines()]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        raise CaptureError("the file is empty")
    issue = parse_breadcrumb(lines[filled[0]].strip())
    if len(filled) < 2:
        raise CaptureError("no title line after the breadcrumb")
    section, title = split_title(normalise(lines[filled[1]]))
    if not title:
        raise CaptureError("the title line is empty once its section prefix is removed")
    paragraphs = split_paragraphs(drop_trailer(lines[filled[1] + 1 :]))
    contributors = read_credits(paragraphs)
    authors = read_top_byline(paragraphs) or read_byline(paragraphs)
    standfirst = read_standfirst(paragraphs)
    authors = authors or read_top_byline(paragraphs)
    works = read_reviewed_works(paragraphs)
    return ArticleRecord(
        publication=publication,
        key=f"capture:{issue.slug}/{slugify(title) or 'untitled'}",
        issue=issue,
        title=title,
        source=Source.of(path, "capture", text),
        section=section,
        standfirst=standfirst,
        authors=authors,
        contributors=contributors,
        reviewed_works=works,
        blocks=body_blocks(paragraphs),
    )


def normalise(text: str) -> str:
    """Runs of whitespace (non-breaking spaces included) become one space."""
    return " ".join(text.split())


# The breadcrumb and the issue


def parse_breadcrumb(line: str) -> IssueRecord:
    match = BREADCRUMB.match(line)
    if match is None:
        raise CaptureError(f"first line {line!r} is not a breadcrumb like '1930s >> 1937 >> slug'")
    decade, year_text, slug = int(match["decade"]), match["year"], match["slug"]
    if not re.fullmatch(r"\d{4}", year_text) or int(year_text) // 10 * 10 != decade:
        raise CaptureError(f"breadcrumb year {year_text!r} is not a year of the {decade}s")
    return parse_issue_slug(slugify(slug), int(year_text))


def parse_issue_slug(slug: str, year: int) -> IssueRecord:
    """`no-397-september-1937` → number 397, September 1937; odd slugs keep a printed label.

    Tolerated: no number (`september-1937`), a double number (`no-12-13-winter-1950`),
    a day (`no-459-july-4-2003`), seasons and two months (`december-january-1950`).
    Words the slug holds beyond these become the issue's label, so nothing is lost.
    """
    tokens = [t for t in slug.split("-") if t]
    if not tokens:
        raise CaptureError("the breadcrumb names no issue")
    numbers: list[int] = []
    if tokens[0] in ("no", "nos", "number", "issue"):
        tokens = tokens[1:]
        while tokens and tokens[0].isdigit():
            numbers.append(int(tokens.pop(0)))
    if tokens and re.fullmatch(r"\d{4}", tokens[-1]):
        if int(tokens[-1]) != year:
            raise CaptureError(f"issue slug {slug!r} is dated {tokens[-1]}, the breadcrumb {year}")
        tokens = tokens[:-1]
    months = [MONTHS[t] for t in tokens if t in MONTHS]
    day = next((int(t) for t in tokens if t.isdigit() and 1 <= int(t) <= 31), None)
    if months and day is not None and (problem := date_problem(year, months[0], day)):
        raise CaptureError(f"issue slug {slug!r} names an impossible date: {problem}")
    undated_words = len(tokens) - len(months) - (day is not None)
    plain = len(numbers) <= 1 and len(months) <= 1 and undated_words == 0
    return IssueRecord(
        year=year,
        number=numbers[0] if numbers else None,
        month=months[0] if months else None,
        day=day if months else None,
        slug=slug,
        title="" if plain else issue_label(numbers, tokens, year),
    )


def issue_label(numbers: list[int], words: list[str], year: int) -> str:
    """`Nos. 12–13, Winter 1950`: how an issue the model cannot fully place is named."""
    prefix = ""
    if len(numbers) == 1:
        prefix = f"No. {numbers[0]}, "
    elif numbers:
        prefix = f"Nos. {numbers[0]}–{numbers[-1]}, "
    dated = {*MONTHS, *SEASONS}
    named = ""
    for i, word in enumerate(words):
        joint = "–" if i and word in dated and words[i - 1] in dated else " "
        named += (joint if named else "") + word.capitalize()
    return f"{prefix}{named} {year}".strip()


# The title line


def split_title(line: str) -> tuple[str, str]:
    """`Book Review: ‘From Lenin to Stalin’` → (`Book Review`, `From Lenin to Stalin`)."""
    match = SECTION_PREFIX.match(line)
    if match and is_section_name(match["section"]):
        return match["section"], unquote(match["title"].strip())
    return "", unquote(line)


def is_section_name(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 4 and all(
        re.fullmatch(r"[A-Z][\w’'-]*", w) or w.lower() in MINOR_WORDS for w in words
    )


def unquote(title: str) -> str:
    """Remove quotes that wrap the whole title, and only those."""
    if len(title) < 2 or QUOTE_PAIRS.get(title[0]) != title[-1]:
        return title
    opening, inner = title[0], title[1:-1]
    if opening in "‘“" and opening in inner:
        return title
    if opening == '"' and '"' in inner:
        return title
    if opening == "'" and re.search(r"(?:^|[\s(])'|'(?:$|[\s,.;:!?)])", inner):
        return title
    return inner.strip()


# Paragraphs, the trailer, the byline, the standfirst, reviewed works


def split_paragraphs(lines: list[str]) -> list[RawParagraph]:
    """Blank-line separated paragraphs; indents count from the least indented one."""
    paragraphs: list[RawParagraph] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append(RawParagraph(indent_width(current[0]), current))
            current = []
    margin = min((p.indent for p in paragraphs), default=0)
    for paragraph in paragraphs:
        paragraph.indent -= margin
    return paragraphs


def indent_width(line: str) -> int:
    lead = line[: len(line) - len(line.lstrip())]
    return sum(4 if c == "\t" else 1 for c in lead)


def drop_trailer(lines: list[str]) -> list[str]:
    """The lines before the last `Leave a Reply` line (which may follow the byline directly)."""
    for i in range(len(lines) - 1, -1, -1):
        if TRAILER.match(lines[i].strip()):
            return lines[:i]
    return lines


def read_byline(paragraphs: list[RawParagraph]) -> list[str]:
    """The names in the last paragraph when it is a byline; it is then removed."""
    names = byline_of(paragraphs[-1]) if len(paragraphs) >= 2 else []
    if names:
        paragraphs.pop()
    return names


def read_credits(paragraphs: list[RawParagraph]) -> list[Contributor]:
    """Credit lines near the head or the foot (`Translated by X`, `Traducción: X`,
    `Photos by X`): their people with their role; the lines are removed."""
    contributors: list[Contributor] = []
    edge = {0, 1, len(paragraphs) - 1, len(paragraphs) - 2, len(paragraphs) - 3}
    for index in sorted(i for i in edge if 0 <= i < len(paragraphs))[::-1]:
        paragraph = paragraphs[index]
        credit = credit_line(paragraph.text) if paragraph.single_line else None
        if credit is not None and credit[0] != AUTHOR and len(paragraphs) > 1:
            contributors[:0] = [Contributor(name, credit[0]) for name in credit[1]]
            del paragraphs[index]
    return contributors


def read_top_byline(paragraphs: list[RawParagraph]) -> list[str]:
    """`By Eric Boden` (`Por Eric Boden`) as the first paragraph (before or after the
    standfirst); removed."""
    if len(paragraphs) < 2 or not paragraphs[0].text.startswith(("By ", "by ", "Por ", "por ")):
        return []
    names = byline_of(paragraphs[0])
    if names:
        paragraphs.pop(0)
    return names


def byline_of(paragraph: RawParagraph) -> list[str]:
    """A byline is one unindented line of names."""
    return byline_names(paragraph.text) if paragraph.single_line else []


def byline_names(text: str) -> list[str]:
    """`A. Smith and B. Jones` → [`A. Smith`, `B. Jones`]; [] when the line is not a byline."""
    text = re.sub(r"^(?:[—–-]+\s*|by\s+|por\s+)", "", text, flags=re.IGNORECASE).strip()
    if not text or len(text) > BYLINE_MAX_CHARS or text[-1] in SENTENCE_END.replace(".", ""):
        return []
    if text.endswith(".") and not re.search(r"(?:^|[\s.])[A-Z]\.$", text):
        return []
    names = split_names(text)
    return names if all(is_name(n) for n in names) else []


def split_names(text: str) -> list[str]:
    """`A, B and C` → [`A`, `B`, `C`]; `A y B` → [`A`, `B`] when both are full names
    (`José Ortega y Gasset` is one)."""
    names = []
    for part in re.split(r",|\s+and\s+|\s*&\s*", text):
        pieces = [p.strip() for p in re.split(r"\s+[ye]\s+", part)]
        names += pieces if all(len(p.split()) >= 2 for p in pieces) else [part.strip()]
    return [n for n in names if n]


def is_name(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 5 and all(
        w[0].isupper() or w.lower() in NAME_PARTICLES for w in words
    )


def read_standfirst(paragraphs: list[RawParagraph]) -> str:
    """The first paragraph, removed, when it is a standfirst (see the module docstring)."""
    if len(paragraphs) < 2:
        return ""
    first = paragraphs[0]
    text = first.text
    if not first.single_line or len(text.split()) > STANDFIRST_MAX_WORDS:
        return ""
    if parse_reviewed_work(text):
        return ""
    if parse_reviewed_work(paragraphs[1].text) is None and ends_like_sentence(text):
        return ""
    paragraphs.pop(0)
    return text


def ends_like_sentence(text: str) -> bool:
    stripped = text.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def read_reviewed_works(paragraphs: list[RawParagraph]) -> list[ReviewedWork]:
    works: list[ReviewedWork] = []
    while paragraphs and not paragraphs[0].quoted:
        work = parse_reviewed_work(paragraphs[0].text)
        if work is None:
            break
        works.append(work)
        paragraphs.pop(0)
    return works


def parse_reviewed_work(line: str) -> ReviewedWork | None:
    """`‘Title’, by Author. (Publisher, Place, 1937, 7s. 6d.)` → ReviewedWork, else None."""
    match = REVIEW_LINE.match(line)
    if match is None or len(match["title"]) > 200:
        return None
    authors = split_names(match["author"])
    if not authors or not all(is_name(name) for name in authors):
        return None
    after = match["after"].strip()
    if after and not PRICE.search(after):
        return None
    title = unquote(match["title"].strip().rstrip(",."))
    work = ReviewedWork(title=title, author=match["author"])
    rest: list[str] = []
    for item in (i.strip() for i in match["imprint"].split(",")):
        if re.fullmatch(r"\d{4}", item):
            work.year = int(item)
        elif PAGE_COUNT.match(item):
            continue  # the work's length; the source keeps it
        elif PRICE.search(item) and not work.price:
            work.price = item
        elif item:
            rest.append(item)
    if after:
        work.price = work.price or after
    work.publisher = rest[0] if rest else ""
    work.place = ", ".join(rest[1:])
    return work


# The body


def body_blocks(paragraphs: list[RawParagraph]) -> list[Block]:
    """Paragraphs in order; each run of indented paragraphs becomes one quotation, typed
    lists and tables become lists and tables (`typed_structure`), and notes are linked
    to their markers (`notes`)."""
    pairs: list[tuple[Block, str]] = []
    run: list[RawParagraph] = []
    for paragraph in [*paragraphs, None]:
        if paragraph is not None and paragraph.quoted:
            run.append(paragraph)
            continue
        if run:
            pairs.append((quotation(run), ""))
            run = []
        if paragraph is not None:
            lines = paragraph.lines
            block = plain_block(paragraph.text)
            if block.type == "paragraph":
                block = typed_table(lines) or typed_list(lines) or block
            pairs.append((block, paragraph.text))
    return link_notes(subheadings(joined_lists(pairs)))


def subheadings(blocks: list[Block]) -> list[Block]:
    """A short line between paragraphs that does not end like a sentence is a subheading:
    at most SUBHEAD_MAX_WORDS words, starting with a capital, with a paragraph of some
    length right after it and something before it, and not a line of names (a letter's
    signature)."""
    for at in range(1, len(blocks) - 1):
        block, after = blocks[at], blocks[at + 1]
        if block.type != "paragraph" or after.type != "paragraph" or "\n" in block.text:
            continue
        text = block.text
        words = text.split()
        if not 1 <= len(words) <= SUBHEAD_MAX_WORDS or len(after.text.split()) < 12:
            continue
        if ends_like_sentence(text) or not (text[0].isupper() or text[0] in "¿¡‘“'\""):
            continue
        if len(words) <= 3 and byline_names(text):
            continue
        blocks[at] = Block("heading", text)
    return blocks


def plain_block(text: str) -> Block:
    if SECTION_BREAK.match(text):
        return Block("section_break")
    return Block("paragraph", text)


def quotation(run: list[RawParagraph]) -> Block:
    """One quotation for the run; each deeper indent level opens a quotation inside."""
    levels = indent_levels([p.indent for p in run])
    root = Block("quotation")
    stack = [root]
    for paragraph in run:
        depth = levels[paragraph.indent]
        del stack[depth:]
        while len(stack) < depth:
            inner = Block("quotation")
            stack[-1].blocks.append(inner)
            stack.append(inner)
        stack[-1].blocks.append(Block("paragraph", paragraph.text))
    return root


def indent_levels(widths: list[int]) -> dict[int, int]:
    """Indent width → nesting depth (1 = the quotation itself); near-equal widths share one."""
    levels: dict[int, int] = {}
    depth, previous = 0, None
    for width in sorted(set(widths)):
        if previous is None or width - previous >= QUOTE_INDENT:
            depth += 1
        levels[width] = depth
        previous = width
    return levels


# Where the publication's name comes from when --publication is not given


def publication_from_path(path: str) -> str | None:
    """`…/socialist-standard/000.txt` → `Socialist Standard`; None when no slug-like folder."""
    outer, _, member = path.rpartition("!")
    folder = PurePosixPath((member or outer).replace("\\", "/")).parent.name
    if not folder and outer:
        folder = archive_stem(PurePosixPath(outer.replace("\\", "/")).name)
    words = folder.split("-")
    while len(words) > 2 and words[-1].isdigit():
        words.pop()
    if not re.fullmatch(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+", "-".join(words)):
        return None
    return " ".join(w if i and w in MINOR_WORDS else w.capitalize() for i, w in enumerate(words))


def archive_stem(name: str) -> str:
    lowered = name.lower()
    for suffix in sorted(ARCHIVE_SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    return name


def file_stem(path: str) -> str:
    return PurePosixPath(path.rpartition("!")[2].replace("\\", "/")).stem
