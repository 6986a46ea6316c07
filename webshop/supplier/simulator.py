"""The built-in supplier simulator (training, demos, tests), in plain Python.

It reads the real EHF order the webshop sent and answers the way a supplier
configured with a :class:`Behaviour` would: an Order Response (accept, reject,
partial, changed quantity or price) and Despatch Advices in one or more parts.
The answers are real EHF documents built by ``ehf``; the caller schedules them
and they come back through the normal inbound path.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ehf import model
from ehf.despatch_advice import DespatchAdvice, DespatchLine, build_despatch_advice
from ehf.order_response import OrderResponse, OrderResponseLine, build_order_response
from ehf.parties import PartyRef, Period
from ehf.profiles import Profile
from webshop.supplier.rules import Behaviour, parse_item_list

OUT_OF_STOCK_NOTE = "Ikke på lager"


@dataclass(frozen=True)
class SimConfig:
    behaviour: Behaviour
    out_of_stock_items: tuple[str, ...] = ()
    out_of_stock_lines: int = 0
    backorder_days: int = 0
    quantity_change_percent: int = 0
    price_change_percent: Decimal = Decimal(0)
    answer_delay: timedelta = timedelta(0)
    delivery_parts: int = 1
    part_interval: timedelta = timedelta(days=1)

    @classmethod
    def from_text(cls, behaviour: Behaviour, items: str, **kwargs: object) -> SimConfig:
        return cls(behaviour, tuple(parse_item_list(items)), **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Scheduled:
    delay: timedelta
    kind: str  # "order_response" | "despatch_advice"
    xml: bytes


def _ref(party: model.Party) -> PartyRef:
    return PartyRef(endpoint_id=party.endpoint_id, endpoint_scheme=party.endpoint_scheme,
                    name=party.legal_name or party.name, country_code="NO")


def _profile(order: model.Order) -> str:
    return "ehf" if order.profile.is_ehf else "peppol"


def _response_profile(order: model.Order) -> str:
    """An EHF Advanced Ordering order (g3:09) is answered within its own process."""
    return "ehf-advanced" if order.profile is Profile.EHF_ADVANCED_ORDERING else _profile(order)


def out_of_stock_lines(order: model.Order, config: SimConfig) -> set[str]:
    """Ids of the order lines the simulated supplier does not have: named items, else the last N lines."""
    named = {line.id for line in order.lines if line.seller_item_id in config.out_of_stock_items}
    if named or config.out_of_stock_lines <= 0:
        return named
    return {line.id for line in order.lines[-config.out_of_stock_lines:]}


def _changed_quantity(quantity: Decimal, percent: int) -> Decimal:
    new = (quantity * (100 + percent) / 100).quantize(Decimal(1), rounding=ROUND_DOWN)
    return max(new, Decimal(1)) if quantity >= 1 else quantity


def _response_lines(order: model.Order, config: SimConfig, today: date) -> list[OrderResponseLine]:
    missing = out_of_stock_lines(order, config) if config.behaviour is Behaviour.PARTIAL else set()
    lines = []
    for i, line in enumerate(order.lines):
        ids: dict[str, object] = {"sellers_item_id": line.seller_item_id}
        if line.id in missing and config.backorder_days > 0:
            until = today + timedelta(days=config.backorder_days)
            lines.append(OrderResponseLine.changed(
                line.id, line.name, quantity=line.quantity, unit_code=line.unit_code,
                promised_delivery=Period(start_date=until, end_date=until), note="Restordre", **ids))  # type: ignore[arg-type]
        elif line.id in missing:
            lines.append(OrderResponseLine.rejected(line.id, line.name, OUT_OF_STOCK_NOTE, **ids))
        elif config.behaviour is Behaviour.CHANGE and i == 0:
            quantity = (_changed_quantity(line.quantity, config.quantity_change_percent)
                        if config.quantity_change_percent else None)
            price = None
            if config.price_change_percent and line.price is not None:
                price = (line.price * (100 + config.price_change_percent) / 100).quantize(
                    Decimal("0.01"), rounding=ROUND_HALF_UP)
            lines.append(OrderResponseLine.changed(
                line.id, line.name, quantity=quantity, unit_code=line.unit_code if quantity is not None else None,
                price=price, note="Endret av leverandør", **ids))  # type: ignore[arg-type]
        else:
            lines.append(OrderResponseLine.accepted(line.id, line.name, **ids))
    return lines


def _to_deliver(order: model.Order, lines: list[OrderResponseLine]) -> list[tuple[model.OrderLine, Decimal]]:
    answered = {r.order_line_id: r for r in lines}
    out = []
    for line in order.lines:
        answer = answered.get(line.id)
        if answer is not None and (answer.status.value == "7" or answer.promised_delivery is not None):
            continue  # not delivered now: rejected or back-ordered
        quantity = answer.quantity if answer is not None and answer.quantity is not None else line.quantity
        out.append((line, quantity))
    return out


def _split(quantity: Decimal, parts: int, part: int) -> Decimal:
    """Part ``part`` (0-based) of ``quantity`` in ``parts`` whole-number parts; the last takes the rest."""
    share = (quantity / parts).quantize(Decimal(1), rounding=ROUND_DOWN)
    return quantity - share * (parts - 1) if part == parts - 1 else share


def _despatches(order: model.Order, deliver: list[tuple[model.OrderLine, Decimal]], config: SimConfig,
                now: datetime) -> list[Scheduled]:
    parts = max(1, config.delivery_parts)
    out = []
    for part in range(parts):
        delay = config.answer_delay + config.part_interval * part  # sent after the response (scheduled first)
        when = now + delay
        lines: list[DespatchLine] = []
        for line, quantity in deliver:
            delivered = _split(quantity, parts, part)
            if delivered <= 0:
                continue
            lines.append(DespatchLine(
                str(len(lines) + 1), line.id, line.name, delivered, line.unit_code, order_id=order.id,
                # a free-text line gets the supplier's own number, as a real supplier would give it
                sellers_item_id=line.seller_item_id or f"FRITEKST-{order.id}-{line.id}"))
        if not lines:
            continue
        advice = DespatchAdvice(
            id=f"DA-{order.id}-{part + 1}", issue_date=when.date(),
            issue_time=time(when.hour, when.minute, when.second),
            supplier=_ref(order.seller), delivery_customer=_ref(order.buyer), lines=tuple(lines), order_id=order.id,
            shipment_id=str(part + 1), despatch_date=when.date())
        out.append(Scheduled(delay, "despatch_advice", build_despatch_advice(advice, profile=_profile(order))))
    return out


def simulate(order: model.Order, config: SimConfig, now: datetime) -> list[Scheduled]:
    """The documents the configured supplier sends for ``order`` and how long after ``now``."""
    if config.behaviour in (Behaviour.OFF, Behaviour.SILENT):
        return []
    when = now + config.answer_delay
    common = {"id": f"OR-{order.id}", "issue_date": when.date(),
              "issue_time": time(when.hour, when.minute, when.second),
              "seller": _ref(order.seller), "buyer": _ref(order.buyer), "currency": order.currency}
    if config.behaviour is Behaviour.REJECT:
        response = OrderResponse.rejected(order.id, "Ordren kan ikke leveres", **common)
        xml = build_order_response(response, profile=_response_profile(order))
        return [Scheduled(config.answer_delay, "order_response", xml)]
    lines = _response_lines(order, config, when.date())
    if all(line.status.value == "5" for line in lines):
        response = OrderResponse.accepted(order.id, **common)
    else:
        response = OrderResponse.conditionally_accepted(order.id, lines, **common)
    answer = Scheduled(config.answer_delay, "order_response",
                       build_order_response(response, profile=_response_profile(order)))
    return [answer, *_despatches(order, _to_deliver(order, lines), config, now)]
