"""Order units in a supplier's catalogue: the UN/ECE codes we accept, and the names suppliers write.

Suppliers send «stk», «pk», «esk», «kg», «l» as often as the codes EHF needs (EA, XPK, XBX,
KGM, LTR). A known name is mapped to its code and the row gets a note saying so, for the
buyer to see on the draft. The accepted codes are the ones a municipality's catalogue uses and
the order pages can name; anything else («XYZ») is refused, even where UN/ECE Rec 20/21 happens
to define it, because an orderer could not tell what they are ordering. Pure: no Flask, no SQL.
"""
from __future__ import annotations

from typing import Final

# code → Norwegian name shown in the notes (the order pages have their own labels in templating.py)
ACCEPTED: Final[dict[str, str]] = {
    "EA": "stykk", "H87": "stykk", "C62": "stykk", "XPK": "pakke", "XPA": "pakke", "XBX": "eske",
    "XCT": "kartong", "XCS": "kasse", "XRO": "rull", "XBO": "flaske", "XBG": "pose", "XSA": "sekk",
    "XTU": "tube", "XBJ": "spann", "XCA": "boks", "XPX": "pall", "XBE": "bunt", "XSH": "pose (liten)",
    "KGM": "kilo", "GRM": "gram", "TNE": "tonn", "LTR": "liter", "MLT": "milliliter", "DLT": "desiliter",
    "MTR": "meter", "CMT": "centimeter", "MMT": "millimeter", "KMT": "kilometer", "MTK": "kvadratmeter",
    "MTQ": "kubikkmeter", "PR": "par", "SET": "sett", "DZN": "dusin", "HUR": "time", "DAY": "døgn",
    "MON": "måned", "ANN": "år",
}

# what suppliers write (lower case, without a trailing full stop) → code
NAMES: Final[dict[str, str]] = {
    "stk": "EA", "stykk": "EA", "st": "EA", "pcs": "EA", "pc": "EA", "ea": "EA", "each": "EA",
    "pk": "XPK", "pakke": "XPK", "pakn": "XPK", "pakning": "XPK", "pkt": "XPK", "pack": "XPK",
    "esk": "XBX", "eske": "XBX", "box": "XBX",
    "kart": "XCT", "kartong": "XCT", "ktn": "XCT",
    "kasse": "XCS", "rull": "XRO", "rl": "XRO", "fl": "XBO", "flaske": "XBO", "pose": "XBG", "sekk": "XSA",
    "tube": "XTU", "spann": "XBJ", "boks": "XCA", "pall": "XPX", "bunt": "XBE",
    "kg": "KGM", "kilo": "KGM", "g": "GRM", "gr": "GRM", "gram": "GRM", "tonn": "TNE",
    "l": "LTR", "ltr": "LTR", "liter": "LTR", "ml": "MLT", "dl": "DLT",
    "m": "MTR", "meter": "MTR", "cm": "CMT", "mm": "MMT", "km": "KMT", "m2": "MTK", "m²": "MTK",
    "kvm": "MTK", "m3": "MTQ", "m³": "MTQ",
    "par": "PR", "sett": "SET", "set": "SET", "dusin": "DZN", "time": "HUR", "t": "HUR", "timer": "HUR",
    "døgn": "DAY", "dag": "DAY", "mnd": "MON", "måned": "MON", "år": "ANN",
}


class UnknownUnit(ValueError):
    """Neither an accepted UN/ECE code nor a known unit name."""


def resolve_unit(text: str) -> tuple[str, str | None]:
    """The UN/ECE code for what the file says, and a note when a name was mapped (None for a code).

    Names win over codes: «stk» is a piece (EA), not Rec 20's «STK» (stick).
    """
    cleaned = " ".join(text.split())
    key = cleaned.lower().rstrip(".")
    if key in NAMES:
        code = NAMES[key]
        if code == cleaned.upper():  # «ea»: the code itself, in lower case
            return code, None
        return code, f"enhet «{cleaned}» er tolket som {code} ({ACCEPTED[code]})"
    if cleaned.upper() in ACCEPTED:
        return cleaned.upper(), None
    raise UnknownUnit(f"enhet «{cleaned[:20]}» er ikke kjent; bruk en UN/ECE-kode (EA, XPK, XBX, KGM, LTR …) "
                      "eller et kjent navn (stk, pk, esk, kg, l …)")
