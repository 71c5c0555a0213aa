"""MODS 3.7 records and the publication's catalogue record in oai_dc, as an aggregator reads
them: valid against the official schema, with the host issue's volume, number, pages and
date at its own precision."""

from __future__ import annotations

from lxml import etree

from backfile.archive.models import Publication
from tests.helpers import xsd
from tests.interop import test_oai
from tests.interop.test_oai import BELL, NS, dc_values, harvest, oai_id

archive = test_oai.archive  # the invented archive's fixture
MODS = {"m": "http://www.loc.gov/mods/v3", **NS}
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def catalogue_the_bell() -> None:
    Publication.objects.filter(name=BELL).update(
        publisher="North Wales Quarrymen's Union", place="Bethesda", issn="0378-5955",
        frequency="weekly", rights=CC_BY, languages="en, cy",
    )  # fmt: skip


def mods_record(client, article) -> etree._Element:
    root = harvest(client, verb="GetRecord", metadataPrefix="mods", identifier=oai_id(article))
    return root.find(".//m:mods", MODS)


def test_every_mods_record_of_a_harvest_is_valid_mods_3_7(client, archive):
    catalogue_the_bell()
    response = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "mods"})

    root = etree.fromstring(response.content)
    records = root.findall(".//m:mods", MODS)
    assert len(records) == len(archive)
    assert xsd.errors(response.content, "OAI-PMH.xsd") == []
    for record in records:
        assert xsd.errors(etree.tostring(record), "mods-3-7.xsd") == []


def test_a_mods_record_has_its_issue_as_host_with_volume_number_pages_and_date(client, archive):
    catalogue_the_bell()
    record = mods_record(client, archive["The Slate Owners Answer"])

    host = record.find("m:relatedItem[@type='host']", MODS)
    assert host.findtext("m:titleInfo/m:title", namespaces=MODS) == BELL
    assert host.findtext("m:identifier[@type='issn']", namespaces=MODS) == "0378-5955"
    assert host.findtext("m:originInfo/m:publisher", namespaces=MODS).startswith("North Wales")
    assert host.findtext("m:genre", namespaces=MODS) == "newspaper"  # a weekly
    part = host.find("m:part", MODS)
    assert part.findtext("m:detail[@type='issue']/m:number", namespaces=MODS) == "12"
    assert part.findtext("m:extent/m:start", namespaces=MODS) == "4"
    assert part.findtext("m:extent/m:end", namespaces=MODS) == "5"
    assert part.findtext("m:date", namespaces=MODS) == "1921-05-03"
    names = record.xpath("m:name/m:namePart/text()", namespaces=MODS)
    assert names == ["Gwen Pritchard", "Owain Rees"]
    assert record.find("m:accessCondition", MODS).text == CC_BY


def test_a_monthly_issue_keeps_month_precision_and_a_review_names_its_work(client, archive):
    monthly = mods_record(client, archive["Mudflats at Dusk"])
    review = mods_record(client, archive["A Geology for Workers"])

    assert monthly.findtext(".//m:part/m:date", namespaces=MODS) == "1960-06"
    assert review.findtext("m:genre", namespaces=MODS) == "review"
    work = review.find("m:relatedItem[@type='reviewOf']", MODS)
    assert work.findtext("m:titleInfo/m:title", namespaces=MODS) == "Rocks and Their Uses"
    assert work.findtext("m:name/m:namePart", namespaces=MODS) == "T. Lloyd"


def test_oai_dc_carries_the_publications_publisher_rights_and_format(client, archive):
    catalogue_the_bell()
    root = harvest(client, verb="GetRecord", metadataPrefix="oai_dc",
                   identifier=oai_id(archive["Notes from the Gallery"]))  # fmt: skip

    assert dc_values(root, "publisher") == ["North Wales Quarrymen's Union"]
    assert dc_values(root, "rights") == [CC_BY]
    assert dc_values(root, "format") == ["text/html"]
    assert dc_values(root, "relation") == ["http://testserver/the-quarry-bell/"]


def test_a_publication_without_a_catalogue_record_gives_no_empty_elements(client, archive):
    root = harvest(client, verb="GetRecord", metadataPrefix="oai_dc",
                   identifier=oai_id(archive["Notes from the Gallery"]))  # fmt: skip

    assert dc_values(root, "publisher") == [] and dc_values(root, "rights") == []
