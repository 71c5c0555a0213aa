"""The printed pages on the reading site and over IIIF.

- the page view (`…/<issue>/page/<sequence>/`): the page image as a plain <img> with the
  boxes of a search's hits drawn over it (an SVG of rectangles in percentages of the image:
  no script, no style attribute, so the CSP holds), the page's text with the hits marked,
  previous and next page, the articles printed on it, the issue's PDF and manifest. With
  JavaScript, OpenSeadragon (static/facsimiles) shows the IIIF tiles with the same boxes.
- the issue's search within (`…/<issue>/page/search/?q=`): the hits page by page.
- IIIF: an image's info.json and tiles, an issue's manifest, a canvas's text, the Content
  Search 2.0 service.

Odd stored data (no image, an empty or broken layout, a missing file, boxes outside the
image) makes less to show, never an error.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.db.models import F, Prefetch, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from backfile.archive.models import Article, Issue
from backfile.caching.http import cached_page
from backfile.facsimiles import tiles
from backfile.facsimiles.iiif import IssueDocuments, image_info, page_label
from backfile.facsimiles.issue_pdf import issue_pdf
from backfile.facsimiles.models import ArticlePage, Page
from backfile.facsimiles.search_within import (
    PageQuery,
    page_texts,
    page_words,
    snippet,
    text_words,
)
from backfile.media.models import Asset
from backfile.media.rendering import shown
from backfile.media.storage import FOREVER, media_storage

PAGE_SIZES = "(max-width: 60rem) 100vw, 36rem"
LISTED_HITS = 3  # snippets shown for each page in the search within
WITHOUT_TEXT = ("text", "source_text", "layout")


# ---- the reading site -------------------------------------------------------------------------


def find_issue(publication: str, decade: int, year: int, issue: str) -> Issue:
    return get_object_or_404(
        Issue.objects.select_related("publication"),
        publication__slug=publication,
        decade=decade,
        year=year,
        slug=issue,
    )


def page_url(issue: Issue, sequence: int, q: str = "", anchor: str = "") -> str:
    url = reverse(
        "facsimiles:page",
        args=[issue.publication.slug, issue.decade_label, issue.year, issue.slug, sequence],
    )
    if q:
        url += "?" + urlencode({"q": q})
    return url + (f"#{anchor}" if anchor else "")


def search_url(issue: Issue) -> str:
    return reverse(
        "facsimiles:search-within",
        args=[issue.publication.slug, issue.decade_label, issue.year, issue.slug],
    )


@cached_page
def page(
    request: HttpRequest, publication: str, decade: int, year: int, issue: str, sequence: int
) -> HttpResponse:
    found = find_issue(publication, decade, year, issue)
    shown_page = get_object_or_404(Page, issue=found, sequence=sequence)
    sequences = list(found.pages.order_by("sequence").values_list("sequence", "label"))
    index = [s for s, _label in sequences].index(sequence)
    previous = sequences[index - 1] if index > 0 else None
    following = sequences[index + 1] if index + 1 < len(sequences) else None
    stored = {a.sha256: a for a in Asset.objects.filter(sha256__in=[shown_page.image, found.pdf])}
    asset = stored.get(shown_page.image)
    picture = shown({"alt": f"Page {page_label(shown_page)} of {found.label}"}, asset)
    width = shown_page.width or (asset.width if asset else None)
    height = shown_page.height or (asset.height if asset else None)
    query = PageQuery(request.GET.get("q", ""))
    words = page_words(shown_page.layout, width, height)
    hits = query.hits([w.text for w in words]) if query and width and height else []
    boxes = [words[i].box for hit in hits for i in hit if words[i].box]
    overlays = [
        {
            "x": _percent(x, width),
            "y": _percent(y, height),
            "w": _percent(w, width),
            "h": _percent(h, height),
        }
        for x, y, w, h in boxes
    ]
    text, text_hits = marked_text(shown_page.text, query, first="text-hit-1" if boxes else "hit-1")
    pdf = stored.get(found.pdf) if found.pdf else None
    articles = list(
        Article.objects.filter(page_links__page=shown_page)
        .select_related("issue__publication", "publication")
        .only("title", "slug", "issue", "publication")
        .order_by("position", "id")
    )
    tiled = bool(shown_page.image) and picture.ready and tiles.has_tiles(shown_page.image)
    viewer = None
    if tiled:
        viewer = {
            "info": reverse("facsimiles:image-info", args=[shown_page.image]),
            "hits": json.dumps(boxes),
        }
    return render(
        request,
        "facsimiles/page.html",
        {
            "issue": found,
            "page": shown_page,
            "label": page_label(shown_page),
            "picture": picture,
            "sizes": PAGE_SIZES,
            "original": media_storage().url(asset.original) if asset and asset.original else "",
            "overlays": overlays,
            "hit_count": len(hits) or text_hits,
            "text": text,
            "q": query.text,
            "here": f"Page {page_label(shown_page)}",
            "previous": page_url(found, previous[0], query.text) if previous else "",
            "previous_label": previous[1] or f"[{previous[0]}]" if previous else "",
            "next": page_url(found, following[0], query.text) if following else "",
            "next_label": following[1] or f"[{following[0]}]" if following else "",
            "pdf": pdf_url(found) if (pdf and pdf.original) or picture.ready else "",
            "pdf_made": not (pdf and pdf.original),
            "manifest": reverse("facsimiles:manifest", args=[found.pk]),
            "search_within": search_url(found),
            "articles": articles,
            "viewer": viewer,
            "page_count": len(sequences),
        },
    )


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.3f}%"


def marked_text(text: str, query: PageQuery, first: str = "text-hit-1") -> tuple[SafeString, int]:
    """The page's text as paragraphs, the hits in <mark>, the first with the id `first`."""
    text, words = text_words(text)
    hits = query.hits([w.text for w in words]) if query else []
    out: list[str] = []
    position = 0
    for number, hit in enumerate(hits, start=1):
        start, end = words[hit[0]].start, words[hit[-1]].end
        if start < position:
            continue
        out.append(escape(text[position:start]))
        named = f' id="{first}"' if number == 1 else ""
        out.append(f"<mark{named}>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    paragraphs = [p.strip("\n") for p in "".join(out).split("\n\n")]
    html = "".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs if p.strip())
    return mark_safe(html), len(hits)  # noqa: S308  (escaped above)


