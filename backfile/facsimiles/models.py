"""Printed pages: an issue's page images with their text, and where articles and figures
run on them.

A page's text is kept twice over: `text`, plain and in reading order (what search indexes
and the text view shows, corrected by editors and readers), and `layout`, the blocks, lines
and words with their boxes in the image's pixels and the OCR's confidence (what hits are
highlighted with). `source_text` is the text as the source gave it, before any correction:
both are searchable. The page image is a `media.Asset`, named by its SHA-256 like every
picture.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from backfile.archive.models import Article, Issue


class Page(models.Model):
    """One printed page of an issue, in the order the issue runs (`sequence`, from 1)."""

    TEXT_SOURCES = [
        ("pdf", "The PDF's own text layer"),
        ("ocr", "OCR by Backfile (Tesseract)"),
        ("alto", "OCR that came with the source (ALTO)"),
        ("hocr", "OCR that came with the source (hOCR)"),
        ("transcription", "Typed from the page"),
        ("", "No text"),
    ]

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="pages")
    sequence = models.PositiveIntegerField()
    label = models.CharField(
        max_length=40, blank=True, help_text="The page number as printed: 7, iv, A3."
    )
    image = models.CharField(
        max_length=64, blank=True, help_text="The SHA-256 of the page image (backfile.media)"
    )
    width = models.PositiveIntegerField(null=True, blank=True, help_text="Pixels")
    height = models.PositiveIntegerField(null=True, blank=True, help_text="Pixels")
    text = models.TextField(blank=True, help_text="The page's text in reading order.")
    source_text = models.TextField(
        blank=True, editable=False, help_text="The text as the source gave it, before corrections."
    )
    layout = models.JSONField(
        default=list, blank=True, editable=False,
        help_text="Blocks of lines of words, with boxes and confidence (see page_records).",
    )  # fmt: skip
    text_source = models.CharField(max_length=20, choices=TEXT_SOURCES, blank=True)
    confidence = models.FloatField(
        null=True, blank=True, help_text="The mean OCR word confidence, 0–100."
    )
    language = models.CharField(max_length=35, blank=True)
    source_path = models.CharField(max_length=1000, blank=True)
    ingested_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    edited = models.BooleanField(
        default=False, editable=False,
        help_text="The text has been corrected; a changed source will not overwrite it.",
    )  # fmt: skip
    modified = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["ingested_fingerprint", "modified", "layout"])

    class Meta:
        ordering = ["issue", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "sequence"], name="page_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.issue}, page {self.label or f'[{self.sequence}]'}"


class ArticlePage(models.Model):
    """An article runs on a page: the whole page (`regions` empty, as a printed `Pages 6 and
    7` says) or the boxes listed, each `[x, y, w, h]` in the page image's pixels."""

    HOW = [
        ("printed", "From the article's printed page numbers"),
        ("zoned", "From the source's article zones (METS/ALTO)"),
        ("editor", "Marked by an editor"),
    ]

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="page_links")
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="article_links")
    regions = models.JSONField(default=list, blank=True)
    how = models.CharField(max_length=10, choices=HOW, default="printed")

    class Meta:
        ordering = ["page__sequence"]
        constraints = [
            models.UniqueConstraint(fields=["article", "page"], name="article_page_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.article.title}, on page {self.page.label or f'[{self.page.sequence}]'}"


class PageFigure(models.Model):
    """An illustration printed on a page (a photograph, a cartoon, a map), its box in the page
    image's pixels; from the source (an ALTO Illustration) or marked by an editor."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="figures")
    x = models.PositiveIntegerField()
    y = models.PositiveIntegerField()
    w = models.PositiveIntegerField()
    h = models.PositiveIntegerField()
    caption = models.TextField(blank=True)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="page_figures"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["page", "y", "x"]

    def __str__(self) -> str:
        return self.caption or f"Figure on {self.page}"
