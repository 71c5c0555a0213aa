"""The OAI-PMH 2.0 endpoint at /oai: the six verbs over the archive's articles, as oai_dc.

Each request is checked whole (verb, arguments, dates, token) before any row is
read; list verbs page by primary key, so a page costs the same few queries
wherever in the archive it falls and a resumptionToken survives new ingests.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from backfile import site_url
from backfile.archive.models import Article
from backfile.caching.http import cached_page
from backfile.interop.models import Tombstone
from backfile.interop.oai import identity, queries
from backfile.interop.oai.mods import MODS_NS, MODS_SCHEMA, mods
from backfile.interop.oai.protocol import (
    MAX_PK,
    OAIError,
    Query,
    datestamp,
    list_query,
    verb_and_arguments,
)
from backfile.interop.oai.responses import (
    OAI_DC_NS,
    OAI_DC_SCHEMA,
    OAI_IDENTIFIER_NS,
    OAI_IDENTIFIER_SCHEMA,
    SCHEMA_LOCATION,
    dublin_core,
    envelope,
    error,
    header,
    oai,
    resumption_token,
    sub,
    to_bytes,
)

EMPTY_ARCHIVE_DATESTAMP = "1970-01-01T00:00:00Z"
# Each metadata format offered: its schema and namespace.
FORMATS = {
    "oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS),
    "mods": (MODS_SCHEMA, MODS_NS),
}


class Repository:
    """This deployment as a harvester sees it: its base URL and identifier namespace,
    all on the canonical origin (BACKFILE_BASE_URL), never the request's Host header."""

    def __init__(self, request: HttpRequest):
        self.request = request
        self.base_url = site_url.absolute_url(request, reverse("oai:endpoint"))
        self.namespace = identity.namespace()

    def identifier(self, article_pk: int) -> str:
        return f"oai:{self.namespace}:article:{article_pk}"

    def article_pk(self, identifier: str) -> int:
        """The pk an identifier of ours names; idDoesNotExist for anything else."""
        prefix = f"oai:{self.namespace}:article:"
        number = identifier.removeprefix(prefix)
        if (
            number == identifier
            or not number.isascii()
            or not number.isdigit()
            or int(number) > MAX_PK
        ):
            raise OAIError(
                "idDoesNotExist", f"{identifier!r} is not an identifier of this archive."
            )
        return int(number)

    def url(self, article: Article) -> str:
        return site_url.absolute_url(self.request, article.get_absolute_url())

    def publication_url(self, article: Article) -> str:
        return site_url.absolute_url(self.request, article.publication.get_absolute_url())

    def name(self) -> str:
        return identity.repository_name()

    def admin_email(self) -> str:
        return identity.admin_email()


def identify(repository: Repository, root: etree._Element, arguments: dict[str, str]) -> None:
    element = sub(root, oai("Identify"))
    earliest = queries.earliest_datestamp()
    sub(element, oai("repositoryName"), repository.name())
    sub(element, oai("baseURL"), repository.base_url)
    sub(element, oai("protocolVersion"), "2.0")
    sub(element, oai("adminEmail"), repository.admin_email())
    sub(
        element,
        oai("earliestDatestamp"),
        datestamp(earliest) if earliest else EMPTY_ARCHIVE_DATESTAMP,
    )
    sub(element, oai("deletedRecord"), "persistent")
    sub(element, oai("granularity"), "YYYY-MM-DDThh:mm:ssZ")
    sub(element, oai("compression"), "gzip")  # served to any harvester that accepts it
    oai_identifier_description(sub(element, oai("description")), repository)


def oai_identifier_description(parent: etree._Element, repository: Repository) -> None:
    """The oai-identifier description: how this repository's identifiers are made."""
    description = etree.SubElement(
        parent, f"{{{OAI_IDENTIFIER_NS}}}oai-identifier", nsmap={None: OAI_IDENTIFIER_NS}
    )
    description.set(SCHEMA_LOCATION, f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}")
    for name, value in (
        ("scheme", "oai"),
        ("repositoryIdentifier", repository.namespace),
        ("delimiter", ":"),
        ("sampleIdentifier", repository.identifier(1)),
    ):
        sub(description, f"{{{OAI_IDENTIFIER_NS}}}{name}", value)


def list_metadata_formats(
    repository: Repository, root: etree._Element, arguments: dict[str, str]
) -> None:
    if "identifier" in arguments:
        existing_article(repository, arguments["identifier"])
    element = sub(root, oai("ListMetadataFormats"))
    for prefix, (schema, namespace) in FORMATS.items():
        format_ = sub(element, oai("metadataFormat"))
        sub(format_, oai("metadataPrefix"), prefix)
        sub(format_, oai("schema"), schema)
        sub(format_, oai("metadataNamespace"), namespace)


def list_sets(repository: Repository, root: etree._Element, arguments: dict[str, str]) -> None:
    if "resumptionToken" in arguments:
        raise OAIError("badResumptionToken", "ListSets is answered whole; it issues no tokens.")
    sets = queries.all_sets()
    if not sets:
        raise OAIError("noSetHierarchy", "The archive holds no publications yet, so no sets.")
    element = sub(root, oai("ListSets"))
    for oai_set in sets:
        set_element = sub(element, oai("set"))
        sub(set_element, oai("setSpec"), oai_set.spec)
        sub(set_element, oai("setName"), oai_set.name)


