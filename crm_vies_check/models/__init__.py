from . import account_move
from . import partner_verification
from . import res_company
from . import res_config_settings
from . import res_partner
from . import res_partner_bank
