"""The "Leave a Reply" form: every rejection says what to change, in the reader's words."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from backfile.archive.models import Article
from backfile.replies import moderation
from backfile.replies.models import Reply
from backfile.replies.text import count_links

HONEYPOT_MESSAGE = (
    "Your reply was not sent: a field that people never see (it catches spam robots) "
    "had something in it, perhaps put there by your browser's autofill. Your words are "
    "kept below; please send them again."
)

PARENT_MISSING_MESSAGE = (
    "The reply you are answering is not on this article (it may have been removed). "
    "Your reply will be sent as a reply to the article itself if you send it again."
)


class HoneypotForm(forms.Form):
    """A form with the spam robots' trap: `website`, a field the template hides from people
    and always offers empty (see `replies/section.html`)."""

    honeypot_message = HONEYPOT_MESSAGE
    website = forms.CharField(required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(self.honeypot_message, code="honeypot")
        return data


class ReplyForm(HoneypotForm):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={
            "required": "Please give your name: it is shown with your reply.",
            "max_length": "Please shorten your name to %(limit_value)d characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        help_text="Never shown to readers; the editors may use it to answer you.",
        error_messages={
            "invalid": "That email address does not look right; please check it, "
            "or leave the field empty."
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    text = forms.CharField(
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Please write your reply before sending it."},
    )
    parent = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": PARENT_MISSING_MESSAGE},
    )

    def __init__(self, *args, article: Article, **kwargs):
        kwargs.setdefault("auto_id", "reply-%s")  # ids that cannot clash with the article's
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["text"].widget.attrs["maxlength"] = moderation.max_length()

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        limit = moderation.max_length()
        if len(text) > limit:
            raise forms.ValidationError(
                f"Please shorten your reply to {limit:,} characters or fewer "
                f"(it is {len(text):,} now)."
            )
        links = count_links(text)
        if links > moderation.max_links():
            raise forms.ValidationError(
                f"Please keep to {moderation.max_links()} links or fewer (your reply has "
                f"{links}): replies full of links are how spam looks."
            )
        return text

    def clean_parent(self) -> Reply | None:
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        parent = Reply.objects.approved().filter(pk=parent_id, article=self.article).first()
        if parent is None:
            raise forms.ValidationError(PARENT_MISSING_MESSAGE)
        return parent

    def save(self, address: str | None) -> Reply:
        """Store the reply exactly as written, held or published as the policy says."""
        data = self.cleaned_data
        return Reply.objects.create(
            article=self.article,
            parent=data["parent"],
            author_name=data["name"],
            author_email=data["email"],
            text=data["text"],
            status=moderation.initial_status(data["email"]),
            created=timezone.now(),
            ip_address=address,
        )
