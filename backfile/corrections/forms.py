"""The "Correct this text" form: a paragraph retyped, with the reader's name and a note.

The same defences as a reply's (backfile.replies): the honeypot, CSRF, the rate limit per
address, at most a few new links. Every refusal says what to change, and keeps the words.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from backfile.archive.models import Article
from backfile.corrections import text as paragraphs
from backfile.corrections.models import Correction
from backfile.facsimiles.models import Page
from backfile.replies import moderation
from backfile.replies.forms import HoneypotForm
from backfile.replies.text import count_links

HONEYPOT_MESSAGE = (
    "Your correction was not sent: a field that people never see (it catches spam robots) "
    "had something in it, perhaps put there by your browser's autofill. Your text is kept "
    "below; please send it again."
)
CHANGED_MESSAGE = (
    "This paragraph has been changed since you opened it (perhaps another reader's "
    "correction was accepted). Its text now is shown above; your version is kept in the "
    "form: please check it against the new text and send it again."
)
SAME_MESSAGE = "Your text is the same as the paragraph's: please change the words that are wrong."
EMPTY_MESSAGE = (
    "Please type the paragraph as it should read. To say that it should not be there "
    "at all, write that in the note and keep the text."
)


class CorrectionForm(HoneypotForm):
    honeypot_message = HONEYPOT_MESSAGE

    text = forms.CharField(
        label="The paragraph as it should read",
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        error_messages={"required": EMPTY_MESSAGE},
    )
    name = forms.CharField(
        label="Your name",
        max_length=200,
        help_text="Shown with the text once the correction is accepted.",
        error_messages={
            "required": "Please give your name: an accepted correction is credited to you.",
            "max_length": "Please shorten your name to %(limit_value)d characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        help_text="Never shown to readers; the editors may use it to ask you about it.",
        error_messages={
            "invalid": "That email address does not look right; please check it, "
            "or leave the field empty."
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    note = forms.CharField(
        label="A note to the editors (optional)",
        required=False,
        max_length=2000,
        error_messages={
            "max_length": "Please shorten your note to %(limit_value)d characters or fewer."
        },
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, subject: Page | Article, number: int, **kwargs):
        kwargs.setdefault("auto_id", "correction-%s")
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.number = number
        self.original = paragraphs.paragraph(subject, number) or ""
        self.fields["text"].widget.attrs["maxlength"] = self.max_length()
        if not self.is_bound:
            self.initial.setdefault("text", self.original)
            self.initial["seen"] = paragraphs.fingerprint(self.original)

    def max_length(self) -> int:
        """The text may add at most the replies' length limit to the paragraph's."""
        return len(self.original) + moderation.max_length()

    def clean_text(self) -> str:
        text = paragraphs.normalised(self.cleaned_data["text"])
        if not text:
            raise forms.ValidationError(EMPTY_MESSAGE)
        if len(text) > self.max_length():
            raise forms.ValidationError(
                f"Please shorten the paragraph to {self.max_length():,} characters or fewer "
                f"(it is {len(text):,} now)."
            )
        if text == paragraphs.normalised(self.original):
            raise forms.ValidationError(SAME_MESSAGE)
        added = count_links(text) - count_links(self.original)
        if added > moderation.max_links():
            raise forms.ValidationError(
                f"Please keep to {moderation.max_links()} new links or fewer (your text adds "
                f"{added}): corrections full of links are how spam looks."
            )
        return text

    def clean(self) -> dict:
        data = super().clean()
        if data.get("seen") != paragraphs.fingerprint(self.original):
            self.data = self.data.copy()  # offered again with the paragraph as it is now
            self.data["seen"] = paragraphs.fingerprint(self.original)
            raise forms.ValidationError(CHANGED_MESSAGE, code="changed")
        return data

    def save(self, address: str | None) -> Correction:
        """Hold the correction for an editor (corrections are never published unread)."""
        data = self.cleaned_data
        subject = {"page": self.subject} if isinstance(self.subject, Page) else {}
        subject = subject or {"article": self.subject}
        return Correction.objects.create(
            **subject,
            paragraph=self.number,
            original=self.original,
            text=data["text"],
            note=data["note"],
            author_name=data["name"],
            author_email=data["email"],
            created=timezone.now(),
            ip_address=address,
        )
