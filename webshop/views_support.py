"""What every view shares: the request's transaction and the role guard.

Views read as load → authorize → form → service → redirect. The transaction
around the service call belongs to ``transaction``: it commits when the block
ends, and on a ``DomainError`` (a rule refused what the user asked for) it rolls
back, so nothing is half-written, and answers with a redirect that carries the
error message, or with the page the view renders for the error::

    @bp.post("/ordrer/<int:order_id>/linjer/<int:line_id>/kanseller")
    @login_required
    def cancel(order_id: int, line_id: int):
        order = _receiving_order(order_id)
        if not LineActionForm().validate():
            abort(400)
        with transaction(redirect_to=url_for("orders.detail", order_id=order.id), code=303):
            services.cancel_line(order, line_id, by=current_user)
        flash(_("Resten av linjen er kansellert."), "success")
        return redirect(url_for("orders.detail", order_id=order.id)), 303

``requires(predicate)`` is the role guard: log in first, then 403 unless
``predicate(current_user)``; ``guard(bp, predicate)`` puts it in front of every
route of a blueprint.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, abort, flash, make_response, redirect
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from webshop.errors import DomainError
from webshop.extensions import db

View = TypeVar("View", bound=Callable[..., Any])


@contextmanager
def transaction(redirect_to: str | None = None, *, code: int = 302,
                render: Callable[[DomainError], ResponseReturnValue] | None = None,
                message: Callable[[DomainError], str] | None = None, category: str | None = None) -> Iterator[None]:
    """Commit the block's changes; on a ``DomainError`` roll them back and answer for the view.

    With ``render``, the answer is ``render(exc)`` (the form again, with the error on it).
    With ``redirect_to``, the message (``str(exc)``, or ``message(exc)``) is flashed in the
    error's ``category`` (or ``category``) and the answer is a redirect there. With neither, the error is
    raised again after the rollback, for views that handle it themselves (one transaction
    per order in a bulk action). Any other exception rolls back and propagates.
    """
    try:
        yield
    except DomainError as exc:
        db.session.rollback()
        if render is not None:
            abort(make_response(render(exc)))
        if redirect_to is None:
            raise
        flash(message(exc) if message else str(exc), category or exc.category)
        abort(redirect(redirect_to, code))
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def requires(predicate: Callable[[Any], bool]) -> Callable[[View], View]:
    """View decorator: the user must be logged in, and ``predicate(current_user)`` true (else 403)."""

    def decorate(view: View) -> View:
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not predicate(current_user):
                abort(403)
            return view(*args, **kwargs)

        return cast(View, wraps(view)(login_required(guarded)))

    return decorate


def _pass() -> None:
    return None


def guard(bp: Blueprint, predicate: Callable[[Any], bool]) -> None:
    """Every route of ``bp`` (checked before the view runs): logged in, and ``predicate(current_user)``."""
    bp.before_request(requires(predicate)(_pass))
