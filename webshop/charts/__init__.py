"""Server-rendered SVG charts, each drawn together with the table of its figures.

Every chart is a ``<figure>`` holding an inline ``<svg role="img">`` (named by its
``<title>`` and ``<desc>``) and a ``<table>`` with the same figures, so a screen reader,
a printout and a copy-paste all get the numbers. Nothing inline that the Content
Security Policy forbids: no ``<script>``, no ``<style>`` element, no ``style=``
attribute; colours are SVG presentation attributes, which CSP does not govern, and
every shape also carries a class (``chart-bar``, ``chart-s0`` … ``chart-line``,
``chart-target``) for a stylesheet to override. Values are ``Decimal`` (``int`` and
``None`` for "no figure" are accepted); coordinates are computed in Decimal, and the
table prints the values themselves, never a float's approximation of them.

API (functions return ``markupsafe.Markup``; ``init_app`` makes them Jinja globals)::

    from webshop.charts import Series, bar_chart, line_chart

    bar_chart(title, categories, series, *, target=None, target_label=None, fmt=None,
              description=None, table="hidden", chart_id=None, stacked=False) -> Markup
    line_chart(title, categories, series, *, target=None, ...same keywords...) -> Markup

- ``title``: the chart's name; becomes the SVG ``<title>`` and the table's caption.
- ``categories``: x-axis labels (months, units …), one per value of each series.
- ``series``: ``Series(name, values)`` items; ``values`` line up with ``categories``.
  A bar chart with several series draws grouped bars (``stacked=True`` stacks them).
- ``target``: a horizontal target line (e.g. the municipality's 25 % goal), drawn on
  both chart kinds and written as its own column in the table; ``target_label``
  names it (default «Mål»).
- ``fmt``: ``Callable[[Decimal], str]`` that writes a value in the table and on the
  axis (e.g. the ``money`` filter or a percentage); default: the Decimal as it is.
- ``description``: one sentence for the SVG ``<desc>`` (the chart's message);
  default: "<n> values, see the table".
- ``table``: ``"hidden"`` (visually hidden with ``ds-sr-only``, read by screen readers,
  shown when printing through the ``chart-table`` class), or ``"visible"``.
- ``chart_id``: a stable id prefix (default: derived from the title), unique per page.

In a template: ``{{ bar_chart(_("Andel e-handel"), months, [Series(_("Andel"), shares)],
target=Decimal("25"), fmt=percent) }}``. ``percent`` and ``plain`` are formatters
exported here too.
"""
from __future__ import annotations

from webshop.charts.svg import Series, bar_chart, init_app, line_chart, percent, plain

__all__ = ["Series", "bar_chart", "init_app", "line_chart", "percent", "plain"]
