"""The suite's settings in Polish blocks; Odoo's Polish screens in Polish
(l10n_pl_edi's: crm_invoicing_pl_ksef)."""

from lxml import etree
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import get_po_paths

SUITE_MODULES = {
    "crm_invoicing_pl",
    "crm_invoicing_pl_approval",
    "crm_invoicing_pl_archive",
    "crm_invoicing_pl_notify",
    "crm_invoicing_pl_jpk",
    "crm_invoicing_pl_ksef",
    "crm_invoicing_pl_ksef_sale",
    "crm_invoicing_pl_sale",
    "crm_dunning",
    "crm_recurring",
    "crm_vies_check",
}
SUITE_HEADINGS = {
    "Dokumenty",
    "KSeF",
    "Kontrahenci",
    "Windykacja",
    "Adresy usług",
}
# crm_vies_check installs without crm_invoicing_pl: the registers' addresses
# (VIES, white list, GUS) are in its own Contractors block.
SERVICE_ADDRESSES = {"pl_ksef_api_url"}


@tagged("post_install", "-at_install")
class TestPolishSettingsAndCoreTerms(TransactionCase):
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
            ["l10n_pl", *installed], ["pl_PL"], overwrite=True
        )
        cls.pl_env = cls.env(context=dict(cls.env.context, lang="pl_PL"))

    def _arch(self, model, view_type="form"):
        views = self.pl_env[model].get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_extra_po_file_found(self):
        self.assertTrue(
            any(
                path.endswith("crm_invoicing_pl/i18n_extra/pl.po")
                for path in get_po_paths("crm_invoicing_pl", "pl_PL")
            )
        )

    def test_settings_in_polish_blocks(self):
        arch = self._arch("res.config.settings")
        titles = set(arch.xpath("//app[@name='account']/block/@title"))
        self.assertIn("Lokalizacja polska", titles)
        self.assertIn("Dokumenty", titles)
        suite_fields = (
            self.env["ir.model.fields"]
            .search([("model", "=", "res.config.settings")])
            .filtered(lambda f: set(f.modules.split(", ")) <= SUITE_MODULES)
            .mapped("name")
        )
        self.assertIn("pl_documents_enabled", suite_fields)
        for name in suite_fields:
            nodes = arch.xpath(f"//field[@name='{name}']")
            self.assertTrue(nodes, name)
            heading = nodes[0].xpath("ancestor::block/@title")
            self.assertEqual(len(heading), 1, name)
            self.assertIn(heading[0], SUITE_HEADINGS, name)
            self.assertEqual(
                heading[0] == "Adresy usług", name in SERVICE_ADDRESSES, name
            )
