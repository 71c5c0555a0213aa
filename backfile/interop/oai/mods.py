"""MODS 3.7 records: an article as a library catalogue describes a part of a serial.

The article is the record; its issue is a `relatedItem type="host"` (the publication's
title, ISSN and publisher, with a `part` giving volume, issue, pages and the date at the
issue's own precision); a review's works are `relatedItem type="reviewOf"`.
"""

from __future__ import annotations

import re

from lxml import etree

from backfile.archive.models import Article
from backfile.interop.oai.responses import SCHEMA_LOCATION, cover_date, sub

MODS_NS = "http://www.loc.gov/mods/v3"
MODS_SCHEMA = "http://www.loc.gov/standards/mods/v3/mods-3-7.xsd"
XLINK_NS = "http://www.w3.org/1999/xlink"
PAGE_RANGE = re.compile(r"(\w+)\s*[-–]\s*(\w+)")


def m(tag: str) -> str:
    return f"{{{MODS_NS}}}{tag}"


def mods(parent: etree._Element, article: Article, url: str, identifier: str) -> None:
    """The article as a MODS 3.7 record under `parent` (an OAI-PMH `metadata` element)."""
    root = etree.SubElement(parent, m("mods"), nsmap={None: MODS_NS, "xlink": XLINK_NS})
    root.set("version", "3.7")
    root.set(SCHEMA_LOCATION, f"{MODS_NS} {MODS_SCHEMA}")
    title = sub(root, m("titleInfo"))
    sub(title, m("title"), article.title)
    if article.kicker:
        sub(title, m("subTitle"), article.kicker)
    for byline in article.author_bylines():
        personal_name(root, byline.author.name, "author", "aut")
    for byline in article.contributor_bylines():
        personal_name(root, byline.author.name, byline.role or "contributor", "ctb")
    sub(root, m("typeOfResource"), "text")
    reviews = list(article.reviews.all())
    sub(root, m("genre"), "review" if reviews else "article", authority="marcgt")
    if article.language:
        language = sub(root, m("language"))
        sub(language, m("languageTerm"), article.language, type="code", authority="rfc5646")
    description = sub(root, m("physicalDescription"))
    sub(description, m("internetMediaType"), "text/html")
    sub(description, m("digitalOrigin"), "reformatted digital")
    for text in dict.fromkeys(t for t in (article.standfirst, article.summary) if t):
        sub(root, m("abstract"), text)
    for topic in [*article.subjects, article.section]:
        if topic:
            sub(sub(root, m("subject")), m("topic"), topic)
    host(root, article)
    for review in reviews:
        reviewed_work(root, review.work)
    sub(root, m("identifier"), url, type="uri")
    location = sub(root, m("location"))
    sub(location, m("url"), url, usage="primary display")
    if article.publication.rights:
        sub(root, m("accessCondition"), article.publication.rights, type="use and reproduction",
            **{f"{{{XLINK_NS}}}href": article.publication.rights})  # fmt: skip
    record = sub(root, m("recordInfo"))
    sub(record, m("recordIdentifier"), identifier)


def personal_name(parent: etree._Element, name: str, role: str, code: str) -> None:
    element = sub(parent, m("name"), type="personal")
    sub(element, m("namePart"), name)
    role_element = sub(element, m("role"))
    sub(role_element, m("roleTerm"), role, type="text")
    sub(role_element, m("roleTerm"), code, type="code", authority="marcrelator")


def origin_info(parent: etree._Element, place: str, publisher: str) -> etree._Element:
    """An `originInfo` with the place and publisher given (either may be empty)."""
    origin = sub(parent, m("originInfo"))
    if place:
        sub(sub(origin, m("place")), m("placeTerm"), place, type="text")
    if publisher:
        sub(origin, m("publisher"), publisher)
    return origin


def host(parent: etree._Element, article: Article) -> None:
    """The issue the article ran in, as the serial's part."""
    publication, issue = article.publication, article.issue
    element = sub(parent, m("relatedItem"), type="host")
    title = sub(element, m("titleInfo"))
    sub(title, m("title"), publication.name)
    if publication.full_title and publication.full_title != publication.name:
        sub(sub(element, m("titleInfo"), type="alternative"), m("title"), publication.full_title)
    origin = origin_info(element, publication.place, publication.publisher)
    if publication.frequency:
        sub(origin, m("frequency"), publication.get_frequency_display())
    sub(origin, m("issuance"), "serial")
    sub(element, m("genre"), "newspaper" if publication.is_newspaper else "periodical",
        authority="marcgt")  # fmt: skip
    for value, kind in ((publication.issn, "issn"), (publication.eissn, "eissn")):
        if value:
            sub(element, m("identifier"), value, type=kind)
    part = sub(element, m("part"))
    for kind, value in (("volume", issue.volume), ("issue", issue.number)):
        if value is not None:
            sub(sub(part, m("detail"), type=kind), m("number"), str(value))
    if article.pages:
        extent = sub(part, m("extent"), unit="pages")
        span = PAGE_RANGE.fullmatch(article.pages.strip())
        if article.pages.strip().isalnum():
            sub(extent, m("start"), article.pages.strip())
        elif span:
            sub(extent, m("start"), span[1])
            sub(extent, m("end"), span[2])
        else:
            sub(extent, m("list"), article.pages)
    sub(part, m("date"), cover_date(article), encoding="w3cdtf")


def reviewed_work(parent: etree._Element, work) -> None:
    element = sub(parent, m("relatedItem"), type="reviewOf")
    sub(sub(element, m("titleInfo")), m("title"), work.title)
    if work.author:
        personal_name(element, work.author, "author", "aut")
    if work.publisher or work.place or work.year:
        origin = origin_info(element, work.place, work.publisher)
        if work.year:
            sub(origin, m("dateIssued"), str(work.year), encoding="w3cdtf")
