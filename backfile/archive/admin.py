"""The editors' desk for the archive: corrections to articles, issues, authors and reviewed works.

Every change is a revision (django-simple-history records who and when; the
History button shows them and restores any of them). An article an editor has
saved is marked `edited`, so a later ingest of a changed source reports a
conflict instead of overwriting the correction. Whatever changes what articles
show is announced with `articles_changed`, inside the admin's transaction, so
the search index follows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import nh3
from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from backfile.archive.admin_labels import LabelledInlineFormSet
from backfile.archive.models import (
    Article,
    Author,
    AuthorAlias,
    Byline,
    Issue,
    Review,
    ReviewedWork,
    name_key,
)
from backfile.archive.signals import articles_changed
from backfile.editing.desk import (  # noqa: F401 (keep_ingested_version: used from here too)
    NotedForm,
    Revisions,
    keep_ingested_version,
)
from backfile.ingest.checks import blocks_problem
from backfile.ingest.records import BLOCK_TYPES, MEDIA_TYPES, Block, block_from_dict, block_to_dict
from backfile.media.desk import (
    examined_upload,
    figure_block,
    preview,
    store_upload,
    with_figure,
)
from backfile.media.models import Asset

admin.site.site_header = "Backfile: the editors' desk"
admin.site.site_title = "Backfile editors' desk"
admin.site.index_title = "Corrections and moderation"


def announce(articles: Iterable[Article]) -> None:
    """Tell listeners (the search index) that these articles changed."""
    articles_changed.send(sender=Article, articles=list(articles))


class AnnouncesArticles(Revisions):
    """Admin mixin: after a save or a restore, announce the articles the change shows in."""

    def articles_showing(self, obj) -> Iterable[Article]:
        raise NotImplementedError

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        announce(self.articles_showing(form.instance))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Restoring a revision is a change too: atomic, and announced like any save."""
        with transaction.atomic():
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if request.method == "POST" and response.status_code == 302:
                announce(self.articles_showing(self.model.objects.get(pk=object_id)))
        return response


# Articles ------------------------------------------------------------------


class PrettyJSONField(forms.JSONField):
    """JSON shown indented, so an editor can find the paragraph to correct."""

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, indent=2, ensure_ascii=False)


def validated_blocks(blocks, where: str = "block") -> list[dict]:
    """Check an edited body against the block shape readers produce; sanitise inline HTML."""
    if not isinstance(blocks, list):
        raise forms.ValidationError("The body must be a JSON list of blocks: [ {…}, {…} ].")
    return [validated_block(block, f"{where} {n}") for n, block in enumerate(blocks, start=1)]


def validated_block(block, where: str) -> dict:
    if not isinstance(block, dict):
        raise forms.ValidationError(f"{where} is not an object with a type and text.")
    unknown = set(block) - {"type", "text", "html", "blocks", "start", "label", "assets", "credit"}
    unknown -= {"url", "provider"}  # audio, video and embed blocks
    if unknown:
        raise forms.ValidationError(f"{where} has unknown keys: {', '.join(sorted(unknown))}.")
    if block.get("type") not in BLOCK_TYPES:
        raise forms.ValidationError(
            f"{where} has type {block.get('type')!r}; use one of {', '.join(BLOCK_TYPES)}."
        )
    for key in ("text", "html"):
        if not isinstance(block.get(key, ""), str):
            raise forms.ValidationError(f"{where}: {key} must be a string.")
    cleaned: dict = {"type": block["type"], "text": block.get("text", "")}
    if block.get("html"):
        cleaned["html"] = nh3.clean(block["html"], link_rel=None)
    if block.get("blocks"):
        cleaned["blocks"] = validated_blocks(block["blocks"], f"{where}, inner block")
    for key in ("start", "label"):
        if block.get(key) is not None and block.get(key) != "":
            cleaned[key] = block[key]
    if block.get("assets") or block.get("credit"):
        cleaned.update(validated_figure(block, where))
    if block["type"] in MEDIA_TYPES or block.get("url") or block.get("provider"):
        cleaned.update(validated_media(block, where))
    return cleaned


def validated_media(block: dict, where: str) -> dict:
    """An audio, video or embed block's url and provider, checked as the ingest checks them."""
    media = Block(block["type"], url=block.get("url", ""), provider=block.get("provider", ""))
    if problem := blocks_problem([media]):
        raise forms.ValidationError(f"{where}: {problem}.")
    return {key: value for key in ("url", "provider") if (value := block.get(key))}


