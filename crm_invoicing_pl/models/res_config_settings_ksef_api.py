# The KSeF address is a concern of its own (see ksef_api_service.py).
# pylint: disable=consider-merging-classes-inherited
from odoo import fields, models

from .ksef_api_service import PARAM_URL


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    pl_ksef_api_url = fields.Char(string="KSeF API URL", config_parameter=PARAM_URL)
