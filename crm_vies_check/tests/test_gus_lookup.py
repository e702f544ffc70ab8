from crm_pl_testing.fake_gus import FakeGus
from crm_pl_testing.fake_whitelist import FakeWhiteList
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import VerificationCommon

NIP = "5261040828"


@tagged("post_install", "-at_install")
class TestGusLookup(VerificationCommon):
    def setUp(self):
        super().setUp()
        self.gus = FakeGus()
        self.gus.add(
            NIP,
            regon="000331501",
            name="GŁÓWNY URZĄD STATYSTYCZNY",
            street="ul. Test-Krucza",
            number="208",
            zip="00-925",
            city="Warszawa",
        )
        self.whitelist = FakeWhiteList()
        self.whitelist.add(NIP, "GŁÓWNY URZĄD STATYSTYCZNY", krs="0000012345")
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_vies_check.gus_url", self.enterContext(self.gus))
        params.set_param("crm_vies_check.gus_key", self.gus.key)
        params.set_param(
            "crm_vies_check.whitelist_url", self.enterContext(self.whitelist)
        )
        params.set_param("crm_vies_check.timeout", "2")
        params.set_param("crm_vies_check.whitelist_paused_until", "")
        self.partner = self.env["res.partner"].create(
            {
                "name": "GUS",
                "is_company": True,
                "vat": f"PL{NIP}",
                "country_id": self.env.ref("base.pl").id,
            }
        )

    def test_lookup_offers_then_fills_on_confirmation(self):
        action = self.partner.action_pl_gus_lookup()
        wizard = self.env["pl.gus.lookup"].browse(action["res_id"])
        self.assertEqual(action["target"], "new")
        self.assertRecordValues(
            wizard,
            [
                {
                    "name": "GŁÓWNY URZĄD STATYSTYCZNY",
                    "street": "ul. Test-Krucza 208",
                    "zip": "00-925",
                    "city": "Warszawa",
                    "pl_regon": "000331501",
                    "pl_krs": "0000012345",
                    "current_name": "GUS",
                }
            ],
        )
        # Nothing is overwritten before the user applies.
        self.assertEqual(self.partner.name, "GUS")
        self.assertFalse(self.partner.pl_regon)
        wizard.action_apply()
        self.assertRecordValues(
            self.partner,
            [
                {
                    "name": "GŁÓWNY URZĄD STATYSTYCZNY",
                    "street": "ul. Test-Krucza 208",
                    "zip": "00-925",
                    "city": "Warszawa",
                    "pl_regon": "000331501",
                    "pl_krs": "0000012345",
                }
            ],
        )
        self.assertIn("filled from GUS REGON", self.partner.message_ids[0].body)
        self.assertEqual(
            [operation for operation, __, __ in self.gus.requests],
            ["Zaloguj", "DaneSzukajPodmioty", "Wyloguj"],
        )

    def test_not_found_and_errors_leave_the_contact(self):
        self.partner.vat = "PL1234567883"
        with self.assertRaisesRegex(UserError, "no entity with the NIP 1234567883"):
            self.partner.action_pl_gus_lookup()
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_vies_check.gus_key", "wrong"
        )
        with self.assertRaisesRegex(UserError, "refused the user key"):
            self.partner.action_pl_gus_lookup()
        self.env["ir.config_parameter"].sudo().set_param("crm_vies_check.gus_key", "")
        with self.assertRaisesRegex(UserError, "user key"):
            self.partner.action_pl_gus_lookup()
        self.assertFalse(self.env["pl.gus.lookup"].search([]))
        self.assertEqual(self.partner.name, "GUS")

    def test_foreign_partner_refused(self):
        german = self.env["res.partner"].create(
            {
                "name": "Beispiel GmbH",
                "is_company": True,
                "vat": "DE312345671",
                "country_id": self.env.ref("base.de").id,
            }
        )
        with self.assertRaisesRegex(UserError, "no Polish NIP"):
            german.action_pl_gus_lookup()
