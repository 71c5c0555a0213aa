"""The desk's housekeeping forms (plain HTML: selects, checkboxes, numbers)."""

from __future__ import annotations

from django import forms

from backfile.archive.models import Article, Issue


def issues():
    return Issue.objects.select_related("publication").order_by(
        "publication__name", "year", "month", "day", "number"
    )


class IssueChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Issue) -> str:
        return f"{obj.publication.name}: {obj.label}"


class ChooseIssueForm(forms.Form):
    issue = IssueChoice(queryset=issues(), label="Issue")


class MergeForm(forms.Form):
    target = IssueChoice(queryset=issues(), label="Merge into")

    def __init__(self, *args, source: Issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = issues().exclude(pk=source.pk)


class MoveForm(forms.Form):
    articles = forms.ModelMultipleChoiceField(
        queryset=Article.objects.none(), widget=forms.CheckboxSelectMultiple, label="Articles"
    )
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

    articles = forms.ModelMultipleChoiceField(
        queryset=Article.objects.none(), widget=forms.CheckboxSelectMultiple, label="Articles"
    )
    field_order = ["articles", "number", "year", "month", "day"]

    def __init__(self, *args, source: Issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["articles"].queryset = source.articles.select_related("issue", "publication")
