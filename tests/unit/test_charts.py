"""webshop.charts: the SVG is CSP-clean, sized from Decimals, and its table holds the exact figures."""
from decimal import Decimal

import pytest
from lxml import etree, html

from webshop.charts import Series, bar_chart, line_chart, percent

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup):
    figure = html.fragment_fromstring(str(markup))
    svg = etree.fromstring(etree.tostring(figure.find("svg")))
    return figure, svg


def _table(figure):
    return [[cell.text_content() for cell in row] for row in figure.iter("tr")]


def test_bar_chart_table_holds_exact_decimals_and_target():
    chart = bar_chart("Forbruk", ["jan", "feb", "mar"],
                      [Series("E-handel", [Decimal("1234.56"), None, Decimal("-20.10")])],
                      target=Decimal("25"), target_label="Mål")
    figure, _svg = _parse(chart)
    assert _table(figure) == [["Periode", "E-handel", "Mål"],
                              ["jan", "1234.56", "25"],
                              ["feb", "–", "25"],
                              ["mar", "-20.10", "25"]]
    assert figure.find(".//table/caption").text == "Forbruk"
    # hidden from sight inside a block that can shrink (a hidden <table> kept its width at 320 px)
    assert "ds-sr-only" in figure.find("div").get("class")
    assert "ds-sr-only" not in (figure.find(".//table").get("class") or "")


def test_bar_heights_follow_the_values_on_a_nice_scale():
    # values 10 and 40: scale 0..40 in steps of 10; plot height 280-28-44 = 208 px
    _figure, svg = _parse(bar_chart("T", ["a", "b"], [Series("s", [Decimal(10), 40])]))
    bars = svg.findall(f"{SVG}rect[@class='chart-bar chart-s0']")
    assert [(b.get("y"), b.get("height")) for b in bars] == [("184.0", "52.0"), ("28.0", "208.0")]
    ticks = [t.text for t in svg.findall(f"{SVG}text[@class='chart-tick']")]
    assert ticks == ["0", "10", "20", "30", "40"]


def test_negative_bar_hangs_below_the_zero_axis():
    _figure, svg = _parse(bar_chart("T", ["a", "b"], [Series("s", [Decimal(-10), Decimal(30)])]))
    neg = svg.findall(f"{SVG}rect[@class='chart-bar chart-s0']")[0]
    axis = svg.find(f"{SVG}line[@class='chart-axis']")
    assert neg.get("y") == axis.get("y1")
    assert Decimal(neg.get("height")) > 0


def test_no_script_no_style_no_inline_style_and_an_accessible_name():
    chart = line_chart("Andel <e-handel>", ["jan", "feb"], [Series("A", [Decimal("12.5"), Decimal("30")])],
                       target=Decimal(25), fmt=percent, description="Over målet i februar")
    text = str(chart)
    assert "<script" not in text and "<style" not in text and "style=" not in text
    figure, svg = _parse(chart)
    assert svg.get("role") == "img"
    ids = svg.get("aria-labelledby").split()
    assert [svg.find(f".//*[@id='{i}']").text for i in ids] == ["Andel <e-handel>", "Over målet i februar"]
    assert _table(figure)[1:] == [["jan", "12.5 %", "25.0 %"], ["feb", "30.0 %", "25.0 %"]]


def test_line_breaks_at_missing_values():
    _figure, svg = _parse(line_chart("T", ["a", "b", "c", "d"], [Series("s", [1, 2, None, 4])]))
    lines = svg.findall(f"{SVG}polyline")
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2
    assert len(svg.findall(f"{SVG}circle")) == 3


def test_stacked_bars_start_where_the_previous_one_ends():
    _figure, svg = _parse(bar_chart("T", ["a"], [Series("x", [10]), Series("y", [30])], stacked=True))
    x_bar = svg.find(f"{SVG}rect[@class='chart-bar chart-s0']")
    y_bar = svg.find(f"{SVG}rect[@class='chart-bar chart-s1']")
    assert Decimal(y_bar.get("y")) + Decimal(y_bar.get("height")) == Decimal(x_bar.get("y"))


def test_per_category_target_and_a_visible_table():
    chart = bar_chart("T", ["a", "b"], [Series("s", [1, 2])], target=[Decimal(20), None], table="visible")
    figure, svg = _parse(chart)
    assert len(svg.findall(f"{SVG}line[@class='chart-target']")) == 1
    assert "ds-sr-only" not in figure.find(".//table").get("class")
    assert _table(figure)[1:] == [["a", "1", "20"], ["b", "2", "–"]]


def test_mismatched_series_is_refused():
    with pytest.raises(ValueError, match="2 values for 3 categories"):
        bar_chart("T", ["a", "b", "c"], [Series("s", [1, 2])])
