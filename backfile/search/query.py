"""The search language: a forgiving tokenizer, a small AST, and compilers to FTS5 and tsquery.

What readers type:

    strike union            every word must match (stemmed, folded, either spelling)
    "general strike"        an exact phrase
    "strike union"~10       the words within ten words of each other
    miners OR dockers       either
    -football               not this
    nation*                 a prefix
    author:foot  title:"the war"  section:review  publication:"socialist worker"
    year:1937  year:1930..1939  decade:1930s  date:1937-05..1937-09
    person:Trotsky  place:Kronstadt  organisation:"P.O.U.M."   (articles that mention them)

Nothing a reader types is an error: unbalanced quotes are closed, stray operators
and brackets are dropped, unknown `field:` prefixes and FTS5 or SQL syntax are
just words (every term reaches the database quoted, and terms are letters and
digits only after `text.analyse_word`). What was changed or ignored is reported
back as a notice, shown above the results.

Choices worth knowing:

- Proximity. FTS5 has `NEAR("a" "b", N)`: at most N words between them. tsquery's
  `<N>` means exactly N apart, so on PostgreSQL `"a b"~N` is `a & b` (GIN-indexed)
  and `search_within(document, lexemes, span)`, a SQL function (search migration
  0001) that checks the tsvector's positions put all the words within N + k - 1
  of each other (k words). On both a phrase or proximity matches within one field
  (FTS5's columns; on PostgreSQL a gap between the fields' positions, `index.FIELD_GAP`).
  The two agree on every test case.
- Dates apply to the whole search, wherever typed; several of them mean any of
  them (`year:1937 year:1945` is either year), `-year:…` excludes.
- So do the authority file's entries (`person:`, `place:`, `organisation:`), but each
  one named must be mentioned (`person:Lenin person:Trotsky`: articles mentioning
  both), and `-person:…` excludes the articles that mention it (`search.mentions`).
- Adjacent plain words also match their joined form (`wal mart` finds `Walmart`),
  since the index keeps hyphenated words both split and joined.
- A prefix matches index terms, which are stems: `nationalis*` looks for terms
  beginning with the part of `nationalis` its stem keeps (see `_prefix_term`).
  It needs MIN_PREFIX letters; a shorter one (`ir*`) is searched as the word.

Parsing (`query_syntax`) gives an AST of raw words (`Term`, `Phrase`); `lower` analyses them into
index terms (`Match`, `Near`) and splits the top level into what to include,
what to exclude and which dates to keep; `to_fts5` and `to_postgres` then write
the backend's syntax from that.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field, replace

from backfile.search.query_syntax import (  # (the syntax's names, re-exported)
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    MIN_PREFIX,
    And,
    DateRange,
    EntityRef,
    IssueRef,
    Not,
    Or,
    Parser,
    Phrase,
    Term,
    clean,
    combine,
    tokenize,
)
from backfile.search.text import (
    LABEL_MARK,
    QUERY_LANGUAGES,
    Word,
    folded_pieces,
    term,
    words,
)

# ---- lowering: raw words to index terms ------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """Any of `alternatives` (each a run of adjacent terms) in `field` (None: the text fields)."""

    field: str | None
    alternatives: tuple[tuple[str, ...], ...]
    prefix: bool = False


@dataclass(frozen=True)
class Near:
    """All `groups` (each a run of adjacent terms) within `distance` words of each other."""

    field: str | None
    groups: tuple[tuple[str, ...], ...]
    distance: int


@dataclass
class Query:
    """A parsed query, ready for a backend."""

    text: str
    include: object | None = None  # Match, Near, And, Or or Not (inside And only)
    exclude: object | None = None  # what the top level excludes
    dates: list[DateRange] = field(default_factory=list)
    excluded_dates: list[DateRange] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)  # `issue:` ids or slugs: any of them
    excluded_issues: list[str] = field(default_factory=list)
    entities: list[EntityRef] = field(default_factory=list)  # each must be mentioned
    excluded_entities: list[EntityRef] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    # A word's terms under the other analyses (Spanish stems) → its English term, so that
    # one word counts once however many languages it was looked up in.
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (
            self.include
            or self.exclude
            or self.dates
            or self.excluded_dates
            or self.issues
            or self.excluded_issues
            or self.entities
            or self.excluded_entities
        )

    def sought(self) -> Sought:
        """What the query looks for, as a reader would expect to see it highlighted (not the
        excluded part)."""
        sought = Sought()
        sought.collect(self.include)
        return sought

    def words_wanted(self) -> set[str]:
        """The query's terms, one for each word whatever the languages it was looked up in."""
        return {self.aliases.get(t, t) for t in self.sought().terms()}

    def as_words(self, terms: set[str]) -> set[str]:
        """Terms (a headline's) counted the way `words_wanted` counts the query's."""
        return {self.aliases.get(t, t) for t in terms}


