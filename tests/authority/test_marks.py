"""The sentence an entry's page quotes, with the entry's names marked."""

from __future__ import annotations

from backfile.authority.marks import marked


def test_names_are_marked_with_their_possessives_and_followers_only():
    sentence = "Trotsky’s critics, Trotskyists all, met Trotskyite Edwards in Trotskyville."
    assert marked(sentence, ["Trotsky"]) == (
        "<mark>Trotsky’s</mark> critics, <mark>Trotskyists</mark> all, met "
        "<mark>Trotskyite</mark> Edwards in Trotskyville."
    )
    assert marked("Ed wrote on education.", ["Ed"]) == "<mark>Ed</mark> wrote on education."


def test_initialisms_accents_and_the_longest_name_win():
    assert marked("The P.O.U.M. and the POUM.", ["POUM"]) == (
        "The <mark>P.O.U.M.</mark> and the <mark>POUM</mark>."
    )
    assert marked("Émile Zola and emile zola", ["Emile Zola"]) == (
        "<mark>Émile Zola</mark> and <mark>emile zola</mark>"
    )
    assert marked("V. I. Lenin wrote", ["Lenin", "V. I. Lenin"]) == "<mark>V. I. Lenin</mark> wrote"


def test_the_rest_is_escaped():
    assert (
        marked("<b>Lenin</b> & co", ["Lenin"]) == "&lt;b&gt;<mark>Lenin</mark>&lt;/b&gt; &amp; co"
    )
    assert marked("", ["Lenin"]) == ""
    assert marked("<i>x</i>", []) == "&lt;i&gt;x&lt;/i&gt;"
