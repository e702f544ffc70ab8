from lxml import etree
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import get_po_paths

OCA_MODULES = ["base_tier_validation", "account_move_tier_validation"]


@tagged("post_install", "-at_install")
class TestOcaPolishTranslation(TransactionCase):
    """i18n_extra/pl.po translates the OCA tier validation add-ons' records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            [*OCA_MODULES, "crm_invoicing_pl_approval"], ["pl_PL"], overwrite=True
        )
        cls.pl_env = cls.env(context=dict(cls.env.context, lang="pl_PL"))

    def test_po_file_found(self):
        paths = list(get_po_paths("crm_invoicing_pl_approval", "pl_PL"))
        self.assertTrue(
            any(
                path.endswith("crm_invoicing_pl_approval/i18n_extra/pl.po")
                for path in paths
            ),
            paths,
        )

    def test_field_labels_and_selections(self):
        fields = self.pl_env["tier.definition"].fields_get(
            ["approve_sequence", "reviewer_id", "notify_on_create", "review_type"],
            attributes=["string", "selection"],
        )
        self.assertEqual(
            fields["approve_sequence"]["string"], "Zatwierdzanie w kolejności"
        )
        self.assertEqual(fields["reviewer_id"]["string"], "Zatwierdzający")
        self.assertEqual(
            fields["notify_on_create"]["string"],
            "Powiadamiaj zatwierdzających o utworzeniu",
        )
        selection = dict(fields["review_type"]["selection"])
        self.assertEqual(selection["individual"], "Określony użytkownik")
        self.assertEqual(selection["group"], "Dowolny użytkownik z określonej grupy")
        status = self.pl_env["account.move"].fields_get(
            ["validation_status"], attributes=["string", "selection"]
        )["validation_status"]
        self.assertEqual(status["string"], "Status zatwierdzenia")
        self.assertEqual(dict(status["selection"])["validated"], "Zatwierdzone")
        self.assertEqual(
            self.pl_env.ref("base_tier_validation.menu_tier_definition").name,
            "Definicja etapu zatwierdzania",
        )

    def test_account_move_form_buttons(self):
        """The buttons the OCA add-on renders from its QWeb templates."""
        views = self.pl_env["account.move"].get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])

        def label(button):
            return arch.xpath(f"//button[@name='{button}']/@string")

        self.assertEqual(label("request_validation"), ["Poproś o zatwierdzenie"])
        self.assertEqual(
            label("restart_validation"), ["Rozpocznij zatwierdzanie od nowa"]
        )
        self.assertEqual(label("validate_tier"), ["Zatwierdź"])
        self.assertEqual(label("reject_tier"), ["Odrzuć"])

    def test_account_move_search_filters(self):
        views = self.pl_env["account.move"].get_views([(False, "search")])
        arch = etree.fromstring(views["views"]["search"]["arch"])
        self.assertEqual(
            arch.xpath("//filter[@name='needs_review']/@string"),
            ["Wymaga mojego zatwierdzenia"],
        )