@cached_page
def search_within(
    request: HttpRequest, publication: str, decade: int, year: int, issue: str
) -> HttpResponse:
    found = find_issue(publication, decade, year, issue)
    query = PageQuery(request.GET.get("q", ""))
    results = []
    total = 0
    if query:
        candidates = query.pages_to_read(found.pages.values_list("pk", "text"))
        pages = found.pages.filter(pk__in=candidates).order_by("sequence")
        for each in pages.only("sequence", "label", "text", "layout", "width", "height"):
            written = page_texts(each.layout) or [w.text for w in text_words(each.text)[1]]
            hits = query.hits(written)
            if not hits:
                continue
            total += len(hits)
            results.append(
                {
                    "label": page_label(each),
                    "url": page_url(found, each.sequence, query.text, "hit-1"),
                    "count": len(hits),
                    "snippets": [snippet(written, hit) for hit in hits[:LISTED_HITS]],
                }
            )
    return render(
        request,
        "facsimiles/search_within.html",
        {
            "issue": found,
            "q": query.text,
            "results": results,
            "total": total,
            "search_within": search_url(found),
        },
    )


@require_safe
def issue_pdf_view(
    request: HttpRequest, publication: str, decade: int, year: int, issue: str
) -> HttpResponse:
    """The issue's PDF: the source's own, else one made of its page images (see issue_pdf)."""
    found = find_issue(publication, decade, year, issue)
    source = (
        Asset.objects.filter(sha256=found.pdf).exclude(original="").first() if found.pdf else None
    )
    name = source.original if source else issue_pdf(_pages(found))
    if not name:
        raise Http404("This issue has no page images to make a PDF of.")
    try:
        handle = media_storage().open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("The issue's PDF is not in the archive.") from None
    filename = f"{found.publication.slug}-{found.slug}.pdf"
    response = FileResponse(handle, content_type="application/pdf", filename=filename)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def pdf_url(issue: Issue) -> str:
    return reverse(
        "facsimiles:issue-pdf",
        args=[issue.publication.slug, issue.decade_label, issue.year, issue.slug],
    )


