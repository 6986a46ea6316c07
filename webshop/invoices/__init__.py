"""EHF invoices from suppliers, matched against the order and the goods receipt (issue 17)."""
