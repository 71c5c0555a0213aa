"""IIIF documents for an issue's pages, as plain JSON: the Presentation 3 manifest, each
canvas's text as supplementing annotations, and the Content Search 2.0 answer.

Every id is an absolute URL on the archive's canonical origin (`site_url.absolute_url`), so
a manifest names the same resources whoever asks. The manifest is checked in the tests
against the IIIF's own Presentation 3 JSON schema (tests/fixtures/iiif).

(iiif-prezi3 would build the same dicts through pydantic models, but every release pins
Pillow at 12.0 or older, which the project's Pillow pin excludes; the documents are small.)
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from backfile.archive.models import Issue
from backfile.archive.paging import whole_number
from backfile.facsimiles.models import Page
from backfile.facsimiles.search_within import PageQuery, page_texts, page_words, snippet, union
from backfile.media.models import Asset
from backfile.media.storage import media_storage
from backfile.site_url import absolute_url

PRESENTATION = "http://iiif.io/api/presentation/3/context.json"
SEARCH = "http://iiif.io/api/search/2/context.json"
IMAGE = "http://iiif.io/api/image/3/context.json"
TEXT_MOTIVATION = "supplementing"
SEARCH_PARAMETERS = {"q", "motivation"}
HITS_PER_PAGE = 500  # hits in one answer of the Content Search; more come in pages


def en(text: str) -> dict:
    return {"en": [text]}


def none(text: str) -> dict:
    return {"none": [text]}


def page_label(page: Page) -> str:
    return page.label or f"[{page.sequence}]"


class IssueDocuments:
    """The IIIF addresses and documents of one issue."""

    def __init__(self, request: HttpRequest | None, issue: Issue):
        self.request = request
        self.issue = issue

    def url(self, name: str, *args) -> str:
        return absolute_url(self.request, reverse(f"facsimiles:{name}", args=args))

    @property
    def manifest_id(self) -> str:
        return self.url("manifest", self.issue.pk)

    @property
    def search_id(self) -> str:
        return self.url("content-search", self.issue.pk)

    def canvas_id(self, page: Page) -> str:
        return self.url("canvas", self.issue.pk, page.sequence)

    def image_service(self, sha256: str) -> str:
        return self.url("image-base", sha256)

    # ---- the manifest ------------------------------------------------------------------------

    def manifest(self, pages: list[Page], tiled: set[str], articles: list | None = None) -> dict:
        """The issue's manifest; `articles` (each with its `page_links` fetched) become its
        `structures`, a range per article over the canvases (or their regions) it runs on."""
        issue = self.issue
        publication = issue.publication
        assets = _assets(
            {p.image for p in pages if p.image} | ({issue.pdf} if issue.pdf else set())
        )
        metadata = [
            {"label": en("Publication"), "value": none(publication.name)},
            {"label": en("Date"), "value": none(issue.date_label)},
        ]
        if issue.number is not None:
            metadata.append({"label": en("Number"), "value": none(str(issue.number))})
        if issue.volume:
            metadata.append({"label": en("Volume"), "value": none(str(issue.volume))})
        manifest = {
            "@context": PRESENTATION,
            "id": self.manifest_id,
            "type": "Manifest",
            "label": none(f"{publication.name}, {issue.label}"),
            "metadata": metadata,
            "homepage": [
                {
                    "id": absolute_url(self.request, issue.get_absolute_url()),
                    "type": "Text",
                    "label": en(f"{publication.name}, {issue.label}"),
                    "format": "text/html",
                }
            ],
            "service": [
                {
                    "id": self.search_id,
                    "type": "SearchService2",
                    "profile": "http://iiif.io/api/search/2/search",
                }
            ],
            "items": [
                self.canvas(page, assets.get(page.image), page.image in tiled)
                for page in pages
                if _size(page, assets.get(page.image))
            ],
        }
        shown = {item["id"] for item in manifest["items"]}
        structures = [r for r in (self.article_range(a, shown) for a in articles or []) if r]
        if structures:
            manifest["structures"] = structures
        year, month, day = issue.real_parts()
        manifest["navDate"] = f"{year:04d}-{month or 1:02d}-{day or 1:02d}T00:00:00Z"
        pdf = assets.get(issue.pdf) if issue.pdf else None
        source_pdf = pdf is not None and bool(pdf.original)
        if source_pdf or any(a.sizes("jpg") for a in assets.values()):
            address = reverse(
                "facsimiles:issue-pdf",
                args=[publication.slug, issue.decade_label, issue.year, issue.slug],
            )
            manifest["rendering"] = [
                {
                    "id": absolute_url(self.request, address),
                    "type": "Text",
                    "label": en(
                        "The issue as a PDF"
                        if source_pdf
                        else "The issue as a PDF, made from its page images"
                    ),
                    "format": "application/pdf",
                }
            ]
        return manifest

    def canvas(self, page: Page, asset: Asset | None, tiled: bool) -> dict:
        width, height = _size(page, asset)
        canvas_id = self.canvas_id(page)
        canvas = {
            "id": canvas_id,
            "type": "Canvas",
            "label": none(page_label(page)),
            "width": width,
            "height": height,
            "items": [{"id": f"{canvas_id}/paint", "type": "AnnotationPage", "items": []}],
            "annotations": [
                {
                    "id": self.url("canvas-text", self.issue.pk, page.sequence),
                    "type": "AnnotationPage",
                }
            ],
        }
        thumbnail = asset.thumbnail if asset is not None else None
        if thumbnail:
            canvas["thumbnail"] = [
                {
                    "id": absolute_url(self.request, media_storage().url(thumbnail["name"])),
                    "type": "Image",
                    "format": "image/jpeg" if thumbnail["format"] == "jpg" else "image/webp",
                    "width": thumbnail["width"],
                    "height": thumbnail["height"],
                }
            ]
        body = self.image_body(asset, tiled) if asset is not None else None
        if body is not None:
            canvas["items"][0]["items"].append(
                {
                    "id": f"{canvas_id}/paint/image",
                    "type": "Annotation",
                    "motivation": "painting",
                    "body": body,
                    "target": canvas_id,
                }
            )
        return canvas

    def article_range(self, article, canvases: set[str]) -> dict | None:
        """An article as a range: the canvases it runs on, or their regions where zoned."""
        items = []
        for link in article.page_links.all():
            canvas_id = self.canvas_id(link.page)
            if canvas_id not in canvases:
                continue
            regions = (
                [r for r in link.regions if _is_box(r)] if isinstance(link.regions, list) else []
            )
            if not regions:
                items.append({"id": canvas_id, "type": "Canvas"})
            for x, y, w, h in regions:
                items.append(
                    {
                        "type": "SpecificResource",
                        "source": {"id": canvas_id, "type": "Canvas"},
                        "selector": {
                            "type": "FragmentSelector",
                            "conformsTo": "http://www.w3.org/TR/media-frags/",
                            "value": f"xywh={x},{y},{w},{h}",
                        },
                    }
                )
        if not items:
            return None
        return {
            "id": f"{self.manifest_id}/range/{article.pk}",
            "type": "Range",
            "label": none(article.title),
            "items": items,
            "homepage": [
                {
                    "id": absolute_url(self.request, article.get_absolute_url()),
                    "type": "Text",
                    "label": none(article.title),
                    "format": "text/html",
                }
            ],
        }

    def image_body(self, asset: Asset, tiled: bool) -> dict | None:
        """The page image as a painting body: its widest JPEG display size (or the original),
        with the IIIF image service where its tiles are made."""
        jpegs = sorted(asset.sizes("jpg"), key=lambda d: d["width"])
        storage = media_storage()
        if jpegs:
            shown = jpegs[-1]
            body = {
                "id": absolute_url(self.request, storage.url(shown["name"])),
                "type": "Image",
                "format": "image/jpeg",
                "width": shown["width"],
                "height": shown["height"],
            }
        elif asset.original:
            body = {
                "id": absolute_url(self.request, storage.url(asset.original)),
                "type": "Image",
                "format": asset.media_type or "image/jpeg",
            }
        else:
            return None
        if tiled:
            body["service"] = [
                {
                    "id": self.image_service(asset.sha256),
                    "type": "ImageService3",
                    "profile": "level0",
                }
            ]
        return body

    # ---- a canvas's text ---------------------------------------------------------------------

    def canvas_text(self, page: Page) -> dict:
        """The page's text, a supplementing annotation for each line with its box."""
        canvas_id = self.canvas_id(page)
        page_id = self.url("canvas-text", self.issue.pk, page.sequence)
        items = []
        line: list = []
        words = page_words(page.layout, page.width, page.height)
        for word in words:
            line.append(word)
            if word.line_end:
                box = union(w.box for w in line)
                body = {"type": "TextualBody", "value": " ".join(w.text for w in line)}
                body["format"] = "text/plain"
                if page.language:
                    body["language"] = page.language
                target = f"{canvas_id}#xywh={','.join(map(str, box))}" if box else canvas_id
                items.append(
                    {
                        "id": f"{page_id}/line/{len(items) + 1}",
                        "type": "Annotation",
                        "motivation": TEXT_MOTIVATION,
                        "body": body,
                        "target": target,
                    }
                )
                line = []
        if not items and page.text.strip():  # text without word boxes: the whole page's
            items.append(
                {
                    "id": f"{page_id}/text",
                    "type": "Annotation",
                    "motivation": TEXT_MOTIVATION,
                    "body": {"type": "TextualBody", "value": page.text, "format": "text/plain"},
                    "target": canvas_id,
                }
            )
        return {"@context": PRESENTATION, "id": page_id, "type": "AnnotationPage", "items": items}

    # ---- content search ----------------------------------------------------------------------

    def search(self, pages: list[Page], params: dict[str, str]) -> dict:
        """The Content Search 2.0 answer: an annotation for each word of each hit (its box on
        its canvas), and a contextualizing annotation for each hit naming its words; past
        HITS_PER_PAGE hits, in pages (`page=2`) of an AnnotationCollection."""
        query = PageQuery(params.get("q", ""))
        motivations = params.get("motivation", "").split()
        wanted = not motivations or TEXT_MOTIVATION in motivations or "painting" in motivations
        found = []  # (canvas id, the page's words, their text, a hit)
        for page in pages if query and wanted else []:
            written = page_texts(page.layout)
            hits = query.hits(written)
            if hits:
                words = page_words(page.layout, page.width, page.height)
                canvas_id = self.canvas_id(page)
                found += [(canvas_id, words, written, hit) for hit in hits]
        kept = {k: v for k, v in params.items() if k in SEARCH_PARAMETERS and v}
        collection_id = self._search_address(kept)
        last = max(1, -(-len(found) // HITS_PER_PAGE))
        number = _page_number(params.get("page", ""), last)
        shown = found[(number - 1) * HITS_PER_PAGE : number * HITS_PER_PAGE]
        items, context = self._hits(shown)
        answer = {
            "@context": [PRESENTATION, SEARCH],
            "id": self._search_address(kept, number) if last > 1 else collection_id,
            "type": "AnnotationPage",
        }
        if last > 1:
            answer["partOf"] = {
                "id": collection_id,
                "type": "AnnotationCollection",
                "total": len(found),
                "first": {"id": self._search_address(kept, 1), "type": "AnnotationPage"},
                "last": {"id": self._search_address(kept, last), "type": "AnnotationPage"},
            }
            if number > 1:
                previous = self._search_address(kept, number - 1)
                answer["prev"] = {"id": previous, "type": "AnnotationPage"}
            if number < last:
                following = self._search_address(kept, number + 1)
                answer["next"] = {"id": following, "type": "AnnotationPage"}
        ignored = sorted(set(params) - SEARCH_PARAMETERS - {"page"})
        if ignored:
            answer["ignored"] = ignored
        answer["items"] = items
        if context:
            answer["annotations"] = [
                {
                    "type": "AnnotationPage",
                    "partOf": {
                        "id": collection_id,
                        "type": "AnnotationCollection",
                        "total": len(found),
                    },
                    "items": context,
                }
            ]
        return answer

    def _search_address(self, params: dict[str, str], number: int | None = None) -> str:
        query = dict(params, **({"page": str(number)} if number else {}))
        return f"{self.search_id}?{urlencode(query)}" if query else self.search_id

    def _hits(self, found: list) -> tuple[list[dict], list[dict]]:
        items: dict[str, dict] = {}  # a word in two hits is one annotation
        context = []
        for canvas_id, words, written, hit in found:
            sources = []
            for index in hit:
                box = words[index].box
                annotation_id = f"{canvas_id}/word/{index}"
                sources.append(annotation_id)
                items[annotation_id] = {
                    "id": annotation_id,
                    "type": "Annotation",
                    "motivation": TEXT_MOTIVATION,
                    "body": {
                        "type": "TextualBody",
                        "value": words[index].text,
                        "format": "text/plain",
                    },
                    "target": f"{canvas_id}#xywh={','.join(map(str, box))}" if box else canvas_id,
                }
            before, exact, after = snippet(written, hit)
            selector = {"type": "TextQuoteSelector", "exact": exact}
            if before:
                selector["prefix"] = before + " "
            if after:
                selector["suffix"] = " " + after
            context.append(
                {
                    "id": f"{canvas_id}/hit/{hit[0]}",
                    "type": "Annotation",
                    "motivation": "contextualizing",
                    "target": [
                        {"type": "SpecificResource", "source": s, "selector": [selector]}
                        for s in sources
                    ],
                }
            )
        return list(items.values()), context


def _page_number(given: str, last: int) -> int:
    """The page of results asked for, 1 to `last` (anything else: the first)."""
    number = whole_number(given, last)
    return number if number else 1


def _is_box(region) -> bool:
    return (
        isinstance(region, list)
        and len(region) == 4
        and all(isinstance(n, int) and n >= 0 for n in region)
        and region[2] > 0
        and region[3] > 0
    )


def _assets(hashes: set[str]) -> dict[str, Asset]:
    if not hashes:
        return {}
    return {a.sha256: a for a in Asset.objects.filter(sha256__in=hashes)}


def _size(page: Page, asset: Asset | None) -> tuple[int, int] | None:
    """The canvas's size: the page's own, else its image's; None where neither is known."""
    if page.width and page.height:
        return page.width, page.height
    if asset is not None and asset.width and asset.height:
        return asset.width, asset.height
    return None


def image_info(info: dict, service_id: str) -> dict:
    """A stored info.json with this deployment's address for its service."""
    answer = {"@context": IMAGE, **info}
    answer["id"] = service_id
    return answer