def headline_tiers(query: Query) -> list[Query]:
    """The query split into three disjoint parts that together find what it finds.

    First the matches with the query's words in the headline, then those with
    them in the kicker or standfirst, then the rest: a large result is ranked
    tier by tier, so its first page needs only the headline matches ranked, not
    every match. Excluded words and fielded terms (`author:`) stay as typed.
    Empty when the query has no plain words to confine (nothing to tier by).
    """
    if query.include is None:
        return []
    title, head = _confined(query.include, "title"), _confined(query.include, "head")
    if title == query.include:
        return []
    return [
        replace(query, include=title),
        replace(query, include=head, exclude=combine(Or, [query.exclude, title])),
        replace(query, exclude=combine(Or, [query.exclude, head])),
    ]


def plain_words_only(query: Query) -> bool:
    """Words, phrases, prefixes and proximity only: no field, no exclusion, no date.

    Such a query's headline tier is exactly what it finds in the headlines alone
    (a headline's words are its article's words), so it can be read from a table
    of headlines without the rest of the article.
    """
    return (
        query.include is not None
        and query.exclude is None
        and not query.dates
        and not query.excluded_dates
        and not (query.issues or query.excluded_issues)
        and not (query.entities or query.excluded_entities)
        and _unfielded(query.include)
    )


def _unfielded(node) -> bool:
    if isinstance(node, (Match, Near)):
        return node.field is None
    if isinstance(node, (And, Or)):
        return all(_unfielded(child) for child in node.children)
    return False


def _confined(node, field_name: str):
    """The node with its plain (unfielded) words confined to one field; excluded parts as they are.

    Confining only the positive parts narrows what matches, so a tier never
    finds an article the whole query would not.
    """
    if isinstance(node, (Match, Near)):
        return replace(node, field=field_name) if node.field is None else node
    if isinstance(node, (And, Or)):
        return type(node)(tuple(_confined(child, field_name) for child in node.children))
    return node


# fields whose words are not in an article's title, standfirst or body
NOT_IN_TEXT = ("authors", "section", "publication")


@dataclass
class Sought:
    """What a query's include part looks for: loose terms, prefixes, runs of terms (phrases'
    and hyphenated words') and proximity groups (each `(groups, distance)`)."""

    loose: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    runs: set[tuple[str, ...]] = field(default_factory=set)  # found as one, standing together
    phrases: set[tuple[str, ...]] = field(default_factory=set)  # those of them that are phrases
    nears: list[tuple[tuple[tuple[str, ...], ...], int]] = field(default_factory=list)

    def terms(self) -> set[str]:
        """Every term that can be part of a match (the prefixes apart)."""
        found = set(self.loose)
        found.update(t for run in self.runs for t in run)
        found.update(t for groups, _ in self.nears for group in groups for t in group)
        return found

    def collect(self, node) -> None:
        if isinstance(node, (Match, Near)) and node.field in NOT_IN_TEXT:
            return  # a byline's or label's words: not what a snippet of the text shows
        if isinstance(node, Match):
            for alternative in node.alternatives:
                if node.prefix:
                    self.loose.update(alternative[:-1])
                    self.prefixes.add(alternative[-1])
                elif len(alternative) == 1:
                    self.loose.add(alternative[0])
                else:
                    self.runs.add(alternative)
            if not node.prefix and all(len(a) > 1 for a in node.alternatives):
                # a phrase; a hyphenated word (`wal-mart`) also has its joined form (`walmart`)
                self.phrases.update(node.alternatives)
        elif isinstance(node, Near):
            self.nears.append((node.groups, node.distance))
        elif isinstance(node, (And, Or)):
            for child in node.children:
                self.collect(child)


