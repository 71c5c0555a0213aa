"""`/opensearch.xml`: the OpenSearch 1.1 description every page links (`rel="search"`), so a
browser can add the archive's search and a client can find its result pages and feeds."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from lxml import etree

from backfile import site_url
from backfile.interop.oai.identity import repository_name
from backfile.interop.oai.responses import clean

OPENSEARCH_NS = "http://a9.com/-/spec/opensearch/1.1/"
CONTENT_TYPE = "application/opensearchdescription+xml"


def description(request: HttpRequest) -> HttpResponse:
    root = etree.Element(f"{{{OPENSEARCH_NS}}}OpenSearchDescription", nsmap={None: OPENSEARCH_NS})
    name = clean(repository_name())

    def add(tag: str, text: str = "", **attributes: str) -> None:
        element = etree.SubElement(root, f"{{{OPENSEARCH_NS}}}{tag}", attributes)
        element.text = text or None

    add("ShortName", name[:16])  # the specification's limit
    add("LongName", name[:48])
    add("Description", f"Search the articles of {name}"[:1024])
    add("InputEncoding", "UTF-8")
    add("OutputEncoding", "UTF-8")
    search = site_url.absolute_url(request, reverse("search:search"))
    feed = site_url.absolute_url(request, reverse("feeds:search"))
    add("Url", type="text/html", template=f"{search}?q={{searchTerms}}&page={{startPage?}}")
    add("Url", type="application/atom+xml", template=f"{feed}?q={{searchTerms}}")
    add("Url", type=CONTENT_TYPE, rel="self",
        template=site_url.absolute_url(request, reverse("opensearch")))  # fmt: skip
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return HttpResponse(body, content_type=f"{CONTENT_TYPE}; charset=utf-8")
