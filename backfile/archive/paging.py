"""Long listings in pages, under one address each.

A listing page's query string is canonical (its parameters in one order, defaults left
out, `page` in range): any other spelling is redirected to the canonical one, so the
page cache (`cached_page(query_strings=True)`) keeps one copy of each page, a page
number past the end lands on the last page and a mistyped one on the first, and
nothing in a query string can make a page answer 500.

`whole_number` reads every number a reader or an editor types into an address or a form
field the site reads by hand (page numbers, ids, dates, a list's start): ASCII digits only.
`str.isdigit` is true of `²` (which int() refuses: a 500) and of `١٢` (which int() reads);
a number of hundreds of digits is read by int() but means nothing here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponseRedirect

LARGEST_PAGE = 99_999_999


def whole_number(text: str | None, maximum: int = 2**31 - 1) -> int | None:
    """`text` read as a whole number from 0 to `maximum`, or None: only ASCII digits, no
    sign, no spaces; leading zeros are read past, and no more digits than `maximum` has
    are turned into a number (int() of thousands of digits is slow, then refused)."""
    if not text or not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(maximum)):
        return None
    number = int(digits)
    return number if number <= maximum else None


def page_number(value: str | None) -> int:
    """A page number from the address (`?page=`); anything else is page 1."""
    return whole_number((value or "").strip(), LARGEST_PAGE) or 1


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str = ""  # none: the page shown, or a gap (…)
    current: bool = False


@dataclass
class Pager:
    """A page of a listing and the links to its neighbours (for `_pager.html`)."""

    page: Page
    previous: str = ""
    next: str = ""
    links: list[PageLink] = field(default_factory=list)

    @property
    def object_list(self):
        return self.page.object_list

    @property
    def count(self) -> int:
        return self.page.paginator.count


def _address(path: str, params: list[tuple[str, str]], number: int) -> str:
    query = urlencode(params + ([("page", str(number))] if number > 1 else []))
    return f"{path}?{query}" if query else path


def paginate(
    request: HttpRequest,
    items,
    per_page: int,
    params: list[tuple[str, str]] = (),
    count: int | None = None,
) -> Pager | HttpResponseRedirect:
    """The page the request asks for (`?page=`), or a redirect to its canonical address.

    `params`: the listing's other parameters as the view understood them, in order, with
    their defaults left out (e.g. `[("sort", "oldest")]`). `count`: how many items there
    are, where the view knows it already. Two queries (a count unless given, the page)."""
    params = list(params)
    number = page_number(request.GET.get("page"))
    paginator = Paginator(items, per_page)
    if count is not None:
        paginator.count = count  # (a cached property: set, it is not asked of the database)
    number = max(1, min(number, paginator.num_pages))
    canonical = _address(request.path, params, number)
    query = request.META.get("QUERY_STRING", "")
    if canonical != (f"{request.path}?{query}" if query else request.path):
        return HttpResponseRedirect(canonical)
    page = paginator.page(number)
    pager = Pager(page)
    if page.has_previous():
        pager.previous = _address(request.path, params, number - 1)
    if page.has_next():
        pager.next = _address(request.path, params, number + 1)
    if paginator.num_pages > 1:
        for n in paginator.get_elided_page_range(number, on_each_side=2, on_ends=1):
            if n == paginator.ELLIPSIS:
                pager.links.append(PageLink(str(n)))
            elif n == number:
                pager.links.append(PageLink(str(n), current=True))
            else:
                pager.links.append(PageLink(str(n), _address(request.path, params, n)))
    return pager
