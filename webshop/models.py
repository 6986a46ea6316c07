"""Every model, imported in one place so Alembic and the app see the whole schema."""
from webshop.admin.users_models import AccountToken  # noqa: F401  (issue 16: invitation and reset links)
from webshop.approvals.models import (  # noqa: F401  (approval policy and route snapshot tables)
    ApprovalDecision,
    ApprovalPolicy,
    ApprovalStep,
    ApprovalStepApprover,
    ApprovalSubstitute,
    ApprovalTier,
    Decision,
    Notification,
    PersonLimit,
    UnitBudget,
)
from webshop.auth.sessions import LoginSession  # noqa: F401  (issue 10: sessions that end at logout)
from webshop.auth.tokens import ApiToken  # noqa: F401  (issue 5: API tokens)
from webshop.cart.models import CartLine
from webshop.catalogue.models import (  # noqa: F401  (issue 5: curation, favourites, templates, search log)
    Agreement,
    Catalogue,
    CatalogueItem,
    CatalogueStatus,
    Favourite,
    ItemCuration,
    ItemNumber,
    ItemRequest,
    OrderTemplate,
    OrderTemplateLine,
    SearchLog,
    Supplier,
    SynonymGroup,
    agreement_members,
)
from webshop.health.models import WorkerHeartbeat  # noqa: F401  (issue 14: worker heartbeats for /readyz)
from webshop.invoices.models import (  # noqa: F401  (issue 17: supplier invoices and matching)
    InvoiceTolerance,
    SupplierInvoice,
    SupplierInvoiceLine,
)
from webshop.lab.models import (  # noqa: F401  (issue 12: training lab)
    Attempt,
    Condition,
    Course,
    CourseExercise,
    Exercise,
    Participant,
    SusResponse,
)
from webshop.leader.models import (  # noqa: F401  (issue 13: spend import, targets, unit goals)
    AdoptionSettings,
    CostCentre,
    OrderMonth,
    SpendImport,
    SpendMonth,
    SpendRecord,
    UnitGoal,
)
from webshop.orders.models import AuditEvent, Order, OrderDocument, OrderLine
from webshop.orders.notices import OrderNotice  # noqa: F401  (issue 15: what the orderer hears)
from webshop.orders.rules import OrderStatus
from webshop.orgs.models import Collaboration, Organisation, Role, RoleAssignment, Unit, UnitKind, User
from webshop.ratelimit import RateLimit  # noqa: F401  (issue 10: login throttling, inbound rate limit)
from webshop.search.models import SearchIndexChange  # noqa: F401  (issue 14: what each machine's worker re-indexes)
from webshop.supplier.models import (  # noqa: F401  (issue 6: supplier side)
    InboundDocument,
    OrderLineStatus,
    SimulatedMessage,
    SupplierSettings,
)

__all__ = [
    "Agreement", "ApprovalDecision", "AuditEvent", "CartLine", "Catalogue", "CatalogueItem", "CatalogueStatus",
    "Collaboration", "Decision", "ItemNumber", "Order", "OrderDocument", "OrderLine", "OrderStatus",
    "Organisation", "Role", "RoleAssignment", "Supplier", "Unit", "UnitKind", "User", "agreement_members",
]
