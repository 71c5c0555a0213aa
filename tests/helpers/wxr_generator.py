"""Large WordPress exports for tests and benchmarks, written as a stream to a file.

`write_wxr(path, posts=200_000)` writes an invented periodical's export with
varied posts (classic and block-editor content, quotations, lists, entities,
emoji), categories, tags, threaded comments in every moderation state,
attachments before and after their posts, and a sprinkling of drafts and pages.
Nothing is held in memory but the post being written, so the helper itself
never distorts a memory measurement.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

SITE = "https://evening-lamp.example"
SECTIONS = ["Housing", "Work", "Letters", "Reviews", "Transport", "Health", "Schools"]
TAGS = ["rents", "repairs", "strike", "buses", "council", "pay", "libraries", "damp"]
AUTHORS = [("ngreer", "Nell Greer"), ("rbasu", "Ravi Basu"), ("kdoyle", "Kit Doyle")]
WORDS = [
    "tenants",
    "council",
    "meeting",
    "repairs",
    "rent",
    "lift",
    "stairwell",
    "neighbour",
    "petition",
    "agent",
    "landlord",
    "estate",
    "caretaker",
    "boiler",
    "window",
    "notice",
    "ballot",
    "branch",
    "hall",
    "minutes",
    "leaflet",
    "picket",
]
HEADER = f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>The Evening Lamp</title>
\t<link>{SITE}/</link>
\t<language>en-GB</language>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>{SITE}/</wp:base_site_url>
\t<wp:base_blog_url>{SITE}/</wp:base_blog_url>
"""
FOOTER = "</channel>\n</rss>\n"


def write_wxr(path: Path, posts: int, seed: int = 1) -> dict[str, int]:
    """Write an export with `posts` published posts; returns what it wrote, by kind."""
    rng = random.Random(seed)
    counts = {"published": 0, "draft": 0, "page": 0, "attachment": 0, "comment": 0}
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEADER)
        for login, name in AUTHORS:
            out.write(
                f"\t<wp:author><wp:author_login>{login}</wp:author_login>"
                f"<wp:author_display_name><![CDATA[{name}]]></wp:author_display_name></wp:author>\n"
            )
        for chunk in _items(rng, posts, counts):
            out.write(chunk)
        out.write(FOOTER)
    return counts


def _items(rng: random.Random, posts: int, counts: dict[str, int]) -> Iterator[str]:
    post_id = 1
    start = datetime(1998, 1, 1)
    for number in range(posts):
        when = start + timedelta(minutes=number * 97)
        attached = rng.random() < 0.05
        before = attached and rng.random() < 0.5  # attachments come before or after their post
        if before:
            counts["attachment"] += 1
            yield _attachment(post_id, post_id + 1, when)
            post_id += 1
        parent_id = post_id
        counts["published"] += 1
        yield _post(rng, post_id, when, "post", "publish", counts)
        post_id += 1
        if attached and not before:
            counts["attachment"] += 1
            yield _attachment(post_id, parent_id, when)
            post_id += 1
        if rng.random() < 0.01:
            kind, status = ("page", "publish") if rng.random() < 0.5 else ("post", "draft")
            counts["page" if kind == "page" else "draft"] += 1
            yield _post(rng, post_id, when, kind, status, counts)
            post_id += 1


