"""What aggregators need of OAI-PMH beyond the verbs: one identity whatever the host, deleted
records that persist, compression, no request that answers 500, and every response valid
against the official schemas (vendored in tests/fixtures/xsd)."""

from __future__ import annotations

import gzip

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from sickle import Sickle

from backfile.archive.models import Article, Publication
from backfile.interop.models import Tombstone
from tests.helpers import xsd
from tests.interop import test_oai
from tests.interop.test_oai import NS, error_code, harvest, identifiers, oai_id

archive = test_oai.archive  # the invented archive's fixture


def valid(content: bytes) -> list[str]:
    """Schema errors of an OAI-PMH response, its oai_dc records checked by oai_dc.xsd too."""
    found = xsd.errors(content, "OAI-PMH.xsd")
    root = etree.fromstring(content)
    for dc in root.iterfind(".//o:metadata/*", NS):
        found += xsd.errors(etree.tostring(dc), "oai_dc.xsd")
    for described in root.iterfind(".//o:description/*", NS):
        found += xsd.errors(etree.tostring(described), "oai-identifier.xsd")
    return found


def test_identifiers_come_from_the_base_url_whatever_host_the_harvester_used(
    client, archive, settings
):
    settings.BACKFILE_BASE_URL = "https://archive.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
    seen = set()
    for host in ("testserver", "127.0.0.1", "localhost"):
        response = client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
                              HTTP_HOST=host)  # fmt: skip
        seen.add(tuple(identifiers(etree.fromstring(response.content))))

    [listed] = seen
    article = archive["Mudflats at Dusk"]
    assert f"oai:archive.example.org:article:{article.pk}" in listed


def test_an_address_for_a_host_is_no_namespace_and_the_loopback_name_stands_in(
    client, archive, settings
):
    settings.BACKFILE_BASE_URL = "http://127.0.0.1:8000"
    root = harvest(client, verb="Identify")

    assert root.findtext(".//i:repositoryIdentifier", namespaces=NS) == "backfile.localhost"


def test_a_deleted_article_stays_in_harvests_as_a_deleted_record(client, archive):
    gone = archive["Powder Prices Again"]
    gone_id = oai_id(gone)
    gone.delete()

    listed = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    record = harvest(client, verb="GetRecord", metadataPrefix="oai_dc", identifier=gone_id)

    headers = {
        h.findtext("o:identifier", namespaces=NS): h for h in listed.iterfind(".//o:header", NS)
    }
    assert headers[gone_id].get("status") == "deleted"
    assert headers[gone_id].findall("o:setSpec", NS)[0].text == "publication:the-quarry-bell"
    assert record.find(".//o:header", NS).get("status") == "deleted"
    assert record.find(".//o:metadata", NS) is None
    assert not valid(etree.tostring(listed)) and not valid(etree.tostring(record))


def test_sickle_harvests_deletions_with_everything_else(live_server, archive):
    archive["A Choir at Blaenau"].delete()
    sickle = Sickle(f"{live_server.url}/oai")

    headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False))

    assert len(headers) == len(archive)
    assert sum(header.deleted for header in headers) == 1


def test_a_deleted_publication_leaves_a_tombstone_for_each_article(client, archive):
    Publication.objects.get(name="The Estuary Review").delete()

    assert Tombstone.objects.filter(publication_slug="the-estuary-review").count() == 3
    root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc",
                   set="publication:the-estuary-review")  # fmt: skip
    assert {h.get("status") for h in root.iterfind(".//o:header", NS)} == {"deleted"}


def test_an_article_stored_again_under_a_deleted_pk_takes_its_identifier_back(client, archive):
    article = archive["The Incline Accident"]
    pk = article.pk
    article.delete()
    article.pk = pk
    article.save(force_insert=True)

    assert not Tombstone.objects.filter(article_id=pk).exists()


def test_responses_are_served_gzipped_to_harvesters_that_ask(client, archive):
    response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
                          HTTP_ACCEPT_ENCODING="gzip")  # fmt: skip

    assert response["Content-Encoding"] == "gzip"
    assert etree.fromstring(gzip.decompress(response.content)).tag.endswith("OAI-PMH")


@pytest.mark.parametrize(
    "arguments, code",
    [
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "9999-12-31"}, None),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "0001-01-01"}, None),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "\x01"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "a b"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "\x01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a b"}, "badArgument"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "\x01"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "\x01"}, "badArgument"),
        ({"verb": "Identify", "\x02": "x"}, "badArgument"),
    ],
)
def test_no_argument_value_makes_the_endpoint_fail(client, archive, arguments, code):
    response = client.get("/oai", arguments)

    assert response.status_code == 200
    root = etree.fromstring(response.content)
    assert error_code(root) == code
    assert not valid(response.content)


@pytest.mark.parametrize(
    "arguments",
    [
        {"verb": "Identify"},
        {"verb": "ListMetadataFormats"},
        {"verb": "ListSets"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "publication:the-quarry-bell"},
        {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x.example:article:1"},
        {"verb": "Nonsense"},
    ],
)
def test_every_verb_validates_against_the_official_schemas(client, archive, arguments):
    response = client.get("/oai", arguments)

    assert valid(response.content) == []


def test_a_whole_harvest_validates_page_by_page(client, archive, settings):
    settings.BACKFILE_OAI_PAGE_SIZE = 2
    Article.objects.filter(title="The Ferry Dispute").delete()
    response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    pages = 0
    while True:
        pages += 1
        assert valid(response.content) == []
        token = etree.fromstring(response.content).findtext(".//o:resumptionToken", namespaces=NS)
        if not token:
            break
        response = client.get("/oai", {"verb": "ListRecords", "resumptionToken": token})

    assert pages == 5


def test_deleting_a_publication_reads_its_slug_once_not_once_an_article(client, archive):
    estuary = Publication.objects.get(name="The Estuary Review")
    with CaptureQueriesContext(connection) as counted:
        estuary.delete()

    slug_reads = [q for q in counted.captured_queries if 'FROM "archive_publication"' in q["sql"]
                  and "slug" in q["sql"].split("FROM")[0]]  # fmt: skip
    assert len(slug_reads) <= 1
    assert Tombstone.objects.filter(publication_slug="the-estuary-review").count() == 3