def parse(text: str) -> Query:
    """Whatever was typed, as a Query (with notices for what was changed or ignored)."""
    notices: list[str] = []
    text = clean(text)
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH]
        notices.append(f"The query was cut to its first {MAX_QUERY_LENGTH} characters.")
    tree = Parser(tokenize(text, notices), notices).parse()
    query = Query(text=text, notices=notices)
    lowering = Lowering(query)
    conjuncts = list(tree.children) if isinstance(tree, And) else [tree] if tree else []
    include, exclude = [], []
    for node in lowering.lift_dates(conjuncts):
        if isinstance(node, Not):
            exclude.append(lowering.lower(node.child))
        else:
            include.append(node)
    query.include = lowering.lower(combine(And, include))
    query.exclude = combine(Or, [e for e in exclude if e is not None])
    if lowering.count > MAX_TERMS:
        notices.append(f"The query is long; only its first {MAX_TERMS} words were used.")
    return query


LIFTED = (DateRange, IssueRef, EntityRef)  # the filters of the whole search


class Lowering:
    """Turns raw words into index terms, and dates into filters."""

    def __init__(self, query: Query):
        self.query = query
        self.count = 0

    def lift_dates(self, conjuncts: list) -> list:
        """Date (`issue:`, `person:` …) filters apply to the whole search, wherever typed."""
        kept = []
        for node in conjuncts:
            if isinstance(node, LIFTED):
                self.lift(node, negated=False)
            elif isinstance(node, Not) and isinstance(node.child, LIFTED):
                self.lift(node.child, negated=True)
            else:
                kept.append(self.lift_nested_dates(node))
        return [k for k in kept if k is not None]

    def lift(self, node, negated: bool) -> None:
        if isinstance(node, EntityRef):
            (self.query.excluded_entities if negated else self.query.entities).append(node)
        elif isinstance(node, IssueRef):
            (self.query.excluded_issues if negated else self.query.issues).append(node.value)
        else:
            (self.query.excluded_dates if negated else self.query.dates).append(node)

    def lift_nested_dates(self, node, negated: bool = False, in_or: bool = False):
        """Dates inside OR or brackets still apply to the whole search, as any of its dates
        (and entries as each of its entries, which a notice says inside OR)."""
        if isinstance(node, EntityRef) and in_or:
            self.note(
                f"{node.type}: narrows the whole search, even inside OR: "
                "the articles found mention each one named."
            )
        if isinstance(node, LIFTED):
            self.lift(node, negated)
            return None
        if isinstance(node, (And, Or)):
            inside_or = in_or or isinstance(node, Or)
            children = [self.lift_nested_dates(c, negated, inside_or) for c in node.children]
            return combine(type(node), children)
        if isinstance(node, Not):
            child = self.lift_nested_dates(node.child, not negated, in_or)
            return Not(child) if child is not None else None
        return node

    def note(self, message: str) -> None:
        if message not in self.query.notices:
            self.query.notices.append(message)

    def lower(self, node):
        if node is None:
            return None
        if isinstance(node, Term):
            return self.lower_term(node)
        if isinstance(node, Phrase):
            return self.lower_phrase(node)
        if isinstance(node, Or):
            children = [self.lower(c) for c in node.children]
            if any(isinstance(c, Not) for c in children):
                self.note("A minus sign inside OR cannot be searched and was ignored.")
            return combine(Or, [c for c in children if c is not None and not isinstance(c, Not)])
        if isinstance(node, Not):
            child = self.lower(node.child)
            return Not(child) if child is not None else None
        return self.lower_and(node)

    def lower_and(self, node: And):
        children = [self.lower(c) for c in _with_joined_neighbours(node.children)]
        children = [c for c in children if c is not None]
        if children and all(isinstance(c, Not) for c in children):
            self.note("A group with only excluded words was ignored inside brackets or OR.")
            return None
        return combine(And, children)

    def within_budget(self, count: int) -> bool:
        self.count += count
        return self.count <= MAX_TERMS

    def lower_term(self, node: Term):
        analysed = list(words(node.text))
        runs = tuple(t for w in analysed for t in w.terms)
        if not runs or not self.within_budget(len(runs)):
            return None
        if node.prefix:
            prefix = _prefix_term(analysed[-1], node.text)
            if len(prefix) >= MIN_PREFIX:
                alternatives = [runs[:-1] + (prefix,)]
                for language in QUERY_LANGUAGES[1:]:
                    other = list(words(node.text, language))
                    if self.other_analyses(node.text, runs, (language,)):
                        stem = _prefix_term(other[-1], node.text)
                        alternatives.append(tuple(t for w in other for t in w.terms)[:-1] + (stem,))
                        self.query.aliases.setdefault(stem, prefix)
                return Match(node.field, tuple(dict.fromkeys(alternatives)), prefix=True)
            self.note(
                f"Prefixes need at least {MIN_PREFIX} letters; "
                f"searched for “{node.text}” as a whole word."
            )
        alternatives = [runs]
        if len(analysed) == 1 and analysed[0].joined:
            alternatives.append((analysed[0].joined,))
        if isinstance(node, JoinedTerm):
            alternatives.extend((j,) for j in node.joined)
        alternatives += self.other_analyses(node.text, runs)
        return Match(node.field, tuple(dict.fromkeys(alternatives)))

    def other_analyses(
        self, text: str, runs: tuple[str, ...], languages: tuple[str, ...] = QUERY_LANGUAGES[1:]
    ) -> list[tuple[str, ...]]:
        """The text's terms under the other analyses (Spanish stems), where they differ; each
        remembered as an alias of the English term in its place. Label fields are analysed
        in English alone (`search.text.IN_ITS_LANGUAGE`), as are authors' names."""
        found = []
        for language in languages:
            other = tuple(t for w in words(text, language) for t in w.terms)
            if other and other != runs and len(other) == len(runs):
                found.append(other)
                for mine, english in zip(other, runs, strict=True):
                    self.query.aliases.setdefault(mine, english)
        return found

    def lower_phrase(self, node: Phrase):
        if node.near is None:
            runs = tuple(t for w in words(node.text) for t in w.terms)
            if not runs or not self.within_budget(len(runs)):
                return None
            return Match(node.field, tuple([runs, *self.other_analyses(node.text, runs)]))
        groups = tuple(w.terms for w in words(node.text))
        if not groups or not self.within_budget(len(groups)):
            return None
        if len(groups) == 1:
            runs = groups[0]
            return Match(node.field, tuple([runs, *self.other_analyses(node.text, runs)]))
        nears = [Near(node.field, groups, node.near)]
        for language in QUERY_LANGUAGES[1:]:
            others = tuple(w.terms for w in words(node.text, language))
            if others != groups and len(others) == len(groups):
                nears.append(Near(node.field, others, node.near))
                for mine, english in zip(others, groups, strict=True):
                    for a, b in zip(mine, english, strict=False):
                        self.query.aliases.setdefault(a, b)
        return combine(Or, nears)