def validated_figure(block: dict, where: str) -> dict:
    """A figure's pictures and credit, checked as the ingest checks them (backfile.media)."""
    try:
        figure = block_from_dict({"type": "figure", **block})
    except (ValueError, TypeError, AttributeError) as error:
        raise forms.ValidationError(f"{where}: {error}.") from None
    if problem := blocks_problem([figure]):
        raise forms.ValidationError(f"{where}: {problem}.")
    return {
        key: value for key, value in block_to_dict(figure).items() if key in ("assets", "credit")
    }


class PictureUploadForm(NotedForm):
    """A form with a picture to upload (`upload_field`): checked as the ingest checks a file
    (`backfile.media.desk`), its alt text asked for with it."""

    upload_field = ""

    def clean(self):
        cleaned = super().clean()
        file = cleaned.get(self.upload_field)
        if file:
            try:
                cleaned[self.upload_field] = examined_upload(file)
            except forms.ValidationError as error:
                self.add_error(self.upload_field, error)
            if not cleaned.get(f"{self.upload_field}_alt", "").strip():
                self.add_error(
                    f"{self.upload_field}_alt",
                    "Say what the picture shows, for readers who cannot see it.",
                )
        return cleaned


class ArticleForm(PictureUploadForm):
    upload_field = "new_picture"
    new_picture = forms.FileField(
        required=False,
        label="Add a picture",
        help_text="A new figure at the end of the body (before its notes); move it in the "
        "body as any block.",
    )
    new_picture_alt = forms.CharField(
        required=False, label="Its alt text", widget=forms.Textarea(attrs={"rows": 2})
    )
    new_picture_caption = forms.CharField(required=False, label="Its caption")
    new_picture_credit = forms.CharField(required=False, label="Its credit")

    class Meta:
        model = Article
        fields = "__all__"
        field_classes = {
            "blocks": PrettyJSONField,
            "subjects": PrettyJSONField,
            "attachments": PrettyJSONField,
        }
        widgets = {
            "blocks": forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "true"}),
            "subjects": forms.Textarea(attrs={"rows": 3, "cols": 100}),
            "attachments": forms.Textarea(attrs={"rows": 3, "cols": 100}),
        }
        help_texts = {
            "blocks": "The body as JSON: a list of blocks, each "
            '{"type": "paragraph", "text": "…"}; types: ' + ", ".join(BLOCK_TYPES) + ". "
            'A quotation holds its paragraphs in its own "blocks", a list its "list_item"s '
            '(a numbered one has a "start"), a table its "table_row"s of "table_header" and '
            '"table_cell" blocks, the closing "notes" block its "note"s (each with its '
            '"label"); see docs/jsonl-format.md. Optional "html" keeps inline markup '
            '(italics, links) and must say the same as "text".',
        }

    def clean_blocks(self) -> list[dict]:
        blocks = validated_blocks(self.cleaned_data["blocks"])
        problem = blocks_problem([block_from_dict(b) for b in blocks])
        if problem:
            raise forms.ValidationError(f"The body cannot be kept: {problem}.")
        return blocks

    def clean_subjects(self) -> list[str]:
        return self._list_of_strings("subjects")

    def clean_attachments(self) -> list[str]:
        return self._list_of_strings("attachments")

    def _list_of_strings(self, name: str) -> list[str]:
        value = self.cleaned_data[name] or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise forms.ValidationError('Use a JSON list of strings: ["…", "…"].')
        return value


class BylineForm(forms.ModelForm):
    """A byline added by hand is a writer's unless the editor names another role."""

    role = forms.CharField(
        max_length=40,
        required=False,
        help_text="author, or translator, contributor, photographer, illustrator",
    )

    class Meta:
        model = Byline
        fields = ["author", "as_printed", "role", "position"]

    def clean_role(self) -> str:
        return self.cleaned_data.get("role", "").strip() or Byline.AUTHOR


class BylineInline(admin.TabularInline):
    model = Byline
    formset = LabelledInlineFormSet
    form = BylineForm
    extra = 0
    autocomplete_fields = ["author"]
    fields = ["author", "as_printed", "role", "position"]


class ReviewInline(admin.TabularInline):
    model = Review
    formset = LabelledInlineFormSet
    extra = 0
    autocomplete_fields = ["work"]
    fields = ["work", "position"]
    verbose_name = "reviewed work"
    verbose_name_plural = "reviewed works"


