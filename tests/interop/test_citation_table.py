"""Twelve citations checked by hand in four styles (tests/interop/citation_cases.py has the
articles). Each line was read against its style's rule before it went in: an unsigned article
is cited by its title (APA, MLA) or by its paper (Chicago and Harvard, as their CSL files say
for newspaper and magazine articles), never both; quotes around a whole title go, quotes
inside it become single; a title's own `?` ends it; `Van Camp` and `de la Roche` are family
names; a zero-width space does not hide a surname; a review names the work and its author.
`{url}` stands for the article's address."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from backfile.archive.models import Article, Publication
from backfile.ingest.loader import load
from backfile.ingest.records import IssueRecord
from backfile.interop.citations.article import ArticleCitation
from tests.helpers.records import invented_record
from tests.interop.citation_cases import CASES, MONTHLY, WEEKLY

TABLE = {
    "signed": {
        "Chicago (author-date)": "Pritchard, Gwen. 1921. “The Slate Owners Answer.” <i>The Quarry Bell</i>, May 3. {url}/.",
        "APA": "Pritchard, G. (1921, May 3). The Slate Owners Answer. <i>The Quarry Bell</i>, <i>3</i>(12), 4. {url}/",
        "MLA": "Pritchard, Gwen. “The Slate Owners Answer.” <i>The Quarry Bell</i>, vol. 3, no. 12, 3 May 1921, p. 4, {url}/.",
        "Harvard": "Pritchard, G. (1921) “The Slate Owners Answer”, <i>The Quarry Bell</i>, 3 May, p. 4. Available at: {url}/.",
    },
    "unsigned": {
        "Chicago (author-date)": "<i>The Quarry Bell</i>. 1921. “The Incline Accident,” May 3. {url}/.",
        "APA": "The Incline Accident. (1921, May 3). <i>The Quarry Bell</i>, <i>3</i>(12), 2. {url}/",
        "MLA": "“The Incline Accident.” <i>The Quarry Bell</i>, vol. 3, no. 12, 3 May 1921, p. 2, {url}/.",
        "Harvard": "<i>The Quarry Bell</i> (1921) “The Incline Accident”, 3 May, p. 2. Available at: {url}/.",
    },
    "two writers": {
        "Chicago (author-date)": "Kell, Ann, and Owain Rees. 1960. “Saltings and Sea Walls.” <i>The Estuary Review</i>, June. {url}/.",
        "APA": "Kell, A., &amp; Rees, O. (1960, June). Saltings and Sea Walls. <i>The Estuary Review</i>, <i>2</i>(4), 10–12. {url}/",
        "MLA": "Kell, Ann, and Owain Rees. “Saltings and Sea Walls.” <i>The Estuary Review</i>, vol. 2, no. 4, June 1960, pp. 10–12, {url}/.",
        "Harvard": "Kell, A. and Rees, O. (1960) “Saltings and Sea Walls”, <i>The Estuary Review</i>, June, pp. 10–12. Available at: {url}/.",
    },
    "eight writers": {
        "Chicago (author-date)": "Kell, Ann, Bryn Hughes, Cerys Lloyd, Dai Evans, Eira Jones, Ffion Rees, Gwyn Price, and Huw Parry. 1960. “A Survey of the Foreshore.” <i>The Estuary Review</i>, June. {url}/.",
        "APA": "Kell, A., Hughes, B., Lloyd, C., Evans, D., Jones, E., Rees, F., Price, G., &amp; Parry, H. (1960, June). A Survey of the Foreshore. <i>The Estuary Review</i>, <i>2</i>(4), 3. {url}/",
        "MLA": "Kell, Ann, et al. “A Survey of the Foreshore.” <i>The Estuary Review</i>, vol. 2, no. 4, June 1960, p. 3, {url}/.",
        "Harvard": "Kell, A. <i>et al.</i> (1960) “A Survey of the Foreshore”, <i>The Estuary Review</i>, June, p. 3. Available at: {url}/.",
    },
    "review": {
        "Chicago (author-date)": "Morgan, Idris. 1960. “Stones That Speak.” Review of <i>Rocks and Their Uses</i>, by Thomas Lloyd. <i>The Estuary Review</i>. {url}/.",
        "APA": "Morgan, I. (1960). Stones That Speak [Review of the book <i>Rocks and Their Uses</i>, by T. Lloyd]. <i>The Estuary Review</i>, <i>2</i>(4), 20. {url}/",
        "MLA": "Morgan, Idris. “Stones That Speak.” Review of <i>Rocks and Their Uses</i>, by Thomas Lloyd. <i>The Estuary Review</i>, vol. 2, no. 4, June 1960, p. 20, {url}/.",
        "Harvard": "Morgan, I. (1960) “Stones That Speak”, <i>The Estuary Review</i>, p. 20. Available at: {url}/.",
    },
    "unsigned monthly": {
        "Chicago (author-date)": "<i>The Estuary Review</i>. 1960. “Notes of the Month,” June. {url}/.",
        "APA": "Notes of the Month. (1960, June). <i>The Estuary Review</i>, <i>2</i>(4), 1. {url}/",
        "MLA": "“Notes of the Month.” <i>The Estuary Review</i>, vol. 2, no. 4, June 1960, p. 1, {url}/.",
        "Harvard": "<i>The Estuary Review</i> (1960) “Notes of the Month”, June, p. 1. Available at: {url}/.",
    },
    "quoted title": {
        "Chicago (author-date)": "Pritchard, Gwen. 1921. “We Will Not Go Back.” <i>The Quarry Bell</i>, May 3. {url}/.",
        "APA": "Pritchard, G. (1921, May 3). We will not go back. <i>The Quarry Bell</i>, <i>3</i>(12), 1. {url}/",
        "MLA": "Pritchard, Gwen. “We Will Not Go Back.” <i>The Quarry Bell</i>, vol. 3, no. 12, 3 May 1921, p. 1, {url}/.",
        "Harvard": "Pritchard, G. (1921) “We will not go back”, <i>The Quarry Bell</i>, 3 May, p. 1. Available at: {url}/.",
    },
    "question title": {
        "Chicago (author-date)": "Van Camp, Jon. 1960. “Recovery?” <i>The Estuary Review</i>, June. {url}/.",
        "APA": "Van Camp, J. (1960, June). Recovery? <i>The Estuary Review</i>, <i>2</i>(4), 6–7. {url}/",
        "MLA": "Van Camp, Jon. “Recovery?” <i>The Estuary Review</i>, vol. 2, no. 4, June 1960, pp. 6–7, {url}/.",
        "Harvard": "Van Camp, J. (1960) “Recovery?”, <i>The Estuary Review</i>, June, pp. 6–7. Available at: {url}/.",
    },
    "particle": {
        "Chicago (author-date)": "de la Roche, Clémence. 1960. “The Ferry Dispute.” <i>The Estuary Review</i>, June. {url}/.",
        "APA": "de la Roche, C. (1960, June). The Ferry Dispute. <i>The Estuary Review</i>, <i>2</i>(4), 8. {url}/",
        "MLA": "de la Roche, Clémence. “The Ferry Dispute.” <i>The Estuary Review</i>, vol. 2, no. 4, June 1960, p. 8, {url}/.",
        "Harvard": "de la Roche, C. (1960) “The Ferry Dispute”, <i>The Estuary Review</i>, June, p. 8. Available at: {url}/.",
    },
    "invisible character": {
        "Chicago (author-date)": "Rees, Owain. 1921. “Powder Prices Again.” <i>The Quarry Bell</i>, May 3. {url}/.",
        "APA": "Rees, O. (1921, May 3). Powder Prices Again. <i>The Quarry Bell</i>, <i>3</i>(12), 3. {url}/",
        "MLA": "Rees, Owain. “Powder Prices Again.” <i>The Quarry Bell</i>, vol. 3, no. 12, 3 May 1921, p. 3, {url}/.",
        "Harvard": "Rees, O. (1921) “Powder Prices Again”, <i>The Quarry Bell</i>, 3 May, p. 3. Available at: {url}/.",
    },
    "collective byline": {
        "Chicago (author-date)": "Our Correspondent. 1921. “From the Districts.” <i>The Quarry Bell</i>, May 3. {url}/.",
        "APA": "Our Correspondent. (1921, May 3). From the Districts. <i>The Quarry Bell</i>, <i>3</i>(12), 5. {url}/",
        "MLA": "Our Correspondent. “From the Districts.” <i>The Quarry Bell</i>, vol. 3, no. 12, 3 May 1921, p. 5, {url}/.",
        "Harvard": "Our Correspondent (1921) “From the Districts”, <i>The Quarry Bell</i>, 3 May, p. 5. Available at: {url}/.",
    },
    "nested quotes": {
        "Chicago (author-date)": "Kell, Ann. 1960. “Why ‘Planning’ Failed.” <i>The Estuary Review</i>, June. {url}/.",
        "APA": "Kell, A. (1960, June). Why ‘Planning’ Failed. <i>The Estuary Review</i>, <i>2</i>(4), 14. {url}/",
        "MLA": "Kell, Ann. “Why ‘Planning’ Failed.” <i>The Estuary Review</i>, vol. 2, no. 4, June 1960, p. 14, {url}/.",
        "Harvard": "Kell, A. (1960) “Why ‘Planning’ Failed”, <i>The Estuary Review</i>, June, p. 14. Available at: {url}/.",
    },
}


@pytest.fixture
def citations(db) -> dict[str, dict[str, str]]:
    load(list(CASES.values()))
    Publication.objects.filter(name=WEEKLY).update(frequency="weekly")
    Publication.objects.filter(name=MONTHLY).update(frequency="monthly")
    request = RequestFactory().get("/")
    found = {}
    for name, record in CASES.items():
        citation = ArticleCitation(Article.objects.get(key=record.key), request)
        url = citation.item["URL"].rstrip("/")
        found[name] = {label: str(text).replace(url, "{url}") for label, text in citation.formatted}
    return found


@pytest.mark.parametrize("case", TABLE)
def test_each_citation_is_as_checked_by_hand(citations, case):
    assert citations[case] == TABLE[case]


def test_the_table_covers_twelve_articles_in_four_styles():
    assert len(TABLE) == 12 and {len(styles) for styles in TABLE.values()} == {4}


def test_unsigned_articles_with_one_title_in_one_year_have_keys_of_their_own(db):
    views = [
        invented_record(WEEKLY, IssueRecord(year=1921, number=n, month=1 + n % 12, day=1), "Views")
        for n in range(1, 41)
    ]
    load(views)
    request = RequestFactory().get("/")

    keys = {ArticleCitation(a, request).item["id"] for a in Article.objects.all()}
    again = {ArticleCitation(a, request).item["id"] for a in Article.objects.all()}

    assert len(keys) == 40 and keys == again
    assert all(key.startswith("quarry1921views-") for key in keys)


def test_a_review_downloads_as_a_review_of_its_work(citations, client):
    article = Article.objects.get(key=CASES["review"].key)
    url = article.get_absolute_url()

    [item] = client.get(f"{url}cite.json").json()
    ris = client.get(f"{url}cite.ris").content.decode()
    bibtex = client.get(f"{url}cite.bib").content.decode()

    assert item["type"] == "review-book"
    assert item["reviewed-title"] == "Rocks and Their Uses"
    assert item["reviewed-author"] == [{"family": "Lloyd", "given": "Thomas"}]
    assert "N1  - Review of Rocks and Their Uses, by Thomas Lloyd" in ris
    assert "note = {Review of Rocks and Their Uses, by Thomas Lloyd}" in bibtex
