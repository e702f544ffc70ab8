"""Reading back the FA(3) XML of a document in tests (no test case here)."""

from lxml import etree
from odoo.addons.crm_invoicing_pl.tools.ksef_xsd import FA3_NAMESPACE

NS = {"fa": FA3_NAMESPACE}


class Fa3XmlMixin:
    """Mix in before a test case: the FA(3) XML of a move, XSD-checked."""

    def xml(self, move):
        """The FA(3) XML of ``move`` (posted first), XSD-valid, parsed."""
        if move.state == "draft":
            move.action_post()
        xml = move._l10n_pl_edi_render_xml()
        problems = move._pl_ksef_schema_problems(xml)
        self.assertEqual(
            problems, [], "FA(3) of %s must be XSD-valid:\n%s" % (move.name, xml)
        )
        return etree.fromstring(xml.encode())

    def texts(self, root, xpath):
        return [node.text for node in root.xpath(xpath, namespaces=NS)]

    def text(self, root, xpath):
        texts = self.texts(root, xpath)
        self.assertEqual(len(texts), 1, "exactly one %s expected" % xpath)
        return texts[0]

    def rows(self, root, row, elements):
        """The ``elements`` of each ``row`` element (None where missing)."""
        result = []
        for node in root.xpath("//fa:Fa/fa:" + row, namespaces=NS):
            values = []
            for element in elements:
                child = node.find("fa:" + element, NS)
                values.append(child.text if child is not None else None)
            result.append(tuple(values))
        return result

    def amounts(self, root):
        """P_13_x / P_14_x / P_15 present in the XML, as {element: text}."""
        return {
            etree.QName(node).localname: node.text
            for node in root.xpath(
                "//fa:Fa/*[starts-with(local-name(), 'P_13_') or "
                "starts-with(local-name(), 'P_14_') or local-name() = 'P_15']",
                namespaces=NS,
            )
        }
