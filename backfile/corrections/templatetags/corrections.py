"""The correction status of a page or an article, with the link to correct it.

`{% load corrections %}{% correction_status page %}` (or `article`) renders
`corrections/_status.html`: "Text corrected by NAME on DATE (N corrections)", or
"Uncorrected OCR, confidence 83%" for OCR no one has corrected yet, then "1 correction
awaiting review" where some are, and "Correct this text". Two queries (one for a page
no one has corrected).
"""

from __future__ import annotations

from math import isfinite

from django import template
from django.db.models import Avg, Count, Q
from django.urls import reverse

from backfile.archive.models import Article
from backfile.corrections.models import Correction
from backfile.facsimiles.models import Page

register = template.Library()

OCR_SOURCES = ("ocr", "alto", "hocr")


def ocr_confidence(subject: Page | Article) -> float | None:
    """The OCR's mean confidence: the page's own, or for an article the mean of its pages'
    (None where the text is not OCR)."""
    if isinstance(subject, Page):
        return subject.confidence if subject.text_source in OCR_SOURCES else None
    pages = Page.objects.filter(
        article_links__article=subject, text_source__in=OCR_SOURCES, confidence__isnull=False
    )
    return pages.aggregate(mean=Avg("confidence"))["mean"]


@register.inclusion_tag("corrections/_status.html")
def correction_status(subject: Page | Article) -> dict:
    kind = "page" if isinstance(subject, Page) else "article"
    corrections = Correction.objects.filter(**{kind: subject})
    counts = corrections.aggregate(
        accepted=Count("id", filter=Q(status=Correction.Status.ACCEPTED)),
        pending=Count("id", filter=Q(status=Correction.Status.PENDING)),
    )
    latest = confidence = None
    if counts["accepted"]:
        latest = corrections.accepted().order_by("-decided", "-id").first()
    else:
        confidence = ocr_confidence(subject)
    return {
        "accepted": counts["accepted"],
        "latest": latest,
        "pending": counts["pending"],
        "confidence": round(confidence)
        if confidence is not None and isfinite(confidence)
        else None,
        "correct_url": reverse(f"corrections:{kind}", args=[subject.pk]),
    }
