"""The language detector's byte walk in C (`backfile/ingest/_langid_walk.c`) counts what
py3langid's own walk in Python counts, so that a language never depends on which ran."""

from __future__ import annotations

import pytest
from py3langid.langid import visit_counts as python_walk

from backfile.ingest import language
from tests.conftest import skip_unless

TEXTS = {
    "en": "The dockers voted to stay out until the port authority reopened the talks.",
    "es": "Los trabajadores del puerto votaron seguir en huelga hasta que se reabran las negociaciones.",
    "de": "Die Hafenarbeiter stimmten dafür, den Streik fortzusetzen, bis die Gespräche wieder beginnen.",
    "fr": "Les dockers ont voté la poursuite de la grève jusqu'à la reprise des négociations.",
    "el": "Οι λιμενεργάτες ψήφισαν να συνεχίσουν την απεργία μέχρι να ξαναρχίσουν οι συνομιλίες.",
    "he": "עובדי הנמל הצביעו להמשיך בשביתה עד שהמשא ומתן יתחדש.",
    "mixed": "Strike! ¡Huelga! Streik! 1937–1938 … «grève» — 罢工 ✊",
}


@pytest.fixture(scope="module")
def native():
    try:
        from backfile.ingest._langid_walk import visit_counts
    except ImportError:
        visit_counts = None
    skip_unless(visit_counts is not None, "the language detector's C walk is not built (setup.py)")
    return visit_counts


@pytest.fixture(scope="module")
def model():
    return language._identifier()


@pytest.mark.parametrize("name", TEXTS)
def test_the_c_walk_counts_the_features_python_counts(native, model, name):
    text = model._encode(TEXTS[name])
    expected = python_walk(model.tk_nextmove, model._rowbase, model.tk_output, text)
    found = native(model.tk_nextmove, model._rowbase, model.tk_output, text, len(model.nb_ptc))
    assert found == dict(expected)
    assert list(found) == list(expected)  # in the order first met, as Counter keeps them


@pytest.mark.parametrize("name", TEXTS)
def test_the_walk_as_arrays_holds_the_same_counts_in_the_same_order(native, model, name):
    import numpy as np

    text = model._encode(TEXTS[name])
    counted = native(model.tk_nextmove, model._rowbase, model.tk_output, text, len(model.nb_ptc))
    features, counts = native(
        model.tk_nextmove, model._rowbase, model.tk_output, text, len(model.nb_ptc), True
    )
    assert np.frombuffer(features, dtype=np.int64).tolist() == list(counted)
    assert np.frombuffer(counts, dtype=np.float32).tolist() == list(counted.values())


def test_the_tally_kept_between_walks_starts_each_walk_at_zero(native, model):
    """Each walk's counts are its own: none is left over from the walk before."""

    def walk(name, as_arrays=False):
        text = model._encode(TEXTS[name])
        tables = (model.tk_nextmove, model._rowbase, model.tk_output)
        return native(*tables, text, len(model.nb_ptc), as_arrays)

    first = walk("en")
    walk("mixed", True)
    assert walk("en") == first == walk("en")


def test_the_detector_scores_as_py3langid_does(native, model):
    """The arrays the C walk fills give py3langid's own scores, to the last bit."""
    import numpy as np
    from py3langid.langid import LanguageIdentifier

    assert type(model) is not LanguageIdentifier  # the walk in C is the one detecting
    for text in TEXTS.values():
        encoded = model._encode(text)
        ours = model._raw_score(encoded)
        theirs = LanguageIdentifier._raw_score(model, encoded)  # py3langid's walk, in Python
        assert ours.dtype == theirs.dtype and np.array_equal(ours, theirs)


def test_a_text_with_no_feature_counts_none(native, model):
    assert (
        native(model.tk_nextmove, model._rowbase, model.tk_output, b"", len(model.nb_ptc)) is None
    )
    assert python_walk(model.tk_nextmove, model._rowbase, model.tk_output, b"") is None


def test_tables_that_do_not_fit_are_refused_not_read_past(native, model):
    text = model._encode(TEXTS["en"])
    with pytest.raises(ValueError):
        native(model.tk_nextmove, model._rowbase, model.tk_output, text, 0)
    with pytest.raises(IndexError):  # a model with fewer features than its automaton emits
        native(model.tk_nextmove, model._rowbase, model.tk_output, text, 1)
    with pytest.raises(IndexError):  # transitions cut short
        native(model.tk_nextmove[:10], model._rowbase, model.tk_output, text, len(model.nb_ptc))


def test_the_detector_walks_in_c_and_decides_as_py3langid_does(native, model):
    from py3langid.langid import LanguageIdentifier

    assert type(model) is not LanguageIdentifier and isinstance(model, LanguageIdentifier)
    plain = LanguageIdentifier.__new__(LanguageIdentifier)
    for name in LanguageIdentifier.__slots__:  # the same tables, py3langid's own walk
        if hasattr(model, name):
            setattr(plain, name, getattr(model, name))
    for text in TEXTS.values():
        assert model.classify(text) == plain.classify(text)
    assert language.detect(TEXTS["es"] * 2)[0] == "es"
