"""An article's language: declared where plausible, detected where not, never guessed from
a few words; through the real pipeline for every reader (JSONL here, legacy pages in
test_legacy_datelines, WordPress below)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from backfile.archive.models import Article
from backfile.ingest.language import Languages, choose, normalise_tag
from backfile.ingest.records import ArticleRecord, Block, IssueRecord, Source

ENGLISH = (
    "The lock keepers on the old canal have asked the council for a second pair of hands "
    "through the winter, when the gates freeze and the boats queue for hours."
)
SPANISH = (
    "Los guardas de las esclusas del viejo canal han pedido al ayuntamiento otra persona "
    "durante el invierno, cuando las compuertas se hielan y los barcos esperan horas."
)


@pytest.mark.parametrize(
    "cache", ["made now", "kept from before", "damaged", "corrupted", "not writable"]
)
def test_the_ingests_model_reads_exactly_as_py3langid_does(cache, tmp_path, monkeypatch):
    """The ingest packs the model's tables (`language._identifier`) and reads them from an
    unpacked copy in the user's cache folder, made by the first ingest (or from the model
    as shipped where no copy can be kept, or the copy is cut short or has a byte changed):
    every text gets py3langid's own language and confidence."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from backfile.ingest.language import _identifier

    folder = tmp_path / "cache"
    if cache == "not writable":
        folder.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    _identifier.cache_clear()
    if cache in ("kept from before", "damaged", "corrupted"):
        _identifier()
        _identifier.cache_clear()
    copies = list((folder / "backfile").glob("*.npz")) if folder.is_dir() else []
    assert len(copies) == (1 if cache in ("kept from before", "damaged", "corrupted") else 0)
    if cache == "damaged":
        copies[0].write_bytes(copies[0].read_bytes()[: 1 << 20])  # cut short
    if cache == "corrupted":  # one byte of the automaton's transitions changed, the size kept
        data = bytearray(copies[0].read_bytes())
        data[len(data) - 20_000_000] ^= 0xFF
        copies[0].write_bytes(bytes(data))
    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = [
        ENGLISH,
        SPANISH,
        ENGLISH.upper(),
        "Les éclusiers du vieux canal ont demandé au conseil une seconde paire de bras.",
        "Die Schleusenwärter am alten Kanal baten den Rat um eine zweite Hilfe im Winter.",
        "Οι φύλακες των υδατοφρακτών ζήτησαν από το συμβούλιο βοήθεια τον χειμώνα.",
        SPANISH + " " + ENGLISH,
        "",
        "1 2 3 --",
    ]
    try:
        for text in texts:
            assert _identifier().classify(text) == plain.classify(text), text
        copies = list((folder / "backfile").glob("*.npz")) if folder.is_dir() else []
        assert len(copies) == (1 if cache in ("made now", "kept from before") else 0)
        assert not list(folder.glob("**/*.part")) if folder.is_dir() else True
    finally:
        _identifier.cache_clear()  # the next test loads the model as the ingest would


def test_tags_are_normalised_and_nonsense_is_no_declaration():
    assert normalise_tag("en_gb") == "en-GB"
    assert normalise_tag("ES") == "es"
    assert normalise_tag("zh-hant-tw") == "zh-Hant-TW"
    assert normalise_tag("English") == ""
    assert normalise_tag("und") == ""
    assert normalise_tag("en-GB-oxendict-spelling-x-house") == "en"  # too long to store whole


def test_detected_where_undeclared_and_declared_where_plausible():
    assert choose("", SPANISH, "en") == "es"
    assert choose("", ENGLISH, "es") == "en"
    assert choose("es-MX", SPANISH, "en") == "es-MX"
    assert choose("en-US", ENGLISH, "es") == "en-US"


def test_a_declaration_the_text_clearly_contradicts_gives_way():
    long_spanish = " ".join([SPANISH] * 4)
    assert choose("en", long_spanish, "en") == "es"


def test_a_short_text_takes_its_publications_usual_language():
    assert choose("", "Gracias", "en") == "en"
    languages = Languages("en")
    records = [_record(f"k{n}", "Noticias", SPANISH) for n in range(3)]
    records.append(_record("short", "Hola", "Breve."))
    for record in records:
        languages.settle(record)
    assert [r.language for r in records] == ["es", "es", "es", "es"]


