"""`backfile make-tiles [--all] [--again]`: IIIF tiles for the page images that lack them."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from backfile.facsimiles.models import Page
from backfile.facsimiles.tiles import has_tiles, make_for_pages


class Command(BaseCommand):
    help = (
        "Cut page images into IIIF tiles (Image API 3, level 0) in the media storage: the "
        "pages without tiles, or with --all every page's (made again with --again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Every page, not only new ones.")
        parser.add_argument(
            "--again", action="store_true", help="Make tiles that exist again (with --all)."
        )
        parser.add_argument("--quiet", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        pages = list(Page.objects.exclude(image="").only("pk", "image").order_by("pk"))
        if not options["all"]:
            pages = [page for page in pages if not has_tiles(page.image)]
        images = len({page.image for page in pages})
        with Progress(
            TextColumn("tiles"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=None,
            disable=options["quiet"],
            transient=False,
        ) as progress:
            task = progress.add_task("tiles", total=images)
            results = make_for_pages(
                pages,
                again=options["again"],
                progress=lambda done, total: progress.update(task, completed=done),
            )
        problems = [r.problem for r in results if r.problem]
        for problem in problems:
            self.stderr.write(problem)
        made = sum(1 for r in results if r.files)
        files = sum(r.files for r in results)
        self.stdout.write(
            f"tiles made for {made} page image{'s' if made != 1 else ''} ({files} files); "
            f"{len(problems)} could not be made"
        )
