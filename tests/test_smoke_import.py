def test_tools_importable_without_registry():
    from odoo.addons.crm_invoicing_pl import tools

    assert tools.__name__ == "odoo.addons.crm_invoicing_pl.tools"
