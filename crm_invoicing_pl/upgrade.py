"""Upgrading a database where crm_invoicing_pl held concerns that became
add-ons of their own (issue 20); the ``pre-migrate`` scripts of
``migrations/`` call :func:`carve_out` with the add-ons of their version.

The concerns that became add-ons of their own keep their fields, columns and
records; each add-on takes its records over when it is installed (its
``pre_init_hook``). Odoo installs an auto-install add-on only with the
installation of a dependency, not with an upgrade: upgrading
crm_invoicing_pl alone would drop the columns of the fields it no longer
declares, with the data they hold. So the upgrade marks those add-ons for
installation, and Odoo installs them in the same run, before it removes what
no add-on declares any more.

The views that moved are deleted first, as an uninstallation deletes them
(with the views inheriting them): Odoo checks the views that inherit a view
it loads again, and an old one would point at a place the new view no
longer has, or at a field only its new add-on declares. The add-ons install
their own.
"""

from lxml import etree
from odoo import SUPERUSER_ID, api
from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG
from odoo.modules.module import get_manifest
from odoo.tools.misc import file_open

MODULE = "crm_invoicing_pl"


def _declared_views(module):
    """The xml ids of the views the module's data files declare now."""
    names = set()
    for path in get_manifest(module)["data"]:
        if not path.endswith(".xml"):
            continue
        with file_open(f"{module}/{path}", "rb") as file:
            root = etree.parse(file).getroot()
        for node in root.xpath("//record[@model='ir.ui.view'] | //template"):
            xml_id = node.get("id")
            names.add(xml_id.split(".", 1)[1] if "." in xml_id else xml_id)
    return names


def carve_out(cr, split_addons):
    """Delete the views of crm_invoicing_pl that moved, and mark
    ``split_addons`` (the add-ons that hold them now) for installation."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    cr.execute(
        """
        SELECT res_id FROM ir_model_data
         WHERE model = 'ir.ui.view' AND module = %s AND NOT name = ANY(%s)
        """,
        (MODULE, list(_declared_views(MODULE))),
    )
    moved = env["ir.ui.view"].browse(row[0] for row in cr.fetchall()).exists()
    moved.with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()
    env["ir.module.module"].search(
        [("name", "in", split_addons), ("state", "=", "uninstalled")]
    ).button_install()