def issue_pages(issue: Issue) -> list[dict]:
    """An issue's pages for its contents page: label, address and thumbnail (two queries)."""
    pages = list(issue.pages.defer(*WITHOUT_TEXT).order_by("sequence"))
    if not pages:
        return []
    assets = {a.sha256: a for a in Asset.objects.filter(sha256__in={p.image for p in pages})}
    listed = []
    for each in pages:
        asset = assets.get(each.image)
        thumbnail = asset.thumbnail if asset else None
        listed.append(
            {
                "label": page_label(each),
                "url": page_url(issue, each.sequence),
                "thumbnail": media_storage().url(thumbnail["name"]) if thumbnail else "",
                "width": thumbnail["width"] if thumbnail else None,
                "height": thumbnail["height"] if thumbnail else None,
            }
        )
    return listed


# ---- IIIF --------------------------------------------------------------------------------------


def _json(data: dict, cache: str = "no-cache") -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # IIIF viewers elsewhere read these
    response["Cache-Control"] = cache
    return response


@require_safe
def image_base(request: HttpRequest, sha256: str) -> HttpResponse:
    return redirect("facsimiles:image-info", sha256=sha256, permanent=False)


@require_safe
def image_info_view(request: HttpRequest, sha256: str) -> JsonResponse:
    info = tiles.stored_info(sha256)
    if info is None:
        raise Http404("This page image has no tiles.")
    service = IssueDocuments(request, None).image_service(sha256)
    return _json(image_info(info, service), cache="public, max-age=3600")


@require_safe
def image_tile(request: HttpRequest, sha256: str, tile: str) -> FileResponse:
    try:
        handle = media_storage().open(tiles.tile_name(sha256, tile), "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such tile.") from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = FOREVER
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _issue(issue: int) -> Issue:
    return get_object_or_404(Issue.objects.select_related("publication"), pk=issue)


def _pages(issue: Issue, with_text: bool = False) -> QuerySet[Page]:
    pages = issue.pages.order_by("sequence")
    return pages if with_text else pages.defer(*WITHOUT_TEXT)


@cached_page
def manifest(request: HttpRequest, issue: int) -> JsonResponse:
    found = _issue(issue)
    pages = list(_pages(found))
    tiled = {p.image for p in pages if p.image and tiles.has_tiles(p.image)}
    articles = (
        found.articles.select_related("issue__publication", "publication")
        .prefetch_related(
            Prefetch(
                "page_links",
                queryset=ArticlePage.objects.select_related("page").only(
                    "article_id", "regions", "page__sequence"
                ),
            )
        )
        .only("title", "slug", "issue", "publication", "position")
        .order_by(F("position").asc(nulls_last=True), "id")
    )
    return _json(IssueDocuments(request, found).manifest(pages, tiled, list(articles)))


@cached_page
def canvas(request: HttpRequest, issue: int, sequence: int) -> JsonResponse:
    found = _issue(issue)
    shown_page = get_object_or_404(_pages(found), sequence=sequence)
    documents = IssueDocuments(request, found)
    canvases = documents.manifest([shown_page], {shown_page.image} - {""})["items"]
    if not canvases:
        raise Http404("This page has no size, so no canvas.")
    return _json({"@context": "http://iiif.io/api/presentation/3/context.json", **canvases[0]})


@cached_page
def canvas_text(request: HttpRequest, issue: int, sequence: int) -> JsonResponse:
    found = _issue(issue)
    shown_page = get_object_or_404(_pages(found, with_text=True), sequence=sequence)
    return _json(IssueDocuments(request, found).canvas_text(shown_page))


@cached_page(page_cache=False)
def content_search(request: HttpRequest, issue: int) -> JsonResponse:
    found = _issue(issue)
    query = PageQuery(request.GET.get("q", ""))
    candidates = query.pages_to_read(found.pages.values_list("pk", "text")) if query else []
    pages = list(
        _pages(found, with_text=True)
        .filter(pk__in=candidates)
        .only("sequence", "layout", "width", "height")
    )
    params = {key: request.GET.get(key, "") for key in request.GET}
    return _json(IssueDocuments(request, found).search(pages, params))
