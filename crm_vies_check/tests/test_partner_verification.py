from datetime import timedelta

from crm_pl_testing.fake_vies import FakeVies
from crm_pl_testing.fake_whitelist import FakeWhiteList, nrb
from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import _super_send

from .common import VerificationCommon

INVOICE_GROUP = "account.group_account_invoice"
CUSTOMER_ACCOUNT = nrb("109010140000071219812875")


@tagged("post_install", "-at_install")
class TestContractorVerification(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.german = cls.env["res.partner"].create(
            {
                "name": "Beispiel GmbH",
                "is_company": True,
                "vat": "DE312345671",
                "country_id": cls.env.ref("base.de").id,
            }
        )

    def setUp(self):
        super().setUp()
        self.vies = FakeVies()
        # The requester (our company) must be a valid number for checkVatApprox.
        self.vies.add("PL", "5260250274", "PRZYKLADOWA SPOLKA Z O.O.", "WARSZAWA")
        self.vies.add("PL", "1234567883", "HURTOWNIA ZOLW", "UL. LAKOWA 3, KRAKOW")
        self.vies.add("DE", "312345671", "Beispiel GmbH", "Musterstr. 1, 10115 Berlin")
        self.whitelist = FakeWhiteList()
        self.whitelist.add(
            "1234567883",
            "HURTOWNIA ŻÓŁW SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ",
            accounts=[CUSTOMER_ACCOUNT],
            workingAddress="UL. ŁĄKOWA 3, 30-001 KRAKÓW",
        )
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_vies_check.vies_url", self.enterContext(self.vies))
        params.set_param(
            "crm_vies_check.whitelist_url", self.enterContext(self.whitelist)
        )
        params.set_param("crm_vies_check.timeout", "2")
        params.set_param("crm_vies_check.vies_max_retries", "1")
        params.set_param("crm_vies_check.vies_backoff", "0.01")

    def _partner(self, vat, country="pl", **values):
        return self.env["res.partner"].create(
            {
                "name": values.pop("name", "Kontrahent"),
                "is_company": True,
                "vat": vat,
                "country_id": self.env.ref(f"base.{country}").id,
                **values,
            }
        )

    # Syntax checks

    def test_bad_nip_checksum_refused(self):
        # base_vat's check, in our words (the NIP without its PL prefix)
        with self.assertRaisesRegex(ValidationError, "NIP 1234567890 has a wrong"):
            self._partner("PL1234567890")
        with self.assertRaisesRegex(ValidationError, "must have 10 digits"):
            self.customer.vat = "PL12345"

    def test_bad_eu_vat_refused(self):
        with self.assertRaisesRegex(ValidationError, "DE312345672 has a wrong check"):
            self._partner("DE312345672", "de")
        with self.assertRaisesRegex(ValidationError, "format of that country"):
            self.german.vat = "DE1234"
        with self.assertRaisesRegex(ValidationError, "code of an EU country"):
            self._partner("US123456789", "de")

    def test_syntax_messages_translated(self):
        self.env["res.lang"]._activate_lang("pl_PL")
        partners = self.env["res.partner"].with_context(lang="pl_PL")
        with self.assertRaisesRegex(ValidationError, "błędną cyfrę kontrolną"):
            partners.create(
                {
                    "name": "Zły NIP",
                    "is_company": True,
                    "vat": "PL1234567890",
                    "country_id": self.env.ref("base.pl").id,
                }
            )

    def test_non_eu_skipped(self):
        us = self._partner("123", "us")
        self.assertEqual(us.vat, "123")

    # Checks against the services

    def test_polish_partner_white_list_and_vies(self):
        self.assertEqual(self.customer.pl_verification_state, "not_verified")
        self.customer.action_pl_verify()
        records = self.customer.pl_verification_ids
        whitelist = records.filtered(lambda r: r.check_type == "whitelist")
        self.assertRecordValues(
            whitelist,
            [
                {
                    "status": "valid",
                    "status_vat": "active",
                    "vat_number": "1234567883",
                    "company_id": self.company.id,
                }
            ],
        )
        self.assertTrue(whitelist.request_identifier.startswith("fk"))
        self.assertIn(CUSTOMER_ACCOUNT, whitelist.bank_accounts)
        self.assertIn("ŁĄKOWA", whitelist.trader_address)
        # The PL prefix marks a VAT-EU number: VIES is asked too.
        vies = records.filtered(lambda r: r.check_type == "vies")
        self.assertEqual(vies.status, "valid")
        self.assertTrue(vies.request_identifier.startswith("WAPI"))
        self.assertEqual(self.customer.pl_verification_state, "valid")
        self.assertTrue(self.customer.pl_verified_at)
        self.assertIn("Contractor verification", self.customer.message_ids[0].body)

    def test_polish_partner_without_prefix_white_list_only(self):
        partner = self._partner("725-198-34-52")
        partner.action_pl_verify()
        self.assertRecordValues(
            partner.pl_verification_ids,
            [
                {
                    "check_type": "whitelist",
                    "status": "invalid",
                    "status_vat": "not_found",
                }
            ],
        )
        self.assertEqual(self.vies.request_count, 0)
        self.assertEqual(partner.pl_verification_state, "invalid")

    def test_eu_partner_vies_valid(self):
        self.german.action_pl_verify()
        self.assertRecordValues(
            self.german.pl_verification_ids,
            [
                {
                    "check_type": "vies",
                    "status": "valid",
                    "vat_number": "DE312345671",
                    "trader_name": "Beispiel GmbH",
                    "trader_address": "Musterstr. 1, 10115 Berlin",
                }
            ],
        )
        self.assertTrue(
            self.german.pl_verification_ids.request_identifier.startswith("WAPI")
        )
        request = self.vies.requests[-1]
        self.assertEqual(request["operation"], "checkVatApprox")
        self.assertEqual(request["requesterCountryCode"], "PL")
        self.assertEqual(request["requesterVatNumber"], "5260250274")
        self.assertEqual(self.whitelist.request_count, 0)
        self.assertEqual(self.german.pl_verification_state, "valid")

    def test_unknown_number_invalid(self):
        partner = self._partner("DE136695976", "de")
        partner.action_pl_verify()
        self.assertRecordValues(
            partner.pl_verification_ids,
            [{"check_type": "vies", "status": "invalid", "trader_name": False}],
        )
        self.assertEqual(partner.pl_verification_state, "invalid")

    def test_transient_fault_pending(self):
        self.vies.faults = ["MS_UNAVAILABLE"] * 5
        self.german.write({"phone": "+49 30 123456"})
        self.german.action_pl_verify()
        record = self.german.pl_verification_ids
        self.assertRecordValues(
            record, [{"status": "pending", "raw_fault": "MS_UNAVAILABLE"}]
        )
        self.assertEqual(self.vies.request_count, 2)  # one retry
        self.assertEqual(self.german.phone, "+49 30 123456")
        self.assertEqual(self.german.vat, "DE312345671")
        self.assertEqual(self.german.pl_verification_state, "pending")
        # The salesperson reads why in words, not the SOAP fault.
        body = self.german.message_ids[0].body
        self.assertIn("The register of that EU country is unavailable", body)
        self.assertNotIn("MS_UNAVAILABLE", body)
        self.assertEqual(
            record.fault_reason,
            "The register of that EU country is unavailable in VIES at the moment.",
        )
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(["crm_vies_check"], ["pl_PL"])
        self.assertIn(
            "Rejestr tego kraju UE", record.with_context(lang="pl_PL").fault_reason
        )

    def test_timeout_pending(self):
        # The test framework raises HTTP time-outs below 10 s to 10 s: keep ours.
        self.patch(
            type(self),
            "_request_handler",
            classmethod(
                lambda cls, session, request, **kw: _super_send(session, request, **kw)
            ),
        )
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_vies_check.timeout", "0.2"
        )
        self.vies.latency = 1.0
        self.german.action_pl_verify()
        record = self.german.pl_verification_ids
        self.assertEqual(record.status, "pending")
        self.assertTrue(record.raw_fault.startswith("NETWORK_ERROR"))
        body = self.german.message_ids[0].body
        self.assertIn("VIES did not answer in time.", body)
        self.assertIn("verify again later", body)
        self.assertNotIn("NETWORK_ERROR", body)

    def test_white_list_limit_and_outage(self):
        self.whitelist.search_limit = 0
        partner = self._partner("1234567883")
        partner.action_pl_verify()
        record = partner.pl_verification_ids
        self.assertEqual(record.status, "pending")
        self.assertTrue(record.raw_fault.startswith("WL-191"))
        # The white list is paused until midnight (Warsaw): not asked again.
        asked = self.whitelist.request_count
        partner.action_pl_verify()
        self.assertEqual(self.whitelist.request_count, asked)
        self.assertEqual(partner.pl_verification_ids.sorted("id")[-1].status, "pending")
        self.env["ir.config_parameter"].sudo().set_param(
            "crm_vies_check.whitelist_paused_until", ""
        )
        self.whitelist.search_limit = None
        self.whitelist.down_status = 503
        partner.action_pl_verify()
        latest = partner.pl_verification_ids.sorted("id")[-1]
        self.assertEqual(latest.status, "error")
        self.assertEqual(partner.pl_verification_state, "pending")
        self.whitelist.down_status = None
        partner.action_pl_verify()
        self.assertEqual(partner.pl_verification_state, "valid")
        self.assertEqual(len(partner.pl_verification_ids), 4)

    def test_bad_requester_is_not_invalid_partner(self):
        self.company.vat = "PL7251983452"  # not known to VIES
        self.german.action_pl_verify()
        self.assertRecordValues(
            self.german.pl_verification_ids,
            [{"status": "error", "raw_fault": "INVALID_REQUESTER_INFO"}],
        )
        self.assertEqual(self.german.pl_verification_state, "pending")

    def test_verify_without_number(self):
        partner = self._partner(False, name="Bez NIP")
        with self.assertRaises(UserError):
            partner.action_pl_verify()

    # State

    def test_state_computation(self):
        partner = self._partner("PL1234567883")
        self.assertEqual(partner.pl_verification_state, "not_verified")
        self._verification(partner, "whitelist", "valid", days_ago=40)
        self.assertEqual(partner.pl_verification_state, "stale")
        self.company.pl_verification_max_age = 60
        self.assertEqual(partner.pl_verification_state, "valid")
        self._verification(partner, "vies", "pending", days_ago=1)
        self.assertEqual(partner.pl_verification_state, "pending")
        self._verification(partner, "vies", "invalid")
        self.assertEqual(partner.pl_verification_state, "invalid")
        self._verification(partner, "vies", "valid")
        self.assertEqual(partner.pl_verification_state, "valid")
        # Verified on the date of the oldest of the latest checks.
        self.assertLess(partner.pl_verified_at, fields.Datetime.now() - timedelta(39))
        self.company.pl_verification_max_age = 30
        self.assertEqual(partner.pl_verification_state, "stale")
        stale = self.env["res.partner"].search(
            [("pl_verification_state", "=", "stale")]
        )
        self.assertIn(partner, stale)

    # Proof records

    def test_records_read_only(self):
        self.german.action_pl_verify()
        record = self.german.pl_verification_ids
        with self.assertRaises(UserError):
            record.write({"status": "invalid"})
        with self.assertRaises(UserError):
            record.with_user(self.env.user).write({"trader_name": "X"})
        user = self.env["res.users"].create(
            {
                "name": "Fakturzystka",
                "login": "fakturzystka",
                "group_ids": [Command.set(self.env.ref(INVOICE_GROUP).ids)],
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
            }
        )
        record = record.with_user(user)
        self.assertEqual(record.status, "valid")
        with self.assertRaises(UserError):
            record.write({"status": "invalid"})
        with self.assertRaises(AccessError):
            record.unlink()
        record.sudo().write({"trader_name": "Fixed by superuser"})
        self.assertEqual(record.sudo().trader_name, "Fixed by superuser")
        # An invoicing user can verify: records are created, chatter posted.
        self.customer.with_user(user).action_pl_verify()
        self.assertEqual(len(self.customer.pl_verification_ids), 2)
        self.assertEqual(self.customer.pl_verification_state, "valid")

    def test_batch_skips_partners_without_number(self):
        no_vat = self._partner(False, name="Bez NIP")
        (self.german | no_vat).action_pl_verify()
        self.assertEqual(len(self.german.pl_verification_ids), 1)
        self.assertFalse(no_vat.pl_verification_ids)
