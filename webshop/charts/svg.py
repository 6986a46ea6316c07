"""The drawing itself: scale, bars, lines, target line and the table (see the package docstring)."""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from flask import Flask, has_app_context
from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

Number = Decimal | int
Formatter = Callable[[Decimal], str]

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 28, 44
PALETTE = ("#0062ba", "#b8520a", "#117a43", "#6e3fa3", "#4a5563", "#a0306b")
TARGET_COLOUR = "#c01b1b"
INK = "#2b2b2b"
GRID = "#d7dbe0"
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
TICKS = 4
MAX_LABEL = 14
MAX_KEY = 28  # legend entries have the width of the chart to share


@dataclass(frozen=True)
class Series:
    """One named row of values, aligned with the chart's categories (``None``: no figure)."""

    name: str
    values: Sequence[Number | None]


def plain(value: Decimal) -> str:
    """The value as written (trailing zeros dropped), with the locale's separators in a request."""
    value = _d(value)
    value = value.normalize() if value == value.to_integral_value() else value
    if has_app_context():
        return str(format_decimal(value, format="#,##0.###"))
    return format(value, "f")


def percent(value: Decimal) -> str:
    """A percentage that is already in percent (25.3 -> «25,3 %»), one decimal."""
    rounded = _d(value).quantize(Decimal("0.1"))
    if has_app_context():
        return f"{format_decimal(rounded, format='#,##0.0')} %"
    return f"{rounded} %"