def _post(
    rng: random.Random, post_id: int, when: datetime, kind: str, status: str, counts: dict
) -> str:
    title = _sentence(rng, 3, 8).rstrip(".")
    if rng.random() < 0.02:
        title += " \U0001f56f\ufe0f"  # an emoji now and then
    login, _ = rng.choice(AUTHORS)
    categories = rng.sample(SECTIONS, rng.randint(1, 2))
    tags = rng.sample(TAGS, rng.randint(0, 3))
    terms = "".join(
        f'\t\t<category domain="category" nicename="{c.lower()}"><![CDATA[{c}]]></category>\n'
        for c in categories
    ) + "".join(
        f'\t\t<category domain="post_tag" nicename="{t}"><![CDATA[{t}]]></category>\n' for t in tags
    )
    stamp = when.strftime("%Y-%m-%d %H:%M:%S")
    return (
        "\t<item>\n"
        f"\t\t<title>{escape(title)}</title>\n"
        f"\t\t<link>{SITE}/?p={post_id}</link>\n"
        f"\t\t<dc:creator><![CDATA[{login}]]></dc:creator>\n"
        f'\t\t<guid isPermaLink="false">{SITE}/?p={post_id}</guid>\n'
        f"\t\t<content:encoded><![CDATA[{_content(rng)}]]></content:encoded>\n"
        f"\t\t<excerpt:encoded><![CDATA[{_sentence(rng, 8, 16) if rng.random() < 0.3 else ''}]]></excerpt:encoded>\n"
        f"\t\t<wp:post_id>{post_id}</wp:post_id>\n"
        f"\t\t<wp:post_date><![CDATA[{stamp}]]></wp:post_date>\n"
        f"\t\t<wp:post_date_gmt><![CDATA[{stamp}]]></wp:post_date_gmt>\n"
        f"\t\t<wp:status><![CDATA[{status}]]></wp:status>\n"
        "\t\t<wp:post_parent>0</wp:post_parent>\n"
        f"\t\t<wp:post_type><![CDATA[{kind}]]></wp:post_type>\n"
        f"{terms}{_comments(rng, when, counts)}"
        "\t</item>\n"
    )


def _content(rng: random.Random) -> str:
    paragraphs = [_sentence(rng, 12, 40) for _ in range(rng.randint(2, 6))]
    if rng.random() < 0.3:
        paragraphs[0] = paragraphs[0].replace(" ", " <em>", 1) + "</em> &amp; more"
    if rng.random() < 0.2:
        paragraphs.insert(1, f"<blockquote>{_sentence(rng, 6, 20)}</blockquote>")
    if rng.random() < 0.1:
        paragraphs.append("<ul><li>" + "</li><li>".join(rng.sample(WORDS, 3)) + "</li></ul>")
    if rng.random() < 0.5:  # block-editor post
        return "\n\n".join(
            p if p.startswith("<") else f"<!-- wp:paragraph -->\n<p>{p}</p>\n<!-- /wp:paragraph -->"
            for p in paragraphs
        )
    return "\n\n".join(paragraphs)  # classic post: paragraphs are blank lines


def _comments(rng: random.Random, when: datetime, counts: dict[str, int]) -> str:
    written = []
    for number in range(rng.choice([0, 0, 0, 1, 2, 3])):
        counts["comment"] += 1
        comment_id = counts["comment"]
        parent = comment_id - 1 if number and rng.random() < 0.5 else 0
        approved = rng.choice(["1", "1", "1", "0", "spam"])
        stamp = (when + timedelta(hours=number + 1)).strftime("%Y-%m-%d %H:%M:%S")
        written.append(
            "\t\t<wp:comment>\n"
            f"\t\t\t<wp:comment_id>{comment_id}</wp:comment_id>\n"
            f"\t\t\t<wp:comment_author><![CDATA[Reader {comment_id % 977}]]></wp:comment_author>\n"
            f"\t\t\t<wp:comment_author_email>reader{comment_id % 977}@example.org</wp:comment_author_email>\n"
            f"\t\t\t<wp:comment_date_gmt>{stamp}</wp:comment_date_gmt>\n"
            f"\t\t\t<wp:comment_content><![CDATA[{_sentence(rng, 4, 20)}]]></wp:comment_content>\n"
            f"\t\t\t<wp:comment_approved>{approved}</wp:comment_approved>\n"
            f"\t\t\t<wp:comment_parent>{parent}</wp:comment_parent>\n"
            "\t\t</wp:comment>\n"
        )
    return "".join(written)


def _attachment(attachment_id: int, parent_id: int, when: datetime) -> str:
    url = f"{SITE}/wp-content/uploads/{when:%Y/%m}/photo-{attachment_id}.jpg"
    return (
        "\t<item>\n"
        f"\t\t<title>photo {attachment_id}</title>\n"
        f"\t\t<wp:post_id>{attachment_id}</wp:post_id>\n"
        f"\t\t<wp:post_parent>{parent_id}</wp:post_parent>\n"
        "\t\t<wp:post_type>attachment</wp:post_type>\n"
        f"\t\t<wp:attachment_url>{url}</wp:attachment_url>\n"
        "\t</item>\n"
    )


def _sentence(rng: random.Random, shortest: int, longest: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(shortest, longest))
    return " ".join(words).capitalize() + "."
