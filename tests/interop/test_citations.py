"""Citing an article: what a researcher copies or downloads, and what Zotero reads.

The periodical *The Quayside Ledger* and its writers are invented for these tests.
"""

from __future__ import annotations

import json
import re
from datetime import date

import extruct
import pytest
from lxml import html

from backfile.archive.models import Article
from backfile.ingest.loader import load
from backfile.ingest.records import ArticleRecord, IssueRecord
from backfile.interop.citations.csl import page_span, person_name
from tests.helpers.records import invented_record

pytestmark = pytest.mark.django_db

LEDGER = "The Quayside Ledger"
JUNE_1962 = IssueRecord(year=1962, number=214, month=6, volume=18)
WEEKLY = IssueRecord(year=1971, number=12, month=10, day=8)
STRANGE_TITLE = 'Tolls — and "Fees" at Ærø & Saint-Brévin: 100% {Unpaid}'
# As citations carry it: quotes inside a title are nested quotes, single.
CITED_STRANGE_TITLE = "Tolls — and ‘Fees’ at Ærø & Saint-Brévin: 100% {Unpaid}"
AUTHORS = ["Wilfred Ashdown", "Clémence de la Roche", "Bartholomew Nye"]


def record(title: str, issue: IssueRecord = JUNE_1962, **fields) -> ArticleRecord:
    return invented_record(LEDGER, issue, title, **fields)


@pytest.fixture
def ledger(db) -> dict[str, Article]:
    """Three invented articles, loaded through the real loader, by short name."""
    report = load(
        [
            record("Harbour Dues Rise Again", position=1, pages="6 and 7", authors=AUTHORS),
            record("Notices of the Society", position=2),
            record(STRANGE_TITLE, position=3, pages="8", authors=["Spartacus"]),
            record(
                "The Night Ferry Returns",
                issue=WEEKLY,
                pages="pp. 2-3",
                authors=["Nye, Bartholomew"],
                published=date(1971, 10, 6),
            ),
        ]
    )
    assert report.count("failed") == 0, report.entries
    by_title = {a.title: a for a in Article.objects.all()}
    return {
        "dues": by_title["Harbour Dues Rise Again"],
        "notices": by_title["Notices of the Society"],
        "strange": by_title[STRANGE_TITLE],
        "ferry": by_title["The Night Ferry Returns"],
    }


