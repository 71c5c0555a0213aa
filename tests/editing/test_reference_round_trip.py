"""The reference review, corrected at the desk and exported: only the corrected word moves."""

from __future__ import annotations

import json
from io import StringIO

import pytest

from backfile.archive.models import Article
from backfile.ingest.export import write_jsonl
from tests.conftest import corpus_path
from tests.editing.helpers import errors, open_body, press, row_with

pytestmark = [pytest.mark.django_db, pytest.mark.corpus]


def exported() -> list[str]:
    out = StringIO()
    write_jsonl(out)
    return out.getvalue().splitlines()


def leaves(value, path=()):
    """Every leaf of a JSON value with its path."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from leaves(item, (*path, n))
    else:
        yield path, value


def test_a_word_corrected_in_the_nested_quotation_is_all_that_changes(desk, ingest_paths):
    report = ingest_paths(corpus_path("socialist-standard", "000_a351202cb116f3a4.txt"))
    assert report.count("added") == 1, report.entries
    article = Article.objects.get()
    before = exported()
    data = open_body(desk, article)
    row = row_with(data, "I serve notice")
    typed = data[f"{row}-text"][0]
    assert int(data[f"{row}-depth"][0]) == 2  # a quotation within a quotation
    response = press(
        desk, article, data, "save", **{f"{row}-text": typed.replace("notice", "warning", 1)}
    )
    assert response.status_code == 302, errors(response)
    after = exported()
    changed = [(old, new) for old, new in zip(before, after, strict=True) if old != new]
    assert len(changed) == 1
    old, new = (dict(leaves(json.loads(line))) for line in changed[0])
    assert old.keys() == new.keys()
    differing = {path for path in old if old[path] != new[path]}
    # the block's words, and the quoted passage the quotations finder reads from them
    assert differing and all(
        (path[0] == "blocks" and path[-1] in ("text", "html"))
        or (path[0] == "quotations" and path[-1] == "text")
        for path in differing
    ), differing
    assert any(path[0] == "quotations" for path in differing), differing
    for path in differing:
        assert new[path] == old[path].replace("notice", "warning", 1)
