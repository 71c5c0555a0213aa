"""The OAI-PMH endpoint as a harvester meets it: verbs, records, paging, sets, dates, errors.

The archive here is invented for these tests: *The Quarry Bell* (a weekly of 1921)
and *The Estuary Review* (a monthly of 1960) never existed, nor their writers.
"""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime

import pytest
from lxml import etree
from sickle import Sickle

from backfile.archive.models import Article
from backfile.ingest.loader import load
from backfile.ingest.records import ArticleRecord, IssueRecord, ReviewedWork
from backfile.interop.oai.protocol import Query
from tests.helpers.records import invented_record

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS = {
    "o": OAI,
    "oai_dc": OAI_DC,
    "dc": DC,
    "i": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}

BELL = "The Quarry Bell"
ESTUARY = "The Estuary Review"
BELL_3_MAY = IssueRecord(year=1921, number=12, month=5, day=3)
BELL_10_MAY = IssueRecord(year=1921, number=13, month=5, day=10)
BELL_17_MAY = IssueRecord(year=1921, number=14, month=5, day=17)
ESTUARY_JUNE = IssueRecord(year=1960, number=4, month=6)
ESTUARY_WINTER = IssueRecord(year=1961, title="Winter Supplement")


def record(title: str, issue: IssueRecord, publication: str = BELL, **fields) -> ArticleRecord:
    return invented_record(publication, issue, title, **fields)


def archive_records() -> list[ArticleRecord]:
    return [
        record(
            "The Slate Owners Answer",
            BELL_3_MAY,
            section="Leader",
            authors=["Gwen Pritchard", "Owain Rees"],
            standfirst="Why the wage offer falls short",
            subjects=["Quarrying", "Wages"],
            pages="4-5",
        ),
        record("Notes from the Gallery", BELL_3_MAY, section="Notes", authors=["Owain Rees"]),
        record("A Choir at Blaenau", BELL_3_MAY, pages="6"),
        record("Powder Prices Again", BELL_10_MAY, section="Leader", authors=["Gwen Pritchard"]),
        record("The Incline Accident", BELL_10_MAY, section="Notes"),
        record(
            "A Geology for Workers",
            BELL_17_MAY,
            section="Reviews",
            authors=["Idris Morgan"],
            summary="A primer of rocks for the quarrymen's classes.",
            reviewed_works=[
                ReviewedWork(
                    title="Rocks and Their Uses",
                    author="T. Lloyd",
                    publisher="Cambrian Press",
                    place="Bangor",
                    year=1920,
                )
            ],
        ),
        record("Mudflats at Dusk", ESTUARY_JUNE, ESTUARY, section="Verse", authors=["Ann Kell"]),
        record(
            "The Ferry Dispute",
            ESTUARY_JUNE,
            ESTUARY,
            section="Reports",
            published=date(1960, 6, 20),
            language="cy",
        ),
        record("Saltings and Sea Walls", ESTUARY_WINTER, ESTUARY, section="Reports"),
    ]


# When each issue's articles last changed, as a harvester sees it (set after loading,
# so that from/until have fixed moments to fall between).
CHANGED = {
    BELL_3_MAY.number: datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC),
    BELL_10_MAY.number: datetime(2026, 3, 9, 9, 0, 0, 400000, tzinfo=UTC),
    BELL_17_MAY.number: datetime(2026, 3, 16, 9, 0, 1, tzinfo=UTC),
    ESTUARY_JUNE.number: datetime(2026, 4, 6, 18, 30, 0, tzinfo=UTC),
    None: datetime(2026, 4, 7, 0, 0, 0, tzinfo=UTC),  # the winter supplement has no number
}


@pytest.fixture
def archive(db) -> dict[str, Article]:
    load(archive_records())
    for number, moment in CHANGED.items():
        Article.objects.filter(issue__number=number).update(modified=moment)
    return {a.title: a for a in Article.objects.all()}


@pytest.fixture
def small_pages(settings):
    settings.BACKFILE_OAI_PAGE_SIZE = 3


def harvest(client, method: str = "get", **arguments) -> etree._Element:
    response = getattr(client, method)("/oai", arguments)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return etree.fromstring(response.content)


def get_record(client, article: Article) -> etree._Element:
    return harvest(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=oai_id(article))


