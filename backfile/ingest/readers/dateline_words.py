"""The words of datelines, one table per language (see `datelines`, whose grammar reads
them): month names and abbreviations, seasons, the words for page(s), number and volume,
particles, range words, weekdays and the words that open a byline. Adding a language is
adding a table to LANGUAGES."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Words:
    """One language's dateline words, all lower case (accents as printed and without)."""

    months: dict[str, int]  # full names and abbreviations → 1–12
    seasons: dict[str, int]  # season → the month it is dated by
    page: frozenset[str]  # page, pages, p, pp
    number: frozenset[str]  # issue, number, no
    volume: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()  # words between day, month and year: `de`, `of`
    ranges: frozenset[str] = frozenset()  # words joining months or pages: `to`, `and`, `a`, `y`
    weekdays: frozenset[str] = frozenset()
    byline: frozenset[str] = frozenset()  # words that open a byline: `by`, `por`
    # words a date may follow, read past as a weekday is: `Posted`, `Publicado el`
    leads: frozenset[str] = frozenset()
    full_months: tuple[str, ...] = ()  # the names that a misspelling is compared with


def _months(names: list[str], abbreviations: dict[str, int]) -> dict[str, int]:
    table = {name: number for number, name in enumerate(names, start=1)}
    return {**table, **abbreviations}


ENGLISH_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
]  # fmt: skip
SPANISH_MONTHS = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
    "septiembre", "octubre", "noviembre", "diciembre",
]  # fmt: skip

LANGUAGES: dict[str, Words] = {
    "en": Words(
        months=_months(
            ENGLISH_MONTHS,
            {
                "jan": 1,
                "feb": 2,
                "febr": 2,
                "mar": 3,
                "apr": 4,
                "jun": 6,
                "jul": 7,
                "aug": 8,
                "sep": 9,
                "sept": 9,
                "oct": 10,
                "nov": 11,
                "dec": 12,
            },
        ),  # fmt: skip
        seasons={"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12},
        page=frozenset({"page", "pages", "p", "pp", "pg", "pgs"}),
        number=frozenset({"issue", "number", "no", "nos", "num", "nº", "edition"}),
        volume=frozenset({"volume", "vol"}),
        particles=frozenset({"of", "the"}),
        ranges=frozenset({"to", "and", "through"}),
        weekdays=frozenset(
            {
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "mon",
                "tue",
                "tues",
                "wed",
                "thu",
                "thur",
                "thurs",
                "fri",
                "sat",
                "sun",
            }
        ),  # fmt: skip
        byline=frozenset({"by"}),
        leads=frozenset({"posted", "published", "dated", "date", "on", "week", "of"}),
        full_months=tuple(ENGLISH_MONTHS),
    ),
    "es": Words(
        months=_months(
            SPANISH_MONTHS,
            {
                "setiembre": 9,
                "ene": 1,
                "feb": 2,
                "mar": 3,
                "abr": 4,
                "may": 5,
                "jun": 6,
                "jul": 7,
                "ago": 8,
                "sep": 9,
                "sept": 9,
                "set": 9,
                "oct": 10,
                "nov": 11,
                "dic": 12,
            },
        ),  # fmt: skip
        seasons={"primavera": 3, "verano": 6, "otoño": 9, "otono": 9, "invierno": 12},
        page=frozenset({"página", "páginas", "pagina", "paginas", "pág", "págs", "pag", "pags"}),
        number=frozenset({"número", "numero", "núm", "num", "nº", "no", "n", "edición", "edicion"}),
        volume=frozenset({"volumen", "vol", "año"}),
        particles=frozenset({"de", "del"}),
        ranges=frozenset({"a", "y", "al"}),
        weekdays=frozenset(
            {
                "lunes",
                "martes",
                "miércoles",
                "miercoles",
                "jueves",
                "viernes",
                "sábado",
                "sabado",
                "domingo",
            }
        ),  # fmt: skip
        byline=frozenset({"por", "reseña", "resena", "entrevista", "texto"}),
        leads=frozenset(
            {"publicado", "publicada", "fechado", "fechada", "fecha", "el", "semana", "del"}
        ),
        full_months=tuple(SPANISH_MONTHS),
    ),
}
