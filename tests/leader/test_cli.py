"""`flask spend import FILE --organisation KEY`: all rows or none, every bad row on stderr."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from webshop.leader.models import SpendMonth, SpendRecord


def test_import_from_the_command_line(app, world, store, tmp_path):
    good = tmp_path / "regnskap.csv"
    good.write_bytes("Bilagsdato;Ansvar;Org.nr;Beløp\n31.01.2026;2100;918273646;1 000,00\n"
                     "01.02.2026;skole;918273646;-250,50\n".encode("cp1252"))
    result = app.test_cli_runner().invoke(args=["spend", "import", str(good), "--organisation", "lia"])
    assert result.exit_code == 0, result.output
    assert "Imported 2 rows (749.50 NOK) for Lia kommune." in result.output
    assert store.scalar(select(func.count()).select_from(SpendRecord)) == 2
    months = sorted((m.month.isoformat(), m.amount) for m in store.scalars(select(SpendMonth)))
    assert months == [("2026-01-01", Decimal("1000.00")), ("2026-02-01", Decimal("-250.50"))]


def test_a_bad_file_imports_nothing(app, world, store, tmp_path):
    bad = tmp_path / "regnskap.csv"
    bad.write_text("dato;koststed;orgnr;beløp\n31.01.2026;2100;918273646;10,00\n31.01.2026;7777;918273646;5\n")
    result = app.test_cli_runner().invoke(args=["spend", "import", str(bad), "--organisation", "938472610"])
    assert result.exit_code == 1
    assert "Linje 3: ukjent koststed «7777»" in result.output and "Nothing imported: 1 bad row(s)." in result.output
    assert store.scalar(select(func.count()).select_from(SpendRecord)) == 0
    missing = app.test_cli_runner().invoke(args=["spend", "import", str(bad), "--organisation", "nowhere"])
    assert missing.exit_code == 1 and "No organisation 'nowhere'." in missing.output


def test_rebuild_sums_the_cells_again(app, world, store):
    from datetime import UTC, datetime

    from webshop.leader.models import OrderMonth
    from webshop.orders.models import Order
    from webshop.orders.rules import OrderStatus

    store.add(Order(organisation_id=world.org.id, unit_id=world.school.id, supplier_id=world.supplier.id,
                    orderer_id=world.orderer.id, status=OrderStatus.SENT, total=Decimal("99.00"),
                    vat_total=Decimal(0), submitted_at=datetime(2026, 5, 31, 22, 30, tzinfo=UTC)))  # June in Oslo
    store.commit()
    result = app.test_cli_runner().invoke(args=["spend", "rebuild"])
    assert result.exit_code == 0, result.output
    assert "Lia kommune: monthly figures rebuilt." in result.output
    assert [(c.month.isoformat(), c.orders, c.spend) for c in store.scalars(select(OrderMonth))] == [
        ("2026-06-01", 1, Decimal("99.00"))]
