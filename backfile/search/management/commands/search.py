"""`backfile search QUERY [--json]`: the search page's results in the terminal."""

from __future__ import annotations

import html
import json
import re

from django.core.management.base import BaseCommand

from backfile.search.backends import FACETS, MAX_PER_PAGE, SORTS, filters_from
from backfile.search.kinds import KINDS, find
from backfile.search.serialize import found_to_dict

TAG = re.compile(r"<[^>]+>")


def plain(fragment: str) -> str:
    """A highlighted HTML fragment as terminal text, matches in [brackets]."""
    return html.unescape(TAG.sub("", fragment.replace("<mark>", "[").replace("</mark>", "]")))


class Command(BaseCommand):
    help = "Search the archive with the search page's language; --json for the API's JSON."

    def add_arguments(self, parser):
        parser.add_argument(
            "query", nargs="+", help='words, "phrases", author:…, year:… (quote it)'
        )
        parser.add_argument("--json", action="store_true", help="print the API's JSON")
        parser.add_argument("--sort", choices=SORTS, default="relevance")
        parser.add_argument("--page", type=int, default=1)
        parser.add_argument(
            "--per-page", type=int, default=10, choices=range(1, MAX_PER_PAGE + 1), metavar="N"
        )
        parser.add_argument(
            "--kind", choices=KINDS, default="", help="articles, printed pages, or all"
        )
        for name in FACETS:
            parser.add_argument(f"--{name}", default="", help=f"narrow to one {name}")

    def handle(self, *args, **options):
        filters, notices = filters_from(options)
        found = find(
            " ".join(options["query"]),
            filters,
            options["kind"],
            sort=options["sort"],
            page=options["page"],
            per_page=options["per_page"],
        )
        found.results.notices = notices + found.results.notices
        data = found_to_dict(found)
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for notice in data["notices"]:
            self.stderr.write(f"note: {notice}")
        self.stdout.write(
            f"{data['total']} result{'s' if data['total'] != 1 else ''}"
            + (f", page {data['page']} of {data['pages']}" if data["pages"] > 1 else "")
        )
        first = (data["page"] - 1) * data["per_page"] + 1
        for number, result in enumerate(data["results"], start=first):
            self.write_result(f"{number}.", result)
        if data["more_pages"]:
            pages = data["counts"]["pages"]
            self.stdout.write(f"\nOn printed pages: {pages} (--kind pages for all of them)")
            for result in data["more_pages"]:
                self.write_result("-", result)

    def write_result(self, number: str, result: dict) -> None:
        if result["kind"] == "page":
            page = result["page"] or f"[{result['sequence']}]"
            self.stdout.write(f"\n{number} {result['issue']}, page {page}")
        else:
            self.stdout.write(f"\n{number} {result['title']}")
        self.stdout.write(f"   {result['publication']}, {result['issue']}  {result['url']}")
        self.stdout.write(f"   {plain(result['snippet'])}")
