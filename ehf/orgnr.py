"""Check-digit helpers for business identifiers used in Peppol documents.

Each function takes the identifier as written (surrounding whitespace ignored) and
returns whether its format and check digit are valid. They are pure and shared by the
Peppol COMMON rules and the webshop's own forms (e.g. the supplier org number field).
"""
from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]+")


def _digits(value: str, length: int | None = None) -> str | None:
    value = value.strip()
    if not _DIGITS.fullmatch(value) or (length is not None and len(value) != length):
        return None
    return value


def is_valid_orgnr(value: str) -> bool:
    """Norwegian organisation number (scheme 0192): 9 digits, mod-11 check digit
    with weights 3 2 7 6 5 4 3 2; a remainder giving check digit 10 is invalid."""
    digits = _digits(value, 9)
    if digits is None:
        return False
    weighted = sum(int(d) * w for d, w in zip(digits[:8], (3, 2, 7, 6, 5, 4, 3, 2), strict=True))
    check = (11 - weighted % 11) % 11
    return check != 10 and check == int(digits[8])


def gs1_check_digit(body: str) -> int:
    """The GS1 check digit for ``body`` (all digits but the last): weights 3,1,3,...
    from the right."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def is_valid_gs1(value: str, lengths: tuple[int, ...] = (8, 12, 13, 14, 17, 18)) -> bool:
    """A GS1 key (GTIN-8/12/13/14, GLN, SSCC) with a valid check digit."""
    digits = _digits(value)
    return digits is not None and len(digits) in lengths and gs1_check_digit(digits[:-1]) == int(digits[-1])


def is_valid_gln(value: str) -> bool:
    """Global Location Number (scheme 0088): 13 digits with a GS1 check digit."""
    return is_valid_gs1(value, (13,))


def is_valid_gtin(value: str) -> bool:
    """GTIN-8, -12, -13 or -14 (scheme 0160) with a GS1 check digit."""
    return is_valid_gs1(value, (8, 12, 13, 14))


def is_valid_peppol_gln(value: str) -> bool:
    """The Peppol COMMON-R040 reading of a GLN: digits only, valid GS1 check digit
    (the rule does not fix the length)."""
    digits = _digits(value)
    return digits is not None and len(digits) >= 2 and gs1_check_digit(digits[:-1]) == int(digits[-1])


def is_valid_be_enterprise(value: str) -> bool:
    """Belgian enterprise number (scheme 0208): 10 digits, the last two are
    97 - (first eight mod 97)."""
    digits = _digits(value, 10)
    return digits is not None and 97 - int(digits[:8]) % 97 == int(digits[8:])


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def is_valid_se_orgnr(value: str) -> bool:
    """Swedish organisation number (scheme 0007): 10 digits, Luhn check digit."""
    digits = _digits(value, 10)
    return digits is not None and _luhn_ok(digits)


def is_valid_it_vat(value: str) -> bool:
    """Italian Partita IVA (schemes 0211/9906): optional "IT" prefix, 11 digits with
    a Luhn check digit."""
    value = value.strip()
    if value.upper().startswith("IT"):
        value = value[2:]
    digits = _digits(value, 11)
    return digits is not None and _luhn_ok(digits)


_CF16 = re.compile(r"[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]")


def is_valid_it_fiscal_code(value: str) -> bool:
    """Italian Codice Fiscale (schemes 0210/9907): a 16-character personal code or
    an 11-digit numeric code."""
    value = value.strip().upper()
    if len(value) == 16:
        return bool(_CF16.fullmatch(value))
    return _digits(value, 11) is not None


def is_valid_it_ipa(value: str) -> bool:
    """Italian IPA code (scheme 0201): six alphanumeric characters."""
    return bool(re.fullmatch(r"[A-Za-z0-9]{6}", value.strip()))


def is_valid_abn(value: str) -> bool:
    """Australian Business Number (scheme 0151): 11 digits; subtract 1 from the first
    digit, weight 10,1,3,...,19 and the sum must be divisible by 89."""
    digits = _digits(value, 11)
    if digits is None:
        return False
    nums = [int(d) for d in digits]
    nums[0] -= 1
    weights = (10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19)
    return sum(n * w for n, w in zip(nums, weights, strict=True)) % 89 == 0
