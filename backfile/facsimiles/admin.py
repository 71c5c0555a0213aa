"""The editors' desk for printed pages: a page's text corrected, the articles that run on it
and where, and the illustrations printed on it.

A correction of a page's text is a revision with the editor's reason (the History button
shows them and restores any), and marks the page `edited`, so a later ingest of a changed
source reports a conflict instead of overwriting it. On a page, the editor marks which
articles run there and where: boxes in the page image's pixels, each `x, y` (its top left
corner), `w` and `h`, typed in plain fields (the page's size is shown beside them); a link
the editor adds or changes is the editor's (`how` = editor), never removed by an ingest.
Illustrations (a photograph, a cartoon) are marked the same way as figures, with a caption
and, where one belongs to it, an article; a page whose figures an editor has touched keeps
them through later ingests.
"""

from __future__ import annotations

from functools import lru_cache

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from simple_history.admin import SimpleHistoryAdmin

from backfile.archive.admin import keep_ingested_version
from backfile.archive.admin_labels import LabelledInlineFormSet
from backfile.archive.paging import whole_number
from backfile.facsimiles.models import ArticlePage, Page, PageFigure
from backfile.facsimiles.signals import pages_stored
from backfile.media.desk import preview
from backfile.media.models import Asset

SIDES = ("x", "y", "w", "h")
MOST_PIXELS = 2**31 - 1
SPARE_BOXES = 2  # empty boxes offered beside those an article has on a page


def box_problem(box: list[int], page: Page | None) -> str:
    """Why a box cannot be on this page (empty, or past its edge), or ""."""
    x, y, w, h = box
    if w == 0 or h == 0:
        return "a box needs a width and a height"
    if page is not None and page.width and x + w > page.width:
        return f"the box runs past the page's right edge (the page is {page.width} pixels wide)"
    if page is not None and page.height and y + h > page.height:
        return f"the box runs past the page's foot (the page is {page.height} pixels high)"
    return ""


# Articles on a page ---------------------------------------------------------------------


