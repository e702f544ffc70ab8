"""`make demo` lands the demo salesperson on the CRM pipeline, not on
Discuss (crm_invoicing_pl's tests/test_demo_landing.py: the administrator)."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoLanding(TransactionCase):
    def test_demo_salesperson_lands_on_the_pipeline(self):
        self.assertEqual(
            self.env.ref("base.user_demo").action_id.id,
            self.env.ref("crm.crm_lead_action_pipeline").id,
        )