def error_code(root: etree._Element) -> str | None:
    found = root.find("o:error", NS)
    return None if found is None else found.get("code")


def identifiers(root: etree._Element) -> list[str]:
    return root.xpath("//o:header/o:identifier/text()", namespaces=NS)


def oai_id(article: Article) -> str:
    return f"oai:backfile.localhost:article:{article.pk}"


def dc_values(record: etree._Element, element: str) -> list[str]:
    return record.xpath(f".//dc:{element}/text()", namespaces=NS)


# Harvesting a whole archive


@pytest.mark.django_db(transaction=True)
def test_sickle_harvests_every_article_exactly_once_across_resumption_pages(
    live_server, small_pages
):
    load(archive_records())
    expected = {
        a.pk: (a.title, [author.name for author in a.ordered_authors()])
        for a in Article.objects.all()
    }
    sickle = Sickle(f"{live_server.url}/oai")
    pages = []

    records = []
    for item in sickle.ListRecords(metadataPrefix="oai_dc"):
        records.append(item)
        pages.append(item.xml.getparent())

    harvested = [int(r.header.identifier.rsplit(":", 1)[1]) for r in records]
    assert sorted(harvested) == sorted(expected)
    assert len(set(map(id, pages))) == -(-len(expected) // 3)  # a response per 3 records
    for item in records:
        title, creators = expected[int(item.header.identifier.rsplit(":", 1)[1])]
        assert item.metadata["title"] == [title]
        assert item.metadata.get("creator", []) == creators
        assert item.metadata["type"] == ["Text"]
    listed = [h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc")]
    assert sorted(listed) == sorted(r.header.identifier for r in records)


def test_paging_reports_cursor_and_complete_list_size_and_ends_with_an_empty_token(
    client, archive, small_pages
):
    seen, cursors = [], []
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    while True:
        seen += identifiers(root)
        token = root.find(".//o:resumptionToken", NS)
        assert token.get("completeListSize") == str(len(archive))
        cursors.append(token.get("cursor"))
        if not token.text:
            break
        root = harvest(client, verb="ListIdentifiers", resumptionToken=token.text)

    assert cursors == ["0", "3", "6"]
    assert sorted(seen) == sorted(oai_id(a) for a in archive.values())


def test_a_list_that_fits_one_page_carries_no_resumption_token(client, archive):
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")

    assert len(root.findall(".//o:record", NS)) == len(archive)
    assert root.find(".//o:resumptionToken", NS) is None


def test_a_page_of_records_costs_the_same_few_queries_however_many_records(
    client, archive, django_assert_max_num_queries
):
    # articles, bylines, reviewed works, deleted records; the archive's generation (ETag, page
    # cache key)
    with django_assert_max_num_queries(5):
        root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert len(root.findall(".//o:record", NS)) == len(archive)


def test_an_identifier_survives_a_re_ingest_that_changes_the_article(client, archive):
    changed = archive_records()[0]
    changed.title = "The Slate Owners Answer (corrected)"
    load([changed])

    root = get_record(client, archive["The Slate Owners Answer"])
    assert dc_values(root, "title") == ["The Slate Owners Answer (corrected)"]


def test_post_requests_are_answered_as_get_requests(client, archive):
    root = harvest(client, "post", verb="ListIdentifiers", metadataPrefix="oai_dc")

    assert sorted(identifiers(root)) == sorted(oai_id(a) for a in archive.values())


# Identify, formats, sets


def test_identify_describes_the_repository_from_its_data_and_settings(client, archive, settings):
    settings.BACKFILE_ADMIN_EMAIL = "archivist@quarrybell.example"
    root = harvest(client, verb="Identify")
    identify = root.find("o:Identify", NS)

    assert [child.tag.removeprefix(f"{{{OAI}}}") for child in identify] == [
        "repositoryName",
        "baseURL",
        "protocolVersion",
        "adminEmail",
        "earliestDatestamp",
        "deletedRecord",
        "granularity",
        "compression",
        "description",
    ]
    assert identify.findtext("o:repositoryName", namespaces=NS) == f"{ESTUARY} and {BELL}"
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai"
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:adminEmail", namespaces=NS) == "archivist@quarrybell.example"
    assert identify.findtext("o:earliestDatestamp", namespaces=NS) == "2026-03-02T09:00:00Z"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("o:compression", namespaces=NS) == "gzip"
    described = identify.find("o:description/i:oai-identifier", NS)
    assert described.findtext("i:repositoryIdentifier", namespaces=NS) == "backfile.localhost"
    sample = described.findtext("i:sampleIdentifier", namespaces=NS)
    assert sample == "oai:backfile.localhost:article:1"


def test_list_metadata_formats_offers_oai_dc_and_mods_for_the_archive_and_an_article(
    client, archive
):
    for arguments in ({}, {"identifier": oai_id(archive["Mudflats at Dusk"])}):
        root = harvest(client, verb="ListMetadataFormats", **arguments)
        assert root.xpath("//o:metadataPrefix/text()", namespaces=NS) == ["oai_dc", "mods"]
        assert root.xpath("//o:metadataNamespace/text()", namespaces=NS) == [
            OAI_DC,
            "http://www.loc.gov/mods/v3",
        ]


def test_list_sets_names_each_publication_and_each_of_its_sections(client, archive):
    root = harvest(client, verb="ListSets")
    sets = dict(
        zip(
            root.xpath("//o:setSpec/text()", namespaces=NS),
            root.xpath("//o:setName/text()", namespaces=NS),
            strict=True,
        )
    )

    assert sets == {
        "publication:the-estuary-review": ESTUARY,
        "publication:the-estuary-review:section:reports": f"{ESTUARY}: Reports",
        "publication:the-estuary-review:section:verse": f"{ESTUARY}: Verse",
        "publication:the-quarry-bell": BELL,
        "publication:the-quarry-bell:section:leader": f"{BELL}: Leader",
        "publication:the-quarry-bell:section:notes": f"{BELL}: Notes",
        "publication:the-quarry-bell:section:reviews": f"{BELL}: Reviews",
    }


@pytest.mark.parametrize(
    ("spec", "titles"),
    [
        (
            "publication:the-estuary-review",
            {"Mudflats at Dusk", "The Ferry Dispute", "Saltings and Sea Walls"},
        ),
        (
            "publication:the-quarry-bell:section:leader",
            {"The Slate Owners Answer", "Powder Prices Again"},
        ),
    ],
)
def test_a_set_harvest_holds_exactly_that_publications_or_sections_articles(
    client, archive, spec, titles
):
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)

    assert sorted(identifiers(root)) == sorted(oai_id(archive[t]) for t in titles)
    for header in root.findall(".//o:header", NS):
        assert spec in header.xpath("o:setSpec/text()", namespaces=NS)


# Records


def test_get_record_gives_the_article_as_dublin_core(client, archive):
    article = archive["The Slate Owners Answer"]
    root = get_record(client, article)
    record = root.find("o:GetRecord/o:record", NS)

    assert record.findtext("o:header/o:datestamp", namespaces=NS) == "2026-03-02T09:00:00Z"
    assert dc_values(record, "title") == ["The Slate Owners Answer"]
    assert dc_values(record, "creator") == ["Gwen Pritchard", "Owain Rees"]
    assert dc_values(record, "date") == ["1921-05-03"]
    assert dc_values(record, "type") == ["Text"]
    assert dc_values(record, "source") == ["The Quarry Bell, No. 12, 3 May 1921, pp. 4-5"]
    assert dc_values(record, "description") == ["Why the wage offer falls short"]
    assert dc_values(record, "subject") == ["Quarrying", "Wages", "Leader"]
    assert dc_values(record, "language") == ["en"]
    [url] = dc_values(record, "identifier")
    assert url.startswith("http://testserver/the-quarry-bell/")
    assert client.get(url.removeprefix("http://testserver")).status_code == 200


def test_a_review_relates_to_the_work_it_discusses(client, archive):
    article = archive["A Geology for Workers"]
    root = get_record(client, article)

    assert dc_values(root, "relation") == [
        "http://testserver/the-quarry-bell/",  # the publication
        "Rocks and Their Uses, by T. Lloyd (Bangor: Cambrian Press, 1920)",
    ]
    assert dc_values(root, "description") == ["A primer of rocks for the quarrymen's classes."]


def test_an_article_dated_apart_from_its_issue_and_an_issue_dated_by_year_alone(client, archive):
    ferry = get_record(client, archive["The Ferry Dispute"])
    saltings = get_record(client, archive["Saltings and Sea Walls"])

    assert dc_values(ferry, "date") == ["1960-06-20"]
    assert dc_values(ferry, "language") == ["cy"]
    assert dc_values(saltings, "date") == ["1961"]
    assert dc_values(saltings, "source") == [f"{ESTUARY}, Winter Supplement"]


# from / until: datestamps are when articles last changed


@pytest.mark.parametrize(
    ("window", "titles"),
    [
        (
            {"from": "2026-03-09", "until": "2026-03-09"},
            {"Powder Prices Again", "The Incline Accident"},
        ),
        (
            # a change at 09:00:00.4 has the datestamp 09:00:00, which `until` admits
            {"from": "2026-03-09T09:00:00Z", "until": "2026-03-16T09:00:01Z"},
            {"Powder Prices Again", "The Incline Accident", "A Geology for Workers"},
        ),
        (
            {"from": "2026-03-09T09:00:01Z", "until": "2026-03-16T09:00:01Z"},
            {"A Geology for Workers"},
        ),
        (
            {"until": "2026-03-09T08:59:59Z"},
            {"The Slate Owners Answer", "Notes from the Gallery", "A Choir at Blaenau"},
        ),
        (
            {"from": "2026-04-01", "until": "2026-04-06"},
            {"Mudflats at Dusk", "The Ferry Dispute"},
        ),
        ({"from": "2026-04-07"}, {"Saltings and Sea Walls"}),
    ],
)
def test_from_and_until_select_inclusively_in_either_granularity(client, archive, window, titles):
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **window)

    assert sorted(identifiers(root)) == sorted(oai_id(archive[t]) for t in titles)


