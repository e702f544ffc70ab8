from . import interest_rate
from . import res_company
from . import res_partner
from . import account_move_line
from . import account_move
from . import res_config_settings
