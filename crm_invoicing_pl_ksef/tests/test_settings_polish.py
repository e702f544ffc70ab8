"""KSeF's settings in the suite's Polish blocks; l10n_pl_edi's screens and
messages in Polish."""

from lxml import etree
from odoo.addons.crm_invoicing_pl.tests.test_settings_polish import (
    SUITE_MODULES,
)
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import get_po_paths


@tagged("post_install", "-at_install")
class TestKsefPolishTerms(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        installed = (
            cls.env["ir.module.module"]
            .search([("state", "=", "installed"), ("name", "in", list(SUITE_MODULES))])
            .mapped("name")
        )
        cls.env["ir.module.module"]._load_module_terms(
            ["l10n_pl", "l10n_pl_edi", "sale", *installed], ["pl_PL"], overwrite=True
        )
        cls.pl_env = cls.env(context=dict(cls.env.context, lang="pl_PL"))

    def _arch(self, model, view_type="form"):
        views = self.pl_env[model].get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_extra_po_file_found(self):
        self.assertTrue(
            any(
                path.endswith("crm_invoicing_pl_ksef/i18n_extra/pl.po")
                for path in get_po_paths("crm_invoicing_pl_ksef", "pl_PL")
            )
        )

    def test_l10n_pl_edi_terms_in_polish(self):
        status = self.pl_env["account.move"].fields_get(
            ["l10n_pl_edi_status"], attributes=["string", "selection"]
        )["l10n_pl_edi_status"]
        self.assertEqual(status["string"], "Status KSeF")
        labels = dict(status["selection"])
        self.assertEqual(labels["sent"], "Wysłana (w trakcie przetwarzania)")
        self.assertEqual(labels["accepted"], "Przyjęta")
        self.assertEqual(labels["rejected"], "Odrzucona")
        field = self.pl_env["account.move"]._fields["l10n_pl_edi_status"]
        self.assertEqual(
            dict(field._description_selection(self.pl_env))["accepted"], "Przyjęta"
        )
        arch = self._arch("account.move")
        self.assertEqual(
            arch.xpath(
                "//button[@name='action_l10n_pl_edi_update_invoice_status']/@string"
            ),
            ["Sprawdź wysyłkę"],
        )
        self.assertEqual(
            arch.xpath("//page[@name='page_pl_extra']/@string"), ["Dane dodatkowe (PL)"]
        )
        # The sending wizard's KSeF option (a code term of l10n_pl_edi).
        edis = self.pl_env["account.move.send"]._get_all_extra_edis()
        self.assertEqual(edis["pl_ksef"]["label"], "przez KSeF (e-Faktura)")

    def test_l10n_pl_edi_messages_in_polish(self):
        """KSeF's status lines and the sending warnings l10n_pl_edi writes."""
        move = self.pl_env["account.move"]
        mapping = move._l10n_pl_edi_get_status_mapping()
        self.assertEqual(
            mapping[200],
            ("accepted", "Status KSeF: sukces (kod: 200). Faktura przyjęta."),
        )
        self.assertEqual(
            mapping[440],
            ("rejected", "Status KSeF: odrzucona (kod: 440). Duplikat faktury."),
        )
        self.assertFalse(
            [text for __, text in mapping.values() if "KSeF Status" in text],
            "every status line in Polish",
        )
        company = self.env["res.company"].create({"name": "Bez NIP i adresu"})
        errors = move.new(
            {"company_id": company.id}
        )._l10n_pl_edi_check_mandatory_fields()
        self.assertEqual(
            errors["vat_missing"]["message"],
            "Aby wystawiać e-faktury, firma musi mieć numer NIP\n",
        )
        self.assertEqual(
            errors["address_problem"]["message"], "Uzupełnij adres swojej firmy\n"
        )
        # In English (the default), l10n_pl_edi's own wording is kept.
        self.assertEqual(
            self.env["account.move"]._l10n_pl_edi_get_status_mapping()[200][1],
            "KSeF Status: Success (Code: 200). Invoice accepted.",
        )

    def test_ksef_settings_in_polish_blocks(self):
        arch = self._arch("res.config.settings")
        titles = set(arch.xpath("//app[@name='account']/block/@title"))
        self.assertLessEqual({"Dokumenty", "KSeF", "Adresy usług"}, titles)
        ksef = arch.xpath(
            "//setting[@id='l10n_pl_edi_register']/ancestor::block/@title"
        )
        self.assertEqual(ksef, ["KSeF"])
        api_url = arch.xpath("//field[@name='pl_ksef_api_url']/ancestor::block/@title")
        self.assertEqual(api_url, ["Adresy usług"])