class ArticlePageForm(forms.ModelForm):
    """An article on the page, and its boxes there as plain numbers (`box_count` of them,
    the empty ones ignored; none: the whole page)."""

    box_count = 0

    class Meta:
        model = ArticlePage
        fields = ["article"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, box in enumerate(self.instance.regions or [], start=1):
            if number <= self.box_count and isinstance(box, list) and len(box) == 4:
                for side, value in zip(SIDES, box, strict=True):
                    self.initial[f"box{number}_{side}"] = value

    def clean(self):
        cleaned = super().clean()
        boxes = []
        for number in range(1, self.box_count + 1):
            values = [cleaned.get(f"box{number}_{side}") for side in SIDES]
            if all(v is None for v in values):
                continue
            if any(v is None for v in values):
                self.add_error(f"box{number}_x", f"Box {number} needs all of x, y, w and h.")
                continue
            if problem := box_problem(
                values, self.instance.page if self.instance.page_id else None
            ):
                self.add_error(f"box{number}_x", f"Box {number}: {problem}.")
                continue
            boxes.append(values)
        cleaned["regions"] = boxes
        return cleaned

    def save(self, commit: bool = True) -> ArticlePage:
        self.instance.regions = self.cleaned_data["regions"]
        if self.has_changed():
            self.instance.how = "editor"  # the editor's now: an ingest leaves it alone
        return super().save(commit)


@lru_cache(maxsize=64)
def boxes_form(count: int) -> type[ArticlePageForm]:
    """The form with `count` boxes of plain number fields."""
    fields = {
        f"box{number}_{side}": forms.IntegerField(
            min_value=0,
            max_value=MOST_PIXELS,
            required=False,
            label=f"Box {number}: x" if side == "x" else side,
        )
        for number in range(1, count + 1)
        for side in SIDES
    }
    return type(f"ArticlePageForm{count}", (ArticlePageForm,), {**fields, "box_count": count})


class ArticlePageInline(admin.StackedInline):
    model = ArticlePage
    extra = 0
    autocomplete_fields = ["article"]
    readonly_fields = ["how"]
    verbose_name = "article on this page"
    verbose_name_plural = (
        "articles on this page (boxes in the page image's pixels: x, y from the top left "
        "corner, w wide, h high; no box: the whole page)"
    )

    def box_count(self, page: Page | None) -> int:
        stored = [len(link.regions or []) for link in page.article_links.all()] if page else []
        return max([0, *stored]) + SPARE_BOXES

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = boxes_form(self.box_count(obj))
        return super().get_formset(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        boxes = [
            tuple(f"box{number}_{side}" for side in SIDES)
            for number in range(1, self.box_count(obj) + 1)
        ]
        return ["article", "how", *boxes]


# Figures on a page ----------------------------------------------------------------------


class PageFigureForm(forms.ModelForm):
    class Meta:
        model = PageFigure
        fields = ["x", "y", "w", "h", "caption", "article"]
        widgets = {"caption": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def clean(self):
        cleaned = super().clean()
        box = [cleaned.get(side) for side in SIDES]
        if all(v is not None for v in box):
            page = self.instance.page if self.instance.page_id else None
            if problem := box_problem(box, page):
                raise forms.ValidationError(f"The figure's {problem}.")
        return cleaned


class PageFigureInline(admin.TabularInline):
    model = PageFigure
    formset = LabelledInlineFormSet
    form = PageFigureForm
    extra = 0
    autocomplete_fields = ["article"]
    verbose_name = "figure printed on this page"
    verbose_name_plural = (
        "figures printed on this page (a photograph, a cartoon, a map: its box in the page "
        "image's pixels, its caption, and the article it belongs to, if any)"
    )


# Pages ----------------------------------------------------------------------------------


class PageForm(forms.ModelForm):
    reason = forms.CharField(
        max_length=100,
        required=False,
        label="Why the change",
        help_text="Kept in the page's history with your name: “OCR errors in the second "
        "column”. Needed when the text changes.",
    )

    class Meta:
        model = Page
        fields = ["label", "text", "language"]
        widgets = {"text": forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "true"})}

    def clean(self):
        cleaned = super().clean()
        if "text" in self.changed_data and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why the text changed: it is kept in the page's history.")
        return cleaned


class IssueFilter(admin.SimpleListFilter):
    """Pages by issue: the issues with pages, latest first (the latest 100 listed; any other
    by the address `?issue=ID`, which the page's issue link gives)."""

    title = "issue"
    parameter_name = "issue"

    def lookups(self, request, model_admin):
        from backfile.archive.models import Issue

        issues = (
            Issue.objects.filter(pages__isnull=False)
            .distinct()
            .select_related("publication")
            .order_by("-year", "-month", "-day", "-number")[:100]
        )
        return [(str(issue.pk), str(issue)) for issue in issues]

    def queryset(self, request, queryset: QuerySet[Page]) -> QuerySet[Page]:
        value = self.value()
        pk = whole_number(value)
        return queryset.filter(issue_id=pk) if pk is not None else queryset


@admin.register(Page)
class PageAdmin(SimpleHistoryAdmin):
    form = PageForm
    inlines = [ArticlePageInline, PageFigureInline]
    list_display = ["__str__", "sequence", "label", "text_source", "confidence_shown", "edited"]
    list_filter = [IssueFilter, "edited", "text_source", "issue__publication"]
    list_select_related = ["issue", "issue__publication"]
    search_fields = ["label", "issue__slug", "issue__title", "issue__publication__name"]
    ordering = ["issue__publication", "-issue__year", "issue__slug", "sequence"]
    history_list_display = ["label"]
    readonly_fields = [
        "issue",
        "sequence",
        "picture",
        "size",
        "text_source",
        "confidence_shown",
        "source_text",
        "source_path",
        "edited",
    ]
    fieldsets = [
        (None, {"fields": ["issue", "sequence", "label", "picture", "size"]}),
        ("Text", {"fields": ["text", "reason", "language", "edited"]}),
        (
            "As the source gave it",
            {
                "classes": ["collapse"],
                "fields": ["text_source", "confidence_shown", "source_path", "source_text"],
            },
        ),
    ]

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # pages come from their sources; the desk corrects them

    @admin.display(description="page image")
    def picture(self, page: Page) -> str:
        return preview(Asset.objects.filter(sha256=page.image).first()) if page.image else "None"

    @admin.display(description="size in pixels")
    def size(self, page: Page) -> str:
        return f"{page.width} × {page.height}" if page.width and page.height else "not known"

    @admin.display(description="OCR confidence", ordering="confidence")
    def confidence_shown(self, page: Page) -> str:
        return f"{page.confidence:.0f}%" if page.confidence is not None else "—"

    def save_model(self, request, obj: Page, form, change: bool) -> None:
        if change:
            keep_ingested_version(obj)
        if "text" in form.changed_data:
            obj.edited = True
        obj._change_reason = form.cleaned_data.get("reason", "").strip()[:100] or None
        super().save_model(request, obj, form, change)
        if "text" in form.changed_data:  # the search index reads it again
            transaction.on_commit(lambda: pages_stored.send(sender=Page, pages=[obj]))
