"""Quotations: the passages an article quotes (block quotations and quoted sentences), with
the pages of the work they cite where the text says so (`on page 30`, `(Page 77.)`,
`pp. 12–14`) and, in a review, the reviewed work they come from. Kept by `extract` from
the article's body whenever it is stored; never edited by hand."""

from __future__ import annotations

from django.db import models

from backfile.archive.models import Article, ReviewedWork


class Quotation(models.Model):
    BLOCK, INLINE = "block", "inline"
    KINDS = [(BLOCK, "Block quotation"), (INLINE, "Quoted in the text")]

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotations")
    position = models.PositiveIntegerField(help_text="Its order in the article, from 0")
    kind = models.CharField(max_length=6, choices=KINDS)
    text = models.TextField()
    pages = models.CharField(max_length=100, blank=True, help_text="As cited: 30, 12–14")
    work = models.ForeignKey(
        ReviewedWork, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotations"
    )

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="quotation_position"),
        ]

    def __str__(self) -> str:
        return self.text[:80]
