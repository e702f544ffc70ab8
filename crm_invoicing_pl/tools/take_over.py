"""Records an add-on carved out of crm_invoicing_pl takes over (issue 20).

No Odoo import: ``cr`` is any database cursor.
"""

TAKE_OVER_SQL = """
    UPDATE ir_model_data
       SET module = %(module)s, name = %(new)s
     WHERE module = 'crm_invoicing_pl' AND name = %(old)s
       AND NOT EXISTS (SELECT 1 FROM ir_model_data
                        WHERE module = %(module)s AND name = %(new)s)
"""


def take_over_xml_ids(cr, module, names):
    """Move the xml ids ``names`` ((old, new) pairs) of crm_invoicing_pl to
    ``module``, so that installing it keeps their records (and what points at
    them) instead of adding second ones; an id ``module`` already has stays."""
    for old, new in names:
        cr.execute(TAKE_OVER_SQL, {"module": module, "old": old, "new": new})
