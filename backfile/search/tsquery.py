"""The parsed query in PostgreSQL's terms: tsquery text and conditions on the tsvector columns.

`to_postgres` lowers a query node to a SQL condition on `search_entry` whose every
leaf is a GIN-indexable `@@` test; `loose_postgres` to one the index decides without
reading documents (see backends: PostgreSQL's estimates); `rank_tsquery` and
`rank_vector` say what ts_rank_cd scores and on which column.
"""

from __future__ import annotations

from backfile.search.query import And, Match, Near, Not, Or

# PostgreSQL: `document` holds title (A), kicker and standfirst (B), authors (C) and body (D);
# `head` is its A, B and C alone and `title` its A alone, each in a narrow table of its own
# (search_head, search_title: migrations search.0009 and 0010) with a GIN index; `labels`,
# in search_labels (0011), holds section (A) and publication (B). A field is a weight restriction on a vector.
PG_FIELD_VECTORS = {
    None: ("document", ""),
    "title": ("title", ""),
    "head": ("head", "AB"),
    "authors": ("head", "C"),
    "section": ("labels", "A"),
    "publication": ("labels", "B"),
}


def _tsq_run(run: tuple[str, ...], weight: str, prefix: bool) -> str:
    lexemes = []
    for i, t in enumerate(run):
        star = "*" if prefix and i == len(run) - 1 else ""
        suffix = f":{star}{weight}" if star or weight else ""
        lexemes.append(f"'{t}'{suffix}")
    return "(" + " <-> ".join(lexemes) + ")"


def to_tsquery(node) -> str:
    """tsquery text for a Match or Near (its terms only; Near's distance is checked separately)."""
    _vector, weight = PG_FIELD_VECTORS[node.field]
    if isinstance(node, Match):
        return "(" + " | ".join(_tsq_run(a, weight, node.prefix) for a in node.alternatives) + ")"
    return "(" + " & ".join(_tsq_run(g, weight, False) for g in node.groups) + ")"


# The vectors kept in tables of their own, by the table (article_id, vector).
SIDE_TABLES = {"head": "search_head", "title": "search_title", "labels": "search_labels"}


def side_row(vector: str, table: str = "e") -> str:
    """The vector of `table`'s article from its side table, as a scalar subquery."""
    side = SIDE_TABLES[vector]
    return f"(SELECT {vector} FROM {side} WHERE {side}.article_id = {table}.article_id)"


def to_postgres(node, table: str = "e", side: str | None = None) -> tuple[str, list]:
    """A SQL condition on the search entry table; each leaf a GIN-indexable `@@` test.

    A `head` or `title` term is a test on its side table: the article among its
    matches, or, with `side` naming the vector every term is on (see `side_vector`),
    `table` is that side table itself.
    """
    if isinstance(node, (Match, Near)):
        vector, weight = PG_FIELD_VECTORS[node.field]
        if vector == side or vector not in SIDE_TABLES:
            return _leaf(node, f"{table}.{vector}", weight)
        sql, params = _leaf(node, vector, weight)
        source = SIDE_TABLES[vector]
        return f"{table}.article_id IN (SELECT article_id FROM {source} WHERE {sql})", params
    if isinstance(node, Not):
        sql, params = to_postgres(node.child, table, side)
        return f"NOT ({sql})", params
    joiner = " OR " if isinstance(node, Or) else " AND "
    parts = [to_postgres(c, table, side) for c in node.children]
    return "(" + joiner.join(p[0] for p in parts) + ")", [x for p in parts for x in p[1]]


def _leaf(node, column: str, weight: str) -> tuple[str, list]:
    if isinstance(node, Match):
        return f"{column} @@ to_tsquery('simple', %s)", [to_tsquery(node)]
    lexemes = [t for g in node.groups for t in g]
    span = node.distance + len(lexemes) - 1
    if len(lexemes) == 2 and len(set(lexemes)) == 2 and span <= MAX_PHRASE_SPAN:
        pair = _near_pair(lexemes, weight, span)
        if column.rsplit(".", 1)[-1] == "document":  # out of line: read only to test it
            return f"{column} @@ to_tsquery('simple', %s)", [pair]
        # A headline vector is short and in its row: the index finds the articles with both
        # words, and the distances are tested on the row (`ts_match_vq` is `@@`, but not
        # an operator the planner takes to the index), not by the index for every entry
        # of both words' lists against each alternative distance (23 for `~10`): the
        # kicker tier of `"strike union"~10` at 250,000 articles: 28 → 12 ms of CPU).
        return (
            f"({column} @@ to_tsquery('simple', %s) "
            f"AND ts_match_vq({column}, to_tsquery('simple', %s)))",
            [to_tsquery(node), pair],
        )
    return (
        f"({column} @@ to_tsquery('simple', %s) AND search_within({column}, %s, %s))",
        [to_tsquery(node), lexemes, span],
    )


