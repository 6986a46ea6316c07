"""The pure rules of the leader's view: reading accounting exports, Oslo months, shares, projections."""
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from webshop.leader.rules import (
    Month,
    SpendFileInvalid,
    approvals_per_week,
    months_between,
    order_id_of,
    parse_amount,
    parse_orgnr,
    read_spend_csv,
    share,
)


@pytest.mark.parametrize("text, expected", [
    ("1 234,50", "1234.50"), ("1.234,50", "1234.50"), ("1234.50", "1234.50"), ("-1 234,50", "-1234.50"),
    ("1234,50-", "-1234.50"), ("(99,00)", "-99.00"), ("1\u00a0000", "1000"), ("\u2212100,5", "-100.5"),
    ("1.234.567,00", "1234567.00"), ("1,234.50", "1234.50"), ("0", "0"), ("12.5", "12.5"),
])
def test_amounts_as_accounting_systems_write_them(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1.234", "1,2,3", "12,345", "1e5", "1,001", "--5", "12.3456"])
def test_unclear_amounts_are_refused(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_orgnr_and_order_numbers():
    assert parse_orgnr("NO 918 273 646 MVA") == "918273646"
    with pytest.raises(ValueError):
        parse_orgnr("91827364")
    assert order_id_of("IK-000123") == 123
    assert order_id_of("ik123") == 123
    assert order_id_of("PO-5") is None and order_id_of(None) is None


def test_a_whole_file_with_norwegian_headers_and_cp1252():
    text = ("Bilagsdato;Koststed;Org.nr;Beløp;Ordrenummer;Leverandør\r\n"
            "31.01.2026;2100;918273646;1 000,00;IK-000007;Kontor AS\r\n"
            "2026-02-01;2100;918273646;-50,00;;\r\n\r\n")
    rows = read_spend_csv(text.encode("cp1252"))
    assert [(r.line, r.booked_on, r.cost_centre, r.amount, r.order_id, r.supplier_name) for r in rows] == [
        (2, date(2026, 1, 31), "2100", Decimal("1000.00"), 7, "Kontor AS"),
        (3, date(2026, 2, 1), "2100", Decimal("-50.00"), None, None)]


def test_every_bad_row_is_reported_and_nothing_is_returned():
    text = ("date,cost_centre,supplier_orgnr,amount\n"
            "2026-01-31,2100,918273646,10.00\n"
            "31.02.2026,2100,918273646,10.00\n"
            "2026-01-31,,12345,ti kroner\n")
    with pytest.raises(SpendFileInvalid) as caught:
        read_spend_csv(text.encode())
    assert [(e.line, e.message.split(" ")[0]) for e in caught.value.errors] == [
        (3, "ugyldig"), (4, "ugyldig"), (4, "ugyldig"), (4, "koststed")]


def test_missing_columns_are_named():
    with pytest.raises(SpendFileInvalid, match="Mangler kolonne: supplier_orgnr, amount"):
        read_spend_csv(b"dato;koststed\n01.01.2026;1\n")


def test_oslo_months_and_their_utc_bounds():
    assert Month.of_instant(datetime(2026, 1, 31, 22, 59, tzinfo=UTC)) == Month(2026, 1)
    assert Month.of_instant(datetime(2026, 1, 31, 23, 0, tzinfo=UTC)) == Month(2026, 2)
    assert Month.of_instant(datetime(2026, 7, 31, 22, 0, tzinfo=UTC)) == Month(2026, 8)  # summer time
    assert Month(2026, 2).start_utc() == datetime(2026, 1, 31, 23, 0, tzinfo=UTC)
    assert [str(m) for m in months_between(Month(2025, 11), Month(2026, 2))] == \
        ["2025-11", "2025-12", "2026-01", "2026-02"]
    for bad in ("2026-13", "2026-1", "26-01", "1999-12"):
        with pytest.raises(ValueError):
            Month.parse(bad)


def test_shares():
    assert share(Decimal("1"), Decimal("3")) == Decimal("33.3")
    assert share(Decimal("500"), Decimal("400")) == Decimal("125.0")
    assert share(Decimal("5"), Decimal("0")) is None
    assert share(Decimal("5"), Decimal("-10")) is None


def test_approvals_per_week_with_fewer_orderers():
    # week 1: 9 orders by 9 people from 2 suppliers; week 2: 3 orders by 3 people from 1 supplier
    weeks = [[(p, 1 if p < 5 else 2) for p in range(9)], [(p, 1) for p in range(3)]]
    assert approvals_per_week(weeks, None, 2) == Decimal("6.0")  # 12 approvals in 2 weeks
    assert approvals_per_week(weeks, 2, 2) == Decimal("3.0")  # min(9, 2*2) + min(3, 2*1) = 6
    assert approvals_per_week(weeks, 1, 2) == Decimal("1.5")  # 2 + 1
    assert approvals_per_week(weeks, 9, 2) == Decimal("6.0")  # never more than now
