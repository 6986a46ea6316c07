"""Specification (CustomizationID) and process (ProfileID) identifiers of the Order
profiles the webshop can send. A supplier is configured with one :class:`Profile`."""
from __future__ import annotations

from enum import StrEnum
from typing import Final

ORDER_CUSTOMIZATION: Final = "urn:fdc:peppol.eu:poacc:trns:order:3"
EHF_ORDER_CUSTOMIZATION: Final = f"{ORDER_CUSTOMIZATION}:extended:urn:fdc:anskaffelser.no:2019:ehf:spec:3.0"

BIS_ORDER_ONLY_PROFILE: Final = "urn:fdc:peppol.eu:poacc:bis:order_only:3"
BIS_ORDERING_PROFILE: Final = "urn:fdc:peppol.eu:poacc:bis:ordering:3"
BIS_ADVANCED_ORDERING_PROFILE: Final = "urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3"
EHF_ORDERING_PROFILE: Final = "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:02:1.0"
EHF_ADVANCED_ORDERING_PROFILE: Final = "urn:fdc:anskaffelser.no:2019:ehf:postaward:g3:09:1.0"

EHF_PROFILE_PREFIX: Final = "urn:fdc:anskaffelser.no:2019:ehf:postaward:"


class Profile(StrEnum):
    """The order profile agreed with a supplier (stored per supplier)."""

    BIS_ORDER_ONLY = "bis_order_only"
    BIS_ORDERING = "bis_ordering"
    BIS_ADVANCED_ORDERING = "bis_advanced_ordering"
    EHF_ORDERING = "ehf_ordering"
    EHF_ADVANCED_ORDERING = "ehf_advanced_ordering"

    @property
    def customization_id(self) -> str:
        return EHF_ORDER_CUSTOMIZATION if self.is_ehf else ORDER_CUSTOMIZATION

    @property
    def profile_id(self) -> str:
        return _PROFILE_IDS[self]

    @property
    def is_ehf(self) -> bool:
        return self in (Profile.EHF_ORDERING, Profile.EHF_ADVANCED_ORDERING)

    @property
    def expects_response(self) -> bool:
        """True when the supplier answers with an Order Response (not order only)."""
        return self is not Profile.BIS_ORDER_ONLY

    @classmethod
    def from_ids(cls, customization_id: str, profile_id: str) -> Profile | None:
        """The profile for a document's identifiers, or None when unknown."""
        for profile in cls:
            if profile.customization_id == customization_id and profile.profile_id == profile_id:
                return profile
        return None


_PROFILE_IDS: Final = {
    Profile.BIS_ORDER_ONLY: BIS_ORDER_ONLY_PROFILE,
    Profile.BIS_ORDERING: BIS_ORDERING_PROFILE,
    Profile.BIS_ADVANCED_ORDERING: BIS_ADVANCED_ORDERING_PROFILE,
    Profile.EHF_ORDERING: EHF_ORDERING_PROFILE,
    Profile.EHF_ADVANCED_ORDERING: EHF_ADVANCED_ORDERING_PROFILE,
}


def is_ehf_profile(profile_id: str) -> bool:
    """True for any EHF (Norwegian) post-award ProfileID."""
    return profile_id.strip().startswith(EHF_PROFILE_PREFIX)