def get_record(repository: Repository, root: etree._Element, arguments: dict[str, str]) -> None:
    check_prefix(arguments["metadataPrefix"])
    pk = existing_article(repository, arguments["identifier"])
    parent = sub(root, oai("GetRecord"))
    article = queries.full_records(Article.objects.filter(pk=pk)).first()
    if article is None:
        add_deleted_record(repository, parent, Tombstone.objects.get(pk=pk))
    else:
        add_record(repository, parent, article, arguments["metadataPrefix"])


def list_identifiers(
    repository: Repository, root: etree._Element, arguments: dict[str, str]
) -> None:
    query = list_query("ListIdentifiers", arguments)
    list_page(repository, root, query, queries.headers_only, add_header, add_deleted_header)


def list_records(repository: Repository, root: etree._Element, arguments: dict[str, str]) -> None:
    query = list_query("ListRecords", arguments)
    prefix = query.metadata_prefix

    def add(repository: Repository, parent: etree._Element, article: Article) -> None:
        add_record(repository, parent, article, prefix)

    list_page(repository, root, query, queries.full_records, add, add_deleted_record)


def list_page(
    repository: Repository,
    root: etree._Element,
    query: Query,
    shape: Callable,
    add: Callable[[Repository, etree._Element, Article], None],
    add_deleted: Callable[[Repository, etree._Element, Tombstone], None],
) -> None:
    """One page of a list verb: its items (articles and deleted records, by pk), then a
    resumptionToken if the list goes on."""
    check_prefix(query.metadata_prefix)
    size = int(settings.BACKFILE_OAI_PAGE_SIZE)
    selected, gone = queries.selection(query), queries.tombstones(query)
    page: list[Article | Tombstone] = list(shape(selected.filter(pk__gt=query.after))[: size + 1])
    page += gone.filter(article_id__gt=query.after)[: size + 1]
    page.sort(key=lambda item: item.pk)
    if not page:
        raise OAIError("noRecordsMatch", "No article matches these from, until and set values.")
    more = len(page) > size
    element = sub(root, oai(query.verb))
    for item in page[:size]:
        if isinstance(item, Tombstone):
            add_deleted(repository, element, item)
        else:
            add(repository, element, item)
    if not more and query.cursor == 0:
        return
    total = selected.count() + gone.count()
    token = query.next_page(page[size - 1].pk, size).token() if more else ""
    resumption_token(element, token, total, query.cursor)


def add_header(repository: Repository, parent: etree._Element, article: Article) -> None:
    header(
        parent,
        repository.identifier(article.pk),
        datestamp(article.modified),
        queries.article_sets(article),
    )


def add_deleted_header(repository: Repository, parent: etree._Element, gone: Tombstone) -> None:
    header(
        parent,
        repository.identifier(gone.article_id),
        datestamp(gone.deleted),
        queries.tombstone_sets(gone),
        deleted=True,
    )


def add_deleted_record(repository: Repository, parent: etree._Element, gone: Tombstone) -> None:
    """A deleted record is its header alone, marked deleted."""
    add_deleted_header(repository, sub(parent, oai("record")), gone)


def add_record(
    repository: Repository, parent: etree._Element, article: Article, prefix: str
) -> None:
    record = sub(parent, oai("record"))
    add_header(repository, record, article)
    metadata, url = sub(record, oai("metadata")), repository.url(article)
    if prefix == "mods":
        mods(metadata, article, url, repository.identifier(article.pk))
    else:
        dublin_core(metadata, article, url, repository.publication_url(article))


def check_prefix(prefix: str) -> None:
    if prefix not in FORMATS:
        offered = " and ".join(FORMATS)
        raise OAIError("cannotDisseminateFormat", f"Records are offered as {offered} only.")


def existing_article(repository: Repository, identifier: str) -> int:
    """The pk of an article of ours, or of one deleted (its record says so)."""
    pk = repository.article_pk(identifier)
    if not (
        Article.objects.filter(pk=pk).exists() or Tombstone.objects.filter(article_id=pk).exists()
    ):
        raise OAIError("idDoesNotExist", f"No article has the identifier {identifier!r}.")
    return pk


VERB_HANDLERS: dict[str, Callable[[Repository, etree._Element, dict[str, str]], None]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "GetRecord": get_record,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
}


@csrf_exempt  # harvesters POST without a session, and the endpoint changes nothing
@require_http_methods(["GET", "HEAD", "POST"])
@cached_page(query_strings=True)  # GETs: validators, and each page of a list kept
def endpoint(request: HttpRequest) -> HttpResponse:
    repository = Repository(request)
    params = request.POST if request.method == "POST" else request.GET
    try:
        verb, arguments = verb_and_arguments(params)
        root = envelope(repository.base_url, {"verb": verb, **arguments})
        VERB_HANDLERS[verb](repository, root, arguments)
    except OAIError as failure:
        echoed = params.dict() if failure.echoes_arguments else None
        root = envelope(repository.base_url, echoed)
        error(root, failure.code, failure.message)
    return HttpResponse(to_bytes(root), content_type="text/xml; charset=utf-8")
