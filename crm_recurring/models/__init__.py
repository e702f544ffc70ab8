from . import crm_recurring_contract
from . import crm_recurring_contract_line
from . import crm_recurring_period
from . import crm_recurring_run
from . import sale_order
from . import res_company
from . import res_config_settings
