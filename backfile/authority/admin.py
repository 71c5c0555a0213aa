"""The editors' desk for the authority file: entries with their aliases, and the candidate
names the archive keeps writing that are in no entry yet.

Entries: searched by name or alias, filtered by type and origin, each change a revision
(django-simple-history: History shows and restores them) with the editor's reason; the
action "Merge into one entry" asks which entry to keep and merges the others into it
(`merging.merge_entries`: their names become aliases, their mentions follow).

Candidates: the open ones by count, each with examples linked to their articles; the
actions accept one as a person, place or organisation (a new entry, or the existing one
of that name), merge it into an entry (its name becomes an alias) or reject it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from backfile.archive.models import Article
from backfile.authority.counting import rows_of
from backfile.authority.merging import merge_entries
from backfile.authority.models import (
    CANDIDATE,
    ORGANISATION,
    PERSON,
    PLACE,
    TYPES,
    Alias,
    Candidate,
    Entry,
    Mention,
)
from backfile.authority.names import name_key
from backfile.authority.storing import ALIAS_SEPARATOR, add_aliases, find_entry, linked_once


class EntryForm(forms.ModelForm):
    """An entry, with the reason for the change (kept with its revision)."""

    reason = forms.CharField(
        required=False,
        max_length=100,
        label="Why this change",
        help_text="Kept with the revision (a spelling corrected, dates added…).",
    )

    class Meta:
        model = Entry
        fields = ["type", "name", "note", "dates", "capitalised"]

    def clean(self):
        cleaned = super().clean()
        type, name = cleaned.get("type"), cleaned.get("name")
        if type and name:
            if not name_key(name):
                self.add_error("name", "A name needs letters or digits.")
                return cleaned
            same = Entry.objects.filter(type=type, key=name_key(name)).exclude(pk=self.instance.pk)
            if found := same.first():
                self.add_error(
                    "name",
                    f"“{found.name}” is already an entry of this type; add this spelling "
                    "there as an alias, or merge the two entries.",
                )
        return cleaned


class AliasForm(forms.ModelForm):
    class Meta:
        model = Alias
        fields = ["name"]

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name_key(name):
            raise forms.ValidationError("A name needs letters or digits.")
        if ALIAS_SEPARATOR in name:
            raise forms.ValidationError(
                f"An alias may not hold “{ALIAS_SEPARATOR}” (it parts the aliases in the CSV "
                "file): give each spelling as an alias of its own."
            )
        return name


class AliasFormSet(forms.BaseInlineFormSet):
    """Two aliases of one entry that fold alike (`USSR`, `U.S.S.R`) are one: refused, named."""

    def clean(self):
        super().clean()
        seen = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            name = form.cleaned_data.get("name")
            if not name:
                continue
            if (key := name_key(name)) in seen:
                raise forms.ValidationError(
                    f"“{name}” and “{seen[key]}” are the same spelling to the matcher; keep one."
                )
            seen[key] = name


class AliasInline(admin.TabularInline):
    model = Alias
    form = AliasForm
    formset = AliasFormSet
    extra = 1
    verbose_name = "other spelling"
    verbose_name_plural = "other spellings (aliases): the matcher links these to the entry too"


class MergeEntriesForm(forms.Form):
    keep = forms.ModelChoiceField(
        queryset=Entry.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this entry",
    )

    def __init__(self, *args, entries: QuerySet[Entry], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = entries


@admin.register(Entry)
class EntryAdmin(SimpleHistoryAdmin):
    form = EntryForm
    inlines = [AliasInline]
    list_display = ["name", "type", "dates", "origin", "alias_count", "mention_count"]
    list_filter = ["type", "origin", "capitalised"]
    search_fields = ["name", "aliases__name", "note"]
    readonly_fields = ["slug", "origin", "mentioned_in"]
    fields = ["type", "name", "note", "dates", "capitalised", "slug", "origin", "reason",
              "mentioned_in"]  # fmt: skip
    history_list_display = ["name", "type"]
    ordering = ["key", "pk"]
    actions = ["merge_selected_entries"]

    def history_view(self, request, object_id, extra_context=None):
        """History leads to the desk's readable revisions, word diffs and restore, as for
        articles and issues (backfile.editing)."""
        return HttpResponseRedirect(reverse("editing:revisions", args=["entry", object_id]))

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        """With counts of aliases and mentions, counted for the rows shown only (correlated
        subqueries, not one grouping of every mention of the archive)."""
        return (
            super()
            .get_queryset(request)
            .annotate(alias_total=rows_of(Alias), mention_total=rows_of(Mention))
        )

    @admin.display(description="aliases", ordering="alias_total")
    def alias_count(self, entry: Entry) -> int:
        return entry.alias_total

    @admin.display(description="articles", ordering="mention_total")
    def mention_count(self, entry: Entry) -> int:
        return entry.mention_total

    @admin.display(description="mentioned in")
    def mentioned_in(self, entry: Entry) -> str:
        if entry.pk is None:
            return ""
        mentions = entry.mentions.select_related(
            "article", "article__issue", "article__publication"
        ).order_by("sort_key", "article_id")
        shown = [(article_link(m.article), m.count) for m in mentions[:10]]
        total = entry.mentions.count()
        if not shown:
            return "No article yet."
        more = f" … and {total - len(shown)} more" if total > len(shown) else ""
        items = format_html_join("", "<li>{} ({}×)</li>", shown)
        return format_html("<ul>{}</ul>{}", items, more)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """A save (the entry and its aliases) links the articles it concerns once, in its
        transaction, not once for each row saved."""
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        with transaction.atomic(), linked_once():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj: Entry, form, change: bool) -> None:
        obj._change_reason = form.cleaned_data.get("reason") or None
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change: bool) -> None:
        for inline_form in formset.forms:
            inline_form.instance._change_reason = form.cleaned_data.get("reason") or None
        super().save_formset(request, form, formset, change)

    @admin.action(
        description="Merge selected entries into one entry", permissions=["change", "delete"]
    )
    def merge_selected_entries(self, request: HttpRequest, queryset: QuerySet[Entry]):
        entries = queryset.order_by("type", "key", "pk")
        if entries.count() < 2:
            self.message_user(request, "Select two or more entries to merge.", messages.WARNING)
            return None
        form = MergeEntriesForm(request.POST if "keep" in request.POST else None, entries=entries)
        if form.is_valid():
            keep = form.cleaned_data["keep"]
            others = list(entries.exclude(pk=keep.pk))
            articles = merge_entries(keep, others)
            self.log_change(request, keep, f"Merged {', '.join(e.name for e in others)} into it.")
            self.message_user(
                request,
                f"Merged {len(others)} entr{'y' if len(others) == 1 else 'ies'} into "
                f"{keep.name}; their names are its aliases now, and the mentions in "
                f"{len(articles)} article{'' if len(articles) == 1 else 's'} followed.",
            )
            return None
        return TemplateResponse(
            request,
            "admin/authority/entry/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge entries into one",
                "opts": self.model._meta,
                "entries": entries.prefetch_related("aliases"),
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


def article_link(article: Article) -> str:
    """The article's title, linked to its page (or to its change page at the desk)."""
    try:
        address = article.get_absolute_url()
    except NoReverseMatch:
        address = reverse("admin:archive_article_change", args=[article.pk])
    return format_html('<a href="{}">{}</a>', address, article.title or f"#{article.pk}")


