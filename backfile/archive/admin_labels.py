"""Labels for the fields of the admin's tabular inlines. Django lays an inline's rows out in a
table whose column headings name the fields, but the inputs themselves carry no label, so a
screen reader announces "edit text" in every cell (axe-core: `label`). This formset names each
input after its field and row: "Role, byline 2"."""

from __future__ import annotations

from django.forms.models import BaseInlineFormSet
from django.forms.utils import pretty_name


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)  # the DELETE box and the foreign key, among others
        row = self.model._meta.verbose_name
        number = "new" if index is None else index + 1
        for name, field in form.fields.items():
            label = str(field.label or "").strip() or pretty_name(name)  # as the heading says
            # a related field's select sits inside the admin's wrapper (its + and ✎ links)
            widget = getattr(field.widget, "widget", field.widget)
            widget.attrs.setdefault("aria-label", f"{label}, {row} {number}")
