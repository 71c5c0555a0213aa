"""OAI-PMH response documents and oai_dc records, built with lxml.etree."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from lxml import etree

from backfile.archive.models import Article, ReviewedWork

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"

# Characters XML 1.0 cannot carry at all; a scanned page's stray control code must not
# make the whole harvest page unreadable.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    return NOT_XML.sub("", text)


def sub(parent: etree._Element, tag: str, text: str = "", **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, attributes)
    if text:
        element.text = clean(text)
    return element


def oai(tag: str) -> str:
    return f"{{{OAI_NS}}}{tag}"


def envelope(base_url: str, arguments: dict[str, str] | None) -> etree._Element:
    """The OAI-PMH root with responseDate and request (echoing `arguments` if any)."""
    root = etree.Element(oai("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(SCHEMA_LOCATION, f"{OAI_NS} {OAI_SCHEMA}")
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    sub(root, oai("responseDate"), now)
    sub(root, oai("request"), base_url, **(arguments or {}))
    return root


def error(root: etree._Element, code: str, message: str) -> None:
    sub(root, oai("error"), message, code=code)


def to_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def header(
    parent: etree._Element, identifier: str, datestamp: str, sets: Iterable[str], deleted=False
) -> None:
    element = sub(parent, oai("header"), **({"status": "deleted"} if deleted else {}))
    sub(element, oai("identifier"), identifier)
    sub(element, oai("datestamp"), datestamp)
    for spec in sets:
        sub(element, oai("setSpec"), spec)


def resumption_token(
    parent: etree._Element, token: str, complete_list_size: int, cursor: int
) -> None:
    """A page's resumptionToken; an empty `token` marks the last page of a list."""
    sub(
        parent,
        oai("resumptionToken"),
        token,
        completeListSize=str(complete_list_size),
        cursor=str(cursor),
    )


def dublin_core(parent: etree._Element, article: Article, url: str, publication_url: str) -> None:
    """The article as an oai_dc record: what a library catalogue shows of it."""
    dc = etree.SubElement(parent, f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS})
    dc.set(SCHEMA_LOCATION, f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    for name, value in dublin_core_fields(article, url, publication_url):
        sub(dc, f"{{{DC_NS}}}{name}", value)


def dublin_core_fields(
    article: Article, url: str, publication_url: str = ""
) -> list[tuple[str, str]]:
    """(element, value) pairs, empty values left out (oai_dc allows any order and repeats).
    `dc:relation` names the publication (its page) and each reviewed work."""
    publication = article.publication
    fields = [("title", article.title)]
    fields += [("creator", byline.author.name) for byline in article.author_bylines()]
    fields += [("contributor", byline.author.name) for byline in article.contributor_bylines()]
    fields += [("subject", subject) for subject in article.subjects if subject]
    if article.section:
        fields.append(("subject", article.section))
    for text in dict.fromkeys(t for t in (article.standfirst, article.summary) if t):
        fields.append(("description", text))
    fields.append(("publisher", publication.publisher))
    fields.append(("date", cover_date(article)))
    fields.append(("type", "Text"))
    fields.append(("format", "text/html"))
    fields.append(("identifier", url))
    fields.append(("source", source(article)))
    fields.append(("language", article.language))
    fields.append(("relation", publication_url))
    fields += [("relation", work_citation(review.work)) for review in article.reviews.all()]
    fields.append(("rights", publication.rights))
    return [(name, value) for name, value in fields if value]


def cover_date(article: Article) -> str:
    """ISO date of the article as far as it is known: `2003-07-04`, `2006-11` for a monthly
    (or a season's or a range's first month), `1961` for an issue dated by year alone."""
    if article.published:
        return article.published.isoformat()
    year, month, day = article.issue.real_parts()
    return "-".join([f"{year:04d}", *(f"{part:02d}" for part in (month, day) if part)])


def source(article: Article) -> str:
    """`The Tideway, No. 455, 4 July 2003, p. 8`: where the article was printed."""
    parts = [article.publication.name, article.issue.label]
    if article.pages:
        parts.append(f"p. {article.pages}" if article.pages.isdigit() else f"pp. {article.pages}")
    return ", ".join(parts)


def work_citation(work: ReviewedWork) -> str:
    """`A Primer of Tides, by R. Fenn (Hull: Saltmarsh Press, 1950)`: a work a review discusses."""
    press = ": ".join(p for p in (work.place, work.publisher) if p)
    imprint = ", ".join(str(p) for p in (press, work.year) if p)
    return f"{work}{f' ({imprint})' if imprint else ''}"