def words_tsquery(node, negations: bool = True) -> str | None:
    """`node` as one tsquery the GIN index decides alone (no positions, no weights to
    recheck): words and prefixes in `document`, joined by AND, OR and (if `negations`)
    NOT; None if it holds anything else (a phrase, proximity, a field)."""
    if isinstance(node, Match):
        if node.field is not None or any(len(run) > 1 for run in node.alternatives):
            return None
        return to_tsquery(node)
    if isinstance(node, Not):
        child = words_tsquery(node.child) if negations else None
        return None if child is None else f"!{child}"
    if isinstance(node, (And, Or)):
        parts = [words_tsquery(child, negations) for child in node.children]
        if None in parts:
            return None
        return "(" + (" | " if isinstance(node, Or) else " & ").join(parts) + ")"
    return None


def side_vector(node) -> str | None:
    """The side table's vector every term of `node` is on, if one: `node` is then decided
    in that table alone."""
    vectors = vectors_of(node)
    return vectors.pop() if len(vectors) == 1 and vectors <= SIDE_TABLES.keys() else None


def vectors_of(node) -> set[str]:
    """The vectors the terms of `node` are on."""
    vectors: set[str] = set()
    _vectors(node, vectors)
    return vectors


def _vectors(node, vectors: set[str]) -> None:
    if isinstance(node, (Match, Near)):
        vectors.add(PG_FIELD_VECTORS[node.field][0])
    elif isinstance(node, Not):
        _vectors(node.child, vectors)
    else:
        for child in node.children:
            _vectors(child, vectors)


def loose_postgres(node, table: str = "e") -> tuple[str, list] | None:
    """A condition every match of `node` meets that the GIN index decides without reading
    a document: its phrases and proximity on `document` as all their words, anywhere.

    None where that changes nothing (the node is decided in the index already), or
    where it cannot be done (a negation: its loosened form would exclude too much).
    """
    try:
        sql, params, loosened = _loose(node, table)
    except ValueError:
        return None
    return (sql, params) if loosened else None


def _loose(node, table: str) -> tuple[str, list, bool]:
    if isinstance(node, Not):
        raise ValueError("a negation cannot be loosened")
    if isinstance(node, (Match, Near)):
        vector, _weight = PG_FIELD_VECTORS[node.field]
        runs = (
            node.alternatives
            if isinstance(node, Match)
            else (tuple(t for g in node.groups for t in g),)
        )
        if vector != "document" or (isinstance(node, Match) and all(len(r) == 1 for r in runs)):
            sql, params = to_postgres(node, table)
            return sql, params, False
        prefix = isinstance(node, Match) and node.prefix
        words = [
            "("
            + " & ".join(
                _tsq_run((t,), "", prefix and i == len(run) - 1) for i, t in enumerate(run)
            )
            + ")"
            for run in runs
        ]
        return f"{table}.{vector} @@ to_tsquery('simple', %s)", [" | ".join(words)], True
    joiner = " OR " if isinstance(node, Or) else " AND "
    parts = [_loose(c, table) for c in node.children]
    return (
        "(" + joiner.join(p[0] for p in parts) + ")",
        [x for p in parts for x in p[1]],
        any(p[2] for p in parts),
    )


# Two words within N of each other, written as every distance they may be apart (a
# tsquery `<k>` is exactly k): PostgreSQL checks that in C on each candidate, where
# search_within unnests the whole document in SQL. Wider spans keep search_within.
MAX_PHRASE_SPAN = 32


def _near_pair(lexemes: list[str], weight: str, span: int) -> str:
    """`a <k> b` and `b <k> a` for every k up to span: what search_within(…, span) tests for
    two distinct words (positions past tsvector's last, 16383, coincide: `<0>`)."""
    first, second = (_tsq_run((t,), weight, False) for t in lexemes)
    pairs = [f"{first} <{k}> {second}" for k in range(span + 1)]
    pairs += [f"{second} <{k}> {first}" for k in range(1, span + 1)]
    return " | ".join(pairs)


def rank_tsquery(node) -> str | None:
    """Every positive text term OR-ed together: what ts_rank_cd scores a document against."""
    leaves: list[str] = []
    _rank_leaves(node, leaves, set())
    return " | ".join(leaves) or None


def rank_vector(node) -> str:
    """The column a query is ranked on: `title` or `head` where all its ranked terms are
    confined to it (`title:`, `author:`), else `document`."""
    vectors: set[str] = set()
    _rank_leaves(node, [], vectors)
    if vectors == {"title"}:
        return "title"
    return "head" if vectors and vectors <= SIDE_TABLES.keys() else "document"


def _rank_leaves(node, leaves: list[str], vectors: set[str]) -> None:
    if isinstance(node, (Match, Near)):
        vector = PG_FIELD_VECTORS[node.field][0]
        if vector != "labels":
            leaves.append(to_tsquery(node))
            vectors.add(vector)
    elif isinstance(node, (And, Or)):
        for child in node.children:
            _rank_leaves(child, leaves, vectors)