def test_a_changed_article_is_harvested_again_and_an_unchanged_one_is_not(client, archive):
    """What incremental harvesting rests on: re-ingesting moves only what changed."""
    records = archive_records()
    records[0].title = "The Slate Owners Answer (corrected)"
    load(records)  # the whole archive again, one article changed
    since = harvest(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2026-05-01"}
    )

    assert identifiers(since) == [oai_id(archive["The Slate Owners Answer"])]
    [stamp] = since.xpath("//o:header/o:datestamp/text()", namespaces=NS)
    assert stamp.endswith("Z") and stamp > "2026-05-01T00:00:00Z"


def test_an_editors_correction_is_harvested_again(client, archive):
    article = archive["A Choir at Blaenau"]
    article.title = "A Choir at Blaenau Ffestiniog"
    article.save()

    since = harvest(
        client, verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2026-05-01"}
    )

    assert identifiers(since) == [oai_id(article)]


# Errors


@pytest.mark.parametrize(
    "arguments",
    [
        {},
        {"verb": "ListEverything"},
        {"verb": ["Identify", "ListSets"]},
    ],
)
def test_a_missing_unknown_or_repeated_verb_is_bad_verb_and_echoes_nothing(client, db, arguments):
    root = harvest(client, **arguments)

    assert error_code(root) == "badVerb"
    assert root.find("o:request", NS).attrib == {}
    assert root.findtext("o:request", namespaces=NS) == "http://testserver/oai"


