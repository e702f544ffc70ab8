"""Every screen of the suite reads in Polish.

With pl_PL loaded, each term the suite's add-ons show — view texts and
attributes, field labels and help, selection labels, menus, window actions
and their help, e-mail templates and reports — differs from its English
source, unless it is a name or code that Polish writes the same way
(``SAME_IN_POLISH``). The add-ons' catalogues are checked for completeness
by tests/test_translations.py; this test checks what Odoo actually renders.
"""

import re

from odoo import models
from odoo.tests import TransactionCase, tagged

SUITE = (
    "crm_invoicing_pl",
    "crm_invoicing_pl_approval",
    "crm_invoicing_pl_archive",
    "crm_invoicing_pl_notify",
    "crm_invoicing_pl_jpk",
    "crm_invoicing_pl_ksef",
    "crm_invoicing_pl_ksef_sale",
    "crm_invoicing_pl_dashboard",
    "crm_invoicing_pl_dashboard_approval",
    "crm_recurring",
    "crm_dunning",
    "crm_vies_check",
    "sms_http_gateway_pl",
)
# Terms Polish writes as English does: names, codes, abbreviations.
SAME_IN_POLISH = {
    "KSeF",
    "NIP",
    "REGON",
    "KRS",
    "VIES",
    "GUS REGON",
    "JPK",
    "JPK_V7M",
    "UPO",
    "SMS",
    "PDF",
    "XML",
    "CSV",
    "URL",
    "API",
    "EUR",
    "PLN",
    "VAT",
    "GTU",
    "PKWiU",
    "CN",
    "BDO",
    "IBAN",
    "SWIFT",
    "BIC",
    "E-mail",
    "Status",
    "Token",
    "OK",
    "Format",
    "Limit",
    "MRR",
    "ARR",
    "Online",
    "Faktura VAT",
}
# JPK box codes, as the form names them ("K_20 VAT 23%").
JPK_BOX = re.compile(r"^K_\d+\b")
WORD = re.compile(r"[^\W\d_]{2,}")


def wordy(term):
    """A term a user reads (not a placeholder, number or symbol)."""
    text = re.sub(
        r"<[^>]+>|%\(\w+\)s|%s|\{\{.*?\}\}|\$\{.*?\}|https?://\S+", " ", term or ""
    )
    text = text.strip()
    return bool(WORD.search(text)) and not (
        text in SAME_IN_POLISH or JPK_BOX.match(text)
    )


@tagged("post_install", "-at_install")
class TestPolishEverywhere(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.modules = (
            cls.env["ir.module.module"]
            .search([("name", "in", SUITE), ("state", "=", "installed")])
            .mapped("name")
        )
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            cls.modules, ["pl_PL"], overwrite=True
        )

    def records(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "in", self.modules), ("model", "=", model)]
        )
        records = self.env[model].browse(data.mapped("res_id")).exists()
        if model == "ir.model.fields":
            # Odoo's own columns (ID, Display Name...) are Odoo's terms.
            records = records.filtered(
                lambda field: field.name not in (*models.MAGIC_COLUMNS, "display_name")
            )
        return records

    def untranslated(self, records, names):
        """[(record, field, English term)] shown in English in pl_PL."""
        found = []
        for record in records:
            for name in names:
                field = record._fields[name]
                if not field.translate:
                    continue
                stored = field._get_stored_translations(record) or {}
                english = stored.get("en_US")
                if not english:
                    continue
                polish = stored.get("pl_PL")
                if not callable(field.translate):
                    if wordy(english) and (not polish or polish == english):
                        found.append((record, name, english))
                    continue
                terms = field.get_trans_terms(english)
                if not polish:
                    found += [(record, name, t) for t in terms if wordy(t)]
                    continue
                mapping = field.get_translation_dictionary(english, {"pl_PL": polish})
                found += [
                    (record, name, term)
                    for term, translated in mapping.items()
                    if wordy(term) and translated.get("pl_PL", term) == term
                ]
        return found

    def assertPolish(self, model, names):
        found = self.untranslated(self.records(model), names)
        self.assertFalse(
            found,
            "shown in English in pl_PL:\n"
            + "\n".join(
                f"  {record._name},{record.id} {record.display_name!r} {name}: {term!r}"
                for record, name, term in found
            ),
        )

    def test_suite_is_installed_in_polish(self):
        self.assertIn("crm_invoicing_pl", self.modules)
        self.assertTrue(self.env["res.lang"]._lang_get("pl_PL").active)

    def test_views(self):
        self.assertPolish("ir.ui.view", ["arch_db"])

    def test_fields_and_selections(self):
        self.assertPolish("ir.model.fields", ["field_description", "help"])
        self.assertPolish("ir.model.fields.selection", ["name"])

    def test_menus_and_actions(self):
        self.assertPolish("ir.ui.menu", ["name"])
        self.assertPolish("ir.actions.act_window", ["name", "help"])
        # Crons too: each runs a server action of the same name.
        self.assertPolish("ir.actions.server", ["name"])
        self.assertPolish("ir.actions.report", ["name"])

    def test_templates(self):
        self.assertPolish("mail.template", ["name", "subject", "body_html"])
