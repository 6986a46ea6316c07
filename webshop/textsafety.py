"""Text the webshop can store and send: refuse characters an EHF document cannot carry.

Everything a user types may end up in an XML message to a supplier (an order note, a
free-text line, a name on an order). XML 1.0 cannot carry most control characters, lone
surrogates or U+FFFE/U+FFFF, and lxml refuses them when the message is built, long after
the user has left the page. So text is checked where it enters, with a message that says
which character is wrong and where.

:func:`find_unsafe` is the pure rule: the first character that is refused, or ``None``.
Refused everywhere: the C0 control characters except tab, line feed and carriage return;
DEL and the C1 controls (U+007F-U+009F: allowed by XML 1.0 but invisible and never meant
as text); surrogates; and the noncharacters (U+FDD0-U+FDEF and every U+xxFFFE/U+xxFFFF),
which XML 1.0 excludes or discourages. In a one-line field (a name, a reference) tab, line
feed and carriage return are refused as well. :func:`check_text` turns the finding into a
Norwegian message (translated like any UI text), and :class:`SafeText` is the WTForms
validator the forms use. The catalogue import calls :func:`check_text` per field.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _
from wtforms import Field, Form
from wtforms.validators import ValidationError

LINE_BREAKS = frozenset("\t\n\r")


@dataclass(frozen=True, slots=True)
class UnsafeCharacter:
    """A refused character: its 1-based position in the text and its code point."""

    position: int
    codepoint: int

    @property
    def code(self) -> str:
        return f"U+{self.codepoint:04X}"

    @property
    def is_line_break(self) -> bool:
        return chr(self.codepoint) in LINE_BREAKS


def _refused(codepoint: int, multiline: bool) -> bool:
    if codepoint < 0x20:
        return not (multiline and chr(codepoint) in LINE_BREAKS)
    return (
        0x7F <= codepoint <= 0x9F  # DEL and the C1 controls
        or 0xD800 <= codepoint <= 0xDFFF  # surrogates
        or 0xFDD0 <= codepoint <= 0xFDEF  # noncharacters
        or (codepoint & 0xFFFE) == 0xFFFE  # U+FFFE, U+FFFF and their kin in every plane
    )


def find_unsafe(text: str, *, multiline: bool = False) -> UnsafeCharacter | None:
    """The first character of ``text`` that cannot be stored and sent, or ``None``."""
    if text.isprintable():  # the common case, in C: no control, format or unassigned characters
        return None
    for index, char in enumerate(text):
        if _refused(ord(char), multiline):
            return UnsafeCharacter(index + 1, ord(char))
    return None


def check_text(text: str | None, *, multiline: bool = False) -> str | None:
    """``None`` when ``text`` is acceptable, else a Norwegian message naming the character
    and its position (for forms, imports and APIs alike)."""
    problem = find_unsafe(text or "", multiline=multiline)
    if problem is None:
        return None
    if problem.is_line_break:
        return str(_("Feltet kan ikke ha linjeskift eller tabulator (tegn nr. %(position)s). Skriv alt på én linje.",
                     position=problem.position))
    name = unicodedata.name(chr(problem.codepoint), "")
    character = f"{problem.code} {name}".strip()
    return str(_("Teksten har et tegn som ikke kan brukes (%(character)s, tegn nr. %(position)s). Det er ofte et "
                 "usynlig kontrolltegn fra kopiering; fjern det og prøv igjen.",
                 character=character, position=problem.position))


class SafeText:
    """WTForms validator: refuse text :func:`check_text` refuses (``multiline=True`` for
    text areas, where line breaks are allowed)."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str):
            message = check_text(field.data, multiline=self.multiline)
            if message is not None:
                raise ValidationError(message)
