"""Formatting of single values into fixed-width fields: one function per field type (A, N, D).

Text is written as printable ASCII: accents are transliterated (José -> Jose, Nguyễn -> Nguyen) and a few
common typographic characters replaced; anything else that is not ASCII is refused, never guessed.
Values too long for their field are refused too: the spec gives no truncation rule we could verify.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date

from .layouts import Field, Layout

# Characters NFKD decomposition leaves alone but that have an obvious ASCII spelling.
_REPLACEMENTS = str.maketrans(
    {
        "ß": "ss", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Œ": "OE", "œ": "oe", "Ł": "L", "ł": "l",
        "Đ": "D", "đ": "d", "Þ": "Th", "þ": "th", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
        "\u2013": "-", "\u2014": "-", "\u00a0": " ",
    }
)  # fmt: skip


class FieldError(ValueError):
    """A value that cannot be written into its field; the message is plain English."""


def is_blank(value: object) -> bool:
    """True for None and for strings holding only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def to_ascii(text: str) -> str:
    """Transliterate `text` to printable ASCII, or raise FieldError naming the characters that cannot be."""
    if text.isascii() and text.isprintable():
        return text  # nearly every value: nothing to transliterate
    decomposed = unicodedata.normalize("NFKD", text.translate(_REPLACEMENTS))
    ascii_text = "".join(char for char in decomposed if not unicodedata.combining(char))
    if bad := sorted({char for char in ascii_text if not " " <= char <= "~"}):
        raise FieldError(f"contains characters that cannot be written in ASCII: {' '.join(map(repr, bad))}.")
    return ascii_text


def _fit(text: str, length: int) -> str:
    if len(text) > length:
        raise FieldError(f"is {len(text)} characters long; this field holds at most {length}.")
    return text


def format_alpha(value: object, length: int) -> str:
    """Type A: left-justified and space-filled."""
    return _fit(to_ascii(str(value).strip()), length).ljust(length)


def format_numeric(value: object, length: int) -> str:
    """Type N: right-justified and zero-filled whole number."""
    text = str(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
        raise FieldError(f"must be a whole number of digits only, not {text!r}.")
    return _fit(text, length).rjust(length, "0")


def format_date(value: object, length: int) -> str:
    """Type D: DDMMYYYY, each part zero-filled."""
    if not isinstance(value, date):
        raise FieldError(f"must be a date, not {value!r}.")
    return _fit(f"{value.day:02d}{value.month:02d}{value.year:04d}", length)


FORMATTERS: dict[str, Callable[[object, int], str]] = {
    "A": format_alpha,
    "N": format_numeric,
    "D": format_date,
}


def format_field(field: Field, value: object) -> str:
    """`value` written into `field` (past code tables and required fields, as check_field says); blank
    values and filler fields are written as spaces. Raises FieldError for a value that does not fit."""
    text, message = check_field(field, value)
    if text is None:
        raise FieldError(message)
    return text


def format_record(layout: Layout, values: Mapping[str, object]) -> str:
    """One record of `layout`, without its line end; raises FieldError for a value that does not fit."""
    record = "".join(format_field(field, values.get(field.key)) for field in layout.fields)
    assert len(record) == layout.record_length, f"{layout.file} record is {len(record)} characters"
    return record


def check_field(field: Field, value: object) -> tuple[str | None, str | None]:
    """The field's text (None when `value` cannot be written at all) and, when there is one, its problem.

    Checking and formatting are one step, so an export formats each value once.
    """
    text = clean_text(field, value)
    return (text, None) if text is not None else check_generally(field, value)


def check_generally(field: Field, value: object) -> tuple[str | None, str | None]:
    """check_field for any value: transliterates, and explains what is wrong."""
    if field.key is None or is_blank(value):
        return " " * field.length, f"{field.name} is required." if field.required and field.key else None
    try:
        text = FORMATTERS[field.kind](value, field.length)
    except FieldError as error:
        return None, f"{field.name} {error}"
    if field.codes is not None and str(value).strip() not in field.codes:
        return text, f"{field.name} {value!r} is not a valid code; choose one of {', '.join(field.codes)}."
    return text, None


def clean_text(field: Field, value: object) -> str | None:
    """The field's text when `value` fits as it is, with nothing to say about it; None otherwise.

    This decides nearly every value of an export with a few cheap tests; anything unusual (transliteration,
    a problem to report, an unexpected type) is left to check_field's general path, which agrees with it.
    """
    length = field.length
    if field.key is None or value is None:
        return None if field.required else " " * length
    if value.__class__ is str:
        text = value.strip()
        if not text:
            return None if field.required else " " * length
        if len(text) > length or not (text.isascii() and text.isprintable()):
            return None
        if field.codes is not None and text not in field.codes:
            return None
        if field.kind == "A":
            return text.ljust(length)
        return text.rjust(length, "0") if field.kind == "N" and text.isdigit() else None
    if value.__class__ is date and field.kind == "D" and length == 8:
        return f"{value.day:02d}{value.month:02d}{value.year:04d}"
    if value.__class__ is int and field.kind == "N" and value >= 0:
        text = str(value)
        fits = len(text) <= length and (field.codes is None or text in field.codes)
        return text.rjust(length, "0") if fits else None
    return None


_REMEMBERED = (str, date, type(None))  # never numbers: True == 1, so True would be written as 1


class FieldTexts:
    """clean_text for the records of one layout, remembering each field's text for the values it accepted.

    Most fields of a large export repeat a few values (codes, dates, the delivery location), so nearly
    every value is one dictionary lookup, made in C by `map`, instead of a call. A value equal to one
    already seen is written the same way; text, dates and None are remembered. A field keeps at most
    LIMIT of them and starts afresh when full, so memory stays bounded however many records pass, and
    what repeats nearby (a learner's identifier, on each of their units in turn) is still remembered.
    """

    LIMIT = 2048

    def __init__(self, layout: Layout) -> None:
        self.fields = layout.fields
        self.keys = tuple(field.key for field in self.fields)
        self.seen: tuple[dict[object, str], ...] = tuple({} for _ in layout.fields)

    def of(self, values: Mapping[str, object]) -> list[str | None]:
        """Each field's text, None where the general path must decide (see clean_text)."""
        try:  # a remembered text is never None, so None means "not remembered"
            texts = list(map(dict.get, self.seen, map(values.get, self.keys)))
        except TypeError:  # an unhashable value: nothing to remember it by
            return [clean_text(field, values.get(field.key)) for field in self.fields]
        if None in texts:
            self._fill(texts, values)
        return texts

    def _fill(self, texts: list, values: Mapping[str, object]) -> None:
        place = -1
        for _ in range(texts.count(None)):  # list.count and list.index find them in C, with no exception
            place = texts.index(None, place + 1)
            field, seen = self.fields[place], self.seen[place]
            value = values.get(field.key)
            texts[place] = text = clean_text(field, value)
            if text is not None and value.__class__ in _REMEMBERED:
                if len(seen) >= self.LIMIT:
                    seen.clear()
                seen[value] = text
