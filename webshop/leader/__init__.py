"""The leader's view (issue 13): share of spend through e-ordering against total spend and against
the potential (agreement suppliers), per municipality, unit and month, against the municipality's
target and the unit goals; spend import from the accounting system; savings, free text, maverick
spend, ordering authority and concentration, approval lead time, supplier performance and
zero-result searches; CSV export, a printable monthly report and ``GET /api/v1/adoption``.

Spend through e-ordering follows the one spend rule (``orders.rules.SPEND_COMMITTING``), and no
figure ever includes a training sandbox (``orgs.scoping.real_organisation_ids``).
"""