@pytest.mark.parametrize(
    "arguments",
    [
        {"verb": "Identify", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords"},
        {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "1921-13-01"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "1921-05-03T10:00Z"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "1921", "until": "1922"},
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "1921-05-03",
            "until": "1921-05-10T00:00:00Z",
        },
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "abc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": ""},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc"},
        {"verb": "ListMetadataFormats", "resumptionToken": "abc"},
    ],
)
def test_bad_arguments_are_bad_argument_and_echo_nothing(client, archive, arguments):
    root = harvest(client, **arguments)

    assert error_code(root) == "badArgument"
    assert root.find("o:request", NS).attrib == {}


@pytest.mark.parametrize(
    "arguments",
    [
        {"verb": "ListRecords", "metadataPrefix": "marc21"},
        {"verb": "ListIdentifiers", "metadataPrefix": "marcxml"},
        {"verb": "GetRecord", "metadataPrefix": "marc21", "identifier": "{known}"},
    ],
)
def test_an_unknown_metadata_format_cannot_be_disseminated(client, archive, arguments):
    known = oai_id(archive["Mudflats at Dusk"])
    arguments = {k: v.format(known=known) for k, v in arguments.items()}
    root = harvest(client, **arguments)

    assert error_code(root) == "cannotDisseminateFormat"
    assert dict(root.find("o:request", NS).attrib) == arguments


