"""A payment demand is numbered in the year of its date, not of the day it is
issued: one dated 31 December and issued on 2 January is WZ/<that year>/…"""

from odoo.tests import freeze_time, tagged

from .common import DunningCommon


@tagged("post_install", "-at_install")
class TestDemandYear(DunningCommon):
    def _demand(self, on_date):
        # The compensation's EUR rate: the last business day of October.
        self.eur_rate("2026-10-30", 4.25)
        invoice = self.invoice(price=1000.0, date="2026-11-02", due="2026-11-16")
        wizard = (
            self.env["crm.dunning.demand.wizard"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"date": on_date, "send_email": False})
        )
        return self.env["crm.dunning.demand"].browse(
            wizard.action_create_demands()["res_id"]
        )

    @freeze_time("2027-01-02 09:00:00")
    def test_demand_dated_in_december_issued_in_january(self):
        december = self._demand("2026-12-31")
        self.assertEqual(december.name, "WZ/2026/0001")
        self.assertEqual(self._demand("2026-12-31").name, "WZ/2026/0002")

    def test_sequence_of_an_earlier_version_is_mended(self):
        sequence = self.company._crm_dunning_sequence(
            "crm.dunning.demand", "WZ", "Payment Demands"
        )
        sequence.prefix = "WZ/%(year)s/"
        self.company._crm_dunning_sequence(
            "crm.dunning.demand", "WZ", "Payment Demands"
        )
        self.assertEqual(sequence.prefix, "WZ/%(range_year)s/")
