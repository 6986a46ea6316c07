"""Every model, imported in one place so Alembic and the app see the whole schema."""
from webshop.approvals.models import ApprovalDecision, Decision
from webshop.cart.models import CartLine
from webshop.catalogue.models import (
    Agreement,
    Catalogue,
    CatalogueItem,
    CatalogueStatus,
    ItemNumber,
    Supplier,
    agreement_members,
)
from webshop.orders.models import AuditEvent, Order, OrderDocument, OrderLine
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Collaboration, Organisation, Role, RoleAssignment, Unit, UnitKind, User

__all__ = [
    "Agreement", "ApprovalDecision", "AuditEvent", "CartLine", "Catalogue", "CatalogueItem", "CatalogueStatus",
    "Collaboration", "Decision", "ItemNumber", "Order", "OrderDocument", "OrderLine", "OrderStatus",
    "Organisation", "Role", "RoleAssignment", "Supplier", "Unit", "UnitKind", "User", "agreement_members",
]
