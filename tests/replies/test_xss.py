"""Hostile replies: nothing a reader writes becomes script, handler, frame or dangerous link."""

from __future__ import annotations

import pytest

from backfile.replies.text import count_links, render_reply
from tests.replies.helpers import refused_page, replies_section, reply_form_data, stored_reply

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>window.__xss = 1</script>",
    "<SCRIPT SRC=http://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)">click</p>',
    '<a href="https://ok.example/" onmouseover="alert(1)">hover</a>',
    "<b onmouseover=alert(1)>bold</b>",
    '<a href="javascript:alert(1)">js</a>',
    '<a href="JaVaScRiPt:alert(1)">mixed case</a>',
    '<a href="jav&#x09;ascript:alert(1)">encoded tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">entities</a>',
    '<a href=" javascript:alert(1)">leading space</a>',
    '<a href="java\nscript:alert(1)">newline</a>',
    '<a href="vbscript:msgbox(1)">vbs</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    "<a href=data:text/html,%3Cscript%3Ealert(1)%3C/script%3E>data unquoted</a>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example/"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<div style="background:url(javascript:alert(1))">styled</div>',
    '<p style="width: expression(alert(1))">expression</p>',
    "<style>body{background:red}</style>",
    '<object data="data:text/html,alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "<!--<img src=x onerror=alert(1)>-->",
    '"><script>alert(1)</script>',
    "</textarea><script>alert(1)</script>",
    "</p></div></section><script>alert(1)</script>",
    '<a href="https://ok.example/">fine</a><a href="//evil.example/">protocol-relative</a>',
]

DANGEROUS_ELEMENTS = (
    "script",
    "iframe",
    "svg",
    "img",
    "style",
    "object",
    "embed",
    "meta",
    "base",
    "math",
)
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")


def assert_inert(section) -> None:
    """No script, frame or media elements; no handlers; only http(s)/mailto links in replies."""
    for name in DANGEROUS_ELEMENTS:
        assert not section.xpath(f".//{name}"), f"<{name}> survived as markup"
    assert len(section.xpath(".//form")) == 1, "only the reply form itself"
    for element in section.iter():
        for attribute in element.attrib:
            assert not attribute.lower().startswith("on"), f"{attribute} on <{element.tag}>"
    for url in section.xpath(".//@href | .//@src | .//@action | .//@data | .//@srcdoc"):
        assert not "".join(url.split()).lower().startswith(DANGEROUS_SCHEMES), url
    for text in section.xpath(".//div[@class='reply__text']"):
        for element in text.iterdescendants():
            assert set(element.attrib) <= {"href", "rel"}, f"{element.attrib} on <{element.tag}>"
        for link in text.xpath(".//a[@href]"):
            assert link.get("href").startswith(("http://", "https://", "mailto:"))
            assert link.get("rel") == "nofollow ugc"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_as_markup_on_the_article_page(client, article, payload):
    reply = stored_reply(article, payload)
    page = client.get(article.get_absolute_url())
    section = replies_section(page.content)
    assert section.xpath(f'.//li[@id="reply-{reply.pk}"]'), "the reply is shown"
    assert_inert(section)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_in_the_refused_form(client, article, payload):
    """A refused reply is echoed back in the form: it must come back as text too."""
    response = refused_page(client, article, reply_form_data(text=payload, email="bad"))
    section = replies_section(response.content)
    assert_inert(section)
    assert section.xpath('.//textarea[@name="text"]')[0].text_content().strip() == payload


def test_a_script_tag_reads_as_text():
    rendered = render_reply("<script>window.__xss = 1</script> and more")
    assert "<script" not in rendered
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt; and more" in rendered


def test_a_hostile_name_is_escaped(client, article):
    stored_reply(article, "Hello.", author_name='<img src=x onerror="alert(1)">Eve')
    section = replies_section(client.get(article.get_absolute_url()).content)
    assert_inert(section)
    assert '<img src=x onerror="alert(1)">Eve' in section.text_content()


def test_an_imported_author_url_is_only_linked_when_it_is_a_web_address(client, article):
    stored_reply(article, "One.", author_name="Safe", author_url="https://safe.example/")
    stored_reply(article, "Two.", author_name="Sly", author_url="javascript:alert(1)")
    section = replies_section(client.get(article.get_absolute_url()).content)
    assert_inert(section)
    assert section.xpath('.//a[@class="reply__author"]/@href') == ["https://safe.example/"]
    assert section.xpath('.//a[@class="reply__author"]/@rel') == ["nofollow ugc"]


def test_paragraphs_breaks_and_links_are_kept():
    rendered = render_reply(
        "First line\nsecond line\n\nSee https://gazette.example/1952/88 or "
        '<a href="mailto:letters@gazette.example">write</a>, <em>please</em>.'
    )
    assert rendered == (
        "<p>First line<br>\nsecond line</p>\n"
        '<p>See <a href="https://gazette.example/1952/88" rel="nofollow ugc">'
        "https://gazette.example/1952/88</a> or "
        '<a href="mailto:letters@gazette.example" rel="nofollow ugc">write</a>, '
        "<em>please</em>.</p>"
    )


def test_a_trailing_full_stop_is_not_part_of_an_address():
    assert 'href="https://gazette.example/a"' in render_reply("Read https://gazette.example/a.")


def test_links_are_counted_as_a_reader_sees_them():
    assert count_links("no links here") == 0
    assert count_links('<a href="https://x.example/">https://x.example/</a>') == 1
    assert count_links("https://x.example/ and https://y.example/") == 2
