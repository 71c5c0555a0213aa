"""Addresses of the authority file's pages, for templates: never a 500 for a stored oddity."""

from django import template

from backfile.authority.book_views import book_url
from backfile.authority.shown import entry_url

register = template.Library()


@register.filter
def entry_page(kind: str, slug: str) -> str:
    """`{{ kind|entry_page:slug }}`: an entry's address, "" for a slug no address holds."""
    return entry_url(kind, slug)


@register.filter
def book_page(work) -> str:
    """`{{ work|book_page }}`: a reviewed work's page in the index of reviewed books."""
    return book_url(work)
