"""The desk's housekeeping pages, under /desk/housekeeping/: merge an issue into another,
move articles between issues (and publications), renumber an issue. Each is two steps:
the form, then a confirmation listing what will move; only the confirmed POST changes
anything. Staff with the change permission on issues (articles, for a move) only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from backfile.archive.models import Issue
from backfile.desk.views import desk_page, page
from backfile.housekeeping import operations
from backfile.housekeeping.forms import (
    ChooseIssueForm,
    MergeForm,
    MoveForm,
    RenumberForm,
    SplitForm,
)
from backfile.housekeeping.operations import Refused

CHANGE_ISSUE = "archive.change_issue"
CHANGE_ARTICLE = "archive.change_article"
ACTIONS = {
    "merge": "housekeeping:merge",
    "move": "housekeeping:move",
    "renumber": "housekeeping:renumber",
    "split": "housekeeping:split",
}


@desk_page(CHANGE_ISSUE)
def home(request):
    form = ChooseIssueForm(request.GET or None)
    action = request.GET.get("action")
    if form.is_valid() and action in ACTIONS:
        return redirect(ACTIONS[action], pk=form.cleaned_data["issue"].pk)
    return page(request, "housekeeping/home.html", "Issue and article housekeeping", form=form)


def source_issue(pk: int) -> Issue:
    return get_object_or_404(Issue.objects.select_related("publication"), pk=pk)


def confirming(request) -> bool:
    return request.method == "POST" and "confirm" in request.POST


def step(request, template: str, title: str, form, issue: Issue, **context):
    """The form (GET or invalid), or its confirmation page (a valid POST not yet confirmed)."""
    confirm = request.method == "POST" and form.is_valid()
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return page(
        request, template, title, status=status, form=form, issue=issue, confirm=confirm, **context
    )


def refused(request, template, title, form, issue, problem: str, **context):
    """The form again with the reason the change cannot be made (said on a GET as well,
    when the issue itself is the reason)."""
    return page(
        request,
        template,
        title,
        status=400 if request.method == "POST" else 200,
        form=form,
        issue=issue,
        confirm=False,
        refusal=problem,
        **context,
    )


@desk_page(CHANGE_ISSUE)
def merge(request, pk: int):
    issue = source_issue(pk)
    form = MergeForm(request.POST or None, source=issue)
    template, title = "housekeeping/merge.html", f"Merge {issue.label}"
    articles = list(issue.articles.select_related("issue", "publication"))
    try:
        operations.refuse_printed_pages(issue)
        if form.is_valid():
            target = form.cleaned_data["target"]
            plan = operations.planned_moves(articles, target)
            if confirming(request):
                moved = operations.merge_issues(issue, target)
                messages.success(
                    request,
                    f"{len(moved)} articles moved to {target.label}; {issue.label} is gone.",
                )
                return redirect(reverse("housekeeping:home"))
            return step(request, template, title, form, issue, plan=plan, target=target)
    except Refused as problem:
        return refused(request, template, title, form, issue, str(problem), articles=articles)
    return step(request, template, title, form, issue, articles=articles)


@desk_page(CHANGE_ARTICLE)
def move(request, pk: int):
    issue = source_issue(pk)
    form = MoveForm(request.POST or None, source=issue)
    template, title = "housekeeping/move.html", f"Move articles of {issue.label}"
    if form.is_valid():
        target = form.cleaned_data["target"]
        articles = list(form.cleaned_data["articles"])
        try:
            plan = operations.planned_moves(articles, target)
            if confirming(request):
                moved = operations.move_articles(articles, target)
                messages.success(request, f"{len(moved)} articles moved to {target.label}.")
                return redirect(reverse("housekeeping:home"))
        except Refused as problem:
            return refused(request, template, title, form, issue, str(problem))
        return step(request, template, title, form, issue, plan=plan, target=target)
    return step(request, template, title, form, issue)


@desk_page(CHANGE_ISSUE)
def renumber(request, pk: int):
    issue = source_issue(pk)
    initial = {"number": issue.number, "year": issue.year, "month": issue.month, "day": issue.day}
    form = RenumberForm(request.POST or None, initial=initial)
    template, title = "housekeeping/renumber.html", f"Renumber {issue.label}"
    if form.is_valid():
        data = form.cleaned_data
        parts = (data["number"], data["year"], data["month"], data["day"])
        try:
            new_slug = operations.renumbered_slug(issue, *parts)
            if confirming(request):
                operations.renumber_issue(issue, *parts)
                messages.success(request, f"Renumbered: {issue.label}.")
                return redirect(reverse("housekeeping:home"))
        except Refused as problem:
            return refused(request, template, title, form, issue, str(problem))
        except ValidationError as problem:
            return refused(request, template, title, form, issue, " ".join(problem.messages))
        articles = list(issue.articles.all())
        return step(request, template, title, form, issue, new_slug=new_slug, articles=articles)
    return step(request, template, title, form, issue)


@desk_page(CHANGE_ISSUE)
def split(request, pk: int):
    issue = source_issue(pk)
    form = SplitForm(request.POST or None, source=issue)
    template, title = "housekeeping/split.html", f"Split {issue.label}"
    if form.is_valid():
        data = form.cleaned_data
        parts = (data["number"], data["year"], data["month"], data["day"])
        articles = list(data["articles"])
        try:
            target = operations.new_issue(issue, *parts)
            plan = operations.planned_moves(articles, target)
            if confirming(request):
                target = operations.split_issue(issue, articles, *parts)
                messages.success(request, f"{len(articles)} articles moved to {target.label}.")
                return redirect(reverse("housekeeping:home"))
        except Refused as problem:
            return refused(request, template, title, form, issue, str(problem))
        return step(request, template, title, form, issue, plan=plan, target=target)
    return step(request, template, title, form, issue)
