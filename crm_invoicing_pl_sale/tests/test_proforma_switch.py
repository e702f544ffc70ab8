"""Odoo's "Pro-Forma Invoice" setting is the one switch of the suite's pro
forma of an offer, and says so in Polish."""

from lxml import etree
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestProformaSwitch(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.env["ir.module.module"]._load_module_terms(
            ["sale", "crm_invoicing_pl", "crm_invoicing_pl_sale"],
            ["pl_PL"],
            overwrite=True,
        )
        cls.pl_env = cls.env(context=dict(cls.env.context, lang="pl_PL"))

    def _arch(self, model, view_type="form"):
        views = self.pl_env[model].get_views([(False, view_type)])
        return etree.fromstring(views["views"][view_type]["arch"])

    def test_proforma_one_switch(self):
        """Odoo's "Pro-Forma Invoice" setting shows the suite's pro forma."""
        group = self.env.ref("sale.group_proforma_sales")
        self.assertIn(group, self.env.ref("base.group_user").implied_ids)
        settings = self._arch("res.config.settings")
        note = settings.xpath("//setting[@id='proforma_configuration']/div/text()")
        self.assertIn("numerowaną fakturę pro forma", " ".join(note))
        user = self.env["res.users"].create(
            {
                "name": "Handlowiec",
                "login": "pl_proforma_salesman",
                "group_ids": [
                    (6, 0, self.env.ref("sales_team.group_sale_salesman").ids)
                ],
            }
        )
        order_arch = self._order_arch(user)
        self.assertTrue(order_arch.xpath("//button[@name='action_pl_create_proforma']"))
        for button in order_arch.xpath(
            "//button[@id='send_proforma' or @id='send_proforma_primary']"
        ):
            self.assertIn("pl_is_polish", button.get("invisible"))
        # Turned off in the settings: no pro forma button any more.
        self.env["res.config.settings"].create(
            {"group_proforma_sales": False}
        ).execute()
        self.assertNotIn(user, group.all_user_ids)
        self.assertFalse(
            self._order_arch(user).xpath("//button[@name='action_pl_create_proforma']")
        )

    def _order_arch(self, user):
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        views = self.env["sale.order"].with_user(user).get_views([(False, "form")])
        return etree.fromstring(views["views"]["form"]["arch"])
