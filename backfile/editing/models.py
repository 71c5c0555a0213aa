"""Revisions of the link models: a byline and a review link (an article's tie to a work it
reviews) are kept in history like the article, issue, author and work they join.

Their historical tables belong to this app (`register(…, app=…)`), so the archive's own
models and migrations are untouched.
"""

from simple_history import register

from backfile.archive.models import Byline, Review

register(Byline, app="backfile.editing", table_name="editing_historicalbyline")
register(Review, app="backfile.editing", table_name="editing_historicalreview")