# Candidates ----------------------------------------------------------------


def shown_examples(candidate: Candidate) -> list[dict]:
    """The examples a candidate's row shows: its first three."""
    return [e for e in candidate.examples if isinstance(e, dict)][:3]


class OpenFirst(admin.SimpleListFilter):
    """Candidates still to decide, unless the editor asks for the others."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Candidate.STATUSES, ("all", "All")]

    def choices(self, changelist):
        for value, label in self.lookup_choices:
            yield {
                "selected": (self.value() or Candidate.OPEN) == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        wanted = self.value() or Candidate.OPEN
        return queryset if wanted == "all" else queryset.filter(status=wanted)


class MergeCandidatesForm(forms.Form):
    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"] = forms.ModelChoiceField(
            queryset=Entry.objects.all(),
            label="Into this entry",
            help_text="Search by name or alias; the candidates' names become its aliases.",
            widget=AutocompleteSelect(Candidate._meta.get_field("entry"), admin_site),
        )


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "count", "articles", "examples_shown", "status", "entry"]
    list_filter = [OpenFirst]
    search_fields = ["name", "key"]
    ordering = ["-count", "key"]
    readonly_fields = ["name", "key", "count", "articles", "examples_shown", "status", "entry"]
    fields = readonly_fields
    actions = ["accept_as_person", "accept_as_place", "accept_as_organisation",
               "merge_into_entry", "reject"]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # candidates come from the archive's text (`candidates`)

    def get_changelist_instance(self, request: HttpRequest):
        """The page's rows, each given its example articles (`shown_articles`), read for
        the whole page in one query rather than once for each row."""
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)  # (the page's rows, kept by the queryset)
        wanted = {e.get("article") for row in rows for e in shown_examples(row)}
        articles = Article.objects.select_related("issue", "publication").in_bulk(
            [pk for pk in wanted if isinstance(pk, int)]
        )
        for row in rows:
            row.shown_articles = articles
        return changelist

    @admin.display(description="examples")
    def examples_shown(self, candidate: Candidate) -> str:
        examples = shown_examples(candidate)
        articles = getattr(candidate, "shown_articles", None)
        if articles is None:  # (its own page: one candidate)
            articles = Article.objects.select_related("issue", "publication").in_bulk(
                [e.get("article") for e in examples]
            )
        items = [
            (article_link(articles[e["article"]]), e.get("sentence", ""))
            for e in examples
            if e.get("article") in articles
        ]
        return format_html_join("", "<p>{}: {}</p>", items) or "—"

    def accepted(self, request, queryset: QuerySet[Candidate], type: str) -> None:
        label = dict(TYPES)[type].lower()
        with transaction.atomic(), linked_once():
            for candidate in queryset:
                entry = find_entry(type, candidate.name)
                if entry is None:
                    entry = Entry(type=type, name=candidate.name, origin=CANDIDATE)
                    entry._change_reason = "an accepted candidate"
                    entry.save()
                candidate.status, candidate.entry = Candidate.ACCEPTED, entry
                candidate.save(update_fields=["status", "entry"])
        self.message_user(request, f"Accepted {queryset.count()} as {label} entries.")

    @admin.action(description="Accept as a person", permissions=["change"])
    def accept_as_person(self, request, queryset):
        self.accepted(request, queryset, PERSON)

    @admin.action(description="Accept as a place", permissions=["change"])
    def accept_as_place(self, request, queryset):
        self.accepted(request, queryset, PLACE)

    @admin.action(description="Accept as an organisation", permissions=["change"])
    def accept_as_organisation(self, request, queryset):
        self.accepted(request, queryset, ORGANISATION)

    @admin.action(description="Reject (not a name to index)", permissions=["change"])
    def reject(self, request, queryset):
        count = queryset.update(status=Candidate.REJECTED, entry=None)
        self.message_user(request, f"Rejected {count} candidate{'' if count == 1 else 's'}.")

    @admin.action(description="Merge into an entry (as its aliases)…", permissions=["change"])
    def merge_into_entry(self, request: HttpRequest, queryset: QuerySet[Candidate]):
        asked = "entry" in request.POST and "confirm" in request.POST
        form = MergeCandidatesForm(request.POST if asked else None, admin_site=self.admin_site)
        if form.is_valid():
            entry = form.cleaned_data["entry"]
            with transaction.atomic(), linked_once():
                names = list(queryset.values_list("name", flat=True))
                add_aliases(entry, names, "from the candidate list")
                queryset.update(status=Candidate.MERGED, entry=entry)
            self.message_user(request, f"{', '.join(names)}: now aliases of {entry.name}.")
            return None
        return TemplateResponse(
            request,
            "admin/authority/candidate/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Merge candidates into an entry",
                "opts": self.model._meta,
                "candidates": queryset,
                "form": form,
                "media": self.media + form.media,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
