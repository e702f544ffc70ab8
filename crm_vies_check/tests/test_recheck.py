from datetime import timedelta

from crm_pl_testing.fake_vies import FakeVies
from crm_pl_testing.fake_whitelist import FakeWhiteList, made_up_nips, nrb
from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests.common import new_test_user

from .common import VerificationCommon

PAUSE_PARAM = "crm_vies_check.whitelist_paused_until"
ACCOUNT_1 = nrb("10100000" + "0000000000000001")
ACCOUNT_2 = nrb("10100000" + "0000000000000002")
COMPANY_ACCOUNT = "61109010140000071219812874"


@tagged("post_install", "-at_install")
class TestScheduledRecheck(VerificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.pl_recheck_days = 7
        cls.accountant = new_test_user(
            cls.env,
            login="pl_accountant",
            groups="account.group_account_manager",
            company_id=cls.company.id,
        )
        cls.salesman = new_test_user(
            cls.env,
            login="pl_salesman",
            groups="base.group_user",
            company_id=cls.company.id,
        )
        cls.company.pl_verification_accountant_id = cls.accountant
        cls.nips = made_up_nips(35)
        cls.polish = cls.env["res.partner"].create(
            [
                {
                    "name": f"Firma {nip}",
                    "is_company": True,
                    "vat": nip,
                    "country_id": cls.env.ref("base.pl").id,
                }
                for nip in cls.nips
            ]
        )
        cls.german = cls.env["res.partner"].create(
            {
                "name": "Beispiel GmbH",
                "is_company": True,
                "vat": "DE312345671",
                "country_id": cls.env.ref("base.de").id,
            }
        )
        # An open (posted, unpaid) invoice for every one of them; nothing for
        # the customer.
        cls.open_invoices = cls.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": "2026-11-15",
                    "invoice_line_ids": [
                        Command.create({"product_id": cls.goods.id, "price_unit": 10})
                    ],
                }
                for partner in cls.polish | cls.german
            ]
        )
        cls.open_invoices.action_post()

    def setUp(self):
        super().setUp()
        self.vies = FakeVies()
        self.vies.add("PL", "5260250274", "PRZYKLADOWA SPOLKA Z O.O.", "WARSZAWA")
        self.vies.add("DE", "312345671", "Beispiel GmbH", "Musterstr. 1, 10115 Berlin")
        self.vies.add("PL", "1234567883", "HURTOWNIA ZOLW", "UL. LAKOWA 3, KRAKOW")
        self.whitelist = FakeWhiteList()
        for nip in self.nips:
            self.whitelist.add(nip, f"FIRMA {nip}", accounts=[ACCOUNT_1])
        self.whitelist.add("1234567883", "HURTOWNIA ŻÓŁW", accounts=[ACCOUNT_1])
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("crm_vies_check.vies_url", self.enterContext(self.vies))
        params.set_param(
            "crm_vies_check.whitelist_url", self.enterContext(self.whitelist)
        )
        params.set_param("crm_vies_check.timeout", "2")
        params.set_param("crm_vies_check.vies_max_retries", "0")
        params.set_param("crm_vies_check.recheck_batch_size", "30")
        params.set_param(PAUSE_PARAM, "")

    def _recheck(self, **kwargs):
        return self.env["res.partner"]._cron_pl_recheck(self.company, **kwargs)

    def _records(self, partners, check_type="whitelist"):
        return (
            self.env["partner.verification"]
            .sudo()
            .search(
                [("partner_id", "in", partners.ids), ("check_type", "=", check_type)]
            )
        )

    def _close_open_invoices(self):
        """Cancel the open invoices of the contractors: nothing is due."""
        self.open_invoices.button_draft()
        self.open_invoices.button_cancel()

    def _searches(self):
        return [p for p in self.whitelist.paths if "/search/" in p]

    def _age(self, partners, days):
        """Pretend that the partners' checks were made ``days`` days ago."""
        records = (
            self.env["partner.verification"]
            .sudo()
            .search([("partner_id", "in", partners.ids)])
        )
        records.write({"checked_at": fields.Datetime.now() - timedelta(days=days)})
        partners.sudo().write(
            {"pl_rechecked_at": fields.Datetime.now() - timedelta(days=days)}
        )

    def test_recheck_in_batches_of_30(self):
        self._verification(self.customer, "whitelist", "valid", days_ago=30)
        self.assertEqual(self._recheck(), 36)
        # 35 NIPs: two white-list calls (30 + 5), one VIES call (the German).
        self.assertEqual(len(self._searches()), 2)
        self.assertIn("/api/search/nips/", self._searches()[0])
        self.assertEqual(self._searches()[0].split("?")[0].count(",") + 1, 30)
        self.assertEqual(self.vies.request_count, 1)
        records = self._records(self.polish)
        self.assertEqual(len(records), 35)
        self.assertEqual(set(records.mapped("status")), {"valid"})
        self.assertTrue(all(records.mapped("request_identifier")))
        self.assertEqual(set(self.polish.mapped("pl_verification_state")), {"valid"})
        self.assertEqual(self._records(self.german, "vies").status, "valid")
        self.assertTrue(self._records(self.german, "vies").request_identifier)
        # No open document: the customer is not checked however old its check.
        self.assertEqual(len(self._records(self.customer)), 1)
        # Nothing is due any more: a second run asks nothing.
        self.assertEqual(self._recheck(), 0)
        self.assertEqual(len(self._searches()), 2)
        # After the re-check interval they are due again.
        self._age(self.polish[:3], 8)
        self.assertEqual(self._recheck(), 3)
        self.assertEqual(len(self._records(self.polish[:3])), 6)

    def test_open_invoice_makes_due_and_paid_does_not(self):
        self._close_open_invoices()
        self.assertEqual(self._recheck(), 0)
        invoice = self.pl_invoice()
        invoice.action_post()
        self.assertEqual(self._recheck(), 1)
        self.assertEqual(len(self._records(self.customer)), 1)
        # "PL" prefix (VAT-EU registration): VIES is asked too.
        self.assertEqual(self._records(self.customer, "vies").status, "valid")
        self.assertEqual(self.customer.pl_verification_state, "valid")
        self.assertTrue(self.customer.pl_rechecked_at)

    def test_recurring_contract_makes_due_until_closed(self):
        if "crm.recurring.contract" not in self.env:
            self.skipTest("crm_recurring is not installed")
        self._close_open_invoices()
        # A contract issues Polish documents (crm_invoicing_pl, a dependency
        # of crm_recurring): switched on for the company, as in Settings.
        self.company.pl_documents_enabled = True
        contract = self.env["crm.recurring.contract"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "line_ids": [Command.create({"product_id": self.goods.id})],
            }
        )
        partners = self.env["res.partner"].with_company(self.company)
        self.assertEqual(
            partners._pl_recheck_claim(self.company, 50), self.customer.ids
        )
        contract.close_reason = "Koniec umowy"
        contract.action_close()
        self.env.flush_all()
        self.assertEqual(partners._pl_recheck_claim(self.company, 50), [])

    def test_open_quotation_makes_due_until_cancelled(self):
        if "sale.order" not in self.env:
            self.skipTest("sale is not installed")
        self._close_open_invoices()
        order = (
            self.env["sale.order"]
            .sudo()
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "order_line": [Command.create({"product_id": self.goods.id})],
                }
            )
        )
        partners = self.env["res.partner"].with_company(self.company)
        self.assertEqual(
            partners._pl_recheck_claim(self.company, 50), self.customer.ids
        )
        order.write({"state": "cancel"})
        self.env.flush_all()
        self.assertEqual(partners._pl_recheck_claim(self.company, 50), [])

    def test_resume_after_a_partial_run(self):
        """A run stopped after its first batch (killed, time budget used up):
        the next run checks only the others; nobody is checked twice."""
        self.assertEqual(self._recheck(max_batches=1), 30)
        first = self._records(self.polish | self.german)
        self.assertEqual(len(first), 30)
        self.assertEqual(self._recheck(), 6)
        records = self._records(self.polish)
        self.assertEqual(len(records), 35)
        self.assertEqual(
            sorted(records.partner_id.ids), sorted(self.polish.ids), "once each"
        )
        self.assertEqual(len(self._searches()), 2)

    def test_pending_not_retried_within_the_hour(self):
        self.whitelist.down_status = 503
        self.assertEqual(self._recheck(), 36)
        records = self._records(self.polish)
        self.assertEqual(set(records.mapped("status")), {"error"})
        self.assertEqual(set(self.polish.mapped("pl_verification_state")), {"pending"})
        self.assertEqual(self._recheck(), 0)
        self._age(self.polish[:2], 0)  # attempted "now": still not again
        self.assertEqual(self._recheck(), 0)
        self.polish[:2].sudo().pl_rechecked_at = fields.Datetime.now() - timedelta(
            hours=2
        )
        self.whitelist.down_status = None
        self.assertEqual(self._recheck(), 2)
        self.assertEqual(
            set(self.polish[:2].mapped("pl_verification_state")), {"valid"}
        )

    def test_status_change_notifies(self):
        partner = self.polish[0]
        partner.user_id = self.salesman
        self._recheck()
        self._age(partner, 10)
        registered = self.whitelist.registry[self.nips[0]]
        registered["statusVat"] = "Zwolniony"
        self.whitelist.registry[self.nips[1]]["accountNumbers"] = [ACCOUNT_2]
        self._age(self.polish[1], 10)
        self.assertEqual(self._recheck(), 2)
        body = partner.message_ids[0].body
        self.assertIn("VAT status changed from Active (Czynny) to Exempt", body)
        self.assertIn(self.accountant.partner_id, partner.message_ids[0].partner_ids)
        self.assertIn(self.salesman.partner_id, partner.message_ids[0].partner_ids)
        activities = partner.activity_ids
        self.assertEqual(activities.user_id, self.salesman | self.accountant)
        self.assertEqual(
            set(activities.mapped("summary")), {"Contractor verification changed"}
        )
        other = self.polish[1]
        self.assertIn(ACCOUNT_1, other.message_ids[0].body)
        self.assertIn("removed from the list", other.message_ids[0].body)
        self.assertEqual(other.activity_ids.user_id, self.accountant)
        # Unchanged partners get no message.
        self.assertFalse(
            self.polish[2].message_ids.filtered(lambda m: "change" in m.body)
        )

    def test_vies_change_notifies_accounting_managers(self):
        self.company.pl_verification_accountant_id = False
        self._recheck()
        self._age(self.german, 10)
        self.vies.add("DE", "312345671", valid=False)
        self._recheck()
        message = self.german.message_ids[0]
        self.assertIn("VIES: changed from Valid to Invalid", message.body)
        self.assertIn(self.accountant.partner_id, message.partner_ids)
        self.assertFalse(self.german.activity_ids)
        self.assertEqual(self.german.pl_verification_state, "invalid")

    def test_daily_limit_pauses_the_queue(self):
        self.whitelist.search_limit = 0
        self.assertEqual(self._recheck(), 1)  # only the German: VIES
        self.assertFalse(self._records(self.polish))
        self.assertEqual(
            set(self.polish.mapped("pl_verification_state")), {"not_verified"}
        )
        self.assertEqual(self._records(self.german, "vies").status, "valid")
        paused = self.env["res.partner"]._pl_whitelist_paused_until()
        self.assertTrue(paused and paused > fields.Datetime.now())
        self.assertLessEqual(paused - fields.Datetime.now(), timedelta(days=1))
        # While paused the white list is not asked, the partners stay due.
        asked = self.whitelist.request_count
        self.polish.sudo().pl_rechecked_at = False
        self.assertEqual(self._recheck(), 0)
        self.assertEqual(self.whitelist.request_count, asked)
        # A manual check while paused: pending, nothing asked, not invalid.
        self.polish[0].action_pl_verify()
        record = self._records(self.polish[0])
        self.assertEqual(record.status, "pending")
        self.assertIn("WL-191", record.raw_fault)
        self.assertEqual(self.whitelist.request_count, asked)
        # After midnight the queue resumes where it stopped.
        self.env["ir.config_parameter"].sudo().set_param(
            PAUSE_PARAM, fields.Datetime.to_string(fields.Datetime.now())
        )
        self.whitelist.search_limit = None
        self.assertEqual(self._recheck(), 35)
        self.assertEqual(set(self.polish.mapped("pl_verification_state")), {"valid"})

    def test_manual_check_hitting_the_limit_pauses(self):
        self.whitelist.search_limit = 0
        self.customer.action_pl_verify()
        self.assertEqual(self._records(self.customer).status, "pending")
        self.assertTrue(self.env["res.partner"]._pl_whitelist_paused_until())

    # Bank accounts

    def test_customer_bank_accounts_marked_from_the_list(self):
        partner = self.polish[0]
        listed, unlisted = self.env["res.partner.bank"].create(
            [
                {"acc_number": f"PL{ACCOUNT_1}", "partner_id": partner.id},
                {"acc_number": ACCOUNT_2, "partner_id": partner.id},
            ]
        )
        self._recheck()
        record = self._records(partner)
        self.assertEqual(listed.pl_wl_state, "listed")
        self.assertEqual(unlisted.pl_wl_state, "not_listed")
        self.assertEqual(listed.pl_wl_request_id, record.request_identifier)
        self.assertTrue(listed.pl_wl_checked_at)
        # The account check endpoint, on demand.
        unlisted.action_pl_check_whitelist()
        self.assertEqual(unlisted.pl_wl_state, "not_listed")
        self.assertIn(f"/bank-account/{ACCOUNT_2}", self.whitelist.paths[-1])

    def test_bank_account_compared_as_sanitized_nrb(self):
        """The account as typed (lower-case prefix, spaces, dashes) is the
        NRB of Odoo's sanitized_acc_number; a foreign IBAN is not asked."""
        partner = self.polish[0]
        groups = [ACCOUNT_1[:2]] + [ACCOUNT_1[i : i + 4] for i in range(2, 26, 4)]
        typed = (
            "pl" + groups[0] + " " + "-".join(groups[1:4]) + " " + " ".join(groups[4:])
        )
        spaced, foreign = self.env["res.partner.bank"].create(
            [
                {"acc_number": typed, "partner_id": partner.id},
                {"acc_number": "DE89 3704 0044 0532 0130 00", "partner_id": partner.id},
            ]
        )
        self.assertEqual(spaced._pl_nrb(), ACCOUNT_1)
        self.assertIsNone(foreign._pl_nrb())
        self._recheck()
        self.assertEqual(spaced.pl_wl_state, "listed")
        self.assertFalse(foreign.pl_wl_state)
        spaced.action_pl_check_whitelist()
        self.assertEqual(spaced.pl_wl_state, "listed")
        self.assertIn(f"/bank-account/{ACCOUNT_1}", self.whitelist.paths[-1])
        asked = len(self.whitelist.paths)
        with self.assertRaises(UserError) as caught:
            foreign.action_pl_check_whitelist()
        self.assertIn("is not a Polish account number", str(caught.exception))
        self.assertEqual(len(self.whitelist.paths), asked)

    def _large_invoice(self):
        self._verification(self.customer, "whitelist", "valid")
        return self.pl_invoice(
            lines=[(self.goods, 200, 100.0)], partner_bank_id=self.company_bank.id
        )

    def test_unlisted_own_account_blocks_large_invoice(self):
        self.company.pl_verification_policy = "block"
        self.whitelist.add("5260250274", "PRZYKŁADOWA SPÓŁKA", accounts=[ACCOUNT_2])
        invoice = self._large_invoice()
        self.assertGreater(invoice.amount_total, 15000)
        with self.assertRaises(UserError) as caught:
            invoice.action_post()
        self.assertIn("is not on the white list", str(caught.exception))
        self.assertEqual(invoice.state, "draft")
        # Once the account is registered, the invoice posts; the proof stays.
        self.whitelist.registry["5260250274"]["accountNumbers"].append(COMPANY_ACCOUNT)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.pl_bank_wl_state, "listed")
        self.assertTrue(invoice.pl_bank_wl_request_id)
        self.assertTrue(invoice.pl_bank_wl_checked_at)
        self.assertEqual(self.company_bank.pl_wl_state, "listed")
        checks = [p for p in self.whitelist.paths if "/check/" in p]
        self.assertEqual(len(checks), 2)
        self.assertIn(
            f"/check/nip/5260250274/bank-account/{COMPANY_ACCOUNT}", checks[0]
        )

    def test_unlisted_own_account_warns(self):
        self.company.pl_verification_policy = "warn"
        invoice = self._large_invoice()
        self.whitelist.down_status = 503  # cannot be confirmed: a warning too
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertEqual(invoice.pl_bank_wl_state, "error")
        notes = " ".join(invoice.message_ids.mapped("body"))
        self.assertIn("could not be confirmed", notes)

    def test_small_invoice_not_checked(self):
        self.company.pl_verification_policy = "block"
        self._verification(self.customer, "whitelist", "valid")
        invoice = self.pl_invoice(partner_bank_id=self.company_bank.id)
        invoice.action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertFalse(invoice.pl_bank_wl_state)
        self.assertFalse(self.whitelist.paths)

    def test_invoice_check_button(self):
        self.whitelist.add(
            "5260250274", "PRZYKŁADOWA SPÓŁKA", accounts=[COMPANY_ACCOUNT]
        )
        invoice = self.pl_invoice(partner_bank_id=self.company_bank.id)
        invoice.action_pl_check_bank_account()
        self.assertEqual(invoice.pl_bank_wl_state, "listed")
        self.assertEqual(invoice.pl_bank_wl_account, self.company_bank.acc_number)

    def test_pause_set_by_another_worker_during_a_batch(self):
        """Claimed before another worker paused the white list: the Polish
        contractors of the batch are left due, not marked checked."""
        partners = self.env["res.partner"].with_company(self.company)
        ids = partners._pl_recheck_claim(self.company, 50)
        self.assertEqual(len(ids), 36)
        partners._pl_pause_whitelist()
        batch = partners.browse(ids)
        done = batch._pl_recheck_batch(partners._pl_service_settings(), 2)
        self.assertEqual(done, 1)
        self.assertFalse(self.whitelist.paths)
        self.assertFalse(any(self.polish.mapped("pl_rechecked_at")))
        self.assertTrue(self.german.pl_rechecked_at)

    def test_change_note_in_company_language(self):
        """The cron's notes are in the company's language, not its user's."""
        self.env["res.lang"]._activate_lang("pl_PL")
        self.company.partner_id.lang = "pl_PL"
        self._recheck()
        self._age(self.german, 10)
        self.vies.add("DE", "312345671", valid=False)
        self.env["res.partner"].with_context(lang="en_US")._cron_pl_recheck(
            self.company
        )
        body = self.german.message_ids[0].body
        self.assertIn("Zaplanowana ponowna weryfikacja wykryła zmianę:", body)
        self.assertIn("VIES: zmiana z", body)
