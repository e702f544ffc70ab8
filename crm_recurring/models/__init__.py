from . import recurring_contract
from . import recurring_contract_line
from . import recurring_period
from . import recurring_run
from . import sale_order
from . import recurring_contract_batch
from . import res_company
from . import res_config_settings
