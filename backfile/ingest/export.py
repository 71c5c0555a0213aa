"""The archive as records again: the JSONL export (docs/jsonl-format.md).

Export reads the models and writes ArticleRecords as JSON, one per line, in a
stable order, so that export → ingest into an empty archive → export gives the
same bytes. An issue's printed pages follow its articles, a line each
(`{"record": "page", …}`: `backfile.ingest.page_export`); an archive without
pages exports exactly as before. The authority file comes first, an entry a line
(`{"record": "authority", …}`), and each article carries the entries it mentions and
the passages it quotes (`mentions`, `quotations`): derived fields, which an ingest does
not read but works out again from the article's text, as it did the first time.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from typing import TextIO

from django.db.models import Prefetch

from backfile.archive.models import Article, Byline, Publication, Review
from backfile.authority.models import Mention
from backfile.authority.storing import entry_record, exported_entries
from backfile.facsimiles.models import ArticlePage
from backfile.ingest.page_export import IssuePages, article_regions
from backfile.ingest.publication_meta import catalogue_of
from backfile.ingest.records import (
    ArticleRecord,
    Contributor,
    IssueRecord,
    ReplyRecord,
    ReviewedWork,
    Source,
    block_from_dict,
    record_to_dict,
)
from backfile.media.export import AssetFiles, article_assets
from backfile.quotations.models import Quotation
from backfile.replies.models import Reply

EXPORT_BATCH = 500


def article_to_record(article: Article, pages: IssuePages | None = None) -> ArticleRecord:
    """`pages`: the export's issues' pages and PDFs (one query for each issue with either)."""
    issue = article.issue
    replies = sorted(article.replies.all(), key=lambda r: (r.created, r.pk))
    keys = {r.pk: reply_export_key(r) for r in replies}
    source = article.source
    assets = article_assets(article.blocks, cover=issue.cover)
    # a cover is exported with its picture (a cover naming no stored picture is not)
    cover = issue.cover if any(a.sha256 == issue.cover for a in assets) else ""
    pdf = (pages or IssuePages()).pdf(issue)  # so is the issue's PDF
    if pdf is not None and all(a.sha256 != pdf.sha256 for a in assets):
        assets.append(pdf)
    return ArticleRecord(
        publication=article.publication.name,
        key=article.key,
        issue=IssueRecord(
            year=issue.year,
            number=issue.number,
            month=issue.month,
            day=issue.day,
            volume=issue.volume,
            slug=issue.slug,
            title=issue.title,
            cover=cover,
            pdf=pdf.sha256 if pdf is not None else "",
        ),
        title=article.title,
        source=Source(
            path=source.path, format=source.format, sha256=source.sha256, text=source.text
        ),
        slug=article.slug,
        section=article.section,
        kicker=article.kicker,
        standfirst=article.standfirst,
        summary=article.summary,
        authors=[b.author.name for b in article.author_bylines()],
        contributors=[Contributor(b.author.name, b.role) for b in article.contributor_bylines()],
        pages=article.pages,
        position=article.position,
        published=article.published,
        language=article.language,
        reviewed_works=[
            ReviewedWork(
                title=r.work.title,
                author=r.work.author,
                publisher=r.work.publisher,
                place=r.work.place,
                year=r.work.year,
                price=r.work.price,
            )
            for r in article.reviews.all()
        ],
        blocks=[block_from_dict(b) for b in article.blocks],
        subjects=list(article.subjects),
        original_url=article.original_url,
        attachments=list(article.attachments),
        assets=assets,
        replies=[
            ReplyRecord(
                key=keys[r.pk],
                author_name=r.author_name,
                text=r.text,
                status=r.status,
                created=r.created,
                author_email=r.author_email,
                author_url=r.author_url,
                parent_key=keys.get(r.parent_id, ""),
            )
            for r in replies
        ],
        regions=article_regions(article),
    )


def reply_export_key(reply: Reply) -> str:
    """Imported replies keep their source id; replies posted on the site get a stable one."""
    return reply.key or f"site-{reply.pk}"


def article_to_json(article: Article, record: ArticleRecord | None = None) -> dict:
    """The public JSONL object: the record plus derived fields readers of the export want."""
    data = record_to_dict(record or article_to_record(article))
    data["issue"]["decade"] = f"{article.issue.decade}s"
    data["url"] = article.get_absolute_url()
    data.pop("notes", None)
    data["mentions"] = article_mentions(article)
    data["quotations"] = article_quotations(article)
    return data


def article_mentions(article: Article) -> list[dict]:
    """The entries the article mentions, by type then name: [{"type", "name"}, …]."""
    entries = sorted(
        (m.entry for m in article.mentions.all()), key=lambda e: (e.type, e.key, e.name)
    )
    return [{"type": e.type, "name": e.name} for e in entries]


def article_quotations(article: Article) -> list[dict]:
    """The passages it quotes, in order: [{"text", "pages", "work"}, …], `work` the title of
    the reviewed work quoted (None where the text does not say)."""
    quoted = sorted(article.quotations.all(), key=lambda q: q.position)
    return [{"text": q.text, "pages": q.pages, "work": q.work.title if q.work else None}
            for q in quoted]  # fmt: skip


def authority_line(entry) -> dict:
    """An entry as its JSONL line; `capitalised` only where set."""
    record = entry_record(entry)
    line = {"record": "authority", "type": record.type, "name": record.name,
            "aliases": record.aliases, "note": record.note, "dates": record.dates}  # fmt: skip
    if record.capitalised:
        line["capitalised"] = True
    return line


def write_authority(out: TextIO) -> int:
    """The authority file, an entry a line, in a stable order; how many."""
    count = 0
    for entry in exported_entries().iterator(chunk_size=EXPORT_BATCH):
        out.write(json.dumps(authority_line(entry), ensure_ascii=False, sort_keys=True))
        out.write("\n")
        count += 1
    return count


def exported_articles(publication: str | None = None) -> Iterator[Article]:
    """Every article (or one publication's, by slug), in the export's order."""
    articles = Article.objects.all()
    if publication is not None:
        articles = articles.filter(publication__slug=publication)
    queryset = (
        articles.select_related("publication", "issue", "source")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            Prefetch("reviews", queryset=Review.objects.select_related("work")),
            "replies",
            Prefetch("page_links", queryset=ArticlePage.objects.select_related("page")),
            Prefetch("mentions", queryset=Mention.objects.select_related("entry")),
            Prefetch("quotations", queryset=Quotation.objects.select_related("work")),
        )
        .order_by(
            "publication__slug",
            "issue__year",
            "issue__month",
            "issue__day",
            "issue__number",
            "issue__slug",
            "position",
            "key",
        )
    )
    return queryset.iterator(chunk_size=EXPORT_BATCH)


def write_catalogue(out: TextIO, publication: Publication) -> None:
    """The publication's line `{"record": "publication", …}`, where its catalogue record sets
    anything (an archive without catalogue records exports as it always did)."""
    catalogue = catalogue_of(publication)
    if catalogue:
        line = {"record": "publication", "name": publication.name, **catalogue}
        out.write(json.dumps(line, ensure_ascii=False, sort_keys=True))
        out.write("\n")


def write_jsonl(
    out: TextIO,
    files: AssetFiles | None = None,
    counts: Counter | None = None,
    publication: str | None = None,
) -> int:
    """Write every article (or one publication's, by slug), each issue's pages after its
    articles (and the pages of issues without articles at the end); the pictures' files go
    where `files` says (the JSONL file's folder: see `backfile.media.files`). Without it they
    are not written. The whole archive's export begins with its authority file. The number
    of articles written; `counts`, where given, gets `pages` (and `entries`)."""
    count = 0
    if publication is None:
        entries = write_authority(out)
        if counts is not None:
            counts["entries"] += entries
    files = files or AssetFiles(None)
    pages = IssuePages(publication)
    issue = described = None
    for article in exported_articles(publication):
        if article.publication_id != described:  # its catalogue record first, where it has one
            described = article.publication_id
            write_catalogue(out, article.publication)
        if article.issue_id != issue:
            pages.write(out, issue, files)
            issue = article.issue_id
        record = article_to_record(article, pages)
        files.add(record.assets)
        out.write(json.dumps(article_to_json(article, record), ensure_ascii=False, sort_keys=True))
        out.write("\n")
        count += 1
    pages.write(out, issue, files)
    pages.write_the_rest(out, files)
    if counts is not None:
        counts["pages"] += pages.count
    return count
