"""Test-only package of crm-invoicing-pl: local fake servers.

Each module fakes one service the add-ons talk to (``fake_ksef``,
``fake_nbp``, ``fake_nbp_rates``, ``fake_vies``, ``fake_whitelist``,
``fake_gus``, ``fake_sms_gateway``, ``smtp_sink``) on 127.0.0.1; most build
on ``fake_server``. No Odoo import: the pytest suite, the add-ons' Odoo tests
and the benchmarks share them. Besides, for the add-ons' Odoo tests only (they
import Odoo): ``neutralize_case``, the shared checks of the add-ons'
data/neutralize.sql, and ``user_helpers``, the test users and JSON-RPC
refusals. Installed by requirements-dev.txt, never imported by production code
(tests/test_no_test_code_in_production.py).
"""
