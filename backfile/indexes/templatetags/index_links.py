"""Links from an article to the index pages it is filed on."""

from __future__ import annotations

from django import template

from backfile.indexes.entries import Label, article_labels, label_slug

register = template.Library()


@register.filter
def section_slug(label: str) -> str:
    """A section label's slug, for `archive:section`."""
    return label_slug(" ".join((label or "").split())) if (label or "").strip() else ""


@register.filter
def subject_labels(article) -> list[Label]:
    """The article's subjects, each once, without its section label (shown as its section)."""
    return [
        label for label in article_labels(article.section, article.subjects) if not label.is_section
    ]
