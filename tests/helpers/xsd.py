"""Validate XML against the official schemas vendored in tests/fixtures/xsd (no network)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import xmlschema

XSD = Path(__file__).resolve().parent.parent / "fixtures" / "xsd"
# Every namespace the schemas import, found here rather than at its schemaLocation URL.
LOCATIONS = {
    "http://www.w3.org/XML/1998/namespace": str(XSD / "xml.xsd"),
    "http://www.w3.org/1999/xlink": str(XSD / "xlink.xsd"),
    "http://purl.org/dc/elements/1.1/": str(XSD / "simpledc20021212.xsd"),
    "http://www.openarchives.org/OAI/2.0/oai_dc/": str(XSD / "oai_dc.xsd"),
    "http://www.openarchives.org/OAI/2.0/oai-identifier": str(XSD / "oai-identifier.xsd"),
    "http://www.loc.gov/mods/v3": str(XSD / "mods-3-7.xsd"),
}


@cache
def schema(name: str) -> xmlschema.XMLSchema:
    """One of the vendored schemas (`OAI-PMH.xsd`, `mods-3-7.xsd`), its imports resolved locally."""
    return xmlschema.XMLSchema(str(XSD / name), locations=LOCATIONS, allow="local")


def errors(xml: bytes, name: str) -> list[str]:
    """What is wrong with `xml` against the schema `name` (the document's own schemaLocation
    hints are not followed: they name the schemas' web addresses)."""
    from lxml import etree

    found = schema(name).iter_errors(etree.fromstring(xml), use_location_hints=False)
    return [str(error.reason or error) for error in found]