@dataclass(frozen=True)
class JoinedTerm(Term):
    """A Term that may also be written run together with its neighbour (wal mart / walmart)."""

    joined: tuple[str, ...] = ()


def _with_joined_neighbours(children: tuple) -> list:
    """Adjacent plain words also match their joined form: `wal mart` finds `Walmart`."""
    plain = [
        isinstance(c, Term) and c.field is None and not c.prefix and _single(c.text)
        for c in children
    ]
    result = []
    for i, child in enumerate(children):
        if not plain[i]:
            result.append(child)
            continue
        joined = []
        if i > 0 and plain[i - 1]:
            joined.append(_join(children[i - 1].text, child.text))
        if i + 1 < len(children) and plain[i + 1]:
            joined.append(_join(child.text, children[i + 1].text))
        result.append(JoinedTerm(child.text, joined=tuple(joined)))
    return result


def _single(text: str) -> bool:
    found = list(words(text))
    return len(found) == 1 and len(found[0].terms) == 1


def _join(first: str, second: str) -> str:
    return term("".join(folded_pieces(first) + folded_pieces(second)))


def _prefix_term(word: Word, typed: str) -> str:
    """What a prefix matches in a stemmed index: as much of the typed prefix as its stem keeps.

    `strik*` stays `strik`, but `nationalis*` stems to `nationali`, which then also
    finds `nationalization` (stored as `nation`…, `nationaliz`…) through the common part.
    """
    typed_word = unicodedata.normalize("NFC", typed)[word.start : word.end]
    pieces = folded_pieces(typed_word)
    stem = word.terms[-1]
    return os.path.commonprefix([stem, pieces[-1]]) if pieces else stem


