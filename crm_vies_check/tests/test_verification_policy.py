import re

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import new_test_user
from odoo.tools.misc import format_datetime

from .common import VerificationCommon

OVERRIDE_GROUP = "crm_vies_check.group_verification_override"


@tagged("post_install", "-at_install")
class TestVerificationPolicy(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.pl_verification_max_age = 30
        cls.german = cls.env["res.partner"].create(
            {
                "name": "Beispiel GmbH",
                "is_company": True,
                "vat": "DE312345671",
                "street": "Musterstr. 1",
                "zip": "10115",
                "city": "Berlin",
                "country_id": cls.env.ref("base.de").id,
            }
        )

    def _policy(self, policy):
        self.company.pl_verification_policy = policy

    def _assert_refused(self, invoice, *patterns):
        with self.assertRaises(UserError) as caught:
            invoice.action_post()
        message = str(caught.exception)
        for pattern in patterns:
            self.assertIn(pattern, message)
        self.assertEqual(invoice.state, "draft")

    def _notes(self, invoice):
        return " ".join(invoice.message_ids.mapped("body"))

    def test_none_policy_posts(self):
        self._policy("none")
        self._verification(self.customer, "whitelist", "invalid")
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertNotIn("verification", self._notes(invoice))

    def test_block_invalid(self):
        self._policy("block")
        record = self._verification(self.customer, "whitelist", "invalid", 2)
        self._assert_refused(
            self.pl_invoice(),
            self.customer.display_name,
            "verification Invalid",
            format_datetime(self.env, record.checked_at),
        )

    def test_block_not_verified(self):
        self._policy("block")
        self._assert_refused(
            self.pl_invoice(), self.customer.display_name, "Not Verified, never"
        )

    def test_block_pending(self):
        self._policy("block")
        self._verification(self.customer, "whitelist", "error")
        self._assert_refused(self.pl_invoice(), "verification Pending")

    def test_block_outage_relies_on_recent_valid_check(self):
        """The white list down (the latest check "error"): a valid check of 10
        days ago stands in for it under the Block policy and the invoice says
        so; without such a check, or with the grace set to 0, posting is still
        refused."""
        self._policy("block")
        self.company.pl_verification_max_age = 5
        valid = self._verification(self.customer, "whitelist", "valid", 10)
        valid.request_identifier = "WL-REQ-10"
        failed = self._verification(self.customer, "whitelist", "error")
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        notes = self._notes(invoice)
        self.assertIn("Posted during a registry outage", notes)
        self.assertIn(format_datetime(self.env, failed.checked_at), notes)
        self.assertIn(format_datetime(self.env, valid.checked_at), notes)
        self.assertIn("WL-REQ-10", notes)
        self.assertNotIn("verification warning", notes)

        self.company.pl_verification_outage_days = 0
        self._assert_refused(self.pl_invoice(), "verification Pending")

    def test_block_counts_only_the_company_own_checks(self):
        """The proof of due diligence is the company's own check: a valid check
        another company of the database made does not let this one post."""
        other = self.env["res.company"].create({"name": "Inna Spółka sp. z o.o."})
        self.env["partner.verification"].sudo().create(
            {
                "partner_id": self.customer.id,
                "company_id": other.id,
                "check_type": "whitelist",
                "status": "valid",
            }
        )
        self._policy("block")
        self._assert_refused(self.pl_invoice(), "Not Verified, never")
        self._verification(self.customer, "whitelist", "valid")
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_block_outage_valid_check_too_old(self):
        """A valid check older than the grace days does not stand in for an
        unanswered one; nor does it cover an invalid answer."""
        self._policy("block")
        self.company.pl_verification_outage_days = 7
        self._verification(self.customer, "whitelist", "valid", 8)
        self._verification(self.customer, "whitelist", "pending")
        self._assert_refused(self.pl_invoice(), "verification Pending")
        self.company.pl_verification_outage_days = 30
        self._verification(self.customer, "whitelist", "invalid")
        self._assert_refused(self.pl_invoice(), "verification Invalid")

    def test_block_outage_vies_intra_community(self):
        """VIES down for an intra-community supply: a VIES check of 3 days ago
        stands in; the invoice records it."""
        self._policy("block")
        self._verification(self.german, "whitelist", "valid")
        self._verification(self.german, "vies", "valid", 3)
        self._verification(self.german, "vies", "error")
        invoice = self.pl_invoice(self.german)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertIn("VIES did not answer", self._notes(invoice))

    def test_block_stale(self):
        self._policy("block")
        record = self._verification(self.customer, "whitelist", "valid", 31)
        self._assert_refused(
            self.pl_invoice(),
            "verification Stale",
            format_datetime(self.env, record.checked_at),
        )
        # A longer validity makes the same check acceptable.
        self.company.pl_verification_max_age = 60
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_block_valid_posts(self):
        self._policy("block")
        self._verification(self.customer, "whitelist", "invalid", 3)
        self._verification(self.customer, "whitelist", "valid", 1)
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_block_credit_note(self):
        invoice = self.pl_invoice()
        invoice.action_post()
        self._policy("block")
        self._verification(self.customer, "whitelist", "invalid")
        # A credit note of the invoice, refused for its customer only.
        refund = self.pl_invoice(move_type="out_refund", reversed_entry_id=invoice.id)
        self.assertEqual(refund.move_type, "out_refund")
        self._assert_refused(refund, "verification Invalid")

    def test_consumer_posts(self):
        self._policy("block")
        invoice = self.pl_invoice(self.consumer)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_warn_posts_and_logs(self):
        self._policy("warn")
        record = self._verification(self.customer, "whitelist", "invalid", 1)
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        notes = self._notes(invoice)
        self.assertIn("Contractor verification warning", notes)
        self.assertIn("verification Invalid", notes)
        self.assertIn(format_datetime(self.env, record.checked_at), notes)

    def test_override_group_posts_and_logs(self):
        self._policy("block")
        self._verification(self.customer, "whitelist", "invalid")
        user = new_test_user(
            self.env,
            login="pl_override",
            name="Anna Nadzór",
            groups=f"account.group_account_invoice,{OVERRIDE_GROUP}",
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        invoice = self.pl_invoice()
        invoice.with_user(user).action_post()
        self.assertEqual(invoice.state, "posted")
        notes = self._notes(invoice)
        self.assertIn("Posted despite a failed contractor verification", notes)
        self.assertIn("Anna Nadzór", notes)
        # Without the group, the same user is refused.
        user.group_ids -= self.env.ref(OVERRIDE_GROUP)
        self._assert_refused(self.pl_invoice().with_user(user), "verification Invalid")

    def test_intra_eu_requires_vies(self):
        self._policy("block")
        self._verification(self.german, "whitelist", "valid")
        invoice = self.pl_invoice(self.german)
        self.assertTrue(invoice._pl_is_intra_community())
        self._assert_refused(invoice, "Beispiel GmbH: no VIES check")
        record = self._verification(self.german, "vies", "valid", 40)
        self._verification(self.german, "whitelist", "valid")
        self._assert_refused(
            invoice, "VIES check Stale", format_datetime(self.env, record.checked_at)
        )
        self._verification(self.german, "vies", "valid")
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_intra_eu_fiscal_position_warn(self):
        self._policy("warn")
        community = self.env["account.fiscal.position"].create(
            {
                "name": "Community",
                "company_id": self.company.id,
                "country_group_id": self.env.ref("base.europe").id,
            }
        )
        self._verification(self.customer, "whitelist", "valid")
        invoice = self.pl_invoice(
            lines=[(self.goods, 1, 100.0, self.tax_sale_a)],
            fiscal_position_id=community.id,
        )
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(
            re.search("no VIES check.*intra-community", self._notes(invoice))
        )

    def test_domestic_valid_no_vies_needed(self):
        self._policy("block")
        self._verification(self.customer, "whitelist", "valid")
        invoice = self.pl_invoice()
        self.assertFalse(invoice._pl_is_intra_community())
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")

    def test_block_message_translated(self):
        self._policy("block")
        self._verification(self.customer, "whitelist", "invalid")
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(["crm_vies_check"], ["pl_PL"])
        invoice = self.pl_invoice().with_context(lang="pl_PL")
        with self.assertRaisesRegex(UserError, "stan weryfikacji: Nieprawidłowy"):
            invoice.action_post()
