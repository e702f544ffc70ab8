"""``make demo`` (scripts/demo.py): the database it serves is ready to try.

Runs against the machine's PostgreSQL, in a scratch database holding Odoo's
``ir_config_parameter`` table.
"""

import os
import sys
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import demo  # noqa: E402


@pytest.fixture
def database():
    name = f"crm_pl_demo_script_{os.getpid()}"
    admin = psycopg2.connect(dbname="postgres")
    admin.autocommit = True
    with admin.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cr.execute(f'CREATE DATABASE "{name}"')
    conn = psycopg2.connect(dbname=name)
    with conn, conn.cursor() as cr:
        cr.execute(
            "CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar "
            "NOT NULL CONSTRAINT ir_config_parameter_key_uniq UNIQUE, value text "
            "NOT NULL, create_date timestamp, write_date timestamp)"
        )
        cr.execute(
            "INSERT INTO ir_config_parameter (key, value) VALUES "
            "('web.base.url', 'http://localhost:8069'), "
            "('crm_vies_check.gus_key', 'klucz-konsultanta')"
        )
    yield conn
    conn.close()
    with admin.cursor() as cr:
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


def _params(conn):
    with conn.cursor() as cr:
        cr.execute("SELECT key, value FROM ir_config_parameter")
        return dict(cr.fetchall())


def test_prepare_points_odoo_at_its_port_and_fills_the_test_services(database):
    demo.prepare_database(database.info.dbname, "http://127.0.0.1:8075")
    params = _params(database)
    assert params["web.base.url"] == "http://127.0.0.1:8075"
    assert params["l10n_pl_edi_ksef.mode"] == "test"
    assert params["crm_vies_check.gus_url"].startswith(
        "https://wyszukiwarkaregontest.stat.gov.pl/"
    )
    # A consultant's own key is kept.
    assert params["crm_vies_check.gus_key"] == "klucz-konsultanta"
    # Served again on another port: the URL follows, nothing is doubled.
    demo.prepare_database(database.info.dbname, "http://127.0.0.1:8069")
    assert _params(database)["web.base.url"] == "http://127.0.0.1:8069"
    assert len(_params(database)) == len(params)


def test_ready_block_names_url_login_and_first_steps():
    block = demo.ready_block("http://127.0.0.1:8075", "crm_pl_demo")
    lines = block.strip().splitlines()
    assert lines[0] == lines[-1] == "=" * 64
    assert "http://127.0.0.1:8075" in block
    assert "admin" in block and "crm_pl_demo" in block
    assert "Ctrl+C" in block
