"""Only webshop/orders/lifecycle.py changes an order's status: an AST scan of webshop/ fails on any other
assignment to ``<order>.status``, ``Order(status=...)``, ``update(Order)....values(status=...)``,
``setattr(order, "status", ...)`` or ``set_committed_value(order, "status", ...)``."""
from __future__ import annotations

import ast
from pathlib import Path

WEBSHOP = Path(__file__).resolve().parents[2] / "webshop"
LIFECYCLE = WEBSHOP / "orders" / "lifecycle.py"


def _is_order_name(node: ast.expr) -> bool:
    """``order``, ``new_order``, ``self.order``, ``Order`` … (anything named like an order)."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return "order" in name.lower()


def _mentions_order_status(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "OrderStatus" for n in ast.walk(node))


def _updates_orders(call: ast.Call) -> bool:
    """Somewhere down the chain ``x.values(...)`` is called on: ``update(Order)``."""
    for n in ast.walk(call.func):
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "update" and n.args \
                and _is_order_name(n.args[0]):
            return True
    return False


def status_changes(source: str) -> list[int]:
    """Line numbers of every place ``source`` sets an order's status."""
    found = []
    for node in ast.walk(ast.parse(source)):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for t in (target.elts if isinstance(target, ast.Tuple) else [target]):
                if isinstance(t, ast.Attribute) and t.attr == "status" and (
                        _is_order_name(t.value) or _mentions_order_status(node)):
                    found.append(node.lineno)
        if isinstance(node, ast.Call):
            func = node.func
            keywords = {k.arg for k in node.keywords}
            if "status" in keywords and isinstance(func, ast.Name) and func.id == "Order":
                found.append(node.lineno)
            if "status" in keywords and isinstance(func, ast.Attribute) and func.attr == "values" \
                    and _updates_orders(node):
                found.append(node.lineno)
            if isinstance(func, ast.Name) and func.id in ("setattr", "set_committed_value") and len(node.args) >= 2 \
                    and isinstance(node.args[1], ast.Constant) and node.args[1].value == "status" \
                    and _is_order_name(node.args[0]):
                found.append(node.lineno)
    return sorted(set(found))


def test_the_scan_finds_each_kind_of_status_change():
    source = """
order.status = OrderStatus.SENT
self.order.status = "sent"
new_order.status, x = OrderStatus.APPROVED, 1
row.status = OrderStatus.CANCELLED
Order(unit_id=1, status=OrderStatus.PENDING_APPROVAL)
db.session.execute(update(Order).where(Order.id == 1).values(status=new))
setattr(order, "status", new)
set_committed_value(order, "status", new)
"""
    assert status_changes(source) == [2, 3, 4, 5, 6, 7, 8, 9]


def test_the_scan_leaves_other_statuses_alone():
    source = """
catalogue.status = CatalogueStatus.PUBLISHED
document.state = DeliveryState.DELIVERED
db.session.execute(update(Catalogue).values(status=CatalogueStatus.RETIRED))
if order.status == OrderStatus.SENT:
    pass
"""
    assert status_changes(source) == []


def test_only_the_lifecycle_changes_an_order_status():
    offenders = []
    for path in sorted(WEBSHOP.rglob("*.py")):
        if path == LIFECYCLE:
            continue
        offenders += [f"{path.relative_to(WEBSHOP.parent)}:{line}" for line in status_changes(path.read_text())]
    assert offenders == []
    assert status_changes(LIFECYCLE.read_text()), "the lifecycle itself must be where the status changes"
