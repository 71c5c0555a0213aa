"""The desk's ingest form: files (or archives) uploaded, or a folder of the server named."""

from __future__ import annotations

from django import forms

from backfile.desk.jobs import allowed_folder, ingest_roots


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files at once (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class IngestForm(forms.Form):
    files = MultipleFileField(
        required=False,
        label="Files to bring in",
        help_text="Page captures, a WordPress export (WXR), PDFs, page images, or an archive "
        "of them (.zip, .tar.gz, .tar.xz): whatever `backfile ingest` reads.",
    )
    folder = forms.CharField(
        required=False,
        max_length=4000,
        label="Or a folder on the server",
        help_text="Its whole path, inside one of the folders the desk may ingest.",
    )
    publication = forms.CharField(
        required=False,
        max_length=300,
        label="Publication",
        help_text="The publication's name, for formats that do not say (page captures, "
        "legacy sites).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        roots = ingest_roots()
        if roots:
            self.fields["folder"].help_text += " Allowed: " + ", ".join(map(str, roots)) + "."
        else:
            del self.fields["folder"]

    def clean_folder(self):
        text = self.cleaned_data.get("folder", "").strip()
        return allowed_folder(text) if text else None

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        files, folder = cleaned.get("files"), cleaned.get("folder")
        if files and folder:
            raise forms.ValidationError("Upload files or name a folder, not both.")
        if not files and not folder:
            what = "Choose the files to upload" + (
                " or name a folder" if "folder" in self.fields else ""
            )
            raise forms.ValidationError(f"{what}: there is nothing to ingest.")
        return cleaned
