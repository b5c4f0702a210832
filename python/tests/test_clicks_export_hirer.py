"""The hirer CSV export (python -m kpi_layer.export_hirer): the analysis compiled for one hirer and date range,
run on a DuckDB file holding the three marts it reads, written as CSV. Hand-built rows: only the hirer's
billable clicks and the invoice lines of the hirer's Stripe customer, inside the inclusive date range, come out."""

from __future__ import annotations

import csv
from datetime import date

import duckdb
import pytest

from kpi_layer import export_hirer

pytestmark = pytest.mark.slow


def _marts(db: str) -> None:
    con = duckdb.connect(db)
    con.execute("create schema main_marts")
    con.execute("""create table main_marts.fct_clicks as select * from (values
        ('c1', 'h1', date '2025-06-01', timestamp '2025-06-01 00:00:01', 'r1', 'l1', 'US', 'mobile', null, true),
        ('c2', 'h1', date '2025-06-30', timestamp '2025-06-30 23:59:59', 'r1', 'l1', 'GB', 'desktop', 'https://t.co/', true),
        ('c3', 'h1', date '2025-06-15', timestamp '2025-06-15 12:00:00', 'r1', 'l1', 'US', 'bot', null, false),
        ('c4', 'h1', date '2025-07-01', timestamp '2025-07-01 00:00:00', 'r1', 'l1', 'US', 'mobile', null, true),
        ('c5', 'h2', date '2025-06-10', timestamp '2025-06-10 10:00:00', 'r2', 'l2', 'US', 'mobile', null, true)
        ) as t(click_id, hirer_id, click_date, clicked_at, route_id, listing_id, country_code, device_type,
               referrer, is_billable)""")
    con.execute("""create table main_marts.dim_customers as select * from (values
        ('cus_1', 'marketplace', 'h1'), ('cus_2', 'marketplace', 'h2'), ('cus_3', 'storefront', 'h1')
        ) as t(customer_id, app_name, app_customer_id)""")
    con.execute("""create table main_marts.fct_invoice_lines as select * from (values
        ('il_1', 'in_1', 'cus_1', 'paid', 'Usage June', 'usd', 12.50, 12.50, timestamp '2025-06-05 00:00:00'),
        ('il_2', 'in_2', 'cus_1', 'paid', 'Usage May', 'usd', 3.00, 3.00, timestamp '2025-05-31 23:00:00'),
        ('il_3', 'in_3', 'cus_2', 'paid', 'Other hirer', 'usd', 9.00, 9.00, timestamp '2025-06-05 00:00:00'),
        ('il_4', 'in_4', 'cus_3', 'paid', 'Storefront id clash', 'usd', 7.00, 7.00, timestamp '2025-06-05 00:00:00')
        ) as t(invoice_line_item_id, invoice_id, customer_id, invoice_status, description, currency, amount,
               amount_usd, service_period_start_at)""")
    con.close()


def test_export_writes_the_hirers_billable_clicks_and_invoice_lines(tmp_path, monkeypatch):
    db = tmp_path / "export.duckdb"
    monkeypatch.setenv("KPI_TARGET", "duckdb")
    monkeypatch.setenv("KPI_DUCKDB_PATH", str(db))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "logs"))
    _marts(str(db))
    out = tmp_path / "hirer.csv"
    assert export_hirer.main(["--hirer-id", "h1", "--start", "2025-06-01", "--end", "2025-06-30",
                              "--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    # c3 is invalid, c4 after the range, c5 another hirer; il_2 before the range, il_3 / il_4 other customers
    assert [(r["record_type"], r["record_id"]) for r in rows] == [
        ("click", "c1"), ("click", "c2"), ("invoice_line", "il_1")]
    assert rows[2]["amount"].startswith("12.5") and rows[2]["invoice_id"] == "in_1"
    assert rows[1]["referrer"] == "https://t.co/" and rows[0]["referrer"] == ""


def test_export_rejects_a_bad_hirer_id_or_range():
    with pytest.raises(ValueError):
        export_hirer.compile_sql("h1'; drop table x; --", date(2025, 6, 1), date(2025, 6, 30))
    with pytest.raises(ValueError):
        export_hirer.compile_sql("h1", date(2025, 6, 30), date(2025, 6, 1))
