"""Posting controls of KSeF a billing user cannot get round, tried through
the ORM as that user and through JSON-RPC (see crm_invoicing_pl's
test_security_posting.py).

- Art. 106e ust. 1 pkt 3: a buyer whose invoice goes to KSeF needs an address
  with a country.
- The FA(3) of a posted invoice shows the buyer frozen at posting.
"""

from lxml import etree
from odoo.addons.crm_invoicing_pl.tests.test_security_posting import (
    SecurityPostingCommon,
)
from odoo.addons.crm_invoicing_pl.tools.ksef_xsd import FA3_NAMESPACE
from odoo.tests import freeze_time, tagged

NS = {"fa": FA3_NAMESPACE}


# Friday 20 November 2026, 10:00 in Warsaw.
@freeze_time("2026-11-20 09:00:00")
@tagged("post_install", "-at_install")
class TestSecurityPostingKsef(SecurityPostingCommon):
    # ------------------------------------------------------------------
    # Buyer's country (art. 106e ust. 1 pkt 3, KSeF)
    # ------------------------------------------------------------------
    def test_company_buyer_without_country_refused_through_the_orm(self):
        self.customer.country_id = False
        message = self._refused_orm(self._invoice())
        self.assertIn(self.customer.name, message)
        self.assertIn("Country", message)

    def test_company_buyer_without_country_refused_through_jsonrpc(self):
        self.customer.country_id = False
        self._refused_jsonrpc(self._invoice())

    def test_consumer_without_country_posts_outside_ksef(self):
        """Positive control: a consumer's invoice stays outside KSeF (the
        company's default), so its address without a country posts."""
        self.consumer.country_id = False
        move = self._invoice(partner=self.consumer)
        move.with_user(self.billing).action_post()
        self.assertEqual(move.state, "posted")

    # ------------------------------------------------------------------
    # FA(3) uses the buyer frozen at posting
    # ------------------------------------------------------------------
    def test_ksef_xml_keeps_the_buyer_as_invoiced_after_a_rename(self):
        move = self._invoice()
        move.with_user(self.billing).action_post()
        old_name = self.customer.name
        self.customer.write(
            {"name": "Nowa Nazwa S.A.", "street": "ul. Inna 9", "vat": "PL5250001115"}
        )
        root = etree.fromstring(move._l10n_pl_edi_render_xml().encode())
        self.assertEqual(
            root.xpath(
                "//fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:Nazwa/text()", namespaces=NS
            ),
            [old_name],
        )
        self.assertEqual(
            root.xpath(
                "//fa:Podmiot2/fa:DaneIdentyfikacyjne/fa:NIP/text()", namespaces=NS
            ),
            ["1234567883"],
        )
        address = root.xpath("//fa:Podmiot2/fa:Adres/fa:AdresL1/text()", namespaces=NS)
        self.assertIn("Łąkowa 3", address[0])
        self.assertEqual(
            root.xpath("//fa:Podmiot2/fa:Adres/fa:KodKraju/text()", namespaces=NS),
            ["PL"],
        )
