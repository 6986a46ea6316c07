"""Every document the built-in supplier simulator sends, for every supplier profile and
behaviour, passes the official rules of its profile, and answers within the order's process
(an EHF Advanced Ordering order gets a g3:09 response, checked by EHF-P09-RES)."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ehf import Flag, validate
from ehf.profiles import Profile
from ehf.sbdh import unwrap
from ehf.validation import select
from ehf.xmlsafe import parse_bytes
from tests.ehf.order_factory import make_order
from webshop.supplier.rules import Behaviour
from webshop.supplier.simulator import SimConfig, simulate

# written out by hand: the rule sets that check the response and the despatch advices
RULE_SETS = {
    Profile.BIS_ORDER_ONLY: ("PEPPOL-T76", "PEPPOL-T16"),
    Profile.BIS_ORDERING: ("PEPPOL-T76", "PEPPOL-T16"),
    Profile.BIS_ADVANCED_ORDERING: ("PEPPOL-T76", "PEPPOL-T16"),
    Profile.EHF_ORDERING: ("EHF-T76", "EHF-T16"),
    Profile.EHF_ADVANCED_ORDERING: ("EHF-P09-RES", "EHF-T16"),
}
NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


@pytest.mark.parametrize("behaviour", [Behaviour.ACCEPT, Behaviour.REJECT, Behaviour.PARTIAL, Behaviour.CHANGE])
@pytest.mark.parametrize("profile", list(Profile))
def test_simulated_documents_pass_their_profiles_rules(profile: Profile, behaviour: Behaviour) -> None:
    config = SimConfig(behaviour, out_of_stock_lines=1, quantity_change_percent=10, delivery_parts=2)
    sent = simulate(make_order(profile=profile), config, NOW)
    assert sent and sent[0].kind == "order_response"
    response_rules, advice_rules = RULE_SETS[profile]
    for doc in sent:
        expected = response_rules if doc.kind == "order_response" else advice_rules
        assert select(unwrap(parse_bytes(doc.xml))).ruleset.name == expected
        assert [f.rule_id for f in validate(doc.xml) if f.flag is Flag.FATAL] == []