def _d(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def _c(value: Decimal) -> str:
    """A coordinate: one decimal is finer than a pixel."""
    return format(value.quantize(Decimal("0.1")), "f")


def _nice_step(span: Decimal) -> Decimal:
    raw = span / TICKS
    exponent = raw.adjusted()
    magnitude = Decimal(10) ** exponent
    fraction = raw / magnitude
    step = next(s for s in NICE_STEPS if s >= fraction)
    return step * magnitude


@dataclass(frozen=True)
class _Scale:
    low: Decimal
    high: Decimal
    step: Decimal

    @classmethod
    def over(cls, values: Sequence[Decimal]) -> _Scale:
        low = min([Decimal(0), *values])
        high = max([Decimal(0), *values])
        if high == low:
            high = low + 1
        step = _nice_step(high - low)
        return cls((low / step).to_integral_value(ROUND_FLOOR) * step,
                   (high / step).to_integral_value(ROUND_CEILING) * step, step)

    def y(self, value: Decimal) -> Decimal:
        plot_h = Decimal(HEIGHT - TOP - BOTTOM)
        return TOP + (self.high - value) / (self.high - self.low) * plot_h

    def ticks(self) -> list[Decimal]:
        count = int((self.high - self.low) / self.step)
        return [self.low + self.step * i for i in range(count + 1)]


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def _targets(target: Number | Sequence[Number | None] | None, n: int) -> list[Decimal | None]:
    if target is None:
        return [None] * n
    if isinstance(target, Decimal | int):
        return [_d(target)] * n
    return [None if t is None else _d(t) for t in target]


def _chart_id(title: str, categories: Sequence[str]) -> str:
    digest = hashlib.sha1("\x1f".join([title, *categories]).encode()).hexdigest()[:10]
    return f"chart-{digest}"


def _axes(scale: _Scale, fmt: Formatter, categories: Sequence[str]) -> list[str]:
    parts = []
    right = WIDTH - RIGHT
    for tick in scale.ticks():
        y = _c(scale.y(tick))
        parts.append(f'<line class="chart-grid" x1="{LEFT}" x2="{right}" y1="{y}" y2="{y}" stroke="{GRID}"/>')
        parts.append(f'<text class="chart-tick" x="{LEFT - 6}" y="{y}" dy="0.32em" text-anchor="end" '
                     f'font-size="11" fill="{INK}">{escape(fmt(tick))}</text>')
    band = Decimal(WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    every = max(1, -(-len(categories) * 60 // (WIDTH - LEFT - RIGHT)))  # about 60 px per label
    for i, label in enumerate(categories):
        if i % every:
            continue
        x = _c(LEFT + band * i + band / 2)
        parts.append(f'<text class="chart-label" x="{x}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                     f'font-size="11" fill="{INK}">{escape(_short(label))}</text>')
    zero = _c(scale.y(Decimal(0)))
    parts.append(f'<line class="chart-axis" x1="{LEFT}" x2="{right}" y1="{zero}" y2="{zero}" stroke="{INK}"/>')
    return parts


def _legend(series: Sequence[Series], with_target: bool, target_label: str) -> list[str]:
    parts: list[str] = []
    x = LEFT
    entries = [(s.name, PALETTE[i % len(PALETTE)], f"chart-s{i}") for i, s in enumerate(series)]
    if with_target:
        entries.append((target_label, TARGET_COLOUR, "chart-target"))
    if len(entries) < 2:
        return parts
    for name, colour, cls in entries:
        label = name if len(name) <= MAX_KEY else name[: MAX_KEY - 1] + "…"
        parts.append(f'<rect class="chart-key {cls}" x="{x}" y="8" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text class="chart-key-label" x="{x + 14}" y="17" font-size="11" fill="{INK}">'
                     f'{escape(label)}</text>')
        x += 24 + 6 * len(label)
    return parts


def _bars(scale: _Scale, series: Sequence[Series], n: int, stacked: bool) -> list[str]:
    parts = []
    band = Decimal(WIDTH - LEFT - RIGHT) / max(n, 1)
    groups = 1 if stacked else max(len(series), 1)
    width = band * Decimal("0.8") / groups
    up = [Decimal(0)] * n
    down = [Decimal(0)] * n
    for s_index, s in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        for i, raw in enumerate(s.values):
            if raw is None:
                continue
            value = _d(raw)
            if stacked:
                base = up[i] if value >= 0 else down[i]
                top_value = base + value
                if value >= 0:
                    up[i] = top_value
                else:
                    down[i] = top_value
                x = LEFT + band * i + band * Decimal("0.1")
            else:
                base, top_value = Decimal(0), value
                x = LEFT + band * i + band * Decimal("0.1") + width * s_index
            y1, y2 = scale.y(max(base, top_value)), scale.y(min(base, top_value))
            parts.append(f'<rect class="chart-bar chart-s{s_index}" x="{_c(x)}" y="{_c(y1)}" '
                         f'width="{_c(width)}" height="{_c(y2 - y1)}" fill="{colour}"/>')
    return parts


def _lines(scale: _Scale, series: Sequence[Series], n: int) -> list[str]:
    parts = []
    band = Decimal(WIDTH - LEFT - RIGHT) / max(n, 1)
    for s_index, s in enumerate(series):
        colour = PALETTE[s_index % len(PALETTE)]
        run: list[str] = []
        runs = [run]
        for i, raw in enumerate(s.values):
            if raw is None:  # a gap in the data is a gap in the line
                run = []
                runs.append(run)
                continue
            point = f"{_c(LEFT + band * i + band / 2)},{_c(scale.y(_d(raw)))}"
            run.append(point)
            x, y = point.split(",")
            parts.append(f'<circle class="chart-point chart-s{s_index}" cx="{x}" cy="{y}" r="3" fill="{colour}"/>')
        for points in runs:
            if len(points) > 1:
                parts.append(f'<polyline class="chart-line chart-s{s_index}" points="{" ".join(points)}" '
                             f'fill="none" stroke="{colour}" stroke-width="2"/>')
    return parts


def _target_line(scale: _Scale, targets: Sequence[Decimal | None], label: str, fmt: Formatter) -> list[str]:
    parts = []
    band = Decimal(WIDTH - LEFT - RIGHT) / max(len(targets), 1)
    for i, target in enumerate(targets):
        if target is None:
            continue
        y = _c(scale.y(target))
        parts.append(f'<line class="chart-target" x1="{_c(LEFT + band * i)}" x2="{_c(LEFT + band * (i + 1))}" '
                     f'y1="{y}" y2="{y}" stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>')
    last = next((t for t in reversed(targets) if t is not None), None)
    if last is not None:
        parts.append(f'<text class="chart-target-label" x="{WIDTH - RIGHT}" y="{_c(scale.y(last) - 4)}" '
                     f'text-anchor="end" font-size="11" fill="{TARGET_COLOUR}">'
                     f'{escape(label)} {escape(fmt(last))}</text>')
    return parts


def _table(title: str, categories: Sequence[str], series: Sequence[Series], targets: Sequence[Decimal | None],
           fmt: Formatter, target_label: str, category_label: str, table: str) -> str:
    visible = table == "visible"
    cls = "ds-table chart-table" if visible else "chart-table"
    head = [f'<th scope="col">{escape(category_label)}</th>']
    head += [f'<th scope="col">{escape(s.name)}</th>' for s in series]
    has_target = any(t is not None for t in targets)
    if has_target:
        head.append(f'<th scope="col">{escape(target_label)}</th>')
    rows = []
    for i, category in enumerate(categories):
        cells = [f'<th scope="row">{escape(category)}</th>']
        for s in series:
            raw = s.values[i] if i < len(s.values) else None
            cells.append(f"<td>{'–' if raw is None else escape(fmt(_d(raw)))}</td>")
        if has_target:
            target = targets[i]
            cells.append(f"<td>{'–' if target is None else escape(fmt(target))}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    table_html = (f'<table class="{cls}"><caption>{escape(title)}</caption><thead><tr>{"".join(head)}</tr></thead>'
                  f'<tbody>{"".join(rows)}</tbody></table>')
    if visible:
        return table_html
    # A hidden table sits in a hidden block: a visually hidden <table> keeps its content width and
    # made a 320 px page scroll sideways; a block can shrink to one pixel.
    return f'<div class="ds-sr-only chart-table--print">{table_html}</div>'



def _render(kind: str, title: str, categories: Sequence[str], series: Sequence[Series], *,
            target: Number | Sequence[Number | None] | None, target_label: Any, fmt: Formatter | None,
            description: Any, table: str, chart_id: str | None, stacked: bool, category_label: Any) -> Markup:
    if table not in ("hidden", "visible"):
        raise ValueError(f"table must be 'hidden' or 'visible', not {table!r}")
    title = str(title)
    categories = [str(c) for c in categories]
    n = len(categories)
    for s in series:
        if len(s.values) != n:
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {n} categories")
    fmt = fmt or plain
    label = str(target_label if target_label is not None else _l("Mål"))
    targets = _targets(target, n)
    if len(targets) != n:
        raise ValueError(f"target has {len(targets)} values for {n} categories")
    values = [_d(v) for s in series for v in s.values if v is not None]
    if kind == "bar" and stacked:
        values += [sum((_d(v) for s in series if (v := s.values[i]) is not None and _d(v) > 0), Decimal(0))
                   for i in range(n)]
        values += [sum((_d(v) for s in series if (v := s.values[i]) is not None and _d(v) < 0), Decimal(0))
                   for i in range(n)]
    scale = _Scale.over(values + [t for t in targets if t is not None])
    ident = chart_id or _chart_id(title, categories)
    desc = str(description) if description else str(_l("%(n)s verdier, se tabellen.", n=len(values)))
    body = _axes(scale, fmt, categories)
    body += _bars(scale, series, n, stacked) if kind == "bar" else _lines(scale, series, n)
    body += _target_line(scale, targets, label, fmt)
    body += _legend(series, any(t is not None for t in targets), label)
    svg = (f'<svg class="chart-svg" role="img" aria-labelledby="{ident}-title {ident}-desc" '
           f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" preserveAspectRatio="xMidYMid meet" '
           f'xmlns="http://www.w3.org/2000/svg" focusable="false">'
           f'<title id="{ident}-title">{escape(title)}</title><desc id="{ident}-desc">{escape(desc)}</desc>'
           f'{"".join(body)}</svg>')
    tbl = _table(title, categories, series, targets, fmt, label,
                 str(category_label if category_label is not None else _l("Periode")), table)
    return Markup(f'<figure class="chart chart--{kind}" id="{ident}">{svg}{tbl}</figure>')  # noqa: S704


def bar_chart(title: str, categories: Sequence[str], series: Sequence[Series], *,
              target: Number | Sequence[Number | None] | None = None, target_label: Any = None,
              fmt: Formatter | None = None, description: Any = None, table: str = "hidden",
              chart_id: str | None = None, stacked: bool = False, category_label: Any = None) -> Markup:
    """Bars per category (grouped, or stacked with ``stacked=True``), an optional target line, and the table."""
    return _render("bar", title, categories, series, target=target, target_label=target_label, fmt=fmt,
                   description=description, table=table, chart_id=chart_id, stacked=stacked,
                   category_label=category_label)


def line_chart(title: str, categories: Sequence[str], series: Sequence[Series], *,
               target: Number | Sequence[Number | None] | None = None, target_label: Any = None,
               fmt: Formatter | None = None, description: Any = None, table: str = "hidden",
               chart_id: str | None = None, category_label: Any = None) -> Markup:
    """A trend: one line per series over the categories (gaps where a value is None), target and table."""
    return _render("line", title, categories, series, target=target, target_label=target_label, fmt=fmt,
                   description=description, table=table, chart_id=chart_id, stacked=False,
                   category_label=category_label)


def init_app(app: Flask) -> None:
    """Make the chart functions and formatters Jinja globals."""
    app.jinja_env.globals.update(bar_chart=bar_chart, line_chart=line_chart, ChartSeries=Series,
                                 chart_percent=percent, chart_plain=plain)
