"""The offer's header: only the buttons its state and approval allow, and
approval named so it cannot be taken for confirmation (in Polish Odoo's
"Confirm" is "Potwierdź"; OCA's "Validate" was "Zatwierdź")."""

import ast

from lxml import etree
from odoo.tests import freeze_time, tagged
from odoo.tools.safe_eval import safe_eval

from .common import OfferApprovalCommon

TERM_MODULES = (
    "sale",
    "base_tier_validation",
    "sale_tier_validation",
    "crm_invoicing_pl",
    "crm_invoicing_pl_approval",
    "crm_recurring",
)


@freeze_time("2026-11-20 10:00:00")
@tagged("post_install", "-at_install")
class TestOfferHeader(OfferApprovalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        installed = cls.env["ir.module.module"].search(
            [("name", "in", TERM_MODULES), ("state", "=", "installed")]
        )
        cls.env["ir.module.module"]._load_module_terms(
            installed.mapped("name"), ["pl_PL"], overwrite=True
        )

    def form(self, user):
        env = self.env(user=user, context=dict(self.env.context, lang="pl_PL"))
        views = env["sale.order"].get_views([(False, "form")])
        return etree.fromstring(views["views"]["form"]["arch"])

    def invisible(self, order, expression):
        """The client's reading of an ``invisible`` expression on ``order``."""
        if not expression:
            return False
        names = {
            node.id
            for node in ast.walk(ast.parse(expression.strip(), mode="eval"))
            if isinstance(node, ast.Name)
        }
        values = {"context": {}, "uid": self.env.uid}
        for name in names - set(values) - {"True", "False", "None"}:
            field = order._fields[name]
            value = order[name]
            if field.type == "many2one":
                value = value.id
            elif field.type in ("one2many", "many2many"):
                value = value.ids
            values[name] = value
        return bool(safe_eval(expression, values))

    def header(self, order, user):
        """(name, label, class) of the header buttons ``user`` sees on ``order``."""
        order.invalidate_recordset()
        return [
            (button.get("name"), button.get("string"), button.get("class") or "")
            for button in self.form(user).xpath("//header//button")
            if not self.invisible(order, button.get("invisible"))
        ]

    def labels(self, arch, name):
        return arch.xpath(f"//button[@name='{name}']/@string")

    def test_approval_named_apart_from_confirm(self):
        arch = self.form(self.salesman)
        self.assertEqual(
            self.labels(arch, "request_validation"), ["Poproś o akceptację"]
        )
        self.assertEqual(
            self.labels(arch, "restart_validation"), ["Rozpocznij akceptację od nowa"]
        )
        self.assertEqual(self.labels(arch, "validate_tier"), ["Akceptuj ofertę"])
        self.assertEqual(self.labels(arch, "reject_tier"), ["Odmów akceptacji"])
        self.assertEqual(set(self.labels(arch, "action_confirm")), {"Potwierdź"})
        self.assertFalse(arch.xpath("//button[@string='Zatwierdź']"))

    def test_draft_offer_without_approval(self):
        order = self.offer([(self.goods, 1, 0.0)])
        header = self.header(order, self.salesman)
        names = [name for name, _label, _css in header]
        self.assertEqual(
            names,
            [
                "action_quotation_send",
                "sale.action_report_saleorder",
                "action_confirm",
                "action_pl_create_proforma",
                "action_pl_advance_invoice",
                "action_preview_sale_order",
                "action_cancel",
            ],
        )
        self.assertEqual(len(header), 7)
        self.assertNotIn("request_validation", names)

    def test_draft_offer_waiting_for_approval(self):
        """Above a rule, the offer shows no Send, Confirm, Pro Forma or
        Advance Invoice (all refused by the server) but, as its main
        button, the request for approval."""
        self.offer_rule("Rabat powyżej 10 %", "line_discount", 10.0)
        order = self.offer([(self.goods, 1, 15.0)])
        self.assertTrue(order.pl_offer_held)
        header = self.header(order, self.salesman)
        self.assertEqual(
            [name for name, _label, _css in header],
            [
                "sale.action_report_saleorder",
                "action_preview_sale_order",
                "action_cancel",
                "request_validation",
            ],
        )
        self.assertEqual(
            header[-1], ("request_validation", "Poproś o akceptację", "btn-primary")
        )
        # Requested: waiting for the manager, who approves it.
        order.with_user(self.salesman).request_validation()
        names = [name for name, _label, _css in self.header(order, self.salesman)]
        self.assertNotIn("action_confirm", names)
        self.assertNotIn("request_validation", names)
        order.with_user(self.manager).validate_tier()
        self.assertFalse(order.pl_offer_held)
        names = [name for name, _label, _css in self.header(order, self.salesman)]
        self.assertIn("action_confirm", names)
        self.assertIn("action_quotation_send", names)
        self.assertIn("action_pl_create_proforma", names)
