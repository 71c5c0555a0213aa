"""The desk's housekeeping forms (plain HTML: selects, checkboxes, numbers)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from backfile.archive.models import Article, Issue
from backfile.archive.paging import whole_number

LARGEST_PK = 2**63 - 1  # a value past it is no row's, and the database cannot be asked it


def issues():
    return Issue.objects.select_related("publication").order_by(
        "publication__name", "year", "month", "day", "number"
    )


class IssueChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Issue) -> str:
        return f"{obj.publication.name}: {obj.label}"

    def to_python(self, value):
        if value not in self.empty_values and whole_number(str(value), LARGEST_PK) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ArticleChoices(forms.ModelMultipleChoiceField):
    """Articles ticked; a value that is no id (`²`, 400 digits) is refused as unknown,
    before the database is asked for it."""

    widget = forms.CheckboxSelectMultiple

    def _check_values(self, value):
        for pk in value:
            if whole_number(str(pk), LARGEST_PK) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class ChooseIssueForm(forms.Form):
    issue = IssueChoice(queryset=issues(), label="Issue")


class MergeForm(forms.Form):
    target = IssueChoice(queryset=issues(), label="Merge into")

    def __init__(self, *args, source: Issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = issues().exclude(pk=source.pk)


class MoveForm(forms.Form):
    articles = ArticleChoices(queryset=Article.objects.none(), label="Articles")
    target = IssueChoice(queryset=issues(), label="Move to")

    def __init__(self, *args, source: Issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["articles"].queryset = source.articles.select_related("issue", "publication")
        self.fields["target"].queryset = issues().exclude(pk=source.pk)


class RenumberForm(forms.Form):
    number = forms.IntegerField(required=False, label="Number")
    year = forms.IntegerField(min_value=1, max_value=9999, label="Year")
    month = forms.IntegerField(required=False, min_value=1, max_value=12, label="Month")
    day = forms.IntegerField(required=False, min_value=1, max_value=31, label="Day")


class SplitForm(RenumberForm):
    """Articles of an issue split off into a new issue of the same publication."""

    articles = ArticleChoices(queryset=Article.objects.none(), label="Articles")
    field_order = ["articles", "number", "year", "month", "day"]

    def __init__(self, *args, source: Issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["articles"].queryset = source.articles.select_related("issue", "publication")
