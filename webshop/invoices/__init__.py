"""EHF invoices from suppliers, matched against the order and the goods receipt (issue 17)."""
from flask import Blueprint

bp = Blueprint("invoices", __name__, template_folder="templates")