@admin.register(Article)
class ArticleAdmin(AnnouncesArticles, SimpleHistoryAdmin):
    form = ArticleForm
    inlines = [BylineInline, ReviewInline]
    list_display = ["title", "issue", "section", "pages", "edited"]
    list_filter = ["edited", "publication", "issue__decade"]
    list_select_related = ["issue", "issue__publication"]
    search_fields = ["title", "kicker", "key"]
    autocomplete_fields = ["issue"]
    readonly_fields = ["publication", "key", "edited", "body_editor"]
    history_list_display = ["title"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "kicker",
                    "title",
                    "standfirst",
                    "summary",
                    "section",
                    "pages",
                    "position",
                    "published",
                    "language",
                ]
            },
        ),
        ("Body", {"fields": ["body_editor"]}),
        (
            "Add a picture",
            {
                "fields": [
                    "new_picture",
                    "new_picture_alt",
                    "new_picture_caption",
                    "new_picture_credit",
                ]
            },
        ),
        (
            "Place and identity",
            {
                "fields": [
                    "publication",
                    "issue",
                    "slug",
                    "key",
                    "original_url",
                    "subjects",
                    "attachments",
                    "edited",
                ]
            },
        ),
        (
            "Body as data (for those who know the JSONL format)",
            {"fields": ["blocks"], "classes": ["collapse"]},
        ),
        (None, {"fields": ["note"]}),
    ]

    @admin.display(description="Body")
    def body_editor(self, article: Article) -> str:
        if article.pk is None:
            return ""
        return format_html(
            '<a href="{}">Edit the body block by block</a>, with a preview',
            reverse("editing:body", args=[article.pk]),
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # articles come from sources; the desk corrects them

    def get_fieldsets(self, request: HttpRequest, obj=None):
        """The body as data only for administrators: editors edit it block by block."""
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [(name, opts) for name, opts in fieldsets if "blocks" not in opts["fields"]]

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        if change:
            keep_ingested_version(obj)
        upload = form.cleaned_data.get("new_picture")
        if upload:
            data = form.cleaned_data
            alt = data["new_picture_alt"].strip()
            asset = store_upload(upload, alt=alt)
            figure = figure_block(
                asset, data["new_picture_caption"], data["new_picture_credit"], alt=alt
            )
            obj.blocks = with_figure(list(obj.blocks), figure)
        obj.edited = True
        super().save_model(request, obj, form, change)

    def articles_showing(self, obj: Article) -> Iterable[Article]:
        return [obj]


# Issues and reviewed works ----------------------------------------------------


class IssueForm(PictureUploadForm):
    upload_field = "new_cover"
    new_cover = forms.FileField(
        required=False,
        label="Set the cover",
        help_text="A picture of the issue's cover, shown on its year and issue pages; it "
        "replaces the cover shown now (which stays in the issue's history).",
    )
    new_cover_alt = forms.CharField(
        required=False, label="Its alt text", widget=forms.Textarea(attrs={"rows": 2})
    )
    remove_cover = forms.BooleanField(required=False, label="Show no cover")

    class Meta:
        model = Issue
        exclude = ["cover"]

    def clean_publication(self):
        """An issue moved to another publication takes its articles along; refused where
        that publication already holds an article read from the same source (its key),
        which would otherwise fail in the database."""
        publication = self.cleaned_data["publication"]
        issue = self.instance
        if issue.pk and publication and publication.pk != issue.publication_id:
            keys = issue.articles.values_list("key", flat=True)
            clashes = Article.objects.filter(publication=publication, key__in=keys)
            if clashes.exists():
                titles = ", ".join(f"“{a.title}”" for a in clashes[:5])
                raise forms.ValidationError(
                    f"{publication} already has articles from the same sources: {titles}. "
                    "Move or delete those first."
                )
        return publication


@admin.register(Issue)
class IssueAdmin(AnnouncesArticles, SimpleHistoryAdmin):
    form = IssueForm
    list_display = ["label", "publication", "year", "volume", "number"]
    list_filter = ["publication", "decade"]
    search_fields = ["title", "slug", "year"]
    readonly_fields = ["decade", "cover_shown"]

    @admin.display(description="cover")
    def cover_shown(self, issue: Issue) -> str:
        if not issue.cover:
            return "None"
        return preview(Asset.objects.filter(sha256=issue.cover).first())

    def save_model(self, request, obj: Issue, form, change: bool) -> None:
        if change:
            keep_ingested_version(obj)
        if upload := form.cleaned_data.get("new_cover"):
            obj.cover = store_upload(upload, alt=form.cleaned_data["new_cover_alt"].strip()).sha256
        elif form.cleaned_data.get("remove_cover"):
            obj.cover = ""
        super().save_model(request, obj, form, change)

    def articles_showing(self, obj: Issue) -> Iterable[Article]:
        return obj.articles.all()


@admin.register(ReviewedWork)
class ReviewedWorkAdmin(AnnouncesArticles, SimpleHistoryAdmin):
    form = NotedForm
    list_display = ["title", "author", "publisher", "year"]
    search_fields = ["title", "author", "publisher"]

    def articles_showing(self, obj: ReviewedWork) -> Iterable[Article]:
        return obj.reviews.all()


# Authors -----------------------------------------------------------------


class AuthorAliasForm(forms.ModelForm):
    class Meta:
        model = AuthorAlias
        fields = ["name"]

    def save(self, commit: bool = True) -> AuthorAlias:
        self.instance.key = name_key(self.cleaned_data["name"])
        return super().save(commit)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        other = AuthorAlias.objects.filter(key=name_key(name)).exclude(pk=self.instance.pk)
        holder = other.select_related("author").first()
        if holder is not None:
            raise forms.ValidationError(
                f"“{name}” already names {holder.author}; merge the two authors instead."
            )
        return name


class AuthorAliasInline(admin.TabularInline):
    model = AuthorAlias
    formset = LabelledInlineFormSet
    form = AuthorAliasForm
    extra = 0
    verbose_name = "spelling in bylines"
    verbose_name_plural = "spellings in bylines (future ingests map these to this author)"


class MergeAuthorsForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Author.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this name",
    )

    def __init__(self, *args, authors: QuerySet[Author], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = authors


@admin.register(Author)
class AuthorAdmin(AnnouncesArticles, SimpleHistoryAdmin):
    form = NotedForm
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name", "aliases__name"]
    inlines = [AuthorAliasInline]
    actions = ["merge_selected_authors"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Author]:
        return super().get_queryset(request).annotate(article_total=Count("bylines"))

    @admin.display(description="articles", ordering="article_total")
    def article_count(self, author: Author) -> int:
        return author.article_total

    def articles_showing(self, obj: Author) -> Iterable[Article]:
        return obj.articles.all()

    @admin.action(
        description="Merge selected authors into one person", permissions=["change", "delete"]
    )
    def merge_selected_authors(self, request: HttpRequest, queryset: QuerySet[Author]):
        authors = queryset.order_by("name")
        if authors.count() < 2:
            self.message_user(request, "Select two or more authors to merge.", messages.WARNING)
            return None
        form = MergeAuthorsForm(request.POST if "keep" in request.POST else None, authors=authors)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            others = list(authors.exclude(pk=keep.pk))
            merge_authors(keep, others)
            self.log_change(request, keep, f"Merged {', '.join(a.name for a in others)} into it.")
            self.message_user(
                request,
                f"Merged {len(others)} author(s) into {keep.name}; their spellings now map to "
                "this author.",
            )
            return None
        return TemplateResponse(
            request,
            "admin/archive/author/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge authors into one person",
                "opts": self.model._meta,
                "authors": authors,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


def merge_authors(keep: Author, others: list[Author]) -> None:
    """Make `others` the same person as `keep`, in one transaction.

    Their bylines move to `keep` (an article bylined by both keeps the earlier
    byline, as printed), their spellings become aliases of `keep`, so future
    ingests map them to it, and the duplicates are deleted; the authors' history
    records each step with the editor's name.
    """
    merged = ", ".join(f"{other.name} (#{other.pk})" for other in others)
    with transaction.atomic():
        affected = set(
            Byline.objects.filter(author__in=others).values_list("article_id", flat=True)
        )
        for other in others:
            for byline in other.bylines.all():
                move_byline(byline, keep)
            other.aliases.update(author=keep)
            AuthorAlias.objects.get_or_create(
                key=name_key(other.name), defaults={"author": keep, "name": other.name}
            )
            other._change_reason = f"merged into {keep.name} (#{keep.pk})"[:100]
            other.delete()
        AuthorAlias.objects.get_or_create(
            key=name_key(keep.name), defaults={"author": keep, "name": keep.name}
        )
        keep._change_reason = f"merged {merged}"[:100]
        keep.save()
        announce(Article.objects.filter(pk__in=affected))


def move_byline(byline: Byline, author: Author) -> None:
    """Credit a byline to `author`; where the article already credits them, keep the earlier."""
    existing = Byline.objects.filter(article_id=byline.article_id, author=author).first()
    if existing is not None and existing.position <= byline.position:
        byline.delete()
        return
    if existing is not None:
        existing.delete()
    byline.author = author
    byline.save(update_fields=["author"])


from backfile.archive import publication_admin  # noqa: E402, F401 (registers the publication's page)