def page_of(client, article: Article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def metas(page: str) -> list[tuple[str, str]]:
    """(name, content) of every named <meta>, in document order, as Zotero's translator sees them."""
    return [(m.get("name"), m.get("content")) for m in html.fromstring(page).xpath("//meta[@name]")]


def meta(page: str, name: str) -> list[str]:
    return [content for n, content in metas(page) if n == name]


def download(client, article: Article, extension: str):
    response = client.get(f"{article.get_absolute_url()}cite.{extension}")
    assert response.status_code == 200
    return response


def ris_fields(text: str) -> list[tuple[str, str]]:
    """A minimal RIS reader: `TG  - value` lines, up to the `ER` line that closes the record."""
    fields = []
    for line in text.splitlines():
        match = re.fullmatch(r"([A-Z][A-Z0-9])  - ?(.*)", line)
        assert match, f"not an RIS line: {line!r}"
        if match.group(1) == "ER":
            return fields
        fields.append((match.group(1), match.group(2)))
    raise AssertionError("the RIS record is not closed by ER")


def ris_values(text: str, tag: str) -> list[str]:
    return [value for t, value in ris_fields(text) if t == tag]


def bibtex_entry(text: str) -> tuple[str, str, dict[str, str]]:
    """(entry type, key, fields) of the one entry: `name = {value}` or `name = macro`."""
    head = re.match(r"@(\w+)\{([^,\s]+),\n", text)
    assert head, text
    fields = {}
    for name, braced, bare in re.findall(r"^  (\w+) = (?:\{(.*)\}|(\w+)),?$", text, re.M):
        fields[name] = braced or bare
    assert text.rstrip().endswith("}")
    return head.group(1), head.group(2), fields


def untex(value: str) -> str:
    """Undo the escaping and the protective braces of a BibTeX value."""
    return re.sub(r"\\([&%$#_{}])|[{}]", lambda m: m.group(1) or "", value)


def citation_texts(page: str) -> dict[str, str]:
    """The 'Cite this article' section: each style's label and its text as a reader selects it."""
    section = html.fromstring(page).xpath("//section[.//h2[normalize-space()='Cite this article']]")
    assert len(section) == 1
    labels = section[0].xpath(".//dt")
    return {dt.text_content().strip(): dt.getnext().text_content().strip() for dt in labels}


def in_order(text: str, *parts: str) -> bool:
    positions = [text.find(part) for part in parts]
    return -1 not in positions and positions == sorted(positions)


# The article page: meta tags for Zotero and Google Scholar


def test_highwire_tags_carry_the_articles_facts(client, ledger):
    page = page_of(client, ledger["dues"])
    assert meta(page, "citation_title") == ["Harbour Dues Rise Again"]
    assert meta(page, "citation_author") == [
        "Ashdown, Wilfred",
        "de la Roche, Clémence",
        "Nye, Bartholomew",
    ]
    assert meta(page, "citation_publication_date") == ["1962/06"]
    assert meta(page, "citation_journal_title") == [LEDGER]
    assert meta(page, "citation_volume") == ["18"]
    assert meta(page, "citation_issue") == ["214"]
    assert (meta(page, "citation_firstpage"), meta(page, "citation_lastpage")) == (["6"], ["7"])
    assert meta(page, "citation_language") == ["en"]
    url = "http://testserver" + ledger["dues"].get_absolute_url()
    assert meta(page, "citation_public_url") == [url]
    assert meta(page, "citation_abstract_html_url") == [url]


def test_article_date_wins_over_the_issues_in_meta_tags(client, ledger):
    page = page_of(client, ledger["ferry"])
    assert meta(page, "citation_publication_date") == ["1971/10/06"]
    assert meta(page, "citation_author") == ["Nye, Bartholomew"]
    assert (meta(page, "citation_firstpage"), meta(page, "citation_lastpage")) == (["2"], ["3"])


def test_extruct_reads_the_dublin_core_tags(client, ledger):
    page = page_of(client, ledger["dues"])
    url = "http://testserver" + ledger["dues"].get_absolute_url()
    found = extruct.extract(page, base_url=url, syntaxes=["dublincore"])["dublincore"][0]
    elements = [(e["name"], e["content"]) for e in found["elements"]]
    assert ("DC.title", "Harbour Dues Rise Again") in elements
    assert [c for n, c in elements if n == "DC.creator"] == [
        "Ashdown, Wilfred",
        "de la Roche, Clémence",
        "Nye, Bartholomew",
    ]
    assert ("DC.date", "1962-06") in elements
    assert ("DC.identifier", url) in elements
    assert found["namespaces"] == {"DC": "http://purl.org/dc/elements/1.1/"}


def test_meta_tags_keep_special_characters_and_cannot_break_out(client, ledger):
    page = page_of(client, ledger["strange"])
    assert meta(page, "citation_title") == [CITED_STRANGE_TITLE]
    assert meta(page, "citation_author") == ["Spartacus"]
    assert ("citation_firstpage", "8") in metas(page)
    assert meta(page, "citation_lastpage") == ["8"]


def test_an_article_without_authors_or_pages_has_no_empty_tags(client, ledger):
    names = [name for name, _ in metas(page_of(client, ledger["notices"]))]
    assert "citation_title" in names
    assert not {"citation_author", "citation_firstpage", "citation_lastpage", "DC.creator"} & set(
        names
    )
    assert all(content for _, content in metas(page_of(client, ledger["notices"])))


def test_head_links_each_citation_file(client, ledger):
    tree = html.fromstring(page_of(client, ledger["dues"]))
    links = {
        link.get("type"): link.get("href") for link in tree.xpath("//head/link[@rel='alternate']")
    }
    base = ledger["dues"].get_absolute_url()
    assert links["application/x-research-info-systems"] == base + "cite.ris"
    assert links["application/x-bibtex"] == base + "cite.bib"


# The article page: formatted citations


def test_page_offers_four_labelled_styles_and_three_downloads(client, ledger):
    page = page_of(client, ledger["dues"])
    assert list(citation_texts(page)) == ["Chicago (author-date)", "APA", "MLA", "Harvard"]
    section = html.fromstring(page).xpath("//section[@aria-labelledby='cite-heading']")[0]
    assert [a.text_content() for a in section.xpath(".//a[@download]")] == [
        "RIS",
        "BibTeX",
        "CSL-JSON",
    ]
    for link in section.xpath(".//a[@download]"):
        assert client.get(link.get("href")).status_code == 200


def test_apa_puts_authors_year_title_then_publication(client, ledger):
    apa = citation_texts(page_of(client, ledger["dues"]))["APA"]
    assert in_order(
        apa, "Ashdown, W.", "de la Roche, C.", "Nye, B.", "(1962", "Harbour Dues Rise Again", LEDGER
    ), apa
    assert "6–7" in apa


def test_chicago_author_date_gives_full_names_year_title_then_publication(client, ledger):
    chicago = citation_texts(page_of(client, ledger["dues"]))["Chicago (author-date)"]
    assert in_order(
        chicago, "Ashdown, Wilfred", "Clémence de la Roche", "Bartholomew Nye", "1962", "“Harbour"
    ), chicago
    assert in_order(chicago, "Harbour Dues Rise Again.”", LEDGER), chicago


def test_each_style_sets_the_publication_in_italics(client, ledger):
    entries = html.fromstring(page_of(client, ledger["dues"])).xpath("//dl//dd")
    assert len(entries) == 4
    assert all(dd.xpath("string(.//i[1])") == LEDGER for dd in entries)


def test_an_article_without_authors_cites_by_title(client, ledger):
    texts = citation_texts(page_of(client, ledger["notices"]))
    assert texts["APA"].startswith("Notices of the Society")
    # Chicago puts the magazine's name where an unsigned article's author would be.
    assert in_order(texts["Chicago (author-date)"], LEDGER, "1962", "“Notices of the Society")
    for text in texts.values():
        assert "1962" in text and LEDGER in text
        assert not re.search(r"\bpp?\.|\(\)|, ,|\.\.", text), text


def test_formatted_citations_keep_special_characters(client, ledger):
    page = page_of(client, ledger["strange"])
    assert "&lt;" not in citation_texts(page)["APA"]
    assert CITED_STRANGE_TITLE in citation_texts(page)["APA"]
    assert "Spartacus" in citation_texts(page)["MLA"]


# Downloads


def test_ris_download_is_named_and_typed_for_reference_managers(client, ledger):
    response = download(client, ledger["dues"], "ris")
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == ('attachment; filename="harbour-dues-rise-again.ris"')
    text = response.content.decode()
    assert ris_fields(text)[0] == ("TY", "MGZN")
    assert ris_values(text, "AU") == [
        "Ashdown, Wilfred",
        "de la Roche, Clémence",
        "Nye, Bartholomew",
    ]
    assert ris_values(text, "TI") == ["Harbour Dues Rise Again"]
    assert ris_values(text, "T2") == [LEDGER]
    assert (ris_values(text, "PY"), ris_values(text, "DA")) == (["1962"], ["1962/06//"])
    assert (ris_values(text, "VL"), ris_values(text, "IS")) == (["18"], ["214"])
    assert (ris_values(text, "SP"), ris_values(text, "EP")) == (["6"], ["7"])
    assert ris_values(text, "UR") == ["http://testserver" + ledger["dues"].get_absolute_url()]
    assert ris_values(text, "LA") == ["en"]


def test_ris_of_a_weekly_article_has_its_own_full_date(client, ledger):
    text = download(client, ledger["ferry"], "ris").content.decode()
    assert ris_values(text, "DA") == ["1971/10/06/"]
    assert (ris_values(text, "SP"), ris_values(text, "EP")) == (["2"], ["3"])


def test_bibtex_download_has_a_stable_key_and_split_pages(client, ledger):
    response = download(client, ledger["dues"], "bib")
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"].endswith('filename="harbour-dues-rise-again.bib"')
    kind, key, fields = bibtex_entry(response.content.decode())
    assert kind == "article" and re.fullmatch(r"ashdown1962harbour-[0-9a-f]{6}", key)
    assert bibtex_entry(download(client, ledger["dues"], "bib").content.decode())[1] == key
    assert fields["author"] == "Ashdown, Wilfred and de la Roche, Clémence and Nye, Bartholomew"
    assert fields["title"] == "{Harbour} {Dues} {Rise} {Again}"
    assert (fields["journal"], fields["year"], fields["month"]) == (LEDGER, "1962", "jun")
    assert (fields["volume"], fields["number"], fields["pages"]) == ("18", "214", "6--7")


def test_csl_json_download_is_a_list_of_one_item(client, ledger):
    response = download(client, ledger["dues"], "json")
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    [item] = json.loads(response.content)
    assert item["type"] == "article-magazine"
    assert item["id"].startswith("ashdown1962harbour-")
    assert [a["family"] for a in item["author"]] == ["Ashdown", "de la Roche", "Nye"]
    assert (item["container-title"], item["issue"], item["page"]) == (LEDGER, "214", "6-7")
    assert item["issued"] == {"date-parts": [[1962, 6]]}
    assert "accessed" not in item


def test_an_article_without_authors_or_pages_downloads_cleanly(client, ledger):
    ris = download(client, ledger["notices"], "ris").content.decode()
    tags = [tag for tag, _ in ris_fields(ris)]
    assert not {"AU", "SP", "EP"} & set(tags)
    assert all(value for _, value in ris_fields(ris))
    _kind, key, fields = bibtex_entry(download(client, ledger["notices"], "bib").content.decode())
    assert key.startswith("quayside1962notices-")
    assert "author" not in fields and "pages" not in fields
    [item] = json.loads(download(client, ledger["notices"], "json").content)
    assert "author" not in item and "page" not in item


def test_special_characters_survive_every_download(client, ledger):
    ris = download(client, ledger["strange"], "ris").content.decode()
    assert ris_values(ris, "TI") == [CITED_STRANGE_TITLE]
    assert ris_values(ris, "AU") == ["Spartacus"]
    assert (ris_values(ris, "SP"), ris_values(ris, "EP")) == (["8"], [])
    _kind, _key, fields = bibtex_entry(download(client, ledger["strange"], "bib").content.decode())
    assert r"\&" in fields["title"] and r"\%" in fields["title"] and r"\{" in fields["title"]
    assert untex(fields["title"]) == CITED_STRANGE_TITLE
    assert fields["author"] == "{Spartacus}"
    assert fields["pages"] == "8"
    [item] = json.loads(download(client, ledger["strange"], "json").content)
    assert item["title"] == CITED_STRANGE_TITLE


def test_unknown_format_or_article_is_not_found(client, ledger):
    url = ledger["dues"].get_absolute_url()
    assert client.get(f"{url}cite.docx").status_code == 404
    assert client.get(url.replace("harbour-dues", "harbour-fees") + "cite.ris").status_code == 404


# How bylines and printed pages are read


@pytest.mark.parametrize(
    ("printed", "parts"),
    [
        ("Wilfred Ashdown", {"family": "Ashdown", "given": "Wilfred"}),
        ("Nye, Bartholomew", {"family": "Nye", "given": "Bartholomew"}),
        ("Jan van der Berg", {"family": "van der Berg", "given": "Jan"}),
        ("Amos T. Fell Jr.", {"family": "Fell", "given": "Amos T.", "suffix": "Jr."}),
        ("Spartacus", {"literal": "Spartacus"}),
        ("J. K.", {"literal": "J. K."}),
        ("Our Industrial Correspondent", {"literal": "Our Industrial Correspondent"}),
    ],
)
def test_bylines_split_into_family_and_given_names(printed, parts):
    assert person_name(printed) == parts


@pytest.mark.parametrize(
    ("printed", "first", "last"),
    [
        ("6 and 7", "6", "7"),
        ("6-7", "6", "7"),
        ("6–7", "6", "7"),
        ("pp. 12 - 14", "12", "14"),
        ("8", "8", "8"),
        ("3, 9", "3", "9"),
        ("Supplement", "", ""),
        ("", "", ""),
    ],
)
def test_printed_pages_give_first_and_last_page(printed, first, last):
    span = page_span(printed)
    assert (span.first, span.last) == (first, last)
