"""Typing a NIP on a new contact fills it from GUS REGON or the white list."""

from crm_pl_testing.fake_gus import FakeGus
from crm_pl_testing.fake_whitelist import FakeWhiteList
from odoo.tests import Form, tagged

from .common import VerificationCommon

NIP = "5261040828"


@tagged("post_install", "-at_install")
class TestPartnerFill(VerificationCommon):
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
        self.whitelist.add(
            NIP,
            "GŁÓWNY URZĄD STATYSTYCZNY",
            krs="0000012345",
            regon="000331501",
            workingAddress="ALEJA NIEPODLEGŁOŚCI 208, 00-925 WARSZAWA",
        )
        self.params = self.env["ir.config_parameter"].sudo()
        self.params.set_param("crm_vies_check.gus_url", self.enterContext(self.gus))
        self.params.set_param("crm_vies_check.gus_key", self.gus.key)
        self.params.set_param(
            "crm_vies_check.whitelist_url", self.enterContext(self.whitelist)
        )
        self.params.set_param("crm_vies_check.timeout", "2")
        self.params.set_param("crm_vies_check.whitelist_paused_until", "")
        # An employee who may create contacts (no invoicing rights).
        self.salesman = self._pl_user(
            "pl_fill_salesman", "base.group_user,base.group_partner_manager"
        )

    def new_contact(self, vat, user=None, **values):
        form = Form(self.env["res.partner"].with_user(user or self.salesman))
        for name, value in values.items():
            setattr(form, name, value)
        form.vat = vat
        return form

    def test_nip_typed_fills_the_new_contact_from_gus(self):
        form = self.new_contact(f"PL{NIP}")
        self.assertEqual(form.name, "GŁÓWNY URZĄD STATYSTYCZNY")
        self.assertEqual(form.street, "ul. Test-Krucza 208")
        self.assertEqual(form.zip, "00-925")
        self.assertEqual(form.city, "Warszawa")
        self.assertEqual(form.pl_regon, "000331501")
        self.assertEqual(form.pl_krs, "0000012345")
        self.assertEqual(form.country_id, self.env.ref("base.pl"))
        self.assertTrue(form.is_company)
        partner = form.save()
        self.assertEqual(partner.name, "GŁÓWNY URZĄD STATYSTYCZNY")
        self.assertIn("DaneSzukajPodmioty", [op for op, __, __ in self.gus.requests])

    def test_what_the_user_typed_is_kept(self):
        form = self.new_contact(NIP, name="GUS — oddział", city="Kraków")
        self.assertEqual(form.name, "GUS — oddział")
        self.assertEqual(form.city, "Kraków")
        self.assertEqual(form.street, "ul. Test-Krucza 208")

    def test_without_gus_key_the_white_list_fills_it(self):
        self.params.set_param("crm_vies_check.gus_key", "")
        form = self.new_contact(f"PL{NIP}")
        self.assertEqual(form.name, "GŁÓWNY URZĄD STATYSTYCZNY")
        self.assertEqual(form.street, "ALEJA NIEPODLEGŁOŚCI 208")
        self.assertEqual(form.zip, "00-925")
        self.assertEqual(form.city, "WARSZAWA")
        self.assertEqual(form.pl_krs, "0000012345")
        self.assertFalse(self.gus.requests)

    def test_an_existing_contact_is_never_overwritten(self):
        partner = self.env["res.partner"].create({"name": "Stara nazwa"})
        with Form(partner.with_user(self.salesman)) as form:
            form.vat = f"PL{NIP}"
            self.assertEqual(form.name, "Stara nazwa")
            self.assertFalse(form.street)
        self.assertFalse(self.gus.requests)

    def test_unknown_nip_and_register_down_leave_the_form_as_typed(self):
        self.params.set_param("crm_vies_check.gus_key", "")
        self.whitelist.down_status = 503
        form = self.new_contact("PL1234567883")
        self.assertFalse(form.name)
        self.assertFalse(form.street)
        form.name = "Wpisane ręcznie"
        self.assertEqual(form.save().vat, "PL1234567883")

    def test_onchange_warning_is_plain_polish(self):
        """The notification the user sees says what happened, in Polish."""
        self.params.set_param("crm_vies_check.gus_key", "")
        self.whitelist.down_status = 503
        self.env["res.lang"]._activate_lang("pl_PL")
        self.env["ir.module.module"]._load_module_terms(["crm_vies_check"], ["pl_PL"])
        partner = (
            self.env["res.partner"].with_user(self.salesman).with_context(lang="pl_PL")
        )
        result = partner.onchange(
            {"vat": "PL1234567883"}, ["vat"], {"vat": {}, "name": {}}
        )
        self.assertIn("Biała lista", result["warning"]["message"])
        self.assertIn("nazwę i adres ręcznie", result["warning"]["message"])
        self.whitelist.down_status = None
        result = partner.onchange({"vat": f"PL{NIP}"}, ["vat"], {"vat": {}, "name": {}})
        self.assertEqual(result["value"]["name"], "GŁÓWNY URZĄD STATYSTYCZNY")
        self.assertIn("Biała lista", result["warning"]["message"])
        self.assertIn("sprawdź", result["warning"]["message"])
