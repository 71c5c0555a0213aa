"""Audio, video and embed blocks on the page and on the desk: a card with a plain link that
loads nothing, whatever address the block holds."""

from __future__ import annotations

import pytest
from django import forms
from lxml import html

from backfile.archive.admin import validated_blocks
from backfile.media.embeds import render_media


def card(block: dict) -> html.HtmlElement:
    return html.fromstring(str(render_media(block)))


def test_a_card_names_what_it_is_its_service_and_its_address_as_a_plain_link():
    film = card({"type": "embed", "url": "https://vimeo.com/42", "provider": "Vimeo", "text": ""})
    (link,) = film.xpath("//a")
    assert link.get("href") == "https://vimeo.com/42"
    assert link.text_content() == "Video on Vimeo"
    assert "nofollow" in link.get("rel")
    assert not film.xpath("//iframe|//video|//audio|//img|//*[@src]")

    sound = card(
        {"type": "audio", "url": "https://example.org/uploads/discurso.mp3", "text": "El discurso"}
    )
    assert sound.xpath("//a")[0].text_content() == "El discurso"
    assert (
        "Audio" in sound.text_content()
        and "example.org/uploads/discurso.mp3" in sound.text_content()
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "http://[broken/film.mp4", "https:///no-host", "ftp://x.org/a"]
)
def test_an_address_that_is_not_the_web_is_shown_and_never_linked(url):
    """Whatever a stored block holds (an address no parser takes among them), the card is
    drawn, and links only to a web address with a host."""
    odd = card({"type": "video", "url": url, "text": "A film"})
    assert not odd.xpath("//a")
    assert url in odd.text_content()


def test_the_desk_keeps_a_media_blocks_address_and_refuses_one_without():
    kept = validated_blocks(
        [{"type": "embed", "text": "", "url": "https://youtu.be/x", "provider": "YouTube"}]
    )
    assert kept == [
        {"type": "embed", "text": "", "url": "https://youtu.be/x", "provider": "YouTube"}
    ]
    with pytest.raises(forms.ValidationError, match="needs the url"):
        validated_blocks([{"type": "video", "text": "A film"}])
    with pytest.raises(forms.ValidationError, match="belong only to"):
        validated_blocks([{"type": "paragraph", "text": "Words", "url": "https://example.org"}])
