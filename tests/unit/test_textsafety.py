"""Text safety rule: which characters are refused where text enters, and what the user reads."""
from __future__ import annotations

import pytest
from lxml import etree
from wtforms import Form, StringField, TextAreaField

from webshop.textsafety import SafeText, UnsafeCharacter, check_text, find_unsafe

# written out by hand: (text, multiline, the first refused character or None)
CASES = [
    ("Kopipapir A4, 500 ark", False, None),
    ("Blåbær – «økologisk» 😀 ½ kg · 10 % rabatt", False, None),
    ("non\u00a0breaking space and zero\u200bwidth", False, None),  # format/space characters XML can carry
    ("linje 1\nlinje 2\r\n\tinnrykk", True, None),
    ("linje 1\nlinje 2", False, UnsafeCharacter(8, 0x0A)),
    ("tab\there", False, UnsafeCharacter(4, 0x09)),
    ("bell\x07", True, UnsafeCharacter(5, 0x07)),
    ("\x00", True, UnsafeCharacter(1, 0x00)),
    ("esc \x1b[31m", False, UnsafeCharacter(5, 0x1B)),
    ("del\x7f", False, UnsafeCharacter(4, 0x7F)),
    ("c1 \x85 next line", True, UnsafeCharacter(4, 0x85)),
    ("surrogate \udc80", False, UnsafeCharacter(11, 0xDC80)),
    ("\ufffe", False, UnsafeCharacter(1, 0xFFFE)),
    ("ok \uffff", False, UnsafeCharacter(4, 0xFFFF)),
    ("\ufdd0", False, UnsafeCharacter(1, 0xFDD0)),
    ("plane 1 \U0001fffe", False, UnsafeCharacter(9, 0x1FFFE)),
    ("first \x01 then \x02", False, UnsafeCharacter(7, 0x01)),
]


@pytest.mark.parametrize(("text", "multiline", "expected"), CASES)
def test_find_unsafe(text: str, multiline: bool, expected: UnsafeCharacter | None) -> None:
    assert find_unsafe(text, multiline=multiline) == expected


@pytest.mark.parametrize(("text", "multiline", "expected"), CASES)
def test_what_is_accepted_is_what_xml_can_carry(text: str, multiline: bool, expected: UnsafeCharacter | None) -> None:
    """Everything accepted can be an element's text; XML 1.0's own exclusions are all refused."""
    el = etree.Element("Note")
    if expected is None:
        el.text = text
        assert etree.fromstring(etree.tostring(el)).text == text
    elif expected.codepoint < 0x20 and expected.codepoint not in (0x09, 0x0A, 0x0D) or expected.codepoint in (
            0xFFFE, 0xFFFF) or 0xD800 <= expected.codepoint <= 0xDFFF:
        with pytest.raises(ValueError):
            el.text = text


def test_messages_name_the_character_and_its_place() -> None:
    assert check_text("Papir\x07 A4") == (
        "Teksten har et tegn som ikke kan brukes (U+0007, tegn nr. 6). Det er ofte et usynlig kontrolltegn fra "
        "kopiering; fjern det og prøv igjen.")
    assert check_text("\ufffe") == (
        "Teksten har et tegn som ikke kan brukes (U+FFFE, tegn nr. 1). Det er ofte et usynlig kontrolltegn fra "
        "kopiering; fjern det og prøv igjen.")
    assert check_text("Ola\nNordmann") == (
        "Feltet kan ikke ha linjeskift eller tabulator (tegn nr. 4). Skriv alt på én linje.")
    assert check_text("Ola\nNordmann", multiline=True) is None
    assert check_text(None) is None and check_text("") is None


class _Form(Form):
    name = StringField(validators=[SafeText()])
    note = TextAreaField(validators=[SafeText(multiline=True)])


class _Data(dict[str, str]):
    def getlist(self, key: str) -> list[str]:
        return [self[key]] if key in self else []


def test_validator_refuses_on_the_field() -> None:
    form = _Form(_Data(name="Ola\tNordmann", note="Hei\nlevér før kl. 12\x0c"))
    assert not form.validate()
    assert form.errors == {
        "name": ["Feltet kan ikke ha linjeskift eller tabulator (tegn nr. 4). Skriv alt på én linje."],
        "note": ["Teksten har et tegn som ikke kan brukes (U+000C, tegn nr. 21). Det er ofte et usynlig "
                 "kontrolltegn fra kopiering; fjern det og prøv igjen."],
    }
    assert _Form(_Data(name="Ola Nordmann", note="Hei\nlevér før kl. 12")).validate()