# ---- compilers -------------------------------------------------------------------------------

# Plain words need no column filter: the label columns hold only marked terms
# (`marked_label_terms`), which a plain word never matches.
FTS5_FIELD_COLUMNS = {
    None: "",
    "title": "{title} : ",
    "head": "{title kicker standfirst} : ",
    "authors": "{authors} : ",
    "section": "{section} : ",
    "publication": "{publication} : ",
}
FTS5_LABEL_FIELDS = ("section", "publication")


def _fts5_run(run: tuple[str, ...], field_name: str | None) -> str:
    if field_name in FTS5_LABEL_FIELDS:
        run = tuple(LABEL_MARK + term for term in run)
    return '"' + " ".join(run) + '"'


def to_fts5(node) -> str:
    """FTS5 MATCH syntax; every term quoted, every group bracketed, NOT only after a positive."""
    if isinstance(node, Match):
        runs = [_fts5_run(a, node.field) + ("*" if node.prefix else "") for a in node.alternatives]
        body = runs[0] if len(runs) == 1 else "(" + " OR ".join(runs) + ")"
        return f"{FTS5_FIELD_COLUMNS[node.field]}{body}"
    if isinstance(node, Near):
        groups = " ".join(_fts5_run(g, node.field) for g in node.groups)
        return f"{FTS5_FIELD_COLUMNS[node.field]}NEAR({groups}, {node.distance})"
    if isinstance(node, Or):
        return "(" + " OR ".join(to_fts5(c) for c in node.children) + ")"
    if isinstance(node, And):
        positive = [to_fts5(c) for c in node.children if not isinstance(c, Not)]
        negative = [to_fts5(c.child) for c in node.children if isinstance(c, Not)]
        expression = "(" + " AND ".join(positive) + ")"
        if negative:
            expression = f"({expression} NOT ({' OR '.join(negative)}))"
        return expression
    raise TypeError(f"cannot compile {node!r}")


def fts5_expression(query: Query) -> str | None:
    """The include part of the query, less the excluded part, as one MATCH expression."""
    if query.include is None:
        return None
    expression = to_fts5(query.include)
    if query.exclude is not None:
        expression = f"({expression}) NOT ({to_fts5(query.exclude)})"
    return expression
