"""What the benchmarks share: Odoo set-up, the OCA baseline, Polish customers.

Imported by the scripts of this folder (their folder is first on
``sys.path`` when they run), after ``scripts/odoo_env.py``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import odoo_env
from stdnum.pl import nip as pl_nip

DEFAULT_OCA = "/opt/oca-addons"
STREETS = (
    "ul. Marszałkowska",
    "ul. Piotrkowska",
    "ul. Długa",
    "ul. Floriańska",
    "al. Jerozolimskie",
    "ul. Świętojańska",
    "ul. Półwiejska",
    "ul. Grunwaldzka",
)
CITIES = (
    ("00-001", "Warszawa"),
    ("90-001", "Łódź"),
    ("80-001", "Gdańsk"),
    ("31-001", "Kraków"),
    ("61-001", "Poznań"),
    ("50-001", "Wrocław"),
    ("81-001", "Gdynia"),
    ("20-001", "Lublin"),
)
NAMES = (
    "Hurtownia",
    "Kancelaria",
    "Pracownia",
    "Serwis",
    "Drukarnia",
    "Piekarnia",
    "Apteka",
    "Studio",
)
COMPANY_NIP = "PL5260250274"
COMPANY_IBAN = "PL61109010140000071219812874"


class BenchError(Exception):
    pass


def oca_addons_path(oca_dir, modules, script, hint=""):
    """``oca_dir`` once every OCA module of the baseline is found in it."""
    missing = [
        m for m in modules if not (Path(oca_dir) / m / "__manifest__.py").is_file()
    ]
    if missing:
        raise BenchError(
            f"OCA add-on(s) {', '.join(missing)} not found in {oca_dir}: "
            "install the OCA baseline as this script's docstring says "
            f"(python3 bench/{script} --help) or pass --oca-addons{hint}"
        )
    return str(oca_dir)


def odoo_bin_run(addons_path, db, option, modules):
    """``odoo-bin --init`` / ``--update`` of ``modules`` in ``db``, no demo data."""
    cmd = [
        sys.executable,
        str(odoo_env.odoo_bin()),
        f"--addons-path={addons_path}",
        f"--database={db}",
        f"{option}={','.join(modules)}",
        "--without-demo=all",
        "--stop-after-init",
        "--no-http",
        "--max-cron-threads=0",
        "--log-level=warn",
    ]
    print("$ " + " ".join(cmd), flush=True)
    if subprocess.run(cmd, cwd="/tmp", check=False).returncode:
        raise BenchError(f"{option} {', '.join(modules)} on {db} failed")


def configure_odoo(db, addons_path, name):
    """Point this process's Odoo at ``db`` with an empty configuration file."""
    from odoo.tools import config

    conf = odoo_env.write_empty_config(Path(tempfile.gettempdir()) / f"{name}.conf")
    config.parse_config(
        [f"--config={conf}", "-d", db, "--addons-path", addons_path]
        + ["--log-level=warn", "--http-interface=127.0.0.1"]
    )


def valid_nip(rng):
    """A random NIP with a valid check digit, prefixed with PL."""
    while True:
        body = "".join(str(rng.randint(1 if i == 0 else 0, 9)) for i in range(9))
        # the one check digit python-stdnum accepts; none when the weighted
        # sum leaves 10 (then draw again)
        for digit in "0123456789":
            if pl_nip.is_valid(body + digit):
                return "PL" + body + digit


def setup_partners(env, count, rng, ref_prefix, with_email=False, batch=1000):
    """``count`` Polish business customers (ref ``<ref_prefix>-00000``...).

    Kept between runs: only the missing ones are created.
    """
    Partner = env["res.partner"]
    domain = [("ref", "=like", f"{ref_prefix}-%")]
    existing = Partner.search_count(domain)
    if existing < count:
        print(f"  creating {count - existing} customers", flush=True)
        vals = []
        for index in range(existing, count):
            zip_code, city = CITIES[index % len(CITIES)]
            vals.append(
                {
                    "name": f"{NAMES[index % len(NAMES)]} {index + 1} Sp. z o.o.",
                    "ref": f"{ref_prefix}-{index:05d}",
                    "is_company": True,
                    "vat": valid_nip(rng),
                    "street": f"{STREETS[index % len(STREETS)]} {index % 120 + 1}",
                    "zip": zip_code,
                    "city": city,
                    "country_id": env.ref("base.pl").id,
                    **(
                        {"email": f"ksiegowosc{index + 1}@klient.invalid"}
                        if with_email
                        else {}
                    ),
                }
            )
        for chunk in range(0, len(vals), batch):
            Partner.create(vals[chunk : chunk + batch])
    return Partner.search(domain, order="ref", limit=count)


def create_pl_company(env, name, **values):
    """A new Polish company: l10n_pl chart, NIP, Warsaw address, bank account.

    The current user gets access to it. Returns the company.
    """
    company = env["res.company"].create(
        {
            "name": name,
            "vat": COMPANY_NIP,
            "street": "ul. Świętokrzyska 12",
            "zip": "00-916",
            "city": "Warszawa",
            "country_id": env.ref("base.pl").id,
            "currency_id": env.ref("base.PLN").id,
            **values,
        }
    )
    env.user.company_ids |= company
    cenv = env(context={"allowed_company_ids": company.ids})
    cenv["account.chart.template"].try_loading("pl", company, install_demo=False)
    bank = cenv["res.partner.bank"].create(
        {
            "acc_number": COMPANY_IBAN,
            "partner_id": company.partner_id.id,
            "company_id": company.id,
            "allow_out_payment": True,
        }
    )
    cenv["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
    ).bank_account_id = bank
    return company