@pytest.mark.parametrize(
    "arguments",
    [
        {
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": "oai:backfile.localhost:article:999999",
        },
        {
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": "oai:elsewhere.example:article:1",
        },
        {
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": "oai:backfile.localhost:article:x1",
        },
        {"verb": "ListMetadataFormats", "identifier": "oai:backfile.localhost:article:999999"},
        {"verb": "ListMetadataFormats", "identifier": f"oai:backfile.localhost:article:{10**30}"},
    ],
)
def test_an_identifier_of_no_article_does_not_exist(client, archive, arguments):
    root = harvest(client, **arguments)

    assert error_code(root) == "idDoesNotExist"
    assert root.find("o:request", NS).get("identifier") == arguments["identifier"]


@pytest.mark.parametrize(
    "arguments",
    [
        {"from": "2099-01-01"},
        {"until": "2026-03-02T08:59:59Z"},
        {"set": "publication:the-lost-gazette"},
        {"set": "publication:the-quarry-bell:section:verse"},
        {"set": "publication:the-quarry-bell", "from": "2026-04-01"},
    ],
)
def test_a_selection_of_nothing_is_no_records_match(client, archive, arguments):
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", **arguments)

    assert error_code(root) == "noRecordsMatch"


def test_a_token_not_issued_for_the_verb_is_a_bad_resumption_token(client, archive, small_pages):
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    issued = root.findtext(".//o:resumptionToken", namespaces=NS)

    for verb, token in [
        ("ListRecords", issued),
        ("ListIdentifiers", "not-a-token"),
        ("ListSets", "x"),
        ("ListIdentifiers", Query("ListIdentifiers", after=10**30).token()),
        ("ListIdentifiers", Query("ListIdentifiers", from_="1921-05-03T10:00").token()),
        ("ListIdentifiers", base64.urlsafe_b64encode(b"[1, 2]").decode()),
    ]:
        answer = harvest(client, verb=verb, resumptionToken=token)
        assert error_code(answer) == "badResumptionToken"


def test_list_sets_of_an_empty_archive_says_there_are_no_sets(client, db):
    assert error_code(harvest(client, verb="ListSets")) == "noSetHierarchy"


# The documents themselves


@pytest.mark.parametrize(
    "arguments",
    [
        {"verb": "Identify"},
        {"verb": "ListMetadataFormats"},
        {"verb": "ListSets"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
        {"verb": "Nonsense"},
    ],
)
def test_every_response_is_an_oai_pmh_document_with_its_schema_location(client, archive, arguments):
    root = harvest(client, **arguments)

    assert root.tag == f"{{{OAI}}}OAI-PMH"
    assert root.get(f"{{{XSI}}}schemaLocation").split() == [
        OAI,
        "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
    ]
    assert [child.tag for child in root][:2] == [f"{{{OAI}}}responseDate", f"{{{OAI}}}request"]
    date_text = root.findtext("o:responseDate", namespaces=NS)
    assert len(date_text) == 20 and date_text.endswith("Z")


def test_every_record_is_oai_dc_in_the_dublin_core_namespace(client, archive):
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    metadata = root.findall(".//o:metadata", NS)

    assert len(metadata) == len(archive)
    for element in metadata:
        [dc] = list(element)
        assert dc.tag == f"{{{OAI_DC}}}dc"
        assert dc.get(f"{{{XSI}}}schemaLocation").split() == [
            OAI_DC,
            "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        ]
        assert {etree.QName(child).namespace for child in dc} == {DC}


def test_a_control_character_in_a_title_does_not_break_the_document(client, db):
    load([record("Bell\x0b Ringing\x1f Practice", BELL_3_MAY)])

    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")

    assert dc_values(root, "title") == ["Bell Ringing Practice"]


def test_a_configured_namespace_names_the_identifiers_and_resolves_them(client, archive, settings):
    settings.BACKFILE_OAI_NAMESPACE = "quarrybell.example"
    article = archive["Mudflats at Dusk"]
    identifier = f"oai:quarrybell.example:article:{article.pk}"

    listed = identifiers(harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc"))
    found = harvest(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier)

    assert identifier in listed
    assert dc_values(found, "title") == ["Mudflats at Dusk"]
    assert error_code(get_record(client, article)) == "idDoesNotExist"