def _record(key: str, title: str, text: str, language: str = "") -> ArticleRecord:
    return ArticleRecord(
        publication="The Lock Keeper",
        key=key,
        issue=IssueRecord(year=1998, number=4, month=3),
        title=title,
        source=Source.of(f"invented/{key}.txt", "test", text),
        blocks=[Block("paragraph", text=text)],
        language=language,
    )


@pytest.mark.django_db
def test_jsonl_records_are_detected_unless_they_say(tmp_path):
    lines = []
    for key, text, language in (
        ("es", SPANISH, None),
        ("en", ENGLISH, None),
        ("cy", ENGLISH, "cy"),
    ):
        record = {
            "publication": "The Lock Keeper",
            "key": key,
            "issue": {"year": 1998, "number": 4, "month": 3},
            "title": f"Canal news {key}",
            "source": {"path": f"{key}.txt", "format": "test", "sha256": "0" * 64, "text": ""},
            "blocks": [{"type": "paragraph", "text": text}],
        }
        if language:
            record["language"] = language
        lines.append(json.dumps(record, ensure_ascii=False))
    path = tmp_path / "canal.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("ingest", str(path), "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    stored = dict(Article.objects.values_list("key", "language"))
    # a declaration the short text cannot contradict is kept
    assert stored == {"es": "es", "en": "en", "cy": "cy"}


SPANISH_POST = """
	<item>
		<title>Los ascensores de la torre</title>
		<link>https://lamplighter.example/2019/04/ascensores/</link>
		<dc:creator><![CDATA[mfenwick]]></dc:creator>
		<guid isPermaLink="false">https://lamplighter.example/?p=501</guid>
		<content:encoded><![CDATA[{text}]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>501</wp:post_id>
		<wp:post_date><![CDATA[2019-04-02 09:30:00]]></wp:post_date>
		<wp:post_name><![CDATA[ascensores]]></wp:post_name>
		<wp:status><![CDATA[publish]]></wp:status>
		<wp:post_type><![CDATA[post]]></wp:post_type>
	</item>
</channel>"""


@pytest.mark.django_db
def test_a_wordpress_channels_language_is_kept_unless_a_post_plainly_is_in_another(tmp_path):
    from tests.conftest import FIXTURES

    export = (FIXTURES / "wxr" / "lamplighter.xml").read_text(encoding="utf-8")
    spanish = SPANISH_POST.format(text="\n\n".join([SPANISH] * 2))
    path = tmp_path / "export.xml"
    path.write_text(export.replace("</channel>", spanish, 1), encoding="utf-8")
    call_command("ingest", str(path), "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    languages = dict(Article.objects.values_list("title", "language"))
    assert languages.pop("Los ascensores de la torre") == "es"
    assert set(languages.values()) == {"en-GB"}  # as the channel declares


def test_the_unpacked_model_replaces_a_copy_of_the_earlier_layout(tmp_path, monkeypatch):
    """A copy made by an earlier version (float16 weights, another name) is removed when the
    float32 copy is made, and the new copy holds the model's weights widened, not changed."""
    import numpy as np
    from py3langid.langid import MODEL_DIR, MODEL_FILE
    from py3langid.modelio import load_model

    from backfile.ingest.language import UNPACKED_SUFFIX, unpacked_model

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = tmp_path / "backfile"
    folder.mkdir()
    earlier = folder / "language-model-0123456789abcdef.npz"
    earlier.write_bytes(b"a copy in the earlier layout")
    unrelated = folder / "something-else.npz"
    unrelated.write_bytes(b"not ours to remove")
    copy = unpacked_model(MODEL_DIR / MODEL_FILE)
    assert copy is not None and copy.name.endswith(UNPACKED_SUFFIX)
    assert not earlier.exists() and unrelated.exists()
    with np.load(copy) as arrays:
        weights = arrays["ptc"]
    shipped = load_model(MODEL_DIR / MODEL_FILE)[0]
    assert weights.dtype == np.float32 and shipped.dtype == np.float16
    assert np.array_equal(weights, shipped.astype(np.float32))
